"""Every PSN rule as a cited policy object, and the DEVON_PSN rulebook.

Sources: the Devon LMC Pastoral Support Network Memorandum of Understanding (``MOU``);
clause numbers as in the rules register, ``pastoral_core.rules.REGISTER`` (``LMC n``, ``CLIENT n``, ``NOTE n``).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from pastoral_core.rules import CONFIDENTIAL, Citation, LateEntry, Rulebook, Rulebooks, Transition, WorkingCalendar
from pastoral_core.support._model import Background, ClosureOutcome, DisclosureBasis, RecipientKind
from pastoral_core.values import Count, Label, Money, Months, Validated, Years


@attrs.frozen
class ResponseTime(Validated):
    """PSN-RESPONSE: first response due within N working days of receipt (flag if late)."""

    rule_id: ClassVar[str] = "PSN-RESPONSE"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 4")
    working_days: Count = 2
    cutoff: dt.time = dt.time(17, 0)
    tz: Label = "Europe/London"

    def calendar(self, nation: str) -> WorkingCalendar:
        """The working calendar for a client in ``nation`` with this rule's cut-off."""
        return WorkingCalendar(nation=nation, cutoff=self.cutoff, tz=self.tz)


@attrs.frozen
class MouFirst(Validated):
    """PSN-MOU-FIRST: the MoU is sent before the first meeting takes place."""

    rule_id: ClassVar[str] = "PSN-MOU-FIRST"
    citation: ClassVar[Citation] = Citation("MOU", "intro")


@attrs.frozen
class Roster(Validated):
    """PSN-ROSTER: only an officer enrolled and active in the network can be allocated."""

    rule_id: ClassVar[str] = "PSN-ROSTER"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 2, 6")


DEFAULT_SKILLS_MATRIX: tuple[tuple[RecipientKind, frozenset[Background]], ...] = (
    (RecipientKind.GP, frozenset({Background.GP})),
    (RecipientKind.PRACTICE_MANAGER, frozenset({Background.PRACTICE_MANAGER, Background.LAY})),
    (RecipientKind.PRACTICE, frozenset(Background)),
)


@attrs.frozen
class SkillsMatch(Validated):
    """PSN-SKILLS: the officer's background suits the recipient (overridable)."""

    rule_id: ClassVar[str] = "PSN-SKILLS"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 6")
    matrix: tuple[tuple[RecipientKind, frozenset[Background]], ...] = DEFAULT_SKILLS_MATRIX
    overridable: bool = True

    def suits(self, recipient: RecipientKind, background: Background) -> bool:
        """Whether an officer with ``background`` may support a ``recipient``."""
        return any(kind is recipient and background in allowed for kind, allowed in self.matrix)


@attrs.frozen
class OwnPracticeConflict(Validated):
    """PSN-CONFLICT: an officer may not support a member of their own practice."""

    rule_id: ClassVar[str] = "PSN-CONFLICT"
    citation: ClassVar[Citation] = Citation("DERIVED", "from MOU LMC 5-6 (confidentiality, suitability)")


@attrs.frozen
class OfficerSwitch(Validated):
    """PSN-SWITCH: a recipient may switch officer, never back to one they had before.

    After the request there is no further session with the old officer; the next officer
    is one this recipient has not had; the session count carries over.
    """

    rule_id: ClassVar[str] = "PSN-SWITCH"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 6")


@attrs.frozen
class SeparateOfficers(Validated):
    """PSN-SEPARATE: parties in dispute in a practice case may not share one officer."""

    rule_id: ClassVar[str] = "PSN-SEPARATE"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 8")
    enabled: bool = True


@attrs.frozen
class SecondOfficer(Validated):
    """PSN-SECOND: a second officer for consultation, never the lead.

    Partnership and complex cases without one after N working days are flagged.
    """

    rule_id: ClassVar[str] = "PSN-SECOND"
    citation: ClassVar[Citation] = Citation("MOU", "NOTE 2")
    flag_after_working_days: Count = 5


@attrs.frozen
class SessionAllowance(Validated):
    """PSN-ALLOWANCE: up to S sessions within M months of the first session held (+ grace).

    A session beyond the count or after the window needs a commitment review first. A
    did-not-attend counts as a session; a cancellation with notice does not. When a new
    version takes effect, ``in_progress`` says whether engagements already under way take
    its allowance for sessions from its first day (the default) or keep the one in force
    when their first session was held.
    """

    rule_id: ClassVar[str] = "PSN-ALLOWANCE"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 4, CLIENT 4")
    sessions: Count = 6
    months: Months = 3
    grace_days: Count = 14
    dna_counts: bool = True
    late_cancellation_counts: bool = True
    in_progress: Transition = Transition.FROM_EFFECTIVE_DATE


@attrs.frozen
class CommitmentReview(Validated):
    """PSN-REVIEW: once the allowance is used or its window has passed, a coordinator reviews.

    The review extends (k sessions over m months, with a funding arrangement) or concludes.
    """

    rule_id: ClassVar[str] = "PSN-REVIEW"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 4")


@attrs.frozen
class CostShare(Validated):
    """PSN-COST-SHARE: sessions after the initial allowance are paid as the review decided.

    A practice manager's share is paid by their practice. GBP, half-up to the penny.
    No rate ships with the library: costing a session is refused until the host sets its
    own (``DEVON_PSN_V1.adapted("EXETER_PSN", CostShare(session_rate=Decimal("75.00")))``),
    so a forgotten rate never charges a silent £0.
    """

    rule_id: ClassVar[str] = "PSN-COST-SHARE"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 4")
    session_rate: Money | None = None


