"""How a Case changes: a :class:`CaseDraft` applies facts, never checks a rule, never reads a clock.

A fold opens one draft of the case it starts from, applies every event to it in place and
freezes it once (``kernel.Draft``); ``evolve_case`` is the same for one event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pastoral_core.eventlog import Event
from pastoral_core.kernel import Appended, MapDraft, SetDraft, replace
from pastoral_core.support import _events as ev
from pastoral_core.support._model import ReviewDecision, SessionStatus, Tranche
from pastoral_core.support._state import Case, Concern, Engagement, Session
from pastoral_core.values import instant


class CaseDraft:
    """A case being folded: the fields a fact changes, mutable, private to one fold.

    Args:
        case: The case to start from (it is never changed).
    """

    __slots__ = (
        "aggression_reported",
        "answers",
        "ceased",
        "closure",
        "concerns",
        "declined",
        "disclosures",
        "disputes",
        "engagements",
        "meetings",
        "mou_sent_at",
        "new_declined",
        "new_note_ids",
        "note_ids",
        "notes_destroyed",
        "referrals",
        "request",
        "response",
        "second_officer",
        "sessions",
    )

    def __init__(self, case: Case) -> None:
        self.request = case.request
        self.response = case.response
        self.mou_sent_at = case.mou_sent_at
        self.engagements = MapDraft(case.engagements)
        self.second_officer = case.second_officer
        self.disputes = SetDraft(case.disputes)
        self.sessions = MapDraft(case.sessions)
        self.referrals = MapDraft(case.referrals)
        self.answers = MapDraft(case.answers)
        self.meetings = SetDraft(case.meetings)
        self.concerns = MapDraft(case.concerns)
        self.disclosures = SetDraft(case.disclosures)
        self.note_ids = Appended.of(case.note_ids)
        self.new_note_ids: list[str] = []  # added to note_ids at once when frozen
        self.notes_destroyed = case.notes_destroyed
        self.aggression_reported = case.aggression_reported
        self.ceased = case.ceased
        self.closure = case.closure
        self.declined = case.declined
        self.new_declined: list[ev.InterventionDeclined] = []  # free text: never in a buffer shared with other folds

    def state(self) -> Case:
        """The frozen case the draft has reached."""
        if self.new_note_ids:
            self.note_ids = self.note_ids.extended(self.new_note_ids)
            self.new_note_ids = []
        if self.new_declined:
            self.declined = (*self.declined, *self.new_declined)
            self.new_declined = []
        return Case(
            request=self.request,
            response=self.response,
            mou_sent_at=self.mou_sent_at,
            engagements=self.engagements.frozen(),
            second_officer=self.second_officer,
            disputes=self.disputes.frozen(),
            sessions=self.sessions.frozen(),
            referrals=self.referrals.frozen(),
            answers=self.answers.frozen(),
            meetings=self.meetings.frozen(),
            concerns=self.concerns.frozen(),
            disclosures=self.disclosures.frozen(),
            note_ids=self.note_ids,
            notes_destroyed=self.notes_destroyed,
            aggression_reported=self.aggression_reported,
            ceased=self.ceased,
            closure=self.closure,
            declined=self.declined,
        )

    def apply(self, event: Event) -> None:
        """Apply one case event (dispatch by its class; an unknown event changes nothing)."""
        step = _STEPS.get(type(event))
        if step is not None:
            step(self, event)

    # -- engagements and sessions ---------------------------------------------------------

    def _engagement(self, recipient_id: str) -> Engagement:
        found = self.engagements.get(recipient_id)
        if found is not None:
            return found
        for recipient in self.request.recipients if self.request is not None else ():
            if recipient.recipient_id == recipient_id:
                return Engagement(recipient)
        raise KeyError(recipient_id)  # decide never lets a command name a stranger

    def _put(self, engagement: Engagement) -> None:
        self.engagements[engagement.recipient.recipient_id] = engagement

    def _status(self, session_id: str, status: SessionStatus) -> Session:
        was = self.sessions[session_id]
        session = Session(was.session_id, was.recipient_id, was.officer_id, was.starts_at, status)
        self.sessions[session_id] = session
        return session

    def _count(self, session: Session, counts: bool) -> None:
        if counts:
            e = self._engagement(session.recipient_id)
            self._put(_used(e, e.used + 1, e.tranches, e.first_session_on))


def _used(eng: Engagement, used: int, tranches: tuple[Tranche, ...], first: dt.date | None) -> Engagement:
    """``eng`` after a session counted (the hot path of a fold: the constructor, not ``replace``)."""
    return Engagement(eng.recipient, eng.lead, eng.officers, eng.switched_from, used, tranches, first, eng.concluded)


# -- one function per event class: (draft, event) -> None ---------------------------------


def _received(d: CaseDraft, e: ev.RequestReceived) -> None:
    d.request = e


def _responded(d: CaseDraft, e: ev.Responded) -> None:
    d.response = e


def _mou_sent(d: CaseDraft, e: ev.MouSent) -> None:
    # the first MoU sent, by the moment it was sent (a late entry may come earlier)
    if d.mou_sent_at is None or instant(e.sent_at) < instant(d.mou_sent_at):
        d.mou_sent_at = e.sent_at


def _allocated(d: CaseDraft, e: ev.OfficerAllocated) -> None:
    eng = d._engagement(e.recipient_id)
    tranches = eng.tranches
    if e.initial_allowance is not None:
        tranches = (Tranche(e.initial_allowance, None, None),)
    d._put(replace(eng, lead=e.officer_id, officers=(*eng.officers, e.officer_id), tranches=tranches))


def _second_officer(d: CaseDraft, e: ev.SecondOfficerAdded) -> None:
    d.second_officer = e.officer_id


def _dispute(d: CaseDraft, e: ev.DisputeRecorded) -> None:
    d.disputes.add(e.party_ids)


def _scheduled(d: CaseDraft, e: ev.SessionScheduled) -> None:
    d.sessions[e.session_id] = Session(e.session_id, e.recipient_id, e.officer_id, e.starts_at)


def _held(d: CaseDraft, e: ev.SessionHeld) -> None:
    session = d._status(e.session_id, SessionStatus.HELD)
    eng = d._engagement(session.recipient_id)
    tranches = eng.tranches
    if e.window_ends is not None and tranches:
        tranches = (*tranches[:-1], replace(tranches[-1], window_ends=e.window_ends))
    first = eng.first_session_on if eng.first_session_on is not None else e.held_on
    d._put(_used(eng, eng.used + 1, tranches, first))


def _not_attended(d: CaseDraft, e: ev.SessionNotAttended) -> None:
    d._count(d._status(e.session_id, SessionStatus.DID_NOT_ATTEND), e.counts)


def _cancelled(d: CaseDraft, e: ev.SessionCancelled) -> None:
    status = SessionStatus.CANCELLED_WITH_NOTICE if e.with_notice else SessionStatus.CANCELLED_LATE
    d._count(d._status(e.session_id, status), e.counts)


def _switch(d: CaseDraft, e: ev.SwitchRequested) -> None:
    eng = d._engagement(e.recipient_id)
    d._put(replace(eng, lead=None, switched_from=eng.switched_from | {e.officer_id}))


def _reviewed(d: CaseDraft, e: ev.CommitmentReviewed) -> None:
    eng = d._engagement(e.recipient_id)
    if e.decision is ReviewDecision.CONCLUDE:
        d._put(replace(eng, concluded=True))
    else:
        d._put(replace(eng, tranches=(*eng.tranches, Tranche(eng.used + e.sessions, e.window_ends, e.funding))))


def _referred(d: CaseDraft, e: ev.Referred) -> None:
    d.referrals[e.referral_id] = e


def _answered(d: CaseDraft, e: ev.ReferralAnswered) -> None:
    d.answers[e.referral_id] = e.answer


def _meeting(d: CaseDraft, e: ev.FacilitatedMeetingHeld) -> None:
    d.meetings.add(e.meeting_id)


def _declined(d: CaseDraft, e: ev.InterventionDeclined) -> None:
    d.new_declined.append(e)


def _note(d: CaseDraft, e: ev.NoteRecorded) -> None:
    d.new_note_ids.append(e.note_id)


def _concern_raised(d: CaseDraft, e: ev.SafetyConcernRaised) -> None:
    d.concerns[e.concern_id] = Concern(e.concern_id)


def _guidance(d: CaseDraft, e: ev.SafetyGuidanceSought) -> None:
    d.concerns[e.concern_id] = replace(d.concerns[e.concern_id], guidance_sought=True)


def _concern_resolved(d: CaseDraft, e: ev.SafetyConcernResolved) -> None:
    d.concerns[e.concern_id] = replace(d.concerns[e.concern_id], resolved=True)


def _disclosure(d: CaseDraft, e: ev.DisclosureRecorded) -> None:
    d.disclosures.add(e.disclosure_id)


def _aggression(d: CaseDraft, e: ev.AggressionReported) -> None:
    d.aggression_reported = True


def _ceased(d: CaseDraft, e: ev.SupportCeased) -> None:
    d.ceased = True


def _closed(d: CaseDraft, e: ev.CaseClosed) -> None:
    d.closure = e
    d.second_officer = None
    for rid, eng in d.engagements.items():
        d.engagements[rid] = replace(eng, lead=None)


def _destroyed(d: CaseDraft, e: ev.NotesDestroyed) -> None:
    d.notes_destroyed = True


_STEPS: dict[type[Event], Callable[[CaseDraft, Any], None]] = {
    ev.RequestReceived: _received,
    ev.Responded: _responded,
    ev.MouSent: _mou_sent,
    ev.OfficerAllocated: _allocated,
    ev.SecondOfficerAdded: _second_officer,
    ev.DisputeRecorded: _dispute,
    ev.SessionScheduled: _scheduled,
    ev.SessionHeld: _held,
    ev.SessionNotAttended: _not_attended,
    ev.SessionCancelled: _cancelled,
    ev.SwitchRequested: _switch,
    ev.CommitmentReviewed: _reviewed,
    ev.Referred: _referred,
    ev.ReferralAnswered: _answered,
    ev.FacilitatedMeetingHeld: _meeting,
    ev.InterventionDeclined: _declined,
    ev.NoteRecorded: _note,
    ev.SafetyConcernRaised: _concern_raised,
    ev.SafetyGuidanceSought: _guidance,
    ev.SafetyConcernResolved: _concern_resolved,
    ev.DisclosureRecorded: _disclosure,
    ev.AggressionReported: _aggression,
    ev.SupportCeased: _ceased,
    ev.CaseClosed: _closed,
    ev.NotesDestroyed: _destroyed,
}


def evolve_case(state: Case, event: Event) -> Case:
    """Apply one case event: the case after it (``state`` is unchanged), through a :class:`CaseDraft`."""
    draft = CaseDraft(state)
    draft.apply(event)
    return draft.state()
