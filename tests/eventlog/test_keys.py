"""A host key makes the chain and the tombstones something only the key holder can recompute."""

import datetime as dt
import hashlib
import json

import pytest

from pastoral_core.eventlog import EventLog, Keyring, Metadata, verify
from pastoral_core.eventlog._digest import Seal, canonical
from pastoral_core.exceptions import InvalidType, InvalidValue
from tests.eventlog.forgery import resealed, rows_of, text_of
from tests.eventlog.test_integrity import SECRET, build_log
from tests.sample_events import CODEC, NoteRecorded

K1 = b"k" * 32
K2 = bytes(range(32, 64))
RING = Keyring({"2026-11": K1}, active="2026-11")
AT = dt.datetime(2026, 12, 24, 16, tzinfo=dt.UTC)


def keyed_log(keys: Keyring = RING) -> EventLog:
    log = EventLog(CODEC, keys=keys)
    for record in build_log().read_all():
        log.append(
            record.stream_id, [record.event], expected_version=record.stream_version - 1, metadata=record.metadata
        )
    return log


def note(log: EventLog, stream: str, command_id: str, text: str = "a later note") -> None:
    log.append(
        stream,
        [NoteRecorded("officer-2", text)],
        expected_version=log.stream_version(stream),
        metadata=Metadata("officer-2", command_id, AT, role="officer", command_type="sample.record_note"),
    )


def test_a_keyed_log_verifies_only_with_its_key_and_names_the_key_it_needs():
    text = CODEC.dumps(keyed_log().read_all())
    assert all(row["key_id"] == "2026-11" for row in rows_of(text))
    assert verify(text, keys=RING).ok
    without = verify(text)
    assert not without.ok and without.broken_record == 1
    assert without.reason == "record is sealed with key '2026-11': pass keys= to verify it"
    wrong = verify(text, keys=Keyring({"2026-11": K2}))
    assert not wrong.ok and wrong.reason == "payload does not match its digest"
    other = verify(text, keys=Keyring({"2027-01": K2}))
    assert not other.ok and "which the keyring does not hold" in other.reason


def test_a_rewrite_resealed_without_the_key_fails_however_the_forger_labels_it():
    rows = rows_of(CODEC.dumps(keyed_log().read_all()))
    rows[0]["event"]["text"] = "nothing was disclosed"
    # Re-sealed with no key: the keyring requires keys, so an unkeyed record is refused.
    unkeyed = verify(text_of(resealed(rows)), keys=RING)
    assert not unkeyed.ok and unkeyed.broken_record == 1
    assert unkeyed.reason == "record is not keyed, but the keyring requires keys from position 1"
    # Re-sealed with a guessed key under the right key id: the HMACs do not match.
    guessed = verify(text_of(resealed(rows, Seal("2026-11", K2))), keys=RING)
    assert not guessed.ok and guessed.broken_record == 1
    # Only the key holder can re-seal (which is what the key is for).
    assert verify(text_of(resealed(rows, Seal("2026-11", K1))), keys=RING).ok


def test_a_destroyed_note_in_a_keyed_log_cannot_be_matched_against_a_guess():
    log = keyed_log()
    tombstone = log.redact(1, ["text"]).event.text
    assert tombstone.startswith("<redacted hmac-sha256=") and SECRET not in CODEC.dumps(log.read_all())
    kept = tombstone.removeprefix("<redacted hmac-sha256=").removesuffix(">")
    guesses = [SECRET, SECRET.upper(), "GP disclosed suicidal thoughts", ""]
    assert all(hashlib.sha256(canonical(guess).encode()).hexdigest() != kept for guess in guesses)
    assert all(Seal("x", K2).digest(guess) != kept for guess in guesses), "nor under another key"
    assert Seal("2026-11", K1).digest(SECRET) == kept, "the key holder can still check a claimed text"
    assert verify(log.read_all(), codec=CODEC, keys=RING).ok


def test_an_unkeyed_logs_tombstone_can_be_matched_which_is_why_hosts_supply_a_key():
    log = build_log()
    tombstone = log.redact(1, ["text"]).event.text
    guessed = hashlib.sha256(canonical(SECRET).encode()).hexdigest()
    assert tombstone == f"<redacted sha256={guessed}>"


def test_keys_rotate_without_rewriting_history_and_each_record_names_its_key():
    log = keyed_log()
    before = CODEC.dumps(log.read_all())
    both = Keyring({"2026-11": K1, "2027-01": K2}, active="2027-01")
    log.rotate_keys(both)
    note(log, "case-0", "c7")
    note(log, "case-2", "c8")
    assert CODEC.dumps(log.read_all()).startswith(before), "nothing already written changed"
    assert [r.key_id for r in log.read_all()] == ["2026-11"] * 6 + ["2027-01"] * 2
    assert verify(log.read_all(), codec=CODEC, keys=both).ok
    assert verify(log.read_all(), codec=CODEC, keys=Keyring({"2026-11": K1, "2027-01": K2})).ok, "verify-only ring"
    only_new = verify(log.read_all(), codec=CODEC, keys=Keyring({"2027-01": K2}))
    assert not only_new.ok and only_new.broken_record == 1
    log.redact(1, ["text"])  # an old record is still redacted under its own key
    assert verify(log.read_all(), codec=CODEC, keys=both).ok
    with pytest.raises(InvalidValue, match="must keep every key a record was sealed with"):
        log.rotate_keys(Keyring({"2027-01": K2}, active="2027-01"))
    assert log.keys is both


