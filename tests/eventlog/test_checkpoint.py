"""A checkpoint kept apart from the log catches what the chain alone cannot: a log cut short or rolled back."""

import datetime as dt
import json

import pytest

from pastoral_core.eventlog import Checkpoint, EventLog, Metadata, StreamHead, verify
from pastoral_core.exceptions import InvalidValue
from tests.eventlog.test_integrity import build_log
from tests.sample_events import CODEC, NoteRecorded


def lines(log):
    return CODEC.dumps(log.read_all()).splitlines(keepends=True)


def test_a_verified_log_gives_a_checkpoint_that_survives_json():
    log = build_log()
    result = verify(log.read_all(), codec=CODEC)
    checkpoint = result.checkpoint
    assert checkpoint.count == 6 and checkpoint.position == log.read_all()[-1].position
    assert {s.stream_id: s.version for s in checkpoint.streams} == {"case-0": 3, "case-1": 3}
    assert {s.stream_id: s.digest for s in checkpoint.streams} == {
        stream: log.read_stream(stream)[-1].digest for stream in ("case-0", "case-1")
    }
    assert Checkpoint.from_dict(json.loads(json.dumps(checkpoint.to_dict()))) == checkpoint
    assert verify(CODEC.dumps(log.read_all())).checkpoint == checkpoint


@pytest.mark.parametrize(("dropped", "stream", "left"), [(1, "case-0", 2), (3, "case-0", 1), (6, "case-0", 0)])
def test_a_log_cut_short_still_verifies_alone_but_not_against_its_checkpoint(dropped, stream, left):
    log = build_log()
    checkpoint = verify(log.read_all(), codec=CODEC).checkpoint
    cut = "".join(lines(log)[:-dropped])
    assert verify(cut).ok, "the chains alone cannot see a missing tail"
    result = verify(cut, since=checkpoint)
    assert (
        not result.ok
        and result.reason == f"stream {stream!r} holds {left} of the 3 records the checkpoint saw (cut short)"
    )


def test_a_stream_dropped_whole_or_its_last_record_dropped_is_seen_only_against_a_checkpoint():
    log = build_log()
    checkpoint = verify(log.read_all(), codec=CODEC).checkpoint
    every = lines(log)
    without_case_1 = "".join(line for line in every if '"stream_id": "case-1"' not in line)
    without_last_of_case_1 = "".join(every[:4] + every[5:])
    for edited in (without_case_1, without_last_of_case_1):
        assert verify(edited).ok, "each stream's own chain is whole"
        result = verify(edited, since=checkpoint)
        assert not result.ok and "'case-1'" in result.reason and "(cut short)" in result.reason


def test_a_record_added_behind_the_checkpoint_is_seen():
    log = build_log()
    checkpoint = verify(log.read_all(), codec=CODEC).checkpoint
    # The same log as if it had been taken at position 5: one record fewer at or below it.
    smaller = Checkpoint.from_dict({**checkpoint.to_dict(), "position": 6, "count": 6})
    assert verify(log.read_all(), codec=CODEC, since=smaller).ok
    earlier = verify(log.read_all()[:4], codec=CODEC).checkpoint
    moved = Checkpoint(
        3,
        5,
        (
            StreamHead("case-0", 2, log.read_stream("case-0")[1].digest),
            StreamHead("case-1", 1, log.read_stream("case-1")[0].digest),
        ),
    )
    result = verify(log.read_all(), codec=CODEC, since=moved)
    assert not result.ok and "the checkpoint saw 3 (cut short, or records added behind it)" in result.reason
    assert verify(log.read_all(), codec=CODEC, since=earlier).ok


def test_a_log_rolled_back_and_written_again_fails_against_its_checkpoint():
    log = build_log()
    checkpoint = verify(log.read_all(), codec=CODEC).checkpoint
    rolled = EventLog(CODEC)
    at = dt.datetime(2026, 12, 24, 16, tzinfo=dt.UTC)
    for record in log.read_all()[:-1]:
        rolled.append(
            record.stream_id, [record.event], expected_version=record.stream_version - 1, metadata=record.metadata
        )
    rolled.append(
        "case-0",
        [NoteRecorded("officer-9", "a different last note")],
        expected_version=rolled.stream_version("case-0"),
        metadata=Metadata("officer-9", "c99", at, role="officer", command_type="sample.record_note"),
    )
    assert verify(rolled.read_all(), codec=CODEC).ok, "a rewritten log verifies on its own"
    result = verify(rolled.read_all(), codec=CODEC, since=checkpoint)
    assert not result.ok and result.broken_record == 6
    assert "not the one the checkpoint saw" in result.reason or "not what the checkpoint saw" in result.reason


def test_a_log_that_grew_since_the_checkpoint_verifies_and_moves_it_on():
    log = build_log()
    checkpoint = verify(log.read_all(), codec=CODEC).checkpoint
    log.append(
        "case-2",
        [NoteRecorded("officer-1", "later")],
        expected_version=0,
        metadata=Metadata("officer-1", "c7", dt.datetime(2027, 1, 4, tzinfo=dt.UTC)),
    )
    result = verify(log.read_all(), codec=CODEC, since=checkpoint)
    assert result.ok and result.checkpoint.count == 7 and result.checkpoint.position == 7
    assert len(result.checkpoint.streams) == 3
    assert verify(log.read_all(), codec=CODEC, since=verify([], codec=CODEC).checkpoint).ok


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"count": -1, "position": 0, "streams": {}},
        {"count": True, "position": 1, "streams": {}},
        {"count": 1, "position": "1", "streams": {}},
        {"count": 2, "position": 1, "streams": {"s": {"version": 2, "digest": "0" * 64}}},
        {"count": 1, "position": 1, "streams": []},
        {"count": 1, "position": 1, "streams": {"s": {"version": 0, "digest": "0" * 64}}},
        {"count": 1, "position": 1, "streams": {"s": {"version": 1}}},
        {"count": 1, "position": 1, "streams": {"s": {"version": 1, "digest": "not hex"}}},
        {"count": 2, "position": 2, "streams": {"s": {"version": 1, "digest": "0" * 64}}},
        {"count": 1, "position": 1, "streams": {}, "extra": 1},
        {"count": 1, "head": "0" * 64, "streams": {}},
    ],
)
def test_a_checkpoint_that_is_not_one_is_refused_by_name(data):
    with pytest.raises(InvalidValue, match="Checkpoint"):
        Checkpoint.from_dict(data)


def test_verify_reports_rather_than_raises_for_a_wrong_checkpoint():
    result = verify([], since={"count": 0})
    assert not result.ok and result.reason == "since must be a Checkpoint"
    with pytest.raises(InvalidValue):
        Checkpoint(2, 2, (StreamHead("b", 1, "0" * 64), StreamHead("a", 1, "0" * 64)))