DEFAULT_SERVICES = ("legal", "occupational_health", "career_counselling", "mediation")


@attrs.frozen
class WiderNetworkReferral(Validated):
    """PSN-REFERRAL: referral to a service of the wider network; the answer is recorded."""

    rule_id: ClassVar[str] = "PSN-REFERRAL"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 7, CLIENT 6")
    services: tuple[Label, ...] = DEFAULT_SERVICES


@attrs.frozen
class ChargeableServices(Validated):
    """PSN-CHARGE: a chargeable service is charged to the individual who sought it."""

    rule_id: ClassVar[str] = "PSN-CHARGE"
    citation: ClassVar[Citation] = Citation("MOU", "NOTE 4")
    chargeable: tuple[Label, ...] = ()


@attrs.frozen
class FacilitatedTools(Validated):
    """PSN-TOOLS: facilitated partner/practice meetings and mediation.

    Attendees are members of the case's practice; the facilitator is an allocated officer.
    """

    rule_id: ClassVar[str] = "PSN-TOOLS"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 10")


@attrs.frozen
class InterventionBoundary(Validated):
    """PSN-BOUNDARY: the LMC (a coordinator) may decline a requested intervention."""

    rule_id: ClassVar[str] = "PSN-BOUNDARY"
    citation: ClassVar[Citation] = Citation("MOU", "NOTE 5")


@attrs.frozen
class NoteAuthor(Validated):
    """PSN-NOTE-AUTHOR: only an officer allocated to the case records summary notes."""

    rule_id: ClassVar[str] = "PSN-NOTE-AUTHOR"
    citation: ClassVar[Citation] = Citation("MOU", "NOTE 1")


@attrs.frozen
class NoteLength(Validated):
    """PSN-NOTE-LIMITED: summary notes are limited in length."""

    rule_id: ClassVar[str] = "PSN-NOTE-LIMITED"
    citation: ClassVar[Citation] = Citation("MOU", "NOTE 1")
    max_chars: Count = 1000


@attrs.frozen
class NoteScreen(Validated):
    """PSN-NOTE-SENSITIVE: notes contain no sensitive information (screened; never echoed)."""

    rule_id: ClassVar[str] = "PSN-NOTE-SENSITIVE"
    citation: ClassVar[Citation] = Citation("MOU", "NOTE 1")
    terms: tuple[Label, ...] = attrs.field(default=(), metadata=CONFIDENTIAL)


@attrs.frozen
class NoteRetention(Validated):
    """PSN-RETENTION: the Caldicott Guardian destroys notes after the retention period.

    The period runs from closure; destruction before it ends needs a recorded reason.
    """

    rule_id: ClassVar[str] = "PSN-RETENTION"
    citation: ClassVar[Citation] = Citation(
        "MOU", "NOTE 1 (period DERIVED: UK GDPR storage limitation; six-year civil claims period)"
    )
    years: Years = 6


@attrs.frozen
class PatientSafety(Validated):
    """PSN-SAFETY: a patient-safety concern is raised, guidance sought, the outcome recorded.

    A case cannot close while a concern is open.
    """

    rule_id: ClassVar[str] = "PSN-SAFETY"
    citation: ClassVar[Citation] = Citation("MOU", "NOTE 3")


@attrs.frozen
class ZeroTolerance(Validated):
    """PSN-CONDUCT: aggressive behaviour is recorded; the LMC may then cease support.

    After cessation only notes, retention and closure are allowed.
    """

    rule_id: ClassVar[str] = "PSN-CONDUCT"
    citation: ClassVar[Citation] = Citation("MOU", "NOTE 6")


@attrs.frozen
class Closure(Validated):
    """PSN-CLOSE: closure records an outcome; open engagements end; retention starts."""

    rule_id: ClassVar[str] = "PSN-CLOSE"
    citation: ClassVar[Citation] = Citation("MOU", "CLIENT 3")
    outcomes: tuple[ClosureOutcome, ...] = tuple(ClosureOutcome)


@attrs.frozen
class Confidentiality(Validated):
    """PSN-CONFIDENTIAL: a disclosure outside the network needs a basis."""

    rule_id: ClassVar[str] = "PSN-CONFIDENTIAL"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 5, NOTE 3")
    bases: tuple[DisclosureBasis, ...] = tuple(DisclosureBasis)


#: Devon LMC Pastoral Support Network, version 1. The MoU carries no date; 2019-01-01 is
#: the start date used for the network's records.
DEVON_PSN_V1 = Rulebook(
    "DEVON_PSN",
    1,
    dt.date(2019, 1, 1),
    (
        ResponseTime(),
        MouFirst(),
        Roster(),
        SkillsMatch(),
        OwnPracticeConflict(),
        OfficerSwitch(),
        SeparateOfficers(),
        SecondOfficer(),
        SessionAllowance(),
        CommitmentReview(),
        CostShare(),
        WiderNetworkReferral(),
        ChargeableServices(),
        FacilitatedTools(),
        InterventionBoundary(),
        NoteAuthor(),
        NoteLength(),
        NoteScreen(),
        NoteRetention(),
        PatientSafety(),
        ZeroTolerance(),
        Closure(),
        Confidentiality(),
        LateEntry(),
    ),
)

#: Every version of the Devon rulebook (one so far).
DEVON_PSN = Rulebooks((DEVON_PSN_V1,))
