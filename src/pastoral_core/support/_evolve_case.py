"""How a Case changes: ``evolve_case`` applies one fact, never checks a rule, never reads a clock."""

from __future__ import annotations

import datetime as dt

from pastoral_core.eventlog import Event
from pastoral_core.kernel import replace, with_item
from pastoral_core.support._events import (
    AggressionReported,
    CaseClosed,
    CommitmentReviewed,
    DisclosureRecorded,
    DisputeRecorded,
    FacilitatedMeetingHeld,
    InterventionDeclined,
    MouSent,
    NoteRecorded,
    NotesDestroyed,
    OfficerAllocated,
    ReferralAnswered,
    Referred,
    RequestReceived,
    Responded,
    SafetyConcernRaised,
    SafetyConcernResolved,
    SafetyGuidanceSought,
    SecondOfficerAdded,
    SessionCancelled,
    SessionHeld,
    SessionNotAttended,
    SessionScheduled,
    SupportCeased,
    SwitchRequested,
)
from pastoral_core.support._model import ReviewDecision, SessionStatus, Tranche
from pastoral_core.support._state import Case, Concern, Engagement, Session
from pastoral_core.values import instant


def _engagement(state: Case, recipient_id: str) -> Engagement:
    return state.engagements.get(recipient_id) or Engagement(state.recipients[recipient_id])


def _put(state: Case, engagement: Engagement) -> Case:
    return replace(
        state,
        engagements=with_item(state.engagements, engagement.recipient.recipient_id, engagement),
    )


def _session(state: Case, session_id: str, status: SessionStatus) -> Case:
    return replace(
        state,
        sessions=with_item(state.sessions, session_id, replace(state.sessions[session_id], status=status)),
    )


def _count(state: Case, session_id: str, counts: bool) -> Case:
    if not counts:
        return state
    e = _engagement(state, state.sessions[session_id].recipient_id)
    return _put(state, replace(e, used=e.used + 1))


def _allocated(s: Case, e: OfficerAllocated) -> Case:
    eng = _engagement(s, e.recipient_id)
    tranches = eng.tranches
    if e.initial_allowance is not None:
        tranches = (Tranche(e.initial_allowance, None, None),)
    return _put(
        s,
        replace(eng, lead=e.officer_id, officers=(*eng.officers, e.officer_id), tranches=tranches),
    )


def _held(s: Case, e: SessionHeld) -> Case:
    s = _session(s, e.session_id, SessionStatus.HELD)
    eng = _engagement(s, s.sessions[e.session_id].recipient_id)
    tranches = eng.tranches
    if e.window_ends is not None and tranches:
        tranches = (*tranches[:-1], replace(tranches[-1], window_ends=e.window_ends))
    first = eng.first_session_on if eng.first_session_on is not None else e.held_on
    return _put(s, replace(eng, used=eng.used + 1, tranches=tranches, first_session_on=first))


def _switch(s: Case, e: SwitchRequested) -> Case:
    eng = _engagement(s, e.recipient_id)
    return _put(s, replace(eng, lead=None, switched_from=eng.switched_from | {e.officer_id}))


def _reviewed(s: Case, e: CommitmentReviewed) -> Case:
    eng = _engagement(s, e.recipient_id)
    if e.decision is ReviewDecision.CONCLUDE:
        return _put(s, replace(eng, concluded=True))
    tranche = Tranche(eng.used + e.sessions, e.window_ends, e.funding)
    return _put(s, replace(eng, tranches=(*eng.tranches, tranche)))


def _guidance(s: Case, e: SafetyGuidanceSought) -> Case:
    concern = replace(s.concerns[e.concern_id], guidance_sought=True)
    return replace(s, concerns=with_item(s.concerns, e.concern_id, concern))


def _resolved(s: Case, e: SafetyConcernResolved) -> Case:
    concern = replace(s.concerns[e.concern_id], resolved=True)
    return replace(s, concerns=with_item(s.concerns, e.concern_id, concern))


def _closed(s: Case, e: CaseClosed) -> Case:
    ended = {rid: replace(eng, lead=None) for rid, eng in s.engagements.items()}
    return replace(s, closure=e, engagements=ended, second_officer=None)


def _scheduled(s: Case, e: SessionScheduled) -> Case:
    session = Session(e.session_id, e.recipient_id, e.officer_id, e.starts_at)
    return replace(s, sessions=with_item(s.sessions, e.session_id, session))


def _cancelled(s: Case, e: SessionCancelled) -> Case:
    status = SessionStatus.CANCELLED_WITH_NOTICE if e.with_notice else SessionStatus.CANCELLED_LATE
    return _count(_session(s, e.session_id, status), e.session_id, e.counts)


def _earlier(known: dt.datetime | None, moment: dt.datetime) -> dt.datetime:
    return moment if known is None or instant(moment) < instant(known) else known


def evolve_case(state: Case, event: Event) -> Case:
    """Apply one case event: a ``match`` on the event class, no rules, no clock."""
    s = state
    match event:
        case RequestReceived():
            return replace(s, request=event)
        case Responded():
            return replace(s, response=event)
        case MouSent(sent_at=sent_at):
            first = (
                s.mou_sent_at if s.mou_sent_at is not None and instant(s.mou_sent_at) <= instant(sent_at) else sent_at
            )
            return replace(s, mou_sent_at=first)
        case OfficerAllocated():
            return _allocated(s, event)
        case SecondOfficerAdded(officer_id=officer_id):
            return replace(s, second_officer=officer_id)
        case DisputeRecorded(party_ids=parties):
            return replace(s, disputes=s.disputes | {parties})
        case SessionScheduled():
            return _scheduled(s, event)
        case SessionHeld():
            return _held(s, event)
        case SessionNotAttended(session_id=sid, counts=counts):
            return _count(_session(s, sid, SessionStatus.DID_NOT_ATTEND), sid, counts)
        case SessionCancelled():
            return _cancelled(s, event)
        case SwitchRequested():
            return _switch(s, event)
        case CommitmentReviewed():
            return _reviewed(s, event)
        case Referred(referral_id=rid):
            return replace(s, referrals=with_item(s.referrals, rid, event))
        case ReferralAnswered(referral_id=rid, answer=answer):
            return replace(s, answers=with_item(s.answers, rid, answer))
        case FacilitatedMeetingHeld(meeting_id=mid):
            return replace(s, meetings=s.meetings | {mid})
        case InterventionDeclined():
            return replace(s, declined=(*s.declined, event))
        case NoteRecorded(note_id=nid):
            return replace(s, note_ids=(*s.note_ids, nid))
        case SafetyConcernRaised(concern_id=cid):
            return replace(s, concerns=with_item(s.concerns, cid, Concern(cid)))
        case SafetyGuidanceSought():
            return _guidance(s, event)
        case SafetyConcernResolved():
            return _resolved(s, event)
        case DisclosureRecorded(disclosure_id=did):
            return replace(s, disclosures=s.disclosures | {did})
        case AggressionReported():
            return replace(s, aggression_reported=True)
        case SupportCeased():
            return replace(s, ceased=True)
        case CaseClosed():
            return _closed(s, event)
        case NotesDestroyed():
            return replace(s, notes_destroyed=True)
    return s
