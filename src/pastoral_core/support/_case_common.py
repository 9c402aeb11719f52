"""What case decisions share: small lookups and the checks several commands make."""

from __future__ import annotations

import datetime as dt

from pastoral_core.eventlog import Event
from pastoral_core.rules import Judge
from pastoral_core.support import _events as ev
from pastoral_core.support._context import SupportContext
from pastoral_core.support._directory import Officer
from pastoral_core.support._model import (
    OfficerStatus,
    SessionStatus,
)
from pastoral_core.support._policies import OwnPracticeConflict, Roster
from pastoral_core.support._state import Case, Engagement, Session


def engagement_of(case: Case, judge: Judge, recipient_id: str) -> Engagement:
    judge.refuse_unless(
        recipient_id in case.recipients,
        f"{recipient_id} is not a recipient of this case",
        invalid_input=True,
    )
    engagement = case.engagements.get(recipient_id)
    judge.refuse_unless(engagement is not None, f"no officer has been allocated to {recipient_id} yet")
    assert engagement is not None
    return engagement


def scheduled_session(case: Case, judge: Judge, session_id: str) -> tuple[Session, Engagement]:
    session = case.sessions.get(session_id)
    judge.refuse_unless(session is not None, f"there is no session {session_id}")
    assert session is not None
    judge.refuse_unless(
        session.status is SessionStatus.SCHEDULED,
        f"session {session_id} is already {session.status.value.replace('_', ' ')}",
    )
    return session, case.engagements[session.recipient_id]


def check_roster(judge: Judge, context: SupportContext, officer_id: str) -> Officer | None:
    officer = context.directory.officer(officer_id)
    status = officer.status if officer else None
    judge.check(
        judge.rule(Roster),
        status is OfficerStatus.ACTIVE,
        f"officer {officer_id} is "
        + ("not enrolled in the network" if status is None else f"{status.value}, not active"),
        f"officer {officer_id} is enrolled and active",
    )
    return officer


def check_own_practice(judge: Judge, case: Case, officer: Officer | None) -> None:
    if officer is None:
        return
    practice = case.request.practice_id if case.request else None
    judge.check(
        judge.rule(OwnPracticeConflict),
        officer.practice_id is None or officer.practice_id != practice,
        f"officer {officer.officer_id} works at practice {practice}, the practice of this case",
        "officer is not from the case's practice" if practice else "no practice is recorded for this case (a locum?)",
    )


def cancel_pending(case: Case, recipient_id: str | None, on: dt.date) -> list[Event]:
    return [
        ev.SessionCancelled(s.session_id, with_notice=True, counts=False, on=on)
        for s in case.sessions.values()
        if s.status is SessionStatus.SCHEDULED and recipient_id in (None, s.recipient_id)
    ]
