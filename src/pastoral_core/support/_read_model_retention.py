"""Case notes due for destruction on a date (PSN-RETENTION, MOU NOTE 1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

import attrs

from pastoral_core.support._read_model_common import day, received_cases
from pastoral_core.support._state import Case
from pastoral_core.tables import RowsTable, columns_of


@attrs.frozen
class NotesDueLine:
    """A closed case whose notes the Caldicott Guardian should now destroy.

    Attributes:
        case_id: The case.
        closed_on: The day it closed.
        retain_until: The day its retention period ends (fixed at closure: six years by
            default, from the later of the closure's date and the day it was recorded).
        notes: How many notes it holds (0 still needs a destruction: it removes the
            case's other free text from the log).
        days_overdue: Days since ``retain_until`` (0 on that day).
    """

    case_id: str
    closed_on: dt.date
    retain_until: dt.date
    notes: int
    days_overdue: int


@attrs.frozen
class NotesDue(RowsTable[NotesDueLine]):
    """The closed cases whose notes are due for destruction on a date, longest due first.

    A case's notes are due from the day its retention ends (``CaseClosed.retain_until``)
    until they are destroyed: ``DestroyNotes`` on that day or later needs no reason, then
    ``redact_destroyed_notes`` removes the text from the log.

    Attributes:
        rows: One line per case, by the day retention ended, then case id.
    """

    columns: ClassVar[tuple[str, ...]] = columns_of(NotesDueLine)
    caption: ClassVar[str] = "Case notes due for destruction (PSN-RETENTION)"

    rows: tuple[NotesDueLine, ...] = ()

    @classmethod
    def of(cls, cases: Mapping[str, Case], on: dt.date) -> NotesDue:
        """The cases of ``cases`` whose notes are due for destruction on ``on``.

        Args:
            cases: Case states by id (``Projection.states``, ``cases_from(records)``).
            on: The day (Europe/London) asked about.

        Raises:
            InvalidType: If an argument has the wrong type (``on`` must be a date).
        """
        on = day("NotesDue", "on", on)
        rows = []
        for case_id, case in received_cases("NotesDue", cases):
            closure = case.closure
            if closure is None or case.notes_destroyed or on < closure.retain_until:
                continue
            overdue = (on - closure.retain_until).days
            rows.append(NotesDueLine(case_id, closure.closed_on, closure.retain_until, len(case.note_ids), overdue))
        return cls(tuple(sorted(rows, key=lambda line: (line.retain_until, line.case_id))))
