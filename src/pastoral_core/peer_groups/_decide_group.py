"""Peer-group decisions about the group itself: set-up, modality, facilitator, attendees.

Rules GPS-INDEPENDENT, GPS-ELIGIBLE and GPS-SIZE.
"""

from __future__ import annotations

from pastoral_core.eventlog import Event
from pastoral_core.peer_groups import _commands as cmd
from pastoral_core.peer_groups import _events as ev
from pastoral_core.peer_groups._context import PeerSupportContext
from pastoral_core.peer_groups._policies import (
    EligibleAttendees,
    FacilitatorIndependence,
    GroupSize,
)
from pastoral_core.peer_groups._state import PeerGroup
from pastoral_core.rules import Judge, Outcome
from pastoral_core.values import london_date


def set_up_group(group: PeerGroup, command: cmd.SetUpGroup, context: PeerSupportContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(group.setup is None, "the group is already set up")
    programme = context.programmes.get(command.programme_id)
    approval = programme.approved.get(command.group_id) if programme else None
    judge.refuse_unless(
        approval is not None, f"group {command.group_id} is not approved in programme {command.programme_id}"
    )
    assert approval is not None
    day = london_date(command.occurred)
    judge.refuse_unless(
        day >= approval.approved_on,
        f"group {command.group_id} was approved on {approval.approved_on.isoformat()}; "
        f"it cannot be set up on {day.isoformat()}, before that",
    )
    return [ev.GroupSetUp(command.group_id, command.programme_id, command.modality, approval.funded_minutes)]


def set_modality(group: PeerGroup, command: cmd.SetModality, context: PeerSupportContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(command.modality is not group.modality, f"the group is already {command.modality.value}")
    return [ev.ModalitySet(command.modality)]


def appoint_facilitator(
    group: PeerGroup, command: cmd.AppointFacilitator, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(
        command.facilitator_id != group.facilitator, f"{command.facilitator_id} is already the facilitator"
    )
    judge.check(
        judge.rule(FacilitatorIndependence),
        command.facilitator_id not in group.ever_enrolled,
        f"{command.facilitator_id} is (or was) an attendee of this group; "
        "the facilitator must be independent of its GPs",
        "independent of the group's GPs",
    )
    return [ev.FacilitatorAppointed(command.facilitator_id)]


def enrol_attendee(
    group: PeerGroup, command: cmd.EnrolAttendee, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(command.attendee_id not in group.attendees, f"{command.attendee_id} is already enrolled")
    eligible = judge.rule(EligibleAttendees)
    judge.check(
        eligible,
        command.profession in eligible.professions,
        f"attendees are GPs or GP trainees, not {command.profession.value}",
        f"a {command.profession.value.replace('_', ' ')}",
    )
    judge.check(
        judge.rule(FacilitatorIndependence),
        command.attendee_id != group.facilitator,
        f"{command.attendee_id} is the group's facilitator and cannot attend it",
        "not the facilitator",
    )
    size = judge.rule(GroupSize)
    n = len(group.attendees) + 1
    if n > size.circa + size.tolerance:
        judge.check(
            size, False, f"{n} attendees; a group is circa {size.circa} and at most {size.circa + size.tolerance}"
        )
    else:
        judge.check(
            size,
            n <= size.circa,
            f"{n} attendees is above circa {size.circa}",
            f"{n} attendees",
            outcome=Outcome.FLAG,
        )
    return [ev.AttendeeEnrolled(command.attendee_id, command.profession)]


def withdraw_attendee(
    group: PeerGroup, command: cmd.WithdrawAttendee, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(command.attendee_id in group.attendees, f"{command.attendee_id} is not enrolled")
    return [ev.AttendeeWithdrawn(command.attendee_id)]
