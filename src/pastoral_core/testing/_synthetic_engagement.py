"""A synthetic case's engagements (sessions, reviews, switches) and its other facts, run side by side.

Each engagement books one session at a time, records it as held, not attended or
cancelled, asks for a review when the allowance is used and more is wanted, and now and
then the recipient asks to switch officer. Beside them run the notes, a referral, a
facilitated meeting, a rare safety concern or report of aggression. Every choice is
made when its command is issued, so the rules always find what they expect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from pastoral_core.eventlog import Event
from pastoral_core.kernel import Accepted
from pastoral_core.support import (
    AllocateOfficer,
    CancelSession,
    Funding,
    HoldSession,
    MarkDidNotAttend,
    OfficerAllocated,
    Payer,
    RecipientKind,
    RequestSwitch,
    ReviewCommitment,
    ReviewDecision,
    ScheduleSession,
    SessionHeld,
    SupportRole,
)
from pastoral_core.testing._synthetic_kit import (
    Action,
    Issuer,
    Script,
    Step,
    moment_between,
    pick,
    working_moment,
)
from pastoral_core.testing._synthetic_support import SupportWorld

if TYPE_CHECKING:
    from random import Random

E = TypeVar("E", bound=Event)
COORDINATOR, OFFICER, RECIPIENT = SupportRole.COORDINATOR, SupportRole.OFFICER, SupportRole.RECIPIENT
#: Sessions counted in all that a recipient wants (above the allowance of six: a review).
WANTED = {
    RecipientKind.GP: ((1, 0.12), (2, 0.13), (3, 0.15), (4, 0.15), (5, 0.1), (6, 0.17), (8, 0.1), (10, 0.08)),
    RecipientKind.PRACTICE_MANAGER: ((1, 0.15), (2, 0.2), (3, 0.2), (4, 0.15), (6, 0.2), (8, 0.1)),
    RecipientKind.PRACTICE: ((1, 0.35), (2, 0.3), (3, 0.2), (4, 0.15)),
}


def event_of(accepted: Accepted, cls: type[E]) -> E:
    """The first event of class ``cls`` a command recorded."""
    return next(e for e in accepted.events if isinstance(e, cls))


class CaseSteps:
    """Builds a case's steps: its commands, with ids ``case-<id>-<n>``, for the world's service."""

    def __init__(self, world: SupportWorld, case_id: str) -> None:
        self.world, self.case_id, self.issue = world, case_id, Issuer(f"case-{case_id}")

    def __call__(
        self, cls: type, now: dt.datetime, role: SupportRole = COORDINATOR, actor: str | None = None, **fields: Any
    ) -> Step:
        """A step issuing ``cls`` at ``now`` (by the coordinator unless ``role`` and ``actor`` say otherwise)."""
        command = self.issue(cls, now, role, actor or self.world.coordinator, **fields)
        return Step(self.world.support, command, self.case_id)


@attrs.define
class CaseLocal:
    """The case as its scripts know it: who is allocated, what happened, the latest moment it acted."""

    practice_id: str
    kinds: dict[str, RecipientKind]
    now: dt.datetime
    leads: dict[str, str | None] = attrs.Factory(dict)
    had: dict[str, list[str]] = attrs.Factory(dict)
    allowance: dict[str, int] = attrs.Factory(dict)
    rivals: dict[str, str] = attrs.Factory(dict)
    second: str | None = None
    ceased: bool = False
    notes: int = 0
    referred: bool = False

    def allocated(self, accepted: Accepted, recipient_id: str, officer: str) -> None:
        """``officer`` now leads ``recipient_id`` (the allocation ``accepted`` recorded)."""
        self.leads[recipient_id] = officer
        self.had.setdefault(recipient_id, []).append(officer)
        initial = event_of(accepted, OfficerAllocated).initial_allowance
        if initial is not None:
            self.allowance[recipient_id] = initial

    def excluded_for(self, recipient_id: str) -> set[str | None]:
        """Officers ``recipient_id`` may not have: ones they had, the second officer, their rival's."""
        rival = self.rivals.get(recipient_id)
        return {*self.had.get(recipient_id, ()), self.second, self.leads.get(rival) if rival else None}

    def officers(self) -> list[str]:
        """Officers allocated to the case now."""
        return sorted({o for o in (*self.leads.values(), self.second) if o})

    def touch(self, now: dt.datetime) -> None:
        """The case acted at ``now``."""
        self.now = max(self.now, now)


