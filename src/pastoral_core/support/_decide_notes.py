"""Case decisions about summary notes and their retention: PSN-NOTE-*, PSN-RETENTION."""

from __future__ import annotations

from pastoral_core.eventlog import Event
from pastoral_core.rules import Judge, screen
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._context import SupportContext
from pastoral_core.support._policies import (
    NoteLength,
    NoteRetention,
    NoteScreen,
)
from pastoral_core.support._state import Case
from pastoral_core.values import london_date


def record_note(case: Case, command: cmd.RecordNote, context: SupportContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(command.note_id not in case.note_ids, f"note {command.note_id} already exists")
    judge.refuse_unless(bool(command.text.strip()), "a note needs some text", invalid_input=True)
    length = judge.rule(NoteLength)
    within = judge.check(
        length,
        len(command.text) <= length.max_chars,
        f"the note is {len(command.text)} characters; summary notes are limited to {length.max_chars}",
        f"{len(command.text)} of {length.max_chars} characters",
    )
    if within:  # an over-long note is refused anyway; screening it would only cost time
        sensitive = judge.rule(NoteScreen)
        findings = screen(command.text, sensitive.terms)
        judge.check(
            sensitive,
            not findings,
            "the note contains sensitive information: " + "; ".join(str(f) for f in findings),
            "no sensitive information found",
        )
    return [ev.NoteRecorded(command.note_id, command.actor, command.text)]


def destroy_notes(case: Case, command: cmd.DestroyNotes, context: SupportContext, judge: Judge) -> list[Event]:
    rule = judge.rule(NoteRetention)
    closure = case.closure
    judge.refuse_unless(closure is not None, "notes are kept while the case is open", rule=rule)
    assert closure is not None
    judge.refuse_unless(not case.notes_destroyed, "the notes have already been destroyed")
    early = london_date(command.occurred) < closure.retain_until
    judge.check(
        rule,
        not early or command.reason is not None,
        f"notes are retained until {closure.retain_until.isoformat()}; destroying them earlier needs a recorded reason",
        "retention period over" if not early else "early destruction, with a recorded reason",
    )
    return [ev.NotesDestroyed(frozenset(case.note_ids), early, command.reason)]
