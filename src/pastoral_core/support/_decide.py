"""Case decisions: every PSN rule that applies to a command runs here, once."""

from __future__ import annotations

from pastoral_core._decider import Decision
from pastoral_core.rules._judge import Judge
from pastoral_core.support import _commands as cmd
from pastoral_core.support._auth import SUPPORT_PERMISSIONS
from pastoral_core.support._case_common import Handler, SupportContext
from pastoral_core.support._decide_allocation import add_second_officer, allocate_officer, record_dispute
from pastoral_core.support._decide_records import (
    answer_referral,
    cease_support,
    close_case,
    decline_intervention,
    destroy_notes,
    hold_facilitated_meeting,
    raise_safety_concern,
    receive_request,
    record_disclosure,
    record_note,
    refer_to_service,
    report_aggression,
    resolve_safety_concern,
    respond_to_request,
    second_officer_flag,
    seek_safety_guidance,
    send_mou,
)
from pastoral_core.support._decide_sessions import (
    cancel_session,
    hold_session,
    mark_did_not_attend,
    request_switch,
    review_commitment,
    schedule_session,
)
from pastoral_core.support._policies import ZeroTolerance
from pastoral_core.support._state import Case

#: After support ceased, only these remain (PSN-CONDUCT). Guidance and resolution of a
#: patient-safety concern, and a disclosure, stay possible: a case cannot close while a
#: concern is open (PSN-SAFETY), so forbidding them would trap it (DERIVED).
_AFTER_CESSATION = (
    cmd.RecordNote,
    cmd.CloseCase,
    cmd.DestroyNotes,
    cmd.SeekSafetyGuidance,
    cmd.ResolveSafetyConcern,
    cmd.RecordDisclosure,
)


def decide_case(state: Case, command: cmd.SupportCommand, context: SupportContext) -> Decision:
    """Decide one command on a case: AUTH, lifecycle, then every rule that applies.

    Raises:
        Refused: With every denying verdict, each with its rule ID and clause.
        NoRulebookInForce: If the command predates every rulebook version.
    """
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"{type(command).__name__} is not a case command")
    judge = Judge.for_command(context.rulebooks, SUPPORT_PERMISSIONS, command)
    if not isinstance(command, cmd.ReceiveRequest):
        judge.must(state.received, "no request has been received for this case")
    if state.closure is not None:
        judge.must(
            isinstance(command, cmd.DestroyNotes),
            f"the case closed on {state.closure.closed_on.isoformat()}; only the notes' destruction remains",
        )
    if state.ceased:
        judge.must(
            isinstance(command, _AFTER_CESSATION),
            "support has ceased; only notes, retention and closure are allowed",
            rule=judge.rule(ZeroTolerance),
        )
    events = list(handler(state, command, context, judge))
    second_officer_flag(state, command, judge, events)
    return judge.decision(events, command.at)


_HANDLERS: dict[type, Handler] = {
    cmd.ReceiveRequest: receive_request,
    cmd.RespondToRequest: respond_to_request,
    cmd.SendMou: send_mou,
    cmd.AllocateOfficer: allocate_officer,
    cmd.AddSecondOfficer: add_second_officer,
    cmd.RecordDispute: record_dispute,
    cmd.ScheduleSession: schedule_session,
    cmd.HoldSession: hold_session,
    cmd.CancelSession: cancel_session,
    cmd.MarkDidNotAttend: mark_did_not_attend,
    cmd.RequestSwitch: request_switch,
    cmd.ReviewCommitment: review_commitment,
    cmd.ReferToService: refer_to_service,
    cmd.AnswerReferral: answer_referral,
    cmd.HoldFacilitatedMeeting: hold_facilitated_meeting,
    cmd.DeclineIntervention: decline_intervention,
    cmd.RecordNote: record_note,
    cmd.RaiseSafetyConcern: raise_safety_concern,
    cmd.SeekSafetyGuidance: seek_safety_guidance,
    cmd.ResolveSafetyConcern: resolve_safety_concern,
    cmd.RecordDisclosure: record_disclosure,
    cmd.ReportAggression: report_aggression,
    cmd.CeaseSupport: cease_support,
    cmd.CloseCase: close_case,
    cmd.DestroyNotes: destroy_notes,
}

#: Every case command class.


CASE_COMMANDS = tuple(_HANDLERS)
