"""Commands for the Network and Case aggregates; each names its actor, role and time."""

from __future__ import annotations

import datetime as dt

import attrs

from pastoral_core._command import BaseCommand, aware, text
from pastoral_core.rules import Override
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


@attrs.frozen(kw_only=True)
class SupportCommand(BaseCommand):
    """A pastoral-support command: command id, actor, role and aware time (see BaseCommand)."""


# -- Network ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EnrolOfficer(SupportCommand):
    """Enrol a pastoral support officer (background, own practice, skills tags)."""

    officer_id: str = attrs.field(validator=text)
    background: Background
    practice_id: str | None = None
    skills: frozenset[str] = frozenset()


@attrs.frozen(kw_only=True)
class SuspendOfficer(SupportCommand):
    """Suspend an active officer: no new allocations."""

    officer_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class ReinstateOfficer(SupportCommand):
    """Reinstate a suspended officer."""

    officer_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class WithdrawOfficer(SupportCommand):
    """Withdraw an officer from the network for good."""

    officer_id: str = attrs.field(validator=text)


# -- Case -------------------------------------------------------------------------------


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
        received_at: When it was received (defaults to ``at``).
    """

    kind: RecipientKind
    recipients: tuple[Recipient, ...]
    practice_id: str | None = None
    nation: str = "ENG"
    difficulty: DifficultyKind = DifficultyKind.INTERNAL
    external_body: str | None = None
    complex: bool = False
    received_at: dt.datetime | None = None


@attrs.frozen(kw_only=True)
class RespondToRequest(SupportCommand):
    """Record the LMC's first response (at ``at``)."""


@attrs.frozen(kw_only=True)
class SendMou(SupportCommand):
    """Send the memorandum of understanding (``terms_version`` names the text sent)."""

    terms_version: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class AllocateOfficer(SupportCommand):
    """Allocate a lead officer to one recipient of the case."""

    recipient_id: str = attrs.field(validator=text)
    officer_id: str = attrs.field(validator=text)
    override: Override | None = None


@attrs.frozen(kw_only=True)
class AddSecondOfficer(SupportCommand):
    """Add a second officer for consultation and mutual support (MOU NOTE 2)."""

    officer_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class RecordDispute(SupportCommand):
    """Record two members of the practice as parties in dispute."""

    party_ids: frozenset[str]


@attrs.frozen(kw_only=True)
class ScheduleSession(SupportCommand):
    """Book a session for a recipient with their current lead officer."""

    session_id: str = attrs.field(validator=text)
    recipient_id: str = attrs.field(validator=text)
    starts_at: dt.datetime = attrs.field(validator=aware)


@attrs.frozen(kw_only=True)
class HoldSession(SupportCommand):
    """Record that a scheduled session took place (on the day of ``at``)."""

    session_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class CancelSession(SupportCommand):
    """Cancel a scheduled session, with or without notice."""

    session_id: str = attrs.field(validator=text)
    with_notice: bool


@attrs.frozen(kw_only=True)
class MarkDidNotAttend(SupportCommand):
    """Record that the recipient did not attend a scheduled session."""

    session_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class RequestSwitch(SupportCommand):
    """The recipient asks to switch away from their current officer (MOU LMC 6)."""

    recipient_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class ReviewCommitment(SupportCommand):
    """Review the LMC's commitment: extend (sessions over months, funding) or conclude."""

    recipient_id: str = attrs.field(validator=text)
    decision: ReviewDecision
    sessions: int = 0
    months: int = 0
    funding: Funding | None = None


@attrs.frozen(kw_only=True)
class ReferToService(SupportCommand):
    """Introduce a recipient to a service of the wider network (MOU LMC 7)."""

    referral_id: str = attrs.field(validator=text)
    recipient_id: str = attrs.field(validator=text)
    service: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class AnswerReferral(SupportCommand):
    """Record the recipient's answer to a referral."""

    referral_id: str = attrs.field(validator=text)
    answer: ReferralAnswer


@attrs.frozen(kw_only=True)
class HoldFacilitatedMeeting(SupportCommand):
    """Record an LMC facilitated partner/practice meeting or mediation."""

    meeting_id: str = attrs.field(validator=text)
    kind: MeetingKind
    facilitator_id: str = attrs.field(validator=text)
    attendee_ids: frozenset[str]


@attrs.frozen(kw_only=True)
class DeclineIntervention(SupportCommand):
    """Decline a requested intervention, with the reason (MOU NOTE 5)."""

    intervention: str = attrs.field(validator=text)
    reason: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class RecordNote(SupportCommand):
    """Record a limited summary note (the actor is its author)."""

    note_id: str = attrs.field(validator=text)
    text: str


@attrs.frozen(kw_only=True)
class RaiseSafetyConcern(SupportCommand):
    """Raise a concern on serious evidence about patient safety."""

    concern_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class SeekSafetyGuidance(SupportCommand):
    """Record that guidance was sought on a concern (e.g. from the Caldicott Guardian)."""

    concern_id: str = attrs.field(validator=text)
    source: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class ResolveSafetyConcern(SupportCommand):
    """Record the outcome of a concern after guidance."""

    concern_id: str = attrs.field(validator=text)
    outcome: SafetyOutcome


@attrs.frozen(kw_only=True)
class RecordDisclosure(SupportCommand):
    """Record information disclosed outside the network, with its basis."""

    disclosure_id: str = attrs.field(validator=text)
    recipient_body: str = attrs.field(validator=text)
    basis: DisclosureBasis | None


@attrs.frozen(kw_only=True)
class ReportAggression(SupportCommand):
    """Report aggressive behaviour (MOU NOTE 6)."""


@attrs.frozen(kw_only=True)
class CeaseSupport(SupportCommand):
    """Cease support after aggressive behaviour (MOU NOTE 6)."""


@attrs.frozen(kw_only=True)
class CloseCase(SupportCommand):
    """Close the case with an outcome (MOU CLIENT 3)."""

    outcome: ClosureOutcome


@attrs.frozen(kw_only=True)
class DestroyNotes(SupportCommand):
    """Destroy the case's summary notes after (or, with a reason, before) retention."""

    reason: str | None = None
