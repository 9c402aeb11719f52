"""Commands for the Programme and PeerGroup aggregates."""

from __future__ import annotations

import datetime as dt

import attrs

from pastoral_core._command import BaseCommand, aware, text
from pastoral_core.peer_groups._model import Frequency, Modality, Profession, RoundKind


@attrs.frozen(kw_only=True)
class StartProgramme(BaseCommand):
    """Start a funder's programme; ``None`` values take the rulebook's parameters.

    Attributes:
        funder: Opaque id of the funder (e.g. "php-gph").
        starts_on: First day of the programme.
        years: How long approvals may be made (GPS-CAPACITY, default 5).
        group_capacity: About how many groups are funded (GPS-CAPACITY, default 50).
        minutes_per_group: Facilitator minutes funded per group (GPS-FUNDING-CAP, 900).
        regions: NHS England regions in remit (GPS-REMIT, default all seven).
    """

    funder: str = attrs.field(validator=text)
    starts_on: dt.date
    years: int | None = None
    group_capacity: int | None = None
    minutes_per_group: int | None = None
    regions: frozenset[str] | None = None


@attrs.frozen(kw_only=True)
class ProposeGroup(BaseCommand):
    """Propose a group for funding in a region."""

    group_id: str = attrs.field(validator=text)
    region: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class ApproveGroup(BaseCommand):
    """Approve a proposed group, reserving its funded minutes."""

    group_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class DeclineGroup(BaseCommand):
    """Decline a proposed group, with the reason."""

    group_id: str = attrs.field(validator=text)
    reason: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class SetUpGroup(BaseCommand):
    """Set up an approved group (its stream) with its modality."""

    group_id: str = attrs.field(validator=text)
    programme_id: str = attrs.field(validator=text)
    modality: Modality


@attrs.frozen(kw_only=True)
class SetModality(BaseCommand):
    """Change the group's modality."""

    modality: Modality


@attrs.frozen(kw_only=True)
class AppointFacilitator(BaseCommand):
    """Appoint the group's independent facilitator."""

    facilitator_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class EnrolAttendee(BaseCommand):
    """Enrol a GP or GP trainee."""

    attendee_id: str = attrs.field(validator=text)
    profession: Profession


@attrs.frozen(kw_only=True)
class WithdrawAttendee(BaseCommand):
    """An attendee leaves the group."""

    attendee_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class PlanSeries(BaseCommand):
    """Plan ``count`` meetings recurring weekly, fortnightly or monthly from ``first_at``.

    A monthly series started on the 29th-31st falls on the last day of shorter months.
    """

    plan_id: str = attrs.field(validator=text)
    frequency: Frequency
    first_at: dt.datetime = attrs.field(validator=aware)
    count: int
    minutes: int = 90


@attrs.frozen(kw_only=True)
class PlanPeerSupportDay(BaseCommand):
    """Plan a peer support day: several 90-minute blocks in one day (GPS offering)."""

    plan_id: str = attrs.field(validator=text)
    starts_at: dt.datetime = attrs.field(validator=aware)
    blocks: int
    minutes_per_block: int = 90


@attrs.frozen(kw_only=True)
class HoldMeeting(BaseCommand):
    """Record a planned meeting as held, with who attended.

    Attributes:
        meeting_id: The planned meeting.
        attendee_ids: Enrolled attendees present.
        minutes: Actual length, if it differed from the plan.
        self_funded_minutes: Minutes the group pays for itself (beyond the funded cap).
    """

    meeting_id: str = attrs.field(validator=text)
    attendee_ids: frozenset[str]
    minutes: int | None = None
    self_funded_minutes: int = 0


@attrs.frozen(kw_only=True)
class CancelMeeting(BaseCommand):
    """Cancel a planned meeting."""

    meeting_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class ClaimFacilitatorMinutes(BaseCommand):
    """The facilitator claims payment for held meetings."""

    claim_id: str = attrs.field(validator=text)
    meeting_ids: frozenset[str]


@attrs.frozen(kw_only=True)
class OpenEvaluationRound(BaseCommand):
    """Open a baseline or follow-up round with a declared instrument (WEMWBS or CBI)."""

    round_id: str = attrs.field(validator=text)
    kind: RoundKind
    instrument: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class RecordEvaluationResponse(BaseCommand):
    """Record one attendee's answers to a round (scored at once; answers are not kept)."""

    round_id: str = attrs.field(validator=text)
    attendee_id: str = attrs.field(validator=text)
    answers: tuple[int, ...]