def test_a_host_adopting_keys_anchors_its_unkeyed_history_with_its_first_keyed_records():
    old = build_log().read_all()
    adopted = Keyring({"2026-11": K1}, active="2026-11", unkeyed_before=len(old) + 1)
    log = EventLog.from_records(old, CODEC, keys=adopted)
    note(log, "case-0", "c7")
    note(log, "case-1", "c8")
    assert verify(log.read_all(), codec=CODEC, keys=adopted).ok
    assert not verify(log.read_all(), codec=CODEC, keys=RING).ok, "a ring that requires keys from 1 refuses them"
    # A forger rewrites an old (unkeyed) note and re-seals the unkeyed part: the keyed
    # record after it in the stream no longer links.
    rows = rows_of(CODEC.dumps(log.read_all()))
    rows[0]["event"]["text"] = "nothing was disclosed"
    rows[:6] = resealed(rows[:6])
    result = verify(text_of(rows), keys=adopted)
    assert not result.ok and result.broken_position == 8 and "chain broken" in result.reason


def test_a_keyed_record_needs_its_key_to_be_loaded_into_a_log():
    records = keyed_log().read_all()
    with pytest.raises(InvalidValue, match="sealed with a key not given"):
        EventLog.from_records(records, CODEC)
    with pytest.raises(InvalidValue, match="sealed with a key not given"):
        EventLog.from_records(records, CODEC, keys=Keyring({"2027-01": K2}, active="2027-01"))
    assert len(EventLog.from_records(records, CODEC, keys=RING)) == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (({},), "at least one key"),
        (({"k": b"short"},), "at least 32 bytes"),
        (({"k": "x" * 40},), "at least 32 bytes"),
        (({"": K1},), "a key id is"),
        (({"bad id": K1},), "a key id is"),
        (({"k" * 65: K1},), "a key id is"),
        (({"k": K1}, "other"), "one of the keys"),
        (({"k": K1}, "k", 0), "unkeyed_before"),
        (({"k": K1}, "k", True), "unkeyed_before"),
    ],
)
def test_a_keyring_that_is_not_one_is_refused_by_name(args, message):
    with pytest.raises(InvalidValue, match=message):
        Keyring(*args)


def test_a_key_never_shows_in_a_repr_and_a_log_needs_an_active_key():
    ring = Keyring({"2026-11": K1, "2027-01": K2}, active="2027-01")
    assert "kkkk" not in repr(ring) and repr(K2) not in repr(ring) and "<2 key(s)>" in repr(ring)
    assert "kkkk" not in repr(RING.sealing) and "secret" not in repr(RING.sealing)
    with pytest.raises(InvalidValue, match="needs an active key"):
        EventLog(CODEC, keys=Keyring({"k": K1}))
    with pytest.raises(InvalidType, match="must be a Keyring"):
        EventLog(CODEC, keys={"k": K1})
    assert not verify([], keys={"k": K1}).ok
    assert json.loads(json.dumps(verify(CODEC.dumps(keyed_log().read_all()), keys=ring).checkpoint.to_dict()))


def test_text_shaped_like_a_keyed_tombstone_cannot_be_entered_either():
    from pastoral_core.support import RecordNote
    from tests.builders import at, command

    fake = keyed_log().redact(1, ["text"]).event.text
    with pytest.raises(InvalidValue, match="looks like redacted text"):
        command(RecordNote, at(2027, 1, 12), "officer", "off-gp-1", note_id="n1", text=fake)


def test_redacting_a_keyed_case_log_destroys_the_note_and_its_kept_command_and_still_verifies():
    from pastoral_core import execute
    from pastoral_core.support import CASE
    from tests.test_faults import COMMANDS, CONTEXT

    log = EventLog(keys=RING)
    for c in COMMANDS:
        execute(log, CASE, "1", c, CONTEXT)
    note = next(r for r in log.read_all() if getattr(r.event, "text", None) == "First session went well")
    redacted = log.redact(note.position, ["text"])
    assert redacted.event.text.startswith("<redacted hmac-sha256=")
    assert "First session went well" not in redacted.decision.command
    assert '"<redacted hmac-sha256=' in redacted.decision.command and redacted.decision.fingerprint is None
    assert verify(log.read_all(), keys=RING).ok
