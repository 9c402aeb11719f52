import datetime as dt
import json

import pytest

from pastoral_core.eventlog import EventLog, Metadata, RedactionError, verify
from tests.eventlog.test_codec import one_of_each
from tests.sample_events import CODEC, NoteRecorded, SessionHeld

SECRET = "partner disclosed a private family matter"


def build_log() -> EventLog:
    log = EventLog(CODEC)
    at = dt.datetime(2026, 12, 24, 16, tzinfo=dt.UTC)
    events = [
        NoteRecorded("officer-1", SECRET),
        *one_of_each(),
        NoteRecorded("officer-2", "follow-up booked"),
    ]
    for i, event in enumerate(events, start=1):
        stream = f"case-{i % 2}"
        log.append(
            stream,
            [event],
            expected_version=log.stream_version(stream),
            metadata=Metadata("officer-1", f"c{i}", at, role="officer", command_type="sample.record_note"),
        )
    return log


def test_a_fresh_log_and_its_serialised_form_verify():
    log = build_log()
    assert verify(log.read_all(), codec=CODEC) == verify(CODEC.dumps(log.read_all()))
    result = verify(CODEC.dumps(log.read_all()))
    assert result.ok and result.checked == 6 and bool(result)
    assert verify([], codec=CODEC).ok


@pytest.mark.parametrize("line", range(1, 7))
def test_editing_one_byte_of_a_record_breaks_verification_at_that_record(line):
    lines = CODEC.dumps(build_log().read_all()).split("\n")
    target = lines[line - 1]
    # Change one character inside the event payload, keeping the JSON valid.
    at = target.index('"event": {') + len('"event": {') + 2
    edited = target[:at] + ("X" if target[at] != "X" else "Y") + target[at + 1 :]
    json.loads(edited)
    lines[line - 1] = edited
    result = verify("\n".join(lines))
    assert not result.ok
    assert (result.broken_record, result.broken_position) == (line, line)
    assert result.checked == line


def test_editing_metadata_breaks_verification():
    rows = [json.loads(x) for x in CODEC.dumps(build_log().read_all()).splitlines()]
    rows[3]["metadata"]["actor"] = "officer-9"
    result = verify("\n".join(json.dumps(r) for r in rows))
    assert (result.ok, result.broken_record) == (False, 4)
    assert "metadata edited" in result.reason


def test_deleting_a_record_breaks_its_streams_chain_at_the_next_record_of_that_stream():
    lines = CODEC.dumps(build_log().read_all()).splitlines()
    del lines[2]  # case-1, version 2; line 4 (case-0) still follows; line 5 (case-1, version 3) does not
    result = verify("\n".join(lines))
    assert (result.ok, result.broken_record, result.broken_position) == (False, 4, 5)
    assert result.reason == "stream version 3 of 'case-1' out of sequence"


def test_each_record_is_chained_to_the_record_before_it_in_its_own_stream():
    from pastoral_core.eventlog._integrity import GENESIS, STREAM_CHAIN, record_digest

    log = build_log()
    for stream in ("case-0", "case-1"):
        previous = GENESIS
        for record in log.read_stream(stream):
            row = CODEC.to_dict(record)
            assert row["chain"] == STREAM_CHAIN and "key_id" not in row
            expected = record_digest(
                previous, stream, record.stream_version, record.position, row["metadata"], record.payload_digest
            )
            assert record.digest == expected, "nothing from another stream goes into a record's digest"
            previous = record.digest


def test_records_moved_to_other_positions_fail_even_when_each_stream_keeps_its_order():
    lines = CODEC.dumps(build_log().read_all()).splitlines()
    lines[0], lines[1] = lines[1], lines[0]  # different streams: both chains keep their order
    result = verify("\n".join(lines))
    assert not result.ok and result.broken_record == 2 and "does not follow" in result.reason


def test_recomputing_a_payload_digest_after_an_edit_is_still_caught_by_the_chain():
    from pastoral_core.eventlog._integrity import payload_digest

    rows = [json.loads(x) for x in CODEC.dumps(build_log().read_all()).splitlines()]
    rows[1]["event"]["text"] = "rewritten history"
    rows[1]["payload_digest"] = payload_digest(rows[1]["event"])
    result = verify("\n".join(json.dumps(r) for r in rows))
    assert (result.ok, result.broken_record) == (False, 2)


def test_garbage_text_is_reported_not_raised():
    result = verify("{not json")
    assert not result.ok and "invalid JSON" in result.reason


def test_redaction_removes_the_text_everywhere_and_verification_still_passes():
    log = build_log()
    before = verify(log.read_all(), codec=CODEC)
    redacted = log.redact(1, ["text"])
    assert redacted.event.text.startswith("<redacted sha256=")
    assert redacted.payload_digest == log.read_all()[0].payload_digest
    text = CODEC.dumps(log.read_all())
    assert SECRET not in text
    assert SECRET not in repr(log.read_all())
    assert SECRET not in repr(log.recorded_for("c1"))
    assert SECRET not in repr(log.read_stream("case-1"))
    assert before.ok and verify(log.read_all(), codec=CODEC).ok and verify(text).ok
    assert CODEC.loads(text)[0].event.author == "officer-1"


def test_redacting_twice_changes_nothing():
    log = build_log()
    first = log.redact(1, ["text"])
    assert log.redact(1, ["text"]) == first


def test_redaction_refuses_what_it_cannot_do_and_changes_nothing():
    log = build_log()
    snapshot = log.read_all()
    with pytest.raises(RedactionError, match="no field 'body'"):
        log.redact(1, ["text", "body"])
    held = next(r.position for r in snapshot if isinstance(r.event, SessionHeld))
    with pytest.raises(RedactionError, match="SessionHeld.minutes is not free text"):
        log.redact(held, ["minutes"])
    # Ids are what a stream is folded from: redacting one would leave it unreadable.
    with pytest.raises(RedactionError, match="SessionHeld.officer is not free text"):
        log.redact(held, ["officer"])
    with pytest.raises(RedactionError, match="NoteRecorded.author is not free text"):
        log.redact(1, ["author"])
    for fields in (None, "text", [["text"]], 7):
        with pytest.raises(RedactionError, match="a collection of field names"):
            log.redact(1, fields)
    for position in (0, 7, True):
        with pytest.raises(RedactionError, match="no record at position"):
            log.redact(position, ["text"])
    assert log.read_all() == snapshot
