import datetime as dt

import pytest

from pastoral_core import ConcurrencyConflict, EventLog, Refused, execute, fold
from pastoral_core.eventlog import Metadata
from tests.toy import BOOKS, TALLY, TOY_CODEC, Count, Counted, NearLimit, Tally, evolve

UTC = dt.UTC
AT = dt.datetime(2026, 5, 1, 9, tzinfo=UTC)


def count(cid: str, by: int, at: dt.datetime = AT) -> Count:
    return Count(cid, "coord-1", at, by)


def test_fold_replays_events_in_order():
    assert fold(evolve, Tally(), [Counted(2), NearLimit(9), Counted(3)]) == Tally(5)


def test_execute_loads_decides_once_and_appends_with_metadata():
    log = EventLog(TOY_CODEC)
    execute(log, TALLY, "tally-1", count("c1", 5), BOOKS)
    out = execute(log, TALLY, "tally-1", count("c2", 4), BOOKS, correlation_id="corr-9")
    assert [r.event for r in out] == [Counted(4), NearLimit(9)]
    assert [r.stream_version for r in out] == [2, 3]
    assert out[0].metadata == Metadata("coord-1", "c2", AT, "TOY v1", "corr-9")


def test_refusal_writes_nothing_and_lists_every_failed_rule():
    log = EventLog(TOY_CODEC)
    execute(log, TALLY, "tally-1", count("c1", 9), BOOKS)
    with pytest.raises(Refused) as refused:
        execute(log, TALLY, "tally-1", count("c2", -5), BOOKS)
    assert refused.value.rule_ids == ("TOY-POSITIVE",)
    with pytest.raises(Refused) as refused:
        execute(log, TALLY, "tally-1", count("c3", 2), BOOKS)
    assert refused.value.rule_ids == ("TOY-LIMIT",)
    assert len(log) == 2
    assert log.recorded_for("c3") is None


def test_the_rulebook_in_force_at_the_command_time_decides():
    log = EventLog(TOY_CODEC)
    execute(log, TALLY, "tally-1", count("c1", 9), BOOKS)
    with pytest.raises(Refused):
        execute(
            log,
            TALLY,
            "tally-1",
            count("c2", 5, dt.datetime(2027, 3, 31, 22, 59, tzinfo=UTC)),
            BOOKS,
        )
    out = execute(log, TALLY, "tally-1", count("c3", 5, dt.datetime(2027, 3, 31, 23, 0, tzinfo=UTC)), BOOKS)
    assert out[0].metadata.rulebook_version == "TOY v2"


def test_a_repeated_command_returns_its_first_result_without_deciding_again():
    log = EventLog(TOY_CODEC)
    first = execute(log, TALLY, "tally-1", count("c1", 9), BOOKS)
    execute(log, TALLY, "tally-1", count("c2", 1), BOOKS)
    written = len(log)
    # Deciding c1 again now would be refused (10 + 9 > 10): it must not be decided again.
    assert execute(log, TALLY, "tally-1", count("c1", 9), BOOKS) == first
    assert len(log) == written


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
                metadata=Metadata("other", "x1", AT),
            )
        return records


def test_a_concurrent_writer_makes_execute_fail_and_write_nothing():
    log = RacingLog(TOY_CODEC)
    with pytest.raises(ConcurrencyConflict):
        execute(log, TALLY, "tally-1", count("c1", 2), BOOKS)
    assert [r.metadata.command_id for r in log.read_all()] == ["x1"]
    assert log.recorded_for("c1") is None


def test_a_naive_command_time_is_refused_before_anything_is_written():
    log = EventLog(TOY_CODEC)
    with pytest.raises(ValueError, match="timezone-aware"):
        execute(log, TALLY, "tally-1", count("c1", 1, dt.datetime(2026, 5, 1, 9)), BOOKS)
    assert len(log) == 0
