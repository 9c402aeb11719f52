"""What case decisions share: the context they consult and small lookups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from pastoral_core._time import london_date
from pastoral_core.eventlog import Event
from pastoral_core.rules import Rulebooks
from pastoral_core.rules._judge import Judge
from pastoral_core.support import _events as ev
from pastoral_core.support._model import (
    OfficerStatus,
    SessionStatus,
)
from pastoral_core.support._policies import (
    DEVON_PSN,
    OwnPracticeConflict,
    Roster,
)
from pastoral_core.support._state import Case, Directory, Engagement, Officer, Session


@attrs.frozen
class SupportContext:
    """What case decisions consult besides the case itself.

    Attributes:
        rulebooks: Every version of the rulebook; the one in force at the command decides.
        directory: The network's officers (built from the Network stream).
    """

    rulebooks: Rulebooks = DEVON_PSN
    directory: Directory = attrs.field(factory=Directory)


Handler = Callable[[Case, Any, SupportContext, Judge], Sequence[Event]]


def london_day(at: dt.datetime) -> dt.date:
    return london_date(at)


def engagement_of(state: Case, judge: Judge, recipient_id: str) -> Engagement:
    judge.must(
        recipient_id in state.recipients,
        f"{recipient_id} is not a recipient of this case",
        invalid_input=True,
    )
    engagement = state.engagements.get(recipient_id)
    judge.must(engagement is not None, f"no officer has been allocated to {recipient_id} yet")
    assert engagement is not None
    return engagement


def scheduled_session(state: Case, judge: Judge, session_id: str) -> tuple[Session, Engagement]:
    session = state.sessions.get(session_id)
    judge.must(session is not None, f"there is no session {session_id}")
    assert session is not None
    judge.must(
        session.status is SessionStatus.SCHEDULED,
        f"session {session_id} is already {session.status.value.replace('_', ' ')}",
    )
    return session, state.engagements[session.recipient_id]


def check_roster(judge: Judge, context: SupportContext, officer_id: str) -> Officer | None:
    officer = context.directory.officer(officer_id)
    status = officer.status if officer else None
    judge.require(
        judge.rule(Roster),
        status is OfficerStatus.ACTIVE,
        f"officer {officer_id} is "
        + ("not enrolled in the network" if status is None else f"{status.value}, not active"),
        f"officer {officer_id} is enrolled and active",
    )
    return officer


def check_own_practice(judge: Judge, state: Case, officer: Officer | None) -> None:
    if officer is None:
        return
    practice = state.request.practice_id if state.request else None
    judge.require(
        judge.rule(OwnPracticeConflict),
        officer.practice_id is None or officer.practice_id != practice,
        f"officer {officer.officer_id} works at practice {practice}, the practice of this case",
        "officer is not from the case's practice" if practice else "no practice is recorded for this case (a locum?)",
    )


def cancel_pending(state: Case, recipient_id: str | None, on: dt.date) -> list[Event]:
    return [
        ev.SessionCancelled(s.session_id, with_notice=True, counts=False, on=on)
        for s in state.sessions.values()
        if s.status is SessionStatus.SCHEDULED and recipient_id in (None, s.recipient_id)
    ]
