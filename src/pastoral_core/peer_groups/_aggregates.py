"""The Programme and PeerGroup aggregates, each declared once: stream category, state, evolve, command table.

The tables say who may issue each command (rule AUTH) and what holding a role *on this
group* means (rule SCOPE: the facilitator acts on their own group; an attendee acts for
themselves).
"""

from __future__ import annotations

from typing import Any

from pastoral_core.kernel import Aggregate, handles
from pastoral_core.peer_groups import _commands as cmd
from pastoral_core.peer_groups._context import PeerSupportContext
from pastoral_core.peer_groups._decide_evaluation import open_evaluation_round, record_evaluation_response
from pastoral_core.peer_groups._decide_group import (
    appoint_facilitator,
    enrol_attendee,
    set_modality,
    set_up_group,
    withdraw_attendee,
)
from pastoral_core.peer_groups._decide_meetings import (
    cancel_meeting,
    claim_facilitator_minutes,
    hold_meeting,
    plan_peer_support_day,
    plan_series,
)
from pastoral_core.peer_groups._decide_programme import approve_group, decline_group, propose_group, start_programme
from pastoral_core.peer_groups._roles import PeerSupportRole
from pastoral_core.peer_groups._state import PeerGroup, Programme, evolve_group, evolve_programme
from pastoral_core.rules import Judge

LEAD = PeerSupportRole.PROGRAMME_LEAD
COORDINATOR = PeerSupportRole.COORDINATOR
FACILITATOR = PeerSupportRole.FACILITATOR
ATTENDEE = PeerSupportRole.ATTENDEE


def in_group(group: PeerGroup, command: Any, context: PeerSupportContext) -> str | None:
    """The facilitator acts only on the group they facilitate; an attendee only for themselves."""
    if command.role is FACILITATOR and (group.facilitator is None or command.actor != group.facilitator):
        return f"{command.actor} is not this group's facilitator"
    if command.role is ATTENDEE and command.actor != getattr(command, "attendee_id", None):
        return "an attendee acts only for themselves"
    return None


def programme_started(programme: Programme, command: Any, context: PeerSupportContext, judge: Judge) -> None:
    """Before every programme command but the start: the programme has started."""
    if type(command) is not cmd.StartProgramme:
        judge.refuse_unless(programme.started is not None, "the programme has not started")


def group_set_up(group: PeerGroup, command: Any, context: PeerSupportContext, judge: Judge) -> None:
    """Before every group command but the set-up: the group has been set up."""
    if type(command) is not cmd.SetUpGroup:
        judge.refuse_unless(group.setup is not None, "the group has not been set up")


#: The Programme aggregate: one stream per funder programme (``programme-<id>``).
PROGRAMME: Aggregate[Programme, PeerSupportContext] = Aggregate(
    name="Programme",
    category="programme",
    initial=Programme(),
    evolve=evolve_programme,
    commands={
        cmd.StartProgramme: handles(start_programme, LEAD),
        cmd.ProposeGroup: handles(propose_group, LEAD, COORDINATOR),
        cmd.ApproveGroup: handles(approve_group, LEAD),
        cmd.DeclineGroup: handles(decline_group, LEAD),
    },
    context_type=PeerSupportContext,
    roles=PeerSupportRole,
    precondition=programme_started,
)

#: The PeerGroup aggregate: one stream per group (``group-<id>``).
PEER_GROUP: Aggregate[PeerGroup, PeerSupportContext] = Aggregate(
    name="PeerGroup",
    category="group",
    initial=PeerGroup(),
    evolve=evolve_group,
    commands={
        cmd.SetUpGroup: handles(set_up_group, LEAD, COORDINATOR, names_aggregate="group_id"),
        cmd.SetModality: handles(set_modality, COORDINATOR, FACILITATOR, scope=in_group),
        cmd.AppointFacilitator: handles(appoint_facilitator, LEAD, COORDINATOR),
        cmd.EnrolAttendee: handles(enrol_attendee, COORDINATOR, FACILITATOR, scope=in_group),
        cmd.WithdrawAttendee: handles(withdraw_attendee, COORDINATOR, FACILITATOR, ATTENDEE, scope=in_group),
        cmd.PlanSeries: handles(plan_series, COORDINATOR, FACILITATOR, scope=in_group),
        cmd.PlanPeerSupportDay: handles(plan_peer_support_day, COORDINATOR, FACILITATOR, scope=in_group),
        cmd.HoldMeeting: handles(hold_meeting, COORDINATOR, FACILITATOR, scope=in_group),
        cmd.CancelMeeting: handles(cancel_meeting, COORDINATOR, FACILITATOR, scope=in_group),
        cmd.ClaimFacilitatorMinutes: handles(claim_facilitator_minutes, FACILITATOR, scope=in_group),
        cmd.OpenEvaluationRound: handles(open_evaluation_round, LEAD, COORDINATOR),
        cmd.RecordEvaluationResponse: handles(record_evaluation_response, COORDINATOR, ATTENDEE, scope=in_group),
    },
    context_type=PeerSupportContext,
    roles=PeerSupportRole,
    scoped_roles=frozenset({FACILITATOR, ATTENDEE}),
    precondition=group_set_up,
)
