"""The vocabulary of the Devon LMC Pastoral Support Network MoU, as enums and values."""

from __future__ import annotations

import datetime as dt
import decimal
import enum

import attrs

from pastoral_core.values import Id, Percent


class Background(enum.Enum):
    """An officer's experience (MOU LMC 6: medical (GP) and managerial (practice and lay))."""

    GP = "gp"
    PRACTICE_MANAGER = "practice_manager"
    LAY = "lay"


class OfficerStatus(enum.Enum):
    """An officer's standing in the network."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class RecipientKind(enum.Enum):
    """Who is supported: an individual GP, a practice manager, or a partnership/practice."""

    GP = "gp"
    PRACTICE_MANAGER = "practice_manager"
    PRACTICE = "practice"


class DifficultyKind(enum.Enum):
    """Difficulties internal to a practice or with an external body (MOU LMC 3)."""

    INTERNAL = "internal"
    EXTERNAL = "external"


class SessionStatus(enum.Enum):
    """Where a support session stands."""

    SCHEDULED = "scheduled"
    HELD = "held"
    DID_NOT_ATTEND = "did_not_attend"
    CANCELLED_WITH_NOTICE = "cancelled_with_notice"
    CANCELLED_LATE = "cancelled_late"


class Payer(enum.Enum):
    """Who pays for sessions after the initial allowance (MOU LMC 4)."""

    LMC = "lmc"
    SHARED = "shared"
    RECIPIENT = "recipient"


class ReviewDecision(enum.Enum):
    """The outcome of a commitment review (MOU LMC 4)."""

    EXTEND = "extend"
    CONCLUDE = "conclude"


class MeetingKind(enum.Enum):
    """The specific tools of MOU LMC 10."""

    PARTNER_MEETING = "partner_meeting"
    PRACTICE_MEETING = "practice_meeting"
    MEDIATION = "mediation"


class ReferralAnswer(enum.Enum):
    """The recipient's answer to a referral (MOU CLIENT 6)."""

    ACCEPTED = "accepted"
    DECLINED = "declined"


class SafetyOutcome(enum.Enum):
    """How a patient-safety concern was resolved after guidance (MOU NOTE 3)."""

    NO_FURTHER_ACTION = "no_further_action"
    ESCALATED_TO_RESPONSIBLE_OFFICER = "escalated_to_responsible_officer"
    REFERRED_TO_REGULATOR = "referred_to_regulator"
    OTHER = "other"


class DisclosureBasis(enum.Enum):
    """The only bases for disclosing outside the network (MOU LMC 5, NOTE 3)."""

    CONSENT = "consent"
    PATIENT_SAFETY = "patient_safety"
    LEGAL_DUTY = "legal_duty"


class ClosureOutcome(enum.Enum):
    """How a case ended (MOU CLIENT 3: compromise or separation as well as resolution)."""

    RESOLVED = "resolved"
    COMPROMISE = "compromise"
    SEPARATION = "separation"
    CEASED = "ceased"
    WITHDRAWN = "withdrawn"
    REFERRED_ON = "referred_on"


@attrs.frozen
class Recipient:
    """A person or practice the case supports, by opaque id (rule MINIMAL).

    Attributes:
        recipient_id: Opaque id.
        kind: GP, practice manager, or the practice/partnership as a whole.
    """

    recipient_id: Id
    kind: RecipientKind


@attrs.frozen
class Funding:
    """How sessions granted by a review are paid (PSN-COST-SHARE).

    Attributes:
        payer: LMC, shared, or recipient.
        recipient_percent: With ``SHARED``, the recipient side's percentage (0-100).
    """

    payer: Payer
    recipient_percent: Percent = decimal.Decimal(0)


@attrs.frozen
class Tranche:
    """Sessions granted together: the initial allowance or an extension after review.

    Attributes:
        allowed_total: Sessions counted on the engagement, in all, up to which this
            tranche allows (the initial allowance: S; an extension: used at review + k).
        window_ends: Last date a session of this tranche may be held (``None`` until the
            first session of the initial allowance fixes it).
        funding: ``None`` for the initial allowance (the LMC pays); else the review's.
    """

    allowed_total: int
    window_ends: dt.date | None
    funding: Funding | None = None


@attrs.frozen
class SessionCharge:
    """What a session after the initial allowance costs and who pays (PSN-COST-SHARE).

    Attributes:
        total: The session rate, GBP.
        lmc_share: Paid by the LMC.
        payer_id: Who pays the rest: the recipient, or a practice manager's practice.
        payer_share: Paid by ``payer_id``; ``lmc_share + payer_share == total``.
    """

    total: decimal.Decimal
    lmc_share: decimal.Decimal
    payer_id: str
    payer_share: decimal.Decimal
