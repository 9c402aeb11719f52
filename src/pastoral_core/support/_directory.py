"""The Network aggregate's state, the Directory of officers that case decisions consult."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from pastoral_core.eventlog import Event
from pastoral_core.kernel import EMPTY, fold, replace, with_item
from pastoral_core.support._events import (
    OfficerEnrolled,
    OfficerReinstated,
    OfficerSuspended,
    OfficerWithdrawn,
)
from pastoral_core.support._model import Background
from pastoral_core.support._model import OfficerStatus as Status
from pastoral_core.support._state_rows import DIRECTORY_COLUMNS, directory_rows
from pastoral_core.tables import Row, Table


@attrs.frozen
class Officer:
    """An officer as the network knows them (opaque id, background, own practice)."""

    officer_id: str
    background: Background
    practice_id: str | None
    skills: frozenset[str]
    status: Status = Status.ACTIVE


@attrs.frozen
class Directory(Table):
    """The network's officers: the Network aggregate's state and the case decisions' read model.

    Case decisions consult it for PSN-ROSTER, PSN-SKILLS and PSN-CONFLICT. As a table: one
    row per officer ever enrolled, under :attr:`columns`.

    Attributes:
        officers: Officer id to :class:`Officer`.
    """

    columns = DIRECTORY_COLUMNS
    caption = "Network: its officers"

    officers: Mapping[str, Officer] = EMPTY

    def to_rows(self) -> list[Row]:
        """One row per officer, by id: background, own practice, skills, status."""
        return directory_rows(self)

    def officer(self, officer_id: str) -> Officer | None:
        """The officer with that id, or ``None`` if never enrolled."""
        return self.officers.get(officer_id)

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> Directory:
        """Build the directory by folding network events (a projection)."""
        return fold(evolve_network, cls(), events)


def _set_status(state: Directory, officer_id: str, status: Status) -> Directory:
    return Directory(with_item(state.officers, officer_id, replace(state.officers[officer_id], status=status)))


def evolve_network(state: Directory, event: Event) -> Directory:
    """Apply one network event."""
    match event:
        case OfficerEnrolled(officer_id=oid, background=bg, practice_id=pid, skills=skills):
            return Directory(with_item(state.officers, oid, Officer(oid, bg, pid, skills)))
        case OfficerSuspended(officer_id=oid):
            return _set_status(state, oid, Status.SUSPENDED)
        case OfficerReinstated(officer_id=oid):
            return _set_status(state, oid, Status.ACTIVE)
        case OfficerWithdrawn(officer_id=oid):
            return _set_status(state, oid, Status.WITHDRAWN)
    return state
