"""Redaction: replacing free text by tombstones in an event and in the command kept beside it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import attrs

from pastoral_core.eventlog._codec import Codec
from pastoral_core.eventlog._digest import Seal, canonical
from pastoral_core.eventlog._integrity import field_digest, is_tombstone, tombstone
from pastoral_core.eventlog._keys import Keyring
from pastoral_core.eventlog._recorded import DecisionRecord, RecordedEvent
from pastoral_core.eventlog._sealing import seal_of
from pastoral_core.exceptions import RedactionError, UnknownType
from pastoral_core.values import free_text_fields, free_text_paths


def redaction_fields(fields: Iterable[str]) -> list[str]:
    """The field names a store was asked to redact, as a list (empty: the kept command only).

    Raises:
        RedactionError: If ``fields`` is not a collection of strings.
    """
    try:
        names = list(fields) if not isinstance(fields, str) else None
    except TypeError:
        names = None
    if names is None or not all(isinstance(name, str) for name in names):
        raise RedactionError("fields must be a collection of field names")
    return names


def redacted_record(record: RecordedEvent, fields: Iterable[str], keys: Keyring | None) -> RecordedEvent:
    """``record`` with the free-text fields ``fields`` of its event replaced by tombstones.

    The tombstone keeps the field's digest (an HMAC in a keyed record), so the record
    still verifies. Returns ``record`` itself when every named field is already destroyed.

    Raises:
        RedactionError: If ``fields`` is not a collection of names, a field does not
            exist or is not free text (ids and dates are what a stream is folded from:
            redacting them would leave it unreadable), or the record's key is not held.
    """
    names = redaction_fields(fields)
    event = record.event
    cls = type(event)
    known = {f.name for f in attrs.fields(cls)}
    free = free_text_fields(cls)
    seal = _seal(record, keys)
    changes: dict[str, str] = {}
    for name in names:
        if name not in known:
            raise RedactionError(f"{cls.__name__} has no field {name[:80]!r}")
        if name not in free:
            raise RedactionError(f"{cls.__name__}.{name} is not free text and cannot be redacted")
        value = getattr(event, name)
        if isinstance(value, str) and not is_tombstone(value):
            changes[name] = destroyed(value, seal)
    return attrs.evolve(record, event=attrs.evolve(event, **changes)) if changes else record


def forgotten_record(first: RecordedEvent, codec: Codec, keys: Keyring | None) -> RecordedEvent:
    """A batch's first record with its kept command's free text tombstoned and no fingerprint.

    Raises:
        RedactionError: If the record's key is not held.
    """
    if first.decision is None:
        return first
    seal = _seal(first, keys)
    kept = _redacted_command(first.decision.command, first.metadata.command_type, codec, seal)
    return attrs.evolve(first, decision=DecisionRecord(first.decision.verdicts, kept, None))


def _seal(record: RecordedEvent, keys: Keyring | None) -> Seal:
    seal = seal_of(record, keys)
    if seal is None:
        raise RedactionError(f"record {record.position} was sealed with a key the store does not hold")
    return seal


def _redacted_command(command: str | None, command_type: str | None, codec: Codec, seal: Seal) -> str | None:
    """The kept command with every free-text value, at any depth, replaced by its tombstone."""
    if command is None:
        return None
    data = json.loads(command)
    try:
        paths = free_text_paths(codec.commands.of_name(command_type).cls)  # type: ignore[arg-type]
    except UnknownType:  # an unknown command (or none recorded): every text value goes
        paths = (("**",),)
    return canonical(_tombstoned(data, paths, seal))


def _tombstoned(value: Any, paths: tuple[tuple[str, ...], ...], seal: Seal) -> Any:
    if isinstance(value, str) and (("**",) in paths or () in paths):
        return destroyed(value, seal)
    if ("**",) in paths:
        return _map_children(value, lambda _, child: _tombstoned(child, paths, seal))

    def below(key: str, child: Any) -> Any:
        inner = tuple(p[1:] for p in paths if p and p[0] in (key, "*"))
        return _tombstoned(child, inner, seal) if inner else child

    return _map_children(value, below)


def destroyed(value: str, seal: Seal) -> str:
    """The tombstone of ``value`` (a tombstone stays as it is)."""
    return value if is_tombstone(value) else tombstone(field_digest(value, seal), keyed=seal.keyed)


def _map_children(value: Any, change: Any) -> Any:
    if isinstance(value, dict):
        return {k: change(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [change("*", v) for v in value]
    return value
