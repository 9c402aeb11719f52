"""What a global position promises a catch-up reader, and how 0.1 records sit beside per-stream ones."""

import datetime as dt

import pytest

from pastoral_core.eventlog import DEFAULT_CODEC, EventLog, Metadata, RedactionError, loads, verify
from pastoral_core.support import NoteRecorded
from tests.eventlog.forgery import resealed, rows_of, text_of
from tests.eventlog.test_codec import FIXTURE
from tests.eventlog.test_integrity import build_log
from tests.sample_events import CODEC

AT = dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)


def test_a_0_1_log_appended_to_keeps_its_global_chain_and_new_records_chain_per_stream():
    old = loads(FIXTURE.read_text())
    log = EventLog.from_records(old)
    stream = old[-1].stream_id
    log.append(
        stream,
        [NoteRecorded("n9", "officer-1", "a later note")],
        expected_version=log.stream_version(stream),
        metadata=Metadata("officer-1", "later-1", AT, role="officer", command_type="case.record_note"),
    )
    text = DEFAULT_CODEC.dumps(log.read_all())
    rows = rows_of(text)
    assert all("chain" not in row for row in rows[:-1]) and rows[-1]["chain"] == 2
    assert verify(text).ok and verify(log.read_all()).ok
    assert log.read_all()[-1].position == len(old) + 1


def test_a_0_1_record_cannot_follow_a_per_stream_one():
    rows = rows_of(DEFAULT_CODEC.dumps(loads(FIXTURE.read_text())))
    first = resealed(rows[:1])
    rows = first + rows[1:]
    result = verify(text_of(rows))
    assert not result.ok and result.broken_record == 2 and "cannot follow a per-stream record" in result.reason


def with_gaps(log: EventLog, skip_after: dict[int, int]) -> list:
    """The log as a store that burned positions would hold it (re-sealed at the new positions)."""
    rows = rows_of(CODEC.dumps(log.read_all()))
    shift = 0
    for row in rows:
        row["position"] += shift
        shift += skip_after.get(row["position"] - shift, 0)
    return CODEC.loads(text_of(resealed(rows)))


def test_positions_may_skip_and_verify_counts_the_gaps():
    records = with_gaps(build_log(), {2: 3, 4: 1})
    assert [r.position for r in records] == [1, 2, 6, 7, 9, 10]
    result = verify(records, codec=CODEC)
    assert result.ok and result.gaps == 4 and result.checkpoint.position == 10 and result.checkpoint.count == 6
    assert verify(build_log().read_all(), codec=CODEC).gaps == 0, "the in-memory log never skips"
    log = EventLog.from_records(records, CODEC)
    assert [r.position for r in log.read_all(3)] == [6, 7, 9, 10], "reading from inside a gap starts after it"
    assert [r.position for r in log.read_all(10)] == [10] and log.read_all(11) == ()
    assert log.redact(10, ["text"]).event.text.startswith("<redacted sha256=")
    with pytest.raises(RedactionError, match="no record at position 3"):
        log.redact(3, ["text"])
    assert verify(log.read_all(), codec=CODEC, since=result.checkpoint).ok


def test_a_catch_up_reader_that_asks_from_its_last_position_sees_every_record_once():
    log = build_log()
    seen: list[int] = []

    def catch_up() -> None:
        for record in log.read_all((seen[-1] if seen else 0) + 1):
            seen.append(record.position)

    catch_up()
    for n in range(3):
        stream = f"case-{n % 3}"
        log.append(
            stream,
            [log.read_all()[0].event] * (n + 1),
            expected_version=log.stream_version(stream),
            metadata=Metadata("officer-1", f"more-{n}", AT),
        )
        catch_up()
    catch_up()
    assert seen == [r.position for r in log.read_all()] == list(range(1, len(log) + 1))


def test_a_store_seals_a_batch_at_the_positions_it_got_gaps_and_all_and_refuses_positions_that_go_back():
    from pastoral_core.eventlog import seal_batch
    from pastoral_core.exceptions import InvalidValue
    from tests.sample_events import NoteRecorded as Note

    meta = Metadata("officer-1", "c1", AT)
    first = seal_batch(
        "case-1",
        [Note("o", "a"), Note("o", "b")],
        metadata=meta,
        decision=None,
        last=None,
        positions=[3, 7],
        codec=CODEC,
    )
    later = seal_batch(
        "case-1",
        [Note("o", "c")],
        metadata=Metadata("officer-1", "c2", AT),
        decision=None,
        last=first[-1],
        positions=[8],
        codec=CODEC,
    )
    records = (*first, *later)
    assert [(r.position, r.stream_version) for r in records] == [(3, 1), (7, 2), (8, 3)]
    result = verify(records, codec=CODEC)
    assert result.ok and result.gaps == 5
    for positions in ([7], [7, 7], [8, 7], [0, 1], [True, 2], "ab", [4, 5, 6]):
        last = first[-1] if positions == [7] else None
        events = [Note("o", "x")] * (1 if positions == [7] else 2)
        with pytest.raises(InvalidValue, match="one increasing position per event"):
            seal_batch("case-1", events, metadata=meta, decision=None, last=last, positions=positions, codec=CODEC)
