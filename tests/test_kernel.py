"""The kernel on a toy aggregate: execute binds command, aggregate and stream; decide runs once."""

import datetime as dt
import enum
from zoneinfo import ZoneInfo

import attrs
import pytest

from pastoral_core import EventLog, Folded, RuleFlagged, execute
from pastoral_core.eventlog import Metadata
from pastoral_core.exceptions import (
    CommandIdReused,
    ConcurrencyConflict,
    InvalidType,
    InvalidValue,
    NaiveDatetimeError,
    PastoralCoreError,
    Refused,
)
from pastoral_core.kernel import Aggregate, decide, handles
from pastoral_core.support import SendMou, SupportRole
from tests.toy import (
    CONTEXT,
    TALLY,
    TOY_CODEC,
    Count,
    Counted,
    NearLimit,
    Open,
    Opened,
    Tally,
    ToyRole,
    count,
    counting,
)

UTC = dt.UTC
AT = dt.datetime(2026, 5, 1, 9, tzinfo=UTC)


def fresh_log() -> EventLog:
    return EventLog(TOY_CODEC)


def test_execute_derives_the_stream_decides_once_and_records_who_what_and_why():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 5, AT), CONTEXT)
    out = execute(log, TALLY, "1", counting("c2", 4, AT), CONTEXT, correlation_id="corr-9")
    assert out.events == (Counted(4), NearLimit(9), RuleFlagged("TOY-LIMIT", "9 is near 10", AT))
    assert [r.stream_id for r in out.records] == ["tally-1"] * 3
    assert [r.stream_version for r in out.records] == [2, 3, 4]
    assert out.records[0].metadata == Metadata(
        "coord-1", "c2", AT, "TOY v1", "corr-9", role="coordinator", command_type="toy.count"
    )
    assert [(v.rule_id, v.outcome.value) for v in out.verdicts] == [
        ("AUTH", "pass"),
        ("TOY-POSITIVE", "pass"),
        ("TOY-LIMIT", "pass"),
        ("TOY-LIMIT", "flag"),
    ]
    assert out.rulebook == "TOY v1" and not out.replayed
    # The decision (verdicts, the command, its fingerprint) is kept on the batch's first record only.
    assert out.records[0].decision.verdicts == out.verdicts
    assert '"by":4' in out.records[0].decision.command
    assert out.records[1].decision is None


def test_flags_are_folded_by_the_kernel_and_never_reach_the_domain_state():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 9, AT), CONTEXT)
    folded = TALLY.replay(log.read_stream("tally-1"))
    assert folded == Folded(Tally(9), 3, frozenset({"TOY-LIMIT"}), AT)


def test_a_refusal_writes_nothing_and_lists_every_failed_rule():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 9, AT), CONTEXT)
    with pytest.raises(Refused) as refused:
        execute(log, TALLY, "1", counting("c2", -5, AT), CONTEXT)
    assert refused.value.rule_ids == ("TOY-POSITIVE",)
    with pytest.raises(Refused) as refused:
        execute(log, TALLY, "1", counting("c3", 2, AT), CONTEXT)
    assert refused.value.rule_ids == ("TOY-LIMIT",)
    assert len(log) == 3
    assert log.recorded_for("c3") is None


def test_the_rulebook_in_force_at_the_command_time_decides():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 9, AT), CONTEXT)
    with pytest.raises(Refused):
        execute(log, TALLY, "1", counting("c2", 5, dt.datetime(2027, 3, 31, 22, 59, tzinfo=UTC)), CONTEXT)
    out = execute(log, TALLY, "1", counting("c3", 5, dt.datetime(2027, 3, 31, 23, 0, tzinfo=UTC)), CONTEXT)
    assert out.rulebook == "TOY v2"


# -- IDEMPOTENT: a repeated command id, and nothing else ----------------------------------------


def test_the_same_command_again_returns_its_first_result_without_deciding_again():
    log = fresh_log()
    first = execute(log, TALLY, "1", counting("c1", 9, AT), CONTEXT)
    execute(log, TALLY, "1", counting("c2", 1, AT), CONTEXT)
    written = len(log)
    # Deciding c1 again now would be refused (10 + 9 > 10), and a later `at` does not matter.
    again = execute(log, TALLY, "1", counting("c1", 9, AT + dt.timedelta(hours=2)), CONTEXT)
    assert again.records == first.records and again.verdicts == first.verdicts
    assert again.replayed and not first.replayed
    assert len(log) == written


