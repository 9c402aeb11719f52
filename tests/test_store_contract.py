"""The store contract kit passes the in-memory EventLog and fails stores that break a clause."""

import functools

import pytest

from pastoral_core.eventlog import EventLog
from pastoral_core.testing import StoreContract


class EventLogContract(StoreContract):
    """How the kit runs an EventLog (or a subclass): reopening is a restart from its JSON lines."""

    log_class = EventLog

    def make_store(self, codec, keys):
        return self.log_class(codec, keys=keys)

    def reopen(self, store, codec, keys):
        saved = codec.loads(codec.dumps(store.read_all()))  # what a host keeps as JSON lines
        return type(store).from_records(sorted(saved, key=lambda r: r.position), codec, keys=keys)

    # writer: the default, the log itself; EventLog is safe to share between threads.


class TestEventLog(EventLogContract):
    """The in-memory reference store passes every check."""


def test_the_kit_has_a_check_for_every_clause():
    names = StoreContract.checks()
    for clause in (
        "stale_expected_version",
        "malformed",
        "same_command",
        "reused",
        "recorded_for",
        "read_all",
        "catch_up",
        "redact",
        "verifies",
        "keyed",
        "rotating",
        "failure_part_way",
        "two_threads",
        "two_writers",
        "execute",
    ):
        assert any(clause in name for name in names), clause
    assert len(names) >= 20


def test_run_check_refuses_a_name_that_is_not_a_check():
    with pytest.raises(ValueError, match="not a store contract check"):
        TestEventLog().run_check("make_store")


# -- Stores that break one clause each: the kit's checks for that clause must fail. ----------


class IgnoresExpectedVersions(EventLog):
    """Appends at whatever version the stream is at: a store without optimistic concurrency."""

    def append(self, stream_id, events, *, expected_version, metadata, decision=None):
        if isinstance(stream_id, str) and isinstance(expected_version, int) and not isinstance(expected_version, bool):
            expected_version = self.stream_version(stream_id)
        return super().append(
            stream_id, events, expected_version=expected_version, metadata=metadata, decision=decision
        )


class LosesCommandIds(EventLog):
    """Its command-id index is gone (say, not rebuilt after a restart): no lookup ever finds a command."""

    def recorded_for(self, command_id):
        return None


class ReadsByStream(EventLog):
    """``read_all`` ordered by stream, then version, instead of by position: an ORDER BY gone wrong."""

    def read_all(self, from_position=1):
        return tuple(sorted(super().read_all(from_position), key=lambda r: (r.stream_id, r.stream_version)))


BROKEN = {
    IgnoresExpectedVersions: {
        "test_a_stale_expected_version_is_a_conflict_and_writes_nothing",
        "test_two_writers_with_stale_views_conflict_and_retry",
    },
    LosesCommandIds: {
        "test_the_same_command_again_gets_its_first_records_and_writes_nothing",
        "test_a_command_id_reused_for_another_command_is_refused_and_writes_nothing",
        "test_a_command_without_a_decision_record_is_never_replayed",
        "test_recorded_for_returns_each_commands_whole_batch",
        "test_a_real_case_through_execute_verifies_and_replays",
        "test_the_same_command_from_two_writers_at_once_is_written_once",
    },
    ReadsByStream: {
        "test_read_all_returns_every_record_from_a_position_in_order",
        "test_a_catch_up_reader_sees_every_record_once",
        "test_what_the_store_keeps_verifies_and_round_trips",
        "test_two_threads_appending_at_once_lose_and_duplicate_nothing",
    },
}


@functools.cache
def failing_checks(log_class):
    kit = type(f"Kit{log_class.__name__}", (EventLogContract,), {"log_class": log_class})()
    failed = {}
    for name in kit.checks():
        try:
            kit.run_check(name)
        except AssertionError as failure:
            failed[name] = str(failure)
    return failed


@pytest.mark.parametrize("broken", list(BROKEN), ids=lambda cls: cls.__name__)
def test_a_store_that_breaks_a_clause_fails_the_checks_of_that_clause(broken):
    failed = failing_checks(broken)
    missed = BROKEN[broken] - set(failed)
    assert not missed, f"{broken.__name__} passed checks it breaks: {sorted(missed)}"
    assert len(failed) < len(StoreContract.checks()), "a store that breaks one clause fails only some checks"


def test_the_checks_say_what_was_broken():
    said = failing_checks(IgnoresExpectedVersions)["test_a_stale_expected_version_is_a_conflict_and_writes_nothing"]
    assert "expected ConcurrencyConflict, nothing was raised" in said
    said = failing_checks(ReadsByStream)["test_read_all_returns_every_record_from_a_position_in_order"]
    assert "positions must increase" in said
    said = failing_checks(LosesCommandIds)["test_the_same_command_again_gets_its_first_records_and_writes_nothing"]
    assert "must get its first records" in said
