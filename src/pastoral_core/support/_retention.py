"""Carrying out a notes destruction in an event store (PSN-RETENTION, MOU NOTE 1)."""

from __future__ import annotations

import json
from typing import Any

from pastoral_core.eventlog import COMMANDS, EventStore, RecordedEvent
from pastoral_core.exceptions import UnknownType
from pastoral_core.support._aggregates import CASE
from pastoral_core.support._events import NoteRecorded, NotesDestroyed
from pastoral_core.values import TOMBSTONE, free_text_fields, free_text_paths


def redact_destroyed_notes(store: EventStore, case_id: str) -> tuple[int, ...]:
    """Remove from the log the text a ``NotesDestroyed`` event destroyed.

    Run it after a ``DestroyNotes`` command is recorded. The destroyed notes' text is
    replaced by tombstones, so it is gone from the log while ``verify`` still passes.
    When the destruction covers every note of the case (at the end of retention, or all
    of them early; a case that never had a note too), the rest of the case's free text
    goes with them, since it tells the same story the notes do (MOU NOTE 1: the Caldicott
    Guardian handles the notes and their retention): the short texts coordinators typed
    (the external body of the request, the intervention declined, where safety guidance
    came from, the body a disclosure went to), reasons for declining an intervention,
    override reasons, and the free text of every kept command (an override's reason
    given for a late entry). The Guardian's own reason for an early destruction stays,
    as the record of that handling. Running it again changes nothing.

    Args:
        store: The event store holding the case.
        case_id: The case's id (its stream is ``case-<id>``).

    Returns:
        Global positions of the records redacted.
    """
    records = store.read_stream(CASE.stream_id(case_id))
    destructions = [r.event for r in records if isinstance(r.event, NotesDestroyed)]
    destroyed = set().union(*(e.note_ids for e in destructions))
    notes = {r.event.note_id for r in records if isinstance(r.event, NoteRecorded)}
    everything = bool(destructions) and notes <= destroyed
    positions = []
    for record in records:
        if isinstance(record.event, NoteRecorded):
            fields: tuple[str, ...] = ("text",) if record.event.note_id in destroyed else ()
            if not fields:
                continue
        elif everything and not isinstance(record.event, NotesDestroyed):
            fields = free_text_fields(type(record.event))
            if not fields and not _kept_free_text(record):
                continue
        else:
            continue
        store.redact(record.position, fields)
        positions.append(record.position)
    return tuple(positions)


def _kept_free_text(record: RecordedEvent) -> bool:
    """Whether ``record`` keeps a command that holds free text not yet redacted (an override's reason)."""
    if record.decision is None or record.decision.command is None or record.metadata.command_type is None:
        return False
    try:
        paths = free_text_paths(COMMANDS.of_name(record.metadata.command_type).cls)
    except UnknownType:
        return True
    kept = json.loads(record.decision.command)
    return any(_holds_text(kept, path) for path in paths)


def _holds_text(value: Any, path: tuple[str, ...]) -> bool:
    if not path:
        return isinstance(value, str) and not TOMBSTONE.fullmatch(value)
    step, rest = path[0], path[1:]
    if step == "*":
        return isinstance(value, list) and any(_holds_text(item, rest) for item in value)
    return isinstance(value, dict) and _holds_text(value.get(step), rest)