@pytest.mark.parametrize(
    ("aggregate_id", "command"),
    [
        ("2", counting("c1", 9, AT)),  # the same command sent to another tally
        ("1", counting("c1", 8, AT)),  # other content under the same id
        ("1", counting("c1", 9, AT, role=ToyRole.CLERK)),  # another role
        ("1", Open(command_id="c1", actor="coord-1", role=ToyRole.COORDINATOR, at=AT, tally_id="1")),  # another kind
    ],
    ids=["other-stream", "other-content", "other-role", "other-command"],
)
def test_a_command_id_reused_for_anything_else_is_refused_and_reveals_nothing(aggregate_id, command):
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 9, AT), CONTEXT)
    with pytest.raises(CommandIdReused) as refused:
        execute(log, TALLY, aggregate_id, command, CONTEXT)
    message = str(refused.value)
    assert "tally-1" not in message and "9" not in message and "Counted" not in message
    assert len(log) == 3


def test_after_redaction_a_command_id_can_no_longer_be_replayed():
    log = fresh_log()
    first = execute(log, TALLY, "1", counting("c1", 2, AT), CONTEXT)
    log._forget_command("c1")  # what redacting any record of the batch does
    assert log.recorded_for("c1")[0].decision.fingerprint is None
    with pytest.raises(CommandIdReused):
        execute(log, TALLY, "1", counting("c1", 2, AT), CONTEXT)
    assert log.recorded_for("c1")[0].event == first.records[0].event


class RacingLog(EventLog):
    """Another writer appends between our read and our append."""

    def read_stream(self, stream_id, from_version=1):
        records = super().read_stream(stream_id, from_version)
        if not getattr(self, "raced", False):
            self.raced = True
            self.append(
                stream_id,
                [Counted(1)],
                expected_version=len(records),
                metadata=Metadata("other", "x1", AT, role="coordinator", command_type="toy.count"),
            )
        return records


def test_a_concurrent_writer_makes_execute_fail_and_write_nothing():
    log = RacingLog(TOY_CODEC)
    with pytest.raises(ConcurrencyConflict):
        execute(log, TALLY, "1", counting("c1", 2, AT), CONTEXT)
    assert [r.metadata.command_id for r in log.read_all()] == ["x1"]
    assert log.recorded_for("c1") is None


# -- TIME: the recorded clock only moves forward within a stream ---------------------------------


def test_TIME_a_command_earlier_than_the_streams_last_record_is_refused_and_the_same_moment_is_not():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 1, AT), CONTEXT)
    with pytest.raises(Refused) as refused:
        execute(log, TALLY, "1", counting("c2", 1, AT - dt.timedelta(microseconds=1)), CONTEXT)
    assert refused.value.rule_ids == ("TIME",)
    assert len(log) == 1
    execute(log, TALLY, "1", counting("c3", 1, AT), CONTEXT)
    # Another stream has its own clock.
    execute(log, TALLY, "2", counting("c4", 1, AT - dt.timedelta(days=30)), CONTEXT)


def test_TIME_compares_instants_not_wall_clocks():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 1, dt.datetime(2026, 5, 1, 9, tzinfo=UTC)), CONTEXT)
    ahead = dt.timezone(dt.timedelta(hours=2))
    with pytest.raises(Refused, match="TIME"):  # 10:00+02:00 is 08:00 UTC, an hour earlier
        execute(log, TALLY, "1", counting("c2", 1, dt.datetime(2026, 5, 1, 10, tzinfo=ahead)), CONTEXT)


def test_a_naive_command_time_is_refused_when_the_command_is_built():
    with pytest.raises(NaiveDatetimeError, match="Count.at: must be timezone-aware"):
        counting("c1", 1, dt.datetime(2026, 5, 1, 9))


# -- binding command, aggregate and stream ------------------------------------------------------


def test_a_command_the_aggregate_does_not_take_is_refused_and_nothing_is_written():
    log = fresh_log()
    mou = SendMou(command_id="c1", actor="coord-1", role=SupportRole.COORDINATOR, at=AT, terms_version="v1")
    with pytest.raises(Refused, match="SendMou is not a command for a Tally") as refused:
        execute(log, TALLY, "1", mou, CONTEXT)
    assert refused.value.rule_ids == ("INPUT",)
    assert len(log) == 0


def test_a_command_naming_another_aggregate_than_its_stream_is_refused():
    log = fresh_log()
    opening = Open(command_id="c1", actor="coord-1", role=ToyRole.COORDINATOR, at=AT, tally_id="2")
    with pytest.raises(Refused, match="Open.tally_id names another Tally") as refused:
        execute(log, TALLY, "1", opening, CONTEXT)
    assert refused.value.rule_ids == ("INPUT",)
    assert len(log) == 0
    assert execute(log, TALLY, "2", opening, CONTEXT).events == (Opened("2"),)


