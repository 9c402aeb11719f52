"""Carrying out a notes destruction in an event store (PSN-RETENTION)."""

from __future__ import annotations

from pastoral_core.eventlog import EventStore
from pastoral_core.support._aggregates import CASE
from pastoral_core.support._events import NoteRecorded, NotesDestroyed


def redact_destroyed_notes(store: EventStore, case_id: str) -> tuple[int, ...]:
    """Redact the text of every note a ``NotesDestroyed`` event in the case destroyed.

    Run it after a ``DestroyNotes`` command is recorded. The notes' text is replaced by
    tombstones, so it is gone from the log while ``verify`` still passes. Running it again
    changes nothing.

    Args:
        store: The event store holding the case.
        case_id: The case's id (its stream is ``case-<id>``).

    Returns:
        Global positions of the note records redacted.
    """
    records = store.read_stream(CASE.stream_id(case_id))
    destroyed = set().union(*(r.event.note_ids for r in records if isinstance(r.event, NotesDestroyed)))
    positions = tuple(r.position for r in records if isinstance(r.event, NoteRecorded) and r.event.note_id in destroyed)
    for position in positions:
        store.redact(position, ["text"])
    return positions
