"""Commands for the Network and Case aggregates; each names its actor, role and time."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from pastoral_core.kernel import Command, command_type
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
)
from pastoral_core.support._roles import SupportRole
from pastoral_core.values import Count, FreeText, Id, Label, Months, Reason, ShortText


@attrs.frozen(kw_only=True)
class SupportCommand(Command):
    """A pastoral-support command: command id, actor, a :class:`SupportRole` and an aware time."""

    role: SupportRole


# -- Network ----------------------------------------------------------------------------


@command_type("network.enrol_officer")
@attrs.frozen(kw_only=True)
class EnrolOfficer(SupportCommand):
    """Enrol a pastoral support officer (background, own practice, skills tags)."""

    officer_id: Id
    background: Background
    practice_id: Id | None = None
    skills: frozenset[Label] = frozenset()


@command_type("network.suspend_officer")
@attrs.frozen(kw_only=True)
class SuspendOfficer(SupportCommand):
    """Suspend an active officer: no new allocations."""

    officer_id: Id


@command_type("network.reinstate_officer")
@attrs.frozen(kw_only=True)
class ReinstateOfficer(SupportCommand):
    """Reinstate a suspended officer."""

    officer_id: Id


@command_type("network.withdraw_officer")
@attrs.frozen(kw_only=True)
class WithdrawOfficer(SupportCommand):
    """Withdraw an officer from the network for good."""

    officer_id: Id


# -- Case -------------------------------------------------------------------------------


@command_type("case.receive_request")
@attrs.frozen(kw_only=True)
class ReceiveRequest(SupportCommand):
    """Log a request for support.

    Attributes:
        kind: An individual GP, a practice manager, or a practice/partnership.
        recipients: Who may be supported: the individual, or the practice itself and
            its listed members (each a GP or practice manager), by opaque id.
        practice_id: The practice concerned (required for a practice case).
        nation: The client's UK nation for working days (ENG, WLS, SCT, NIR, UK-ANY).
        difficulty: Internal to the practice, or with an external body.
        external_body: e.g. "NHS England", "ICB", "GMC", "CQC" when external.
        complex: Whether the case involves more than one person in a complex way.

    ``occurred_at`` is when the request was received (``at`` if not given).
    """

    kind: RecipientKind
    recipients: tuple[Recipient, ...]
    practice_id: Id | None = None
    nation: Label = "ENG"
    difficulty: DifficultyKind = DifficultyKind.INTERNAL
    external_body: ShortText | None = None
    complex: bool = False


@command_type("case.respond_to_request")
@attrs.frozen(kw_only=True)
class RespondToRequest(SupportCommand):
    """Record the LMC's first response (made at ``occurred_at``, else ``at``)."""


@command_type("case.send_mou")
@attrs.frozen(kw_only=True)
class SendMou(SupportCommand):
    """Send the memorandum of understanding (``terms_version`` names the text sent)."""

    terms_version: Label


@command_type("case.allocate_officer")
@attrs.frozen(kw_only=True)
class AllocateOfficer(SupportCommand):
    """Allocate a lead officer to one recipient of the case.

    A coordinator may allocate an officer whose background does not suit the recipient
    with ``overrides=(Override("PSN-SKILLS", reason, coordinator),)``.
    """

    recipient_id: Id
    officer_id: Id


@command_type("case.add_second_officer")
@attrs.frozen(kw_only=True)
class AddSecondOfficer(SupportCommand):
    """Add a second officer for consultation and mutual support (MOU NOTE 2)."""

    officer_id: Id


@command_type("case.record_dispute")
@attrs.frozen(kw_only=True)
class RecordDispute(SupportCommand):
    """Record two members of the practice as parties in dispute."""

    party_ids: frozenset[Id]


@command_type("case.schedule_session")
@attrs.frozen(kw_only=True)
class ScheduleSession(SupportCommand):
    """Book a session for a recipient with their current lead officer."""

    session_id: Id
    recipient_id: Id
    starts_at: dt.datetime


@command_type("case.hold_session")
@attrs.frozen(kw_only=True)
class HoldSession(SupportCommand):
    """Record that a scheduled session took place (at ``occurred_at``, else ``at``)."""

    session_id: Id


