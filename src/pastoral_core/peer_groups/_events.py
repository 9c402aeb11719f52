"""Events of the Programme and PeerGroup aggregates."""

from __future__ import annotations

import datetime as dt
import decimal

import attrs

from pastoral_core.eventlog import Event, event_type
from pastoral_core.peer_groups._model import Modality, PlannedMeeting, Profession, RoundKind, Score
from pastoral_core.values import Reason

# -- Programme --------------------------------------------------------------------------


@event_type("programme.started")
@attrs.frozen
class ProgrammeStarted(Event):
    """A funder started a programme of peer support groups (GPS concept)."""

    funder: str
    starts_on: dt.date
    ends_before: dt.date
    group_capacity: int
    minutes_per_group: int
    regions: frozenset[str]


@event_type("programme.group_proposed")
@attrs.frozen
class GroupProposed(Event):
    """A group was proposed for funding in a region."""

    group_id: str
    region: str


@event_type("programme.group_approved")
@attrs.frozen
class GroupApproved(Event):
    """A group was approved; its facilitator minutes are reserved."""

    group_id: str
    funded_minutes: int
    approved_on: dt.date


@event_type("programme.group_declined")
@attrs.frozen
class GroupDeclined(Event):
    """A proposed group was declined."""

    group_id: str
    reason: Reason


# -- Peer group -------------------------------------------------------------------------


@event_type("group.set_up")
@attrs.frozen
class GroupSetUp(Event):
    """An approved group was set up with its modality and funded-minutes cap."""

    group_id: str
    programme_id: str
    modality: Modality
    funded_minutes: int


@event_type("group.modality_set")
@attrs.frozen
class ModalitySet(Event):
    """The group's modality changed."""

    modality: Modality


@event_type("group.facilitator_appointed")
@attrs.frozen
class FacilitatorAppointed(Event):
    """An independent facilitator was appointed (GPS offering)."""

    facilitator_id: str


@event_type("group.attendee_enrolled")
@attrs.frozen
class AttendeeEnrolled(Event):
    """A GP or GP trainee joined the group."""

    attendee_id: str
    profession: Profession


@event_type("group.attendee_withdrawn")
@attrs.frozen
class AttendeeWithdrawn(Event):
    """An attendee left the group."""

    attendee_id: str


@event_type("group.meetings_planned")
@attrs.frozen
class MeetingsPlanned(Event):
    """A series of meetings (weekly, fortnightly, monthly) or a peer support day was planned."""

    plan_id: str
    meetings: tuple[PlannedMeeting, ...]


@event_type("group.meeting_cancelled")
@attrs.frozen
class MeetingCancelled(Event):
    """A planned meeting was cancelled; its minutes are free again."""

    meeting_id: str


@event_type("group.meeting_held")
@attrs.frozen
class MeetingHeld(Event):
    """A meeting took place: its funded minutes, any self-funded excess, and its cost.

    ``cost`` is ``funded_minutes`` x ``hourly_rate`` / 60, half-up to the penny, with the
    tariff in force on ``held_on`` (GPS-TARIFF).
    """

    meeting_id: str
    held_on: dt.date
    minutes: int
    funded_minutes: int
    self_funded_minutes: int
    attendee_ids: frozenset[str]
    hourly_rate: decimal.Decimal
    cost: decimal.Decimal


@event_type("group.facilitator_minutes_claimed")
@attrs.frozen
class FacilitatorMinutesClaimed(Event):
    """The facilitator claimed payment for held meetings."""

    claim_id: str
    facilitator_id: str
    meeting_ids: frozenset[str]
    funded_minutes: int
    amount: decimal.Decimal


@event_type("group.evaluation_round_opened")
@attrs.frozen
class EvaluationRoundOpened(Event):
    """An evaluation round opened with a declared instrument (GPS concept)."""

    round_id: str
    kind: RoundKind
    instrument: str


@event_type("group.evaluation_response_recorded")
@attrs.frozen
class EvaluationResponseRecorded(Event):
    """An attendee's scored response (scores only: no answers' wording is kept)."""

    round_id: str
    attendee_id: str
    scores: tuple[Score, ...]
