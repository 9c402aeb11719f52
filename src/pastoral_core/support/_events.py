"""Events of the Network and Case aggregates; stable type names, schema versions."""

from __future__ import annotations

import datetime as dt

import attrs

from pastoral_core.eventlog import Event, event_type
from pastoral_core.support._model import (
    Background,
    ClosureOutcome,
    DifficultyKind,
    DisclosureBasis,
    Funding,
    MeetingKind,
    Recipient,
    RecipientKind,
    ReferralAnswer,
    ReviewDecision,
    SafetyOutcome,
    SessionCharge,
)
from pastoral_core.values import FreeText, Reason, ShortText

# -- Network ----------------------------------------------------------------------------


@event_type("network.officer_enrolled")
@attrs.frozen
class OfficerEnrolled(Event):
    """An officer joined the network (MOU LMC 2, 6)."""

    officer_id: str
    background: Background
    practice_id: str | None
    skills: frozenset[str]


@event_type("network.officer_suspended")
@attrs.frozen
class OfficerSuspended(Event):
    """An officer may not be allocated until reinstated."""

    officer_id: str


@event_type("network.officer_reinstated")
@attrs.frozen
class OfficerReinstated(Event):
    """A suspended officer is active again."""

    officer_id: str


@event_type("network.officer_withdrawn")
@attrs.frozen
class OfficerWithdrawn(Event):
    """An officer left the network for good."""

    officer_id: str


# -- Case -------------------------------------------------------------------------------


@event_type("case.request_received")
@attrs.frozen
class RequestReceived(Event):
    """A GP, practice manager or practice asked for support."""

    received_at: dt.datetime
    kind: RecipientKind
    recipients: tuple[Recipient, ...]
    practice_id: str | None
    nation: str
    difficulty: DifficultyKind
    external_body: ShortText | None
    complex: bool
    response_due_at: dt.datetime


@event_type("case.responded")
@attrs.frozen
class Responded(Event):
    """The LMC's first response (PSN-RESPONSE); ``on_time`` false means it was late."""

    responded_at: dt.datetime
    due_at: dt.datetime
    on_time: bool


@event_type("case.mou_sent")
@attrs.frozen
class MouSent(Event):
    """The memorandum of understanding was sent (before the first meeting)."""

    terms_version: str
    sent_at: dt.datetime


@event_type("case.officer_allocated")
@attrs.frozen
class OfficerAllocated(Event):
    """A lead officer was allocated to a recipient.

    The first allocation opens the engagement and carries its ``initial_allowance``
    (PSN-ALLOWANCE sessions, from the rulebook then in force); a later one (after a switch)
    leaves it ``None``: the session count carries over.
    """

    recipient_id: str
    officer_id: str
    initial_allowance: int | None = None
    override_rule: str | None = None
    override_reason: Reason | None = None
    override_by: str | None = None


@event_type("case.second_officer_added")
@attrs.frozen
class SecondOfficerAdded(Event):
    """A second officer joined for consultation (MOU NOTE 2)."""

    officer_id: str


@event_type("case.dispute_recorded")
@attrs.frozen
class DisputeRecorded(Event):
    """Two members of the practice are parties in dispute (MOU LMC 8)."""

    party_ids: frozenset[str]


@event_type("case.session_scheduled")
@attrs.frozen
class SessionScheduled(Event):
    """A support session was booked with the recipient's lead officer."""

    session_id: str
    recipient_id: str
    officer_id: str
    starts_at: dt.datetime


@event_type("case.session_held")
@attrs.frozen
class SessionHeld(Event):
    """A session took place.

    ``window_ends`` is set by the first session of the initial allowance (it starts the
    window); ``charge`` is set for sessions after the initial allowance.
    """

    session_id: str
    held_on: dt.date
    window_ends: dt.date | None = None
    charge: SessionCharge | None = None


@event_type("case.session_not_attended")
@attrs.frozen
class SessionNotAttended(Event):
    """The recipient did not attend; counts as a session when the rulebook says so."""

    session_id: str
    on: dt.date
    counts: bool


