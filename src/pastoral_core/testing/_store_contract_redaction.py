"""The store contract's checks of redaction: free text destroyed everywhere, the log still verifying."""

from __future__ import annotations

from typing import Any

from pastoral_core.eventlog import DEFAULT_CODEC, EventStore, Keyring, RecordedEvent
from pastoral_core.exceptions import CommandIdReused, RedactionError
from pastoral_core.testing._store_contract_kit import (
    KEYS,
    ContractHooks,
    append_notes,
    check,
    expect,
    note_batch,
    replayed,
    verified,
)

_SPOKEN = "what the GP said in confidence, 7f3a"
_WRITTEN = "the officer's summary of it, 9c21"
_TYPED = "what the officer typed into the command, 4be0"


def _text(store: EventStore) -> str:
    return DEFAULT_CODEC.dumps(store.read_all())


def _tombstoned(record: RecordedEvent, keys: Keyring | None) -> bool:
    text: Any = getattr(record.event, "text", None)
    prefix = "<redacted hmac-sha256=" if keys is not None else "<redacted sha256="
    return isinstance(text, str) and text.startswith(prefix)


class RedactionChecks(ContractHooks):
    """Redaction: only free text goes, from the event and the kept command, and ``verify`` still passes."""

    def _noted(self, keys: Keyring | None) -> tuple[EventStore, tuple[RecordedEvent, ...]]:
        store = self.new_store(keys=keys)
        append_notes(store, "case-a", "w-0", ["nothing secret"])
        batch = append_notes(store, "case-a", "w-1", [_WRITTEN, _SPOKEN], command_text=_TYPED)
        append_notes(store, "case-b", "w-2", ["nothing secret either"])
        return store, batch

    def test_redaction_destroys_free_text_everywhere_and_the_log_still_verifies(self) -> None:
        """The field, the kept command's free text and its fingerprint go; digests and every other value stay."""
        for keys in (None, KEYS):
            label = "a keyed store" if keys else "an unkeyed store"
            store, (first, second) = self._noted(keys)
            before = {r.position: r for r in store.read_all()}
            redacted = store.redact(second.position, ["text"])
            check(_tombstoned(redacted, keys), f"{label}: the redacted field is not a tombstone")
            check(redacted.payload_digest == second.payload_digest, f"{label}: redaction changed the payload digest")
            check(redacted.digest == second.digest, f"{label}: redaction changed the record's digest")
            check(getattr(redacted.event, "author_id", None) == "off-1", f"{label}: redaction changed another field")
            records = {r.position: r for r in store.read_all()}
            check(records[second.position] == redacted, f"{label}: read_all does not return the redacted record")
            kept = records[first.position]
            check(kept.decision is not None and kept.decision.fingerprint is None, f"{label}: the fingerprint stays")
            check(kept.event == first.event, f"{label}: redacting one record changed another's event")
            for position, record in before.items():
                if position not in (first.position, second.position):
                    check(records[position] == record, f"{label}: redaction changed an unrelated record")
            for secret in (_SPOKEN, _TYPED):
                check(secret not in _text(store), f"{label}: redacted text is still in the store")
                recorded = DEFAULT_CODEC.dumps(store.recorded_for("w-1") or ())
                check(secret not in recorded, f"{label}: recorded_for still returns the redacted text")
                check(secret not in DEFAULT_CODEC.dumps(store.read_stream("case-a")), f"{label}: read_stream has it")
            check(_WRITTEN in _text(store), f"{label}: redaction destroyed a field it was not asked to")
            verified(store.read_all(), f"{label} after redaction", keys=keys)
            after = tuple(store.read_all())
            check(store.redact(second.position, ["text"]) == redacted, f"{label}: redacting again changed the record")
            check(tuple(store.read_all()) == after, f"{label}: redacting again changed the store")
            reopened = self.reopened(store, keys)
            check(tuple(reopened.read_all()) == after, f"{label}: the redaction did not survive reopening")
            check(_SPOKEN not in _text(reopened), f"{label}: the redacted text is back after reopening")

    def test_a_redacted_command_can_no_longer_be_replayed(self) -> None:
        """Its fingerprint is destroyed, so its id matches nothing: ``CommandIdReused``, nothing written."""
        store, (_, second) = self._noted(KEYS)
        store.redact(second.position, ["text"])
        after = tuple(store.read_all())
        with expect(CommandIdReused, "a redacted command sent again"):
            note_batch("w-1", [_WRITTEN, _SPOKEN], command_text=_TYPED).send(store, "case-a", 1)
        check(tuple(store.read_all()) == after, "a redacted command sent again wrote something")

    def test_redacting_the_batchs_first_record_or_no_field_forgets_the_kept_command(self) -> None:
        """The first record's own field goes with the command; with no field named only the command's text goes."""
        store, (first, _) = self._noted(None)
        forgotten = store.redact(first.position, [])
        check(forgotten.event == first.event, "redacting no field changed the event")
        check(forgotten.decision is not None and forgotten.decision.fingerprint is None, "the fingerprint stays")
        check(_TYPED not in _text(store) and _WRITTEN in _text(store), "redacting no field must forget the command")
        redacted = store.redact(first.position, ["text"])
        check(_tombstoned(redacted, None) and redacted.decision == forgotten.decision, "the first record's field")
        check(_WRITTEN not in _text(store), "the first record's redacted text is still in the store")
        verified(store.read_all(), "a store after redacting a batch's first record")

    def test_redaction_refuses_what_it_cannot_do_and_changes_nothing(self) -> None:
        """Unknown positions, fields that are not free text or do not exist: ``RedactionError``, nothing changed."""
        store, (first, second) = self._noted(None)
        before = tuple(store.read_all())
        last = before[-1].position
        cases: list[tuple[str, Any, Any]] = [
            ("a position past the end", last + 1, ["text"]),
            ("position 0", 0, ["text"]),
            ("a negative position", -1, ["text"]),
            ("a position given as text", str(second.position), ["text"]),
            ("a field that is an id", second.position, ["note_id"]),
            ("a field that is an actor", second.position, ["author_id"]),
            ("a field the event does not have", second.position, ["body"]),
            ("a free-text field beside one that is not", second.position, ["text", "author_id"]),
            ("fields given as one string", second.position, "text"),
            ("fields that are not names", second.position, [7]),
        ]
        for what, position, fields in cases:
            with expect(RedactionError, f"redacting {what}"):
                store.redact(position, fields)
            check(tuple(store.read_all()) == before, f"redacting {what} was refused but changed the store")
        what = "a command sent again after refused redactions"
        again = replayed(note_batch("w-1", [_WRITTEN, _SPOKEN], command_text=_TYPED), store, "case-a", 0, what)
        check(again == (first, second), f"{what} must still replay")