@command_type("case.cancel_session")
@attrs.frozen(kw_only=True)
class CancelSession(SupportCommand):
    """Cancel a scheduled session, with or without notice."""

    session_id: Id
    with_notice: bool


@command_type("case.mark_did_not_attend")
@attrs.frozen(kw_only=True)
class MarkDidNotAttend(SupportCommand):
    """Record that the recipient did not attend a scheduled session."""

    session_id: Id


@command_type("case.request_switch")
@attrs.frozen(kw_only=True)
class RequestSwitch(SupportCommand):
    """The recipient asks to switch away from their current officer (MOU LMC 6)."""

    recipient_id: Id


@command_type("case.review_commitment")
@attrs.frozen(kw_only=True)
class ReviewCommitment(SupportCommand):
    """Review the LMC's commitment: extend (sessions over months, funding) or conclude."""

    recipient_id: Id
    decision: ReviewDecision
    sessions: Count = 0
    months: Months = 0
    funding: Funding | None = None


@command_type("case.refer_to_service")
@attrs.frozen(kw_only=True)
class ReferToService(SupportCommand):
    """Introduce a recipient to a service of the wider network (MOU LMC 7)."""

    referral_id: Id
    recipient_id: Id
    service: Label


@command_type("case.answer_referral")
@attrs.frozen(kw_only=True)
class AnswerReferral(SupportCommand):
    """Record the recipient's answer to a referral."""

    referral_id: Id
    answer: ReferralAnswer


@command_type("case.hold_facilitated_meeting")
@attrs.frozen(kw_only=True)
class HoldFacilitatedMeeting(SupportCommand):
    """Record an LMC facilitated partner/practice meeting or mediation."""

    meeting_id: Id
    kind: MeetingKind
    facilitator_id: Id
    attendee_ids: frozenset[Id]


@command_type("case.decline_intervention")
@attrs.frozen(kw_only=True)
class DeclineIntervention(SupportCommand):
    """Decline a requested intervention, with the reason (MOU NOTE 5)."""

    intervention: ShortText
    reason: Reason


@command_type("case.record_note")
@attrs.frozen(kw_only=True)
class RecordNote(SupportCommand):
    """Record a limited summary note (the actor is its author)."""

    screened_by_rule: ClassVar[frozenset[str]] = frozenset({"text"})  # PSN-NOTE-SENSITIVE

    note_id: Id
    text: FreeText


@command_type("case.raise_safety_concern")
@attrs.frozen(kw_only=True)
class RaiseSafetyConcern(SupportCommand):
    """Raise a concern on serious evidence about patient safety."""

    concern_id: Id


@command_type("case.seek_safety_guidance")
@attrs.frozen(kw_only=True)
class SeekSafetyGuidance(SupportCommand):
    """Record that guidance was sought on a concern (e.g. from the Caldicott Guardian)."""

    concern_id: Id
    source: ShortText


@command_type("case.resolve_safety_concern")
@attrs.frozen(kw_only=True)
class ResolveSafetyConcern(SupportCommand):
    """Record the outcome of a concern after guidance."""

    concern_id: Id
    outcome: SafetyOutcome


@command_type("case.record_disclosure")
@attrs.frozen(kw_only=True)
class RecordDisclosure(SupportCommand):
    """Record information disclosed outside the network, with its basis."""

    disclosure_id: Id
    recipient_body: ShortText
    basis: DisclosureBasis | None


@command_type("case.report_aggression")
@attrs.frozen(kw_only=True)
class ReportAggression(SupportCommand):
    """Report aggressive behaviour (MOU NOTE 6)."""


@command_type("case.cease_support")
@attrs.frozen(kw_only=True)
class CeaseSupport(SupportCommand):
    """Cease support after aggressive behaviour (MOU NOTE 6)."""


@command_type("case.close_case")
@attrs.frozen(kw_only=True)
class CloseCase(SupportCommand):
    """Close the case with an outcome (MOU CLIENT 3)."""

    outcome: ClosureOutcome


@command_type("case.destroy_notes")
@attrs.frozen(kw_only=True)
class DestroyNotes(SupportCommand):
    """Destroy the case's summary notes after (or, with a reason, before) retention."""

    reason: Reason | None = None