@event_type("case.session_cancelled")
@attrs.frozen
class SessionCancelled(Event):
    """A session was cancelled; a late cancellation may count as a session."""

    session_id: str
    with_notice: bool
    counts: bool
    on: dt.date


@event_type("case.switch_requested")
@attrs.frozen
class SwitchRequested(Event):
    """The recipient asked for a different officer (MOU LMC 6)."""

    recipient_id: str
    officer_id: str


@event_type("case.commitment_reviewed")
@attrs.frozen
class CommitmentReviewed(Event):
    """The LMC reviewed its commitment: extend with sessions and funding, or conclude."""

    recipient_id: str
    decision: ReviewDecision
    reviewed_on: dt.date
    sessions: int = 0
    window_ends: dt.date | None = None
    funding: Funding | None = None


@event_type("case.referred")
@attrs.frozen
class Referred(Event):
    """A referral to the wider network of professional support (MOU LMC 7)."""

    referral_id: str
    recipient_id: str
    service: str
    charged_to: str | None


@event_type("case.referral_answered")
@attrs.frozen
class ReferralAnswered(Event):
    """The recipient accepted or declined a referral (MOU CLIENT 6)."""

    referral_id: str
    answer: ReferralAnswer


@event_type("case.facilitated_meeting_held")
@attrs.frozen
class FacilitatedMeetingHeld(Event):
    """An LMC facilitated partner/practice meeting or mediation (MOU LMC 10)."""

    meeting_id: str
    kind: MeetingKind
    facilitator_id: str
    attendee_ids: frozenset[str]
    held_on: dt.date


@event_type("case.intervention_declined")
@attrs.frozen
class InterventionDeclined(Event):
    """The LMC declined a requested intervention (MOU NOTE 5)."""

    intervention: ShortText
    reason: Reason


@event_type("case.note_recorded")
@attrs.frozen
class NoteRecorded(Event):
    """A limited summary note (MOU NOTE 1); its text can later be destroyed (redacted)."""

    note_id: str
    author_id: str
    text: FreeText


@event_type("case.safety_concern_raised")
@attrs.frozen
class SafetyConcernRaised(Event):
    """Serious evidence about patient safety was raised by an officer (MOU NOTE 3)."""

    concern_id: str
    raised_by: str


@event_type("case.safety_guidance_sought")
@attrs.frozen
class SafetyGuidanceSought(Event):
    """The officer sought further guidance on a concern."""

    concern_id: str
    source: ShortText


@event_type("case.safety_concern_resolved")
@attrs.frozen
class SafetyConcernResolved(Event):
    """The outcome of a concern after guidance."""

    concern_id: str
    outcome: SafetyOutcome


@event_type("case.disclosure_recorded")
@attrs.frozen
class DisclosureRecorded(Event):
    """Information left the network, with its basis (MOU LMC 5, NOTE 3)."""

    disclosure_id: str
    recipient_body: ShortText
    basis: DisclosureBasis


@event_type("case.aggression_reported")
@attrs.frozen
class AggressionReported(Event):
    """Aggressive behaviour was reported (MOU NOTE 6: zero tolerance)."""

    reported_by: str
    on: dt.date


@event_type("case.support_ceased")
@attrs.frozen
class SupportCeased(Event):
    """The LMC ceased support after aggressive behaviour (MOU NOTE 6)."""

    on: dt.date


@event_type("case.closed")
@attrs.frozen
class CaseClosed(Event):
    """The case closed with an outcome; engagements end, retention starts."""

    outcome: ClosureOutcome
    closed_on: dt.date
    retain_until: dt.date


@event_type("case.notes_destroyed")
@attrs.frozen
class NotesDestroyed(Event):
    """The Caldicott Guardian destroyed the case notes; the host redacts their text."""

    note_ids: frozenset[str]
    early: bool
    reason: Reason | None
