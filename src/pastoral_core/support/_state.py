"""State of a Case, folded from its events; evolve applies facts only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from pastoral_core.eventlog import Event, RecordedEvent
from pastoral_core.kernel import EMPTY, replace, with_item
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
from pastoral_core.support._model import (
    Recipient,
    ReferralAnswer,
    ReviewDecision,
    SessionStatus,
    Tranche,
)
from pastoral_core.support._state_rows import CASE_COLUMNS, case_rows
from pastoral_core.support._timeline import case_timeline
from pastoral_core.tables import Row, Table, html_table
from pastoral_core.values import instant

# -- Case -------------------------------------------------------------------------------


@attrs.frozen
class Engagement:
    """Support for one recipient: officers over time, allowance tranches, sessions used.

    Attributes:
        recipient: Who is supported.
        lead: The current lead officer (``None`` after a switch request until a new one).
        officers: Every officer this recipient has had, in order.
        switched_from: Officers the recipient asked to switch away from.
        used: Sessions counted against the allowance (held, and counted non-attendance).
        tranches: The initial allowance as recorded (the number in force at allocation,
            the window fixed by the first session) and any extensions after review.
        first_session_on: When the first session was held (the allowance window runs from it).
        concluded: The LMC concluded its commitment at review.
    """

    recipient: Recipient
    lead: str | None = None
    officers: tuple[str, ...] = ()
    switched_from: frozenset[str] = frozenset()
    used: int = 0
    tranches: tuple[Tranche, ...] = ()
    first_session_on: dt.date | None = None
    concluded: bool = False

    @property
    def allowance(self) -> Tranche | None:
        """The latest tranche as recorded (the initial one as numbered at allocation).

        Which allowance governs a session depends on the rulebook in force on its date:
        ask :func:`pastoral_core.support.allowance_on` with the host's rulebooks.
        """
        return self.tranches[-1] if self.tranches else None

    @property
    def in_extension(self) -> bool:
        """Whether sessions now fall after the initial allowance (paid as reviewed)."""
        return len(self.tranches) > 1


@attrs.frozen
class Session:
    """A support session with one recipient and one officer."""

    session_id: str
    recipient_id: str
    officer_id: str
    starts_at: dt.datetime
    status: SessionStatus = SessionStatus.SCHEDULED


@attrs.frozen
class Concern:
    """A patient-safety concern's progress."""

    concern_id: str
    guidance_sought: bool = False
    resolved: bool = False


@attrs.frozen
class Case(Table):
    """Everything known about one request for support, folded from its events.

    Names and contact details are never held (rule MINIMAL): people are opaque ids, and
    note texts stay in their events. So does other typed text: ``declined`` holds the
    ``InterventionDeclined`` events, whose reprs hide what was asked for and why.

    As a table (:meth:`to_rows`, and its HTML in a notebook, under its timeline) it shows
    one row per fact under :attr:`columns`, never free text.
    """

    columns = CASE_COLUMNS
    caption = "Case: its facts"

    request: RequestReceived | None = None
    response: Responded | None = None
    mou_sent_at: dt.datetime | None = None
    engagements: Mapping[str, Engagement] = EMPTY
    second_officer: str | None = None
    disputes: frozenset[frozenset[str]] = frozenset()
    sessions: Mapping[str, Session] = EMPTY
    referrals: Mapping[str, Referred] = EMPTY
    answers: Mapping[str, ReferralAnswer] = EMPTY
    meetings: frozenset[str] = frozenset()
    concerns: Mapping[str, Concern] = EMPTY
    disclosures: frozenset[str] = frozenset()
    note_ids: tuple[str, ...] = ()
    notes_destroyed: bool = False
    aggression_reported: bool = False
    ceased: bool = False
    closure: CaseClosed | None = None
    declined: tuple[InterventionDeclined, ...] = ()

    @property
    def mou_sent(self) -> bool:
        """Whether the memorandum of understanding has been sent."""
        return self.mou_sent_at is not None

    def mou_sent_by(self, moment: dt.datetime) -> bool:
        """Whether the MoU had been sent by ``moment`` (PSN-MOU-FIRST: before the first meeting)."""
        return self.mou_sent_at is not None and instant(self.mou_sent_at) <= instant(moment)

    @property
    def received(self) -> bool:
        """Whether the request has been received."""
        return self.request is not None

    @property
    def closed(self) -> bool:
        """Whether the case is closed."""
        return self.closure is not None

    @property
    def recipients(self) -> Mapping[str, Recipient]:
        """The case's recipients by id."""
        if self.request is None:
            return EMPTY
        return {r.recipient_id: r for r in self.request.recipients}

    @property
    def allocated_officers(self) -> frozenset[str]:
        """Officers allocated to the case now: current leads and the second officer."""
        leads = {e.lead for e in self.engagements.values() if e.lead}
        return frozenset(leads | ({self.second_officer} if self.second_officer else set()))

    @property
    def open_concerns(self) -> tuple[str, ...]:
        """Ids of patient-safety concerns not yet resolved."""
        return tuple(c.concern_id for c in self.concerns.values() if not c.resolved)

    def lead_of(self, recipient_id: str) -> str | None:
        """The current lead officer of a recipient, if any."""
        engagement = self.engagements.get(recipient_id)
        return engagement.lead if engagement else None

    def to_rows(self) -> list[Row]:
        """The case's facts, one row each under :attr:`columns`: ids, dates, statuses, counts; no free text."""
        return case_rows(self)

    def timeline_svg(self, records: Iterable[RecordedEvent] = ()) -> str:
        """The case's facts on a time axis, as SVG (see :func:`~pastoral_core.support.case_timeline`)."""
        return case_timeline(self, records)

    def _repr_html_(self) -> str:
        return case_timeline(self) + html_table(self.columns, self.to_rows(), self.caption)


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