@pytest.mark.parametrize("aggregate_id", ["", " 1", "a\nb", 7, None, "x" * 201])
def test_an_aggregate_id_that_is_not_an_id_is_refused(aggregate_id):
    log = fresh_log()
    with pytest.raises(InvalidValue, match="Tally.aggregate_id"):
        execute(log, TALLY, aggregate_id, counting("c1", 1, AT), CONTEXT)
    assert len(log) == 0


@pytest.mark.parametrize("not_a_command", [None, "count", {"by": 1}])
def test_execute_refuses_what_is_not_a_command(not_a_command):
    with pytest.raises(InvalidType, match="execute.command"):
        execute(fresh_log(), TALLY, "1", not_a_command, CONTEXT)


# -- AUTH, SCOPE and the one declaration -------------------------------------------------------


def test_AUTH_a_role_the_table_does_not_allow_is_refused_before_any_rule_runs():
    with pytest.raises(Refused) as refused:
        decide(TALLY, TALLY.fold(()), counting("c1", -5, AT, role=ToyRole.CLERK), CONTEXT)
    assert refused.value.rule_ids == ("AUTH",)
    assert "a clerk may not Count; allowed: coordinator" in str(refused.value)


def test_SCOPE_runs_once_for_scoped_roles_and_its_failure_is_cited():
    def only_for_the_first(tally, command, context):
        return None if command.actor == "clerk-1" else f"{command.actor} does not keep this tally"

    scoped = attrs.evolve(
        TALLY,
        commands={Count: handles(count, ToyRole.COORDINATOR, ToyRole.CLERK, scope=only_for_the_first)},
        scoped_roles=frozenset({ToyRole.CLERK}),
    )
    clerk = attrs.evolve(counting("c1", 1, AT, role=ToyRole.CLERK), actor="clerk-2")
    with pytest.raises(Refused, match="clerk-2 does not keep this tally") as refused:
        decide(scoped, scoped.fold(()), clerk, CONTEXT)
    assert refused.value.rule_ids == ("SCOPE",)
    accepted = decide(scoped, scoped.fold(()), attrs.evolve(clerk, actor="clerk-1"), CONTEXT)
    assert [v.rule_id for v in accepted.verdicts][:2] == ["AUTH", "SCOPE"]


class Elsewhere(enum.Enum):
    CLERK = "clerk"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "Tally-1"}, "category: must be lower-case"),
        ({"commands": {int: handles(count, ToyRole.COORDINATOR)}}, "is not a registered command class"),
        ({"commands": {Count: handles(count)}}, "needs a Handles row with at least one role"),
        ({"commands": {Count: handles(count, Elsewhere.CLERK)}}, "allows roles of another domain"),
        ({"scoped_roles": frozenset({ToyRole.COORDINATOR})}, "allows a scoped role but declares no scope"),
    ],
)
def test_an_inconsistent_aggregate_declaration_fails_when_it_is_made(change, message):
    fields = {f.name: getattr(TALLY, f.name) for f in attrs.fields(Aggregate)}
    with pytest.raises(PastoralCoreError, match=message):
        Aggregate(**{**fields, **change})


def test_an_accepted_command_whose_handler_records_nothing_is_a_bug_not_a_silent_success():
    silent = attrs.evolve(TALLY, commands={Count: handles(lambda *_: [], ToyRole.COORDINATOR)})
    with pytest.raises(AssertionError, match="recorded nothing"):
        decide(silent, silent.fold(()), counting("c1", 1, AT), CONTEXT)


@pytest.mark.parametrize("correlation_id", ["corr\n1", "", 7])
def test_a_correlation_id_that_is_not_an_id_is_refused_and_nothing_is_written(correlation_id):
    log = fresh_log()
    with pytest.raises(InvalidValue, match="execute.correlation_id"):
        execute(log, TALLY, "1", counting("c1", 1, AT), CONTEXT, correlation_id=correlation_id)
    assert len(log) == 0


def test_TIME_compares_instants_across_the_autumn_clock_change():
    """01:45 BST and 01:30 GMT on 31 October 2027: the wall clock says later, the instant earlier."""
    london = ZoneInfo("Europe/London")
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 1, dt.datetime(2027, 10, 31, 1, 30, fold=1, tzinfo=london)), CONTEXT)
    earlier = dt.datetime(2027, 10, 31, 1, 45, fold=0, tzinfo=london)  # 00:45 UTC
    with pytest.raises(Refused) as refused:
        execute(log, TALLY, "1", counting("c2", 1, earlier), CONTEXT)
    assert refused.value.rule_ids == ("TIME",)
    later = dt.datetime(2027, 10, 31, 1, 45, fold=1, tzinfo=london)  # 01:45 UTC
    assert execute(log, TALLY, "1", counting("c3", 1, later), CONTEXT).events
