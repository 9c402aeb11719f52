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
    assert checkpoint.count == 6 and checkpoint.head == log.read_all()[-1].digest
    assert {s.stream_id: s.version for s in checkpoint.streams} == {"case-0": 3, "case-1": 3}
    assert Checkpoint.from_dict(json.loads(json.dumps(checkpoint.to_dict()))) == checkpoint
    assert verify(CODEC.dumps(log.read_all())).checkpoint == checkpoint


@pytest.mark.parametrize("dropped", [1, 3, 6])
def test_a_log_cut_short_still_verifies_alone_but_not_against_its_checkpoint(dropped):
    log = build_log()
    checkpoint = verify(log.read_all(), codec=CODEC).checkpoint
    cut = "".join(lines(log)[:-dropped])
    assert verify(cut).ok, "the chain alone cannot see a missing tail"
    result = verify(cut, since=checkpoint)
    assert not result.ok and "the checkpoint saw 6 (cut short)" in result.reason
    assert f"the log has {6 - dropped} records" in result.reason


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
    assert result.ok and result.checkpoint.count == 7 and len(result.checkpoint.streams) == 3
    assert verify(log.read_all(), codec=CODEC, since=verify([], codec=CODEC).checkpoint).ok


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"count": -1, "head": "0" * 64, "streams": {}},
        {"count": True, "head": "0" * 64, "streams": {}},
        {"count": 1, "head": "not hex", "streams": {}},
        {"count": 1, "head": "0" * 64, "streams": []},
        {"count": 1, "head": "0" * 64, "streams": {"s": {"version": 0, "digest": "0" * 64}}},
        {"count": 1, "head": "0" * 64, "streams": {"s": {"version": 1}}},
        {"count": 1, "head": "0" * 64, "streams": {}, "extra": 1},
    ],
)
def test_a_checkpoint_that_is_not_one_is_refused_by_name(data):
    with pytest.raises(InvalidValue, match="Checkpoint"):
        Checkpoint.from_dict(data)


def test_verify_reports_rather_than_raises_for_a_wrong_checkpoint():
    result = verify([], since={"count": 0})
    assert not result.ok and result.reason == "since must be a Checkpoint"
    with pytest.raises(InvalidValue):
        Checkpoint(1, "0" * 64, (StreamHead("b", 1, "0" * 64), StreamHead("a", 1, "0" * 64)))
