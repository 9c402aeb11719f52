"""Case decisions about the wider network and the LMC's tools: PSN-REFERRAL, -CHARGE, -TOOLS, -BOUNDARY."""

from __future__ import annotations

from pastoral_core.eventlog import Event
from pastoral_core.rules import Judge
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._context import SupportContext
from pastoral_core.support._model import (
    RecipientKind,
)
from pastoral_core.support._policies import (
    ChargeableServices,
    FacilitatedTools,
    InterventionBoundary,
    MouFirst,
    WiderNetworkReferral,
)
from pastoral_core.support._state import Case
from pastoral_core.values import london_date


def refer_to_service(case: Case, command: cmd.ReferToService, context: SupportContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(command.referral_id not in case.referrals, f"referral {command.referral_id} already exists")
    judge.refuse_unless(
        command.recipient_id in case.recipients,
        f"{command.recipient_id} is not a recipient of this case",
        invalid_input=True,
    )
    services = judge.rule(WiderNetworkReferral)
    judge.check(
        services,
        command.service in services.services,
        f"the service asked for is not one of the wider network's ({', '.join(services.services)})",
        f"referred to {command.service}",
    )
    charge = judge.rule(ChargeableServices)
    chargeable = command.service in charge.chargeable
    judge.check(charge, True, "", f"charged to {command.recipient_id}" if chargeable else "no charge")
    return [
        ev.Referred(
            command.referral_id, command.recipient_id, command.service, command.recipient_id if chargeable else None
        )
    ]


def answer_referral(case: Case, command: cmd.AnswerReferral, context: SupportContext, judge: Judge) -> list[Event]:
    referral = case.referrals.get(command.referral_id)
    judge.refuse_unless(referral is not None, f"there is no referral {command.referral_id}")
    assert referral is not None
    judge.refuse_unless(
        command.referral_id not in case.answers, f"referral {command.referral_id} has already been answered"
    )
    return [ev.ReferralAnswered(command.referral_id, command.answer)]


def hold_facilitated_meeting(
    case: Case, command: cmd.HoldFacilitatedMeeting, context: SupportContext, judge: Judge
) -> list[Event]:
    assert case.request is not None
    judge.refuse_unless(command.meeting_id not in case.meetings, f"meeting {command.meeting_id} already exists")
    tools = judge.rule(FacilitatedTools)
    members = {r.recipient_id for r in case.request.recipients if r.kind is not RecipientKind.PRACTICE}
    outsiders = sorted(set(command.attendee_ids) - members)
    judge.check(
        tools,
        case.request.kind is RecipientKind.PRACTICE and bool(command.attendee_ids) and not outsiders,
        "attendees must be listed members of the case's practice"
        + (f"; not members: {', '.join(outsiders)}" if outsiders else ""),
        "attendees are members of the practice",
    )
    judge.check(
        tools,
        command.facilitator_id in case.allocated_officers,
        f"{command.facilitator_id} is not an officer allocated to this case",
        "facilitated by an allocated officer",
    )
    judge.check(
        judge.rule(MouFirst),
        case.mou_sent_by(command.occurred),
        "the memorandum of understanding had not been sent when the meeting was held; send it before the first meeting",
        f"the MoU was sent by {command.occurred.isoformat()}",
    )
    return [
        ev.FacilitatedMeetingHeld(
            command.meeting_id,
            command.kind,
            command.facilitator_id,
            frozenset(command.attendee_ids),
            london_date(command.occurred),
        )
    ]


def decline_intervention(
    case: Case, command: cmd.DeclineIntervention, context: SupportContext, judge: Judge
) -> list[Event]:
    # The verdict outlives redaction, so it never quotes what was asked for (free text).
    judge.check(judge.rule(InterventionBoundary), True, "", "the LMC declines the requested intervention")
    return [ev.InterventionDeclined(command.intervention, command.reason)]