def engagement_script(world: SupportWorld, rng: Random, steps: CaseSteps, local: CaseLocal, recipient: str) -> Script:
    """One recipient's sessions, booked one at a time within the allowance; then reviewed if more is needed."""
    kind = local.kinds[recipient]
    wanted = pick(rng, WANTED[kind])
    allowed, window, used, booked, reviewed, switched = local.allowance[recipient], None, 0, 0, False, False
    now = local.now
    while used < wanted:
        if used >= allowed:
            if reviewed:
                break
            now = working_moment(rng, now, days=(1, 7))
            yield now
            if local.ceased:
                return
            reviewed = True
            if rng.random() < 0.25:
                yield steps(ReviewCommitment, now, recipient_id=recipient, decision=ReviewDecision.CONCLUDE)
                return
            more = rng.randint(2, 4)
            funding = pick(
                rng,
                (
                    (Funding(Payer.LMC), 0.3),
                    (Funding(Payer.SHARED, Decimal(rng.choice((25, 50, 75)))), 0.5),
                    (Funding(Payer.RECIPIENT), 0.2),
                ),
            )
            review = yield steps(
                ReviewCommitment,
                now,
                recipient_id=recipient,
                decision=ReviewDecision.EXTEND,
                sessions=more,
                months=rng.randint(2, 3),
                funding=funding,
            )
            window, allowed = review.events[0].window_ends, used + more
            continue
        book = working_moment(rng, now, days=(0, 3))
        starts = working_moment(rng, book, days=(3, 12), hours=(8, 18))
        if window is not None and starts.date() > window:
            break
        yield book
        if local.ceased:
            return
        lead = local.leads[recipient]
        booked += 1
        session = f"s-{recipient}-{booked}"
        by = (OFFICER, lead) if rng.random() < 0.6 else (COORDINATOR, None)
        yield steps(ScheduleSession, book, *by, session_id=session, recipient_id=recipient, starts_at=starts)
        fate = pick(rng, (("held", 0.86), ("dna", 0.05), ("notice", 0.06), ("late", 0.03)))
        if fate in ("notice", "late"):
            notice = fate == "notice"
            cancel = moment_between(rng, book, starts - dt.timedelta(hours=20)) if notice else None
            now = cancel or starts - dt.timedelta(hours=2)
            yield now
            if local.ceased:
                return
            yield steps(CancelSession, now, RECIPIENT, recipient, session_id=session, with_notice=notice)
            used += 0 if notice else 1
            continue
        now = starts + dt.timedelta(minutes=rng.choice((50, 60, 75)))
        yield now
        if local.ceased:
            return
        if fate == "dna":
            yield steps(MarkDidNotAttend, now, OFFICER, lead, session_id=session)
        else:
            held = event_of((yield steps(HoldSession, now, OFFICER, lead, session_id=session)), SessionHeld)
            window = window or held.window_ends
        used += 1
        local.touch(now)
        if not switched and used < wanted and rng.random() < 0.03:
            switched = True
            now = yield from _switch(world, rng, steps, local, recipient, now)
            if local.ceased or local.leads[recipient] is None:  # nobody free to take over: support ends
                return
    local.touch(now)


def _switch(
    world: SupportWorld, rng: Random, steps: CaseSteps, local: CaseLocal, recipient: str, now: dt.datetime
) -> Generator[Action, Any, dt.datetime]:
    """The recipient asks for another officer; the coordinator allocates one they have not had (if one is free)."""
    chosen = world.choose(rng, local.kinds[recipient], local.practice_id, local.excluded_for(recipient))
    if chosen is None:
        return now
    officer, overrides = chosen
    now = working_moment(rng, now, days=(1, 5))
    yield now
    if local.ceased:
        world.release(officer)
        return now
    yield steps(RequestSwitch, now, RECIPIENT, recipient, recipient_id=recipient)
    world.release(local.leads[recipient])
    local.leads[recipient] = None
    now = working_moment(rng, now, days=(1, 4))
    yield now
    if local.ceased or not world.officers[officer].active or officer in local.excluded_for(recipient):
        # suspended meanwhile, or made the case's second officer: choose again
        world.release(officer)
        chosen = (
            None
            if local.ceased
            else world.choose(rng, local.kinds[recipient], local.practice_id, local.excluded_for(recipient))
        )
        if chosen is None:
            return now
        officer, overrides = chosen
    accepted = yield steps(AllocateOfficer, now, recipient_id=recipient, officer_id=officer, overrides=overrides)
    local.allocated(accepted, recipient, officer)
    return now
