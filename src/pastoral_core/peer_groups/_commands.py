"""Commands for the Programme and PeerGroup aggregates."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from pastoral_core.kernel import Command, command_type
from pastoral_core.peer_groups._model import Frequency, Modality, Profession, RoundKind
from pastoral_core.peer_groups._roles import PeerSupportRole
from pastoral_core.values import Count, Id, Label, Minutes, Reason, Years


@attrs.frozen(kw_only=True)
class PeerSupportCommand(Command):
    """A group peer support command: command id, actor, a :class:`PeerSupportRole`, an aware time."""

    role: PeerSupportRole


@command_type("programme.start")
@attrs.frozen(kw_only=True)
class StartProgramme(PeerSupportCommand):
    """Start a funder's programme; ``None`` values take the rulebook's parameters.

    Attributes:
        funder: Opaque id of the funder (e.g. "php-gph").
        starts_on: First day of the programme.
        years: How long approvals may be made (GPS-CAPACITY, default 5).
        group_capacity: About how many groups are funded (GPS-CAPACITY, default 50).
        minutes_per_group: Facilitator minutes funded per group (GPS-FUNDING-CAP, 900).
        regions: NHS England regions in remit (GPS-REMIT, default all seven).
    """

    funder: Id
    starts_on: dt.date
    years: Years | None = None
    group_capacity: Count | None = None
    minutes_per_group: Minutes | None = None
    regions: frozenset[Label] | None = None


@command_type("programme.propose_group")
@attrs.frozen(kw_only=True)
class ProposeGroup(PeerSupportCommand):
    """Propose a group for funding in a region."""

    group_id: Id
    region: Label


@command_type("programme.approve_group")
@attrs.frozen(kw_only=True)
class ApproveGroup(PeerSupportCommand):
    """Approve a proposed group, reserving its funded minutes."""

    group_id: Id


@command_type("programme.decline_group")
@attrs.frozen(kw_only=True)
class DeclineGroup(PeerSupportCommand):
    """Decline a proposed group, with the reason."""

    group_id: Id
    reason: Reason


@command_type("group.set_up")
@attrs.frozen(kw_only=True)
class SetUpGroup(PeerSupportCommand):
    """Set up an approved group (its stream) with its modality."""

    group_id: Id
    programme_id: Id
    modality: Modality


@command_type("group.set_modality")
@attrs.frozen(kw_only=True)
class SetModality(PeerSupportCommand):
    """Change the group's modality."""

    modality: Modality


@command_type("group.appoint_facilitator")
@attrs.frozen(kw_only=True)
class AppointFacilitator(PeerSupportCommand):
    """Appoint the group's independent facilitator."""

    facilitator_id: Id


@command_type("group.enrol_attendee")
@attrs.frozen(kw_only=True)
class EnrolAttendee(PeerSupportCommand):
    """Enrol a GP or GP trainee."""

    attendee_id: Id
    profession: Profession


@command_type("group.withdraw_attendee")
@attrs.frozen(kw_only=True)
class WithdrawAttendee(PeerSupportCommand):
    """An attendee leaves the group."""

    attendee_id: Id


@command_type("group.plan_series")
@attrs.frozen(kw_only=True)
class PlanSeries(PeerSupportCommand):
    """Plan ``count`` meetings recurring weekly, fortnightly or monthly from ``first_at``.

    A monthly series started on the 29th-31st falls on the last day of shorter months.
    ``self_funded_minutes`` of each meeting are paid by the group itself and need no
    funded minutes (GPS-FUNDING-CAP): set it to ``minutes`` for meetings wholly
    self-funded once the cap is used.
    """

    plan_id: Id
    frequency: Frequency
    first_at: dt.datetime
    count: Count
    minutes: Minutes = 90
    self_funded_minutes: Minutes = 0


@command_type("group.plan_peer_support_day")
@attrs.frozen(kw_only=True)
class PlanPeerSupportDay(PeerSupportCommand):
    """Plan a peer support day: several 90-minute blocks in one day (GPS offering).

    ``self_funded_minutes`` of the day are paid by the group itself (GPS-FUNDING-CAP).
    """

    plan_id: Id
    starts_at: dt.datetime
    blocks: Count
    minutes_per_block: Minutes = 90
    self_funded_minutes: Minutes = 0


@command_type("group.hold_meeting")
@attrs.frozen(kw_only=True)
class HoldMeeting(PeerSupportCommand):
    """Record a planned meeting as held, with who attended.

    Attributes:
        meeting_id: The planned meeting.
        attendee_ids: Enrolled attendees present.
        minutes: Actual length, if it differed from the plan.
        self_funded_minutes: Minutes the group pays for itself (beyond the funded cap).
            ``None``: as planned, the plan's share of the minutes held (a meeting planned
            as 30 self-funded minutes of 120 and held for 100 has 25 self-funded; the
            funded minutes are rounded down).
    """

    meeting_id: Id
    attendee_ids: frozenset[Id]
    minutes: Minutes | None = None
    self_funded_minutes: Minutes | None = None


@command_type("group.cancel_meeting")
@attrs.frozen(kw_only=True)
class CancelMeeting(PeerSupportCommand):
    """Cancel a planned meeting."""

    meeting_id: Id


@command_type("group.claim_facilitator_minutes")
@attrs.frozen(kw_only=True)
class ClaimFacilitatorMinutes(PeerSupportCommand):
    """The facilitator claims payment for held meetings."""

    claim_id: Id
    meeting_ids: frozenset[Id]


@command_type("group.open_evaluation_round")
@attrs.frozen(kw_only=True)
class OpenEvaluationRound(PeerSupportCommand):
    """Open a baseline or follow-up round with a declared instrument (WEMWBS or CBI)."""

    round_id: Id
    kind: RoundKind
    instrument: Label


@command_type("group.record_evaluation_response")
@attrs.frozen(kw_only=True)
class RecordEvaluationResponse(PeerSupportCommand):
    """Record one attendee's answers to a round (scored at once; answers are not kept)."""

    not_kept: ClassVar[frozenset[str]] = frozenset({"answers"})

    round_id: Id
    attendee_id: Id
    answers: tuple[int, ...]
