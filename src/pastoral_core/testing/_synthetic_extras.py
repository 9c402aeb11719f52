"""A synthetic case's other facts beside its sessions: notes, a referral, a facilitated meeting, rare events.

The notes are bland synthetic text; a referral is answered (or not) by its recipient; a
practice case may have a facilitated meeting; a few cases raise a patient-safety concern
(guidance sought, sometimes a disclosure, then resolved) and very few report aggression,
after which the LMC ceases support.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from pastoral_core.support import (
    AnswerReferral,
    CeaseSupport,
    DisclosureBasis,
    HoldFacilitatedMeeting,
    MeetingKind,
    RaiseSafetyConcern,
    RecipientKind,
    RecordDisclosure,
    RecordNote,
    ReferralAnswer,
    ReferToService,
    ReportAggression,
    ResolveSafetyConcern,
    SafetyOutcome,
    SeekSafetyGuidance,
    SupportRole,
)
from pastoral_core.testing._synthetic_engagement import CaseLocal, CaseSteps
from pastoral_core.testing._synthetic_kit import (
    DISCLOSURE_BODIES,
    GUIDANCE_SOURCES,
    NOTES,
    Action,
    Script,
    pick,
    working_moment,
)

if TYPE_CHECKING:
    from random import Random

OFFICER, RECIPIENT = SupportRole.OFFICER, SupportRole.RECIPIENT
SERVICES = (("occupational_health", 0.35), ("career_counselling", 0.25), ("legal", 0.25), ("mediation", 0.15))
MEETING_KINDS = ((MeetingKind.PRACTICE_MEETING, 0.5), (MeetingKind.PARTNER_MEETING, 0.3), (MeetingKind.MEDIATION, 0.2))


def _agenda(rng: Random, local: CaseLocal) -> list[tuple[dt.datetime, str]]:
    start = local.now
    agenda = [
        (working_moment(rng, start, days=(5, 70)), "note")
        for _ in range(pick(rng, ((0, 0.3), (1, 0.3), (2, 0.25), (3, 0.15))))
    ]
    if rng.random() < 0.15:
        agenda.append((working_moment(rng, start, days=(7, 50)), "referral"))
    if RecipientKind.PRACTICE in local.kinds.values() and rng.random() < 0.3:
        agenda.append((working_moment(rng, start, days=(10, 40)), "meeting"))
    if rng.random() < 0.015:
        agenda.append((working_moment(rng, start, days=(5, 40)), "concern"))
    if rng.random() < 0.006:
        agenda.append((working_moment(rng, start, days=(10, 50)), "aggression"))
    return sorted(agenda)


def extras_script(rng: Random, steps: CaseSteps, local: CaseLocal) -> Script:
    """The case's notes, referral, facilitated meeting, safety concern and conduct, in time order."""
    now = local.now
    for moment, what in _agenda(rng, local):
        now = max(now, moment)
        yield now
        officers = local.officers()
        if what == "note":  # notes remain possible after cessation (PSN-CONDUCT)
            if officers:
                local.notes += 1
                author = rng.choice(officers)
                yield steps(RecordNote, now, OFFICER, author, note_id=f"n{local.notes}", text=rng.choice(NOTES))
        elif local.ceased:
            continue
        elif what == "referral":
            now = yield from _referral(rng, steps, local, now)
        elif what == "meeting" and officers:
            members = sorted(r for r, kind in local.kinds.items() if kind is not RecipientKind.PRACTICE)
            yield steps(
                HoldFacilitatedMeeting,
                now,
                meeting_id="m1",
                kind=pick(rng, MEETING_KINDS),
                facilitator_id=rng.choice(officers),
                attendee_ids=frozenset(rng.sample(members, rng.randint(min(2, len(members)), len(members)))),
            )
        elif what == "concern" and officers:
            now = yield from _concern(rng, steps, local, now, rng.choice(officers))
        elif what == "aggression":
            by = (OFFICER, rng.choice(officers)) if officers else (SupportRole.COORDINATOR, None)
            yield steps(ReportAggression, now, *by)
            now = working_moment(rng, now, days=(1, 3))
            yield now
            local.ceased = True
            yield steps(CeaseSupport, now)
        local.touch(now)
    local.touch(now)


def _referral(rng: Random, steps: CaseSteps, local: CaseLocal, now: dt.datetime) -> Generator[Action, Any, dt.datetime]:
    recipient = rng.choice(sorted(local.leads) or sorted(local.kinds))
    yield steps(ReferToService, now, referral_id="r1", recipient_id=recipient, service=pick(rng, SERVICES))
    if rng.random() < 0.9:
        now = working_moment(rng, now, days=(2, 10))
        yield now
        if not local.ceased:
            answer = pick(rng, ((ReferralAnswer.ACCEPTED, 0.65), (ReferralAnswer.DECLINED, 0.35)))
            local.referred = answer is ReferralAnswer.ACCEPTED
            yield steps(AnswerReferral, now, RECIPIENT, recipient, referral_id="r1", answer=answer)
    return now


def _concern(
    rng: Random, steps: CaseSteps, local: CaseLocal, now: dt.datetime, officer: str
) -> Generator[Action, Any, dt.datetime]:
    yield steps(RaiseSafetyConcern, now, OFFICER, officer, concern_id="c1")
    now = working_moment(rng, now, days=(1, 2))
    yield now
    yield steps(SeekSafetyGuidance, now, concern_id="c1", source=rng.choice(GUIDANCE_SOURCES))
    if rng.random() < 0.3:
        yield steps(
            RecordDisclosure,
            now,
            disclosure_id="d1",
            recipient_body=rng.choice(DISCLOSURE_BODIES),
            basis=pick(rng, ((DisclosureBasis.PATIENT_SAFETY, 0.7), (DisclosureBasis.LEGAL_DUTY, 0.3))),
        )
    now = working_moment(rng, now, days=(3, 10))
    yield now
    outcome = pick(
        rng,
        (
            (SafetyOutcome.NO_FURTHER_ACTION, 0.6),
            (SafetyOutcome.ESCALATED_TO_RESPONSIBLE_OFFICER, 0.3),
            (SafetyOutcome.REFERRED_TO_REGULATOR, 0.1),
        ),
    )
    yield steps(ResolveSafetyConcern, now, concern_id="c1", outcome=outcome)
    return now
