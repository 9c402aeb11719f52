"""State of a Programme and of a PeerGroup; evolve applies facts only."""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from pastoral_core.eventlog import Event
from pastoral_core.kernel import EMPTY, replace, with_item
from pastoral_core.peer_groups._events import (
    AttendeeEnrolled,
    AttendeeWithdrawn,
    EvaluationResponseRecorded,
    EvaluationRoundOpened,
    FacilitatorAppointed,
    FacilitatorMinutesClaimed,
    GroupApproved,
    GroupDeclined,
    GroupProposed,
    GroupSetUp,
    MeetingCancelled,
    MeetingHeld,
    MeetingsPlanned,
    ModalitySet,
    ProgrammeStarted,
)
from pastoral_core.peer_groups._model import MeetingStatus, Modality, PlannedMeeting, Profession, Score
from pastoral_core.peer_groups._state_rows import GROUP_COLUMNS, PROGRAMME_COLUMNS, group_rows, programme_rows
from pastoral_core.tables import Row, Table

# -- Programme --------------------------------------------------------------------------


@attrs.frozen
class Programme(Table):
    """A funder's programme: its terms, and the groups proposed, approved and declined.

    It is also the read model peer-group decisions consult for a group's approval. As a
    table: its terms, then one row per group (under ``PROGRAMME_COLUMNS``).
    """

    columns = PROGRAMME_COLUMNS
    caption = "Programme: terms and groups"

    started: ProgrammeStarted | None = None
    proposals: Mapping[str, str] = EMPTY
    approved: Mapping[str, GroupApproved] = EMPTY
    declined: frozenset[str] = frozenset()

    def to_rows(self) -> list[Row]:
        """The programme's terms and each group proposed, one row each (no reasons)."""
        return programme_rows(self)


def evolve_programme(state: Programme, event: Event) -> Programme:
    """Apply one programme event."""
    match event:
        case ProgrammeStarted():
            return replace(state, started=event)
        case GroupProposed(group_id=gid, region=region):
            return replace(state, proposals=with_item(state.proposals, gid, region))
        case GroupApproved(group_id=gid):
            return replace(state, approved=with_item(state.approved, gid, event))
        case GroupDeclined(group_id=gid):
            return replace(state, declined=state.declined | {gid})
    return state


# -- Peer group -------------------------------------------------------------------------


@attrs.frozen
class Meeting:
    """A planned meeting and what became of it."""

    planned: PlannedMeeting
    status: MeetingStatus = MeetingStatus.PLANNED
    held: MeetingHeld | None = None
    claimed: bool = False


@attrs.frozen
class PeerGroup(Table):
    """One funded peer support group, folded from its events.

    As a table: the group, its facilitator, attendees, meetings, evaluation rounds and
    funding, one row each (under ``GROUP_COLUMNS``); no answers or individual scores.

    Attributes:
        setup: How it was set up (programme, cap), once set up.
        modality: What kind of group it is.
        facilitator: The independent facilitator, once appointed.
        attendees: Current attendees and their profession.
        ever_enrolled: Everyone who was ever an attendee (the facilitator must not be one).
        meetings: Planned meetings by id.
        funded_used: Facilitator minutes funded so far.
        cost: Facilitator cost so far, GBP.
        claims: Claim ids made.
        rounds: Evaluation rounds by id.
        responses: Scores by (round id, attendee id).
    """

    columns = GROUP_COLUMNS
    caption = "Peer group: attendees, meetings, evaluation and funding"

    setup: GroupSetUp | None = None
    modality: Modality | None = None
    facilitator: str | None = None
    attendees: Mapping[str, Profession] = EMPTY
    ever_enrolled: frozenset[str] = frozenset()
    meetings: Mapping[str, Meeting] = EMPTY
    funded_used: int = 0
    cost: decimal.Decimal = decimal.Decimal("0.00")
    claims: frozenset[str] = frozenset()
    rounds: Mapping[str, EvaluationRoundOpened] = EMPTY
    responses: Mapping[tuple[str, str], tuple[Score, ...]] = EMPTY

    @property
    def cap(self) -> int:
        """Facilitator minutes funded for this group."""
        return self.setup.funded_minutes if self.setup else 0

    @property
    def planned_minutes(self) -> int:
        """Funded minutes of meetings planned and not yet held or cancelled (self-funded ones left out)."""
        return sum(m.planned.funded_minutes for m in self.meetings.values() if m.status is MeetingStatus.PLANNED)

    @property
    def remaining_minutes(self) -> int:
        """Funded minutes not yet used."""
        return self.cap - self.funded_used

    def to_rows(self) -> list[Row]:
        """The group's facts and items, one row each (no answers or individual scores)."""
        return group_rows(self)


def _meeting(state: PeerGroup, meeting_id: str, **changes: object) -> PeerGroup:
    return replace(
        state, meetings=with_item(state.meetings, meeting_id, replace(state.meetings[meeting_id], **changes))
    )


def _planned(state: PeerGroup, event: MeetingsPlanned) -> PeerGroup:
    meetings = dict(state.meetings)
    for planned in event.meetings:
        meetings[planned.meeting_id] = Meeting(planned)
    return replace(state, meetings=MappingProxyType(meetings))


def _held(state: PeerGroup, event: MeetingHeld) -> PeerGroup:
    state = _meeting(state, event.meeting_id, status=MeetingStatus.HELD, held=event)
    return replace(state, funded_used=state.funded_used + event.funded_minutes, cost=state.cost + event.cost)


def _claimed(state: PeerGroup, event: FacilitatorMinutesClaimed) -> PeerGroup:
    for meeting_id in event.meeting_ids:
        state = _meeting(state, meeting_id, claimed=True)
    return replace(state, claims=state.claims | {event.claim_id})


def _withdrawn(state: PeerGroup, attendee_id: str) -> PeerGroup:
    attendees = {k: v for k, v in state.attendees.items() if k != attendee_id}
    return replace(state, attendees=MappingProxyType(attendees))


def evolve_group(state: PeerGroup, event: Event) -> PeerGroup:
    """Apply one peer-group event: a ``match`` on the event class, no rules."""
    match event:
        case GroupSetUp(modality=modality):
            return replace(state, setup=event, modality=modality)
        case ModalitySet(modality=modality):
            return replace(state, modality=modality)
        case FacilitatorAppointed(facilitator_id=fid):
            return replace(state, facilitator=fid)
        case AttendeeEnrolled(attendee_id=aid, profession=profession):
            return replace(
                state, attendees=with_item(state.attendees, aid, profession), ever_enrolled=state.ever_enrolled | {aid}
            )
        case AttendeeWithdrawn(attendee_id=aid):
            return _withdrawn(state, aid)
        case MeetingsPlanned():
            return _planned(state, event)
        case MeetingCancelled(meeting_id=mid):
            return _meeting(state, mid, status=MeetingStatus.CANCELLED)
        case MeetingHeld():
            return _held(state, event)
        case FacilitatorMinutesClaimed():
            return _claimed(state, event)
        case EvaluationRoundOpened(round_id=rid):
            return replace(state, rounds=with_item(state.rounds, rid, event))
        case EvaluationResponseRecorded(round_id=rid, attendee_id=aid, scores=scores):
            return replace(state, responses=with_item(state.responses, (rid, aid), scores))
    return state
