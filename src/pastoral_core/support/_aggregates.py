"""The Case and Network aggregates, each declared once: stream category, state, evolve, command table.

The tables are the one place that says who may issue each command (rule AUTH, or the
source rule that names the role) and what holding that role *on this case* means (rule
SCOPE: an officer acts on the cases and engagements allocated to them; a recipient acts
for themselves).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pastoral_core.kernel import Aggregate, Scope, handles
from pastoral_core.rules import Judge
from pastoral_core.support import _commands as cmd
from pastoral_core.support._context import SupportContext
from pastoral_core.support._decide_allocation import add_second_officer, allocate_officer, record_dispute
from pastoral_core.support._decide_notes import destroy_notes, record_note
from pastoral_core.support._decide_referrals import (
    answer_referral,
    decline_intervention,
    hold_facilitated_meeting,
    refer_to_service,
)
from pastoral_core.support._decide_request import receive_request, respond_to_request, second_officer_flag, send_mou
from pastoral_core.support._decide_safety import (
    cease_support,
    close_case,
    raise_safety_concern,
    record_disclosure,
    report_aggression,
    resolve_safety_concern,
    seek_safety_guidance,
)
from pastoral_core.support._decide_sessions import (
    cancel_session,
    hold_session,
    mark_did_not_attend,
    request_switch,
    review_commitment,
    schedule_session,
)
from pastoral_core.support._directory import Directory, evolve_network
from pastoral_core.support._evolve_case import CaseDraft, evolve_case
from pastoral_core.support._model import OfficerStatus
from pastoral_core.support._network import enrol_officer, reinstate_officer, suspend_officer, withdraw_officer
from pastoral_core.support._policies import (
    CommitmentReview,
    FacilitatedTools,
    InterventionBoundary,
    NoteAuthor,
    NoteRetention,
    PatientSafety,
    ZeroTolerance,
)
from pastoral_core.support._roles import SupportRole
from pastoral_core.support._state import Case

COORDINATOR = SupportRole.COORDINATOR
OFFICER = SupportRole.OFFICER
RECIPIENT = SupportRole.RECIPIENT
GUARDIAN = SupportRole.CALDICOTT_GUARDIAN


# -- SCOPE: where an officer or a recipient may act --------------------------------------------


def on_case(case: Case, command: Any, context: SupportContext) -> str | None:
    """An officer acts only on a case they are allocated to (a lead or the second officer).

    And only while they belong to the network: a withdrawn officer has left it.
    """
    if command.role is not OFFICER:
        return None
    if command.actor not in case.allocated_officers:
        return f"{command.actor} is not an officer allocated to this case"
    return _still_in_network(command.actor, context)


def _still_in_network(officer_id: str, context: SupportContext) -> str | None:
    officer = context.directory.officer(officer_id)
    if officer is None or officer.status is OfficerStatus.WITHDRAWN:
        return f"{officer_id} is no longer an officer of the network"
    return None


def _on_engagement(recipient_of: Callable[[Case, Any], str | None]) -> Scope[Case, SupportContext]:
    """An officer acts on the engagement they lead (or as second officer); a recipient for themselves.

    ``recipient_of`` finds the recipient the command concerns.
    """

    def scope(case: Case, command: Any, context: SupportContext) -> str | None:
        recipient = recipient_of(case, command)
        if command.role is OFFICER:
            if recipient is None:
                return on_case(case, command, context)
            if command.actor != case.second_officer and case.lead_of(recipient) != command.actor:
                return f"{command.actor} is not the officer allocated to {recipient}'s support on this case"
            return _still_in_network(command.actor, context)
        if command.role is RECIPIENT and (recipient is None or command.actor != recipient):
            return "a recipient acts only for themselves"
        return None

    return scope


def _session_recipient(case: Case, command: Any) -> str | None:
    session = case.sessions.get(command.session_id)
    return session.recipient_id if session else None


def _referral_recipient(case: Case, command: Any) -> str | None:
    referral = case.referrals.get(command.referral_id)
    return referral.recipient_id if referral else None


def _named_recipient(case: Case, command: Any) -> str | None:
    recipient_id: str = command.recipient_id
    return recipient_id


by_recipient = _on_engagement(_named_recipient)
by_session = _on_engagement(_session_recipient)
by_referral = _on_engagement(_referral_recipient)


# -- the case's lifecycle ----------------------------------------------------------------------

#: After support ceased, only these remain (PSN-CONDUCT). Guidance and resolution of a
#: patient-safety concern, and a disclosure, stay possible: a case cannot close while a
#: concern is open (PSN-SAFETY), so forbidding them would trap it (DERIVED).
AFTER_CESSATION = frozenset(
    {
        cmd.RecordNote,
        cmd.CloseCase,
        cmd.DestroyNotes,
        cmd.SeekSafetyGuidance,
        cmd.ResolveSafetyConcern,
        cmd.RecordDisclosure,
    }
)


def case_lifecycle(case: Case, command: Any, context: SupportContext, judge: Judge) -> None:
    """Before every case command: a request first, nothing after closure but destroying notes.

    After cessation only notes, safety, closure and retention remain (PSN-CONDUCT).
    """
    kind = type(command)
    if kind is not cmd.ReceiveRequest:
        judge.refuse_unless(case.received, "no request has been received for this case")
    if case.closure is not None:
        judge.refuse_unless(
            kind is cmd.DestroyNotes,
            f"the case closed on {case.closure.closed_on.isoformat()}; only the notes' destruction remains",
        )
    if case.ceased:
        judge.refuse_unless(
            kind in AFTER_CESSATION,
            "support has ceased; only notes, retention and closure are allowed",
            rule=judge.rule(ZeroTolerance),
        )


#: The Case aggregate: one stream per request for support (``case-<id>``).
CASE: Aggregate[Case, SupportContext] = Aggregate(
    name="Case",
    category="case",
    initial=Case(),
    evolve=evolve_case,
    draft=CaseDraft,
    commands={
        cmd.ReceiveRequest: handles(receive_request, COORDINATOR),
        cmd.RespondToRequest: handles(respond_to_request, COORDINATOR, OFFICER, scope=on_case),
        cmd.SendMou: handles(send_mou, COORDINATOR),
        cmd.AllocateOfficer: handles(allocate_officer, COORDINATOR),
        cmd.AddSecondOfficer: handles(add_second_officer, COORDINATOR),
        cmd.RecordDispute: handles(record_dispute, COORDINATOR, OFFICER, scope=on_case),
        cmd.ScheduleSession: handles(schedule_session, COORDINATOR, OFFICER, scope=by_recipient),
        cmd.HoldSession: handles(hold_session, COORDINATOR, OFFICER, scope=by_session),
        cmd.CancelSession: handles(cancel_session, COORDINATOR, OFFICER, RECIPIENT, scope=by_session),
        cmd.MarkDidNotAttend: handles(mark_did_not_attend, COORDINATOR, OFFICER, scope=by_session),
        cmd.RequestSwitch: handles(request_switch, COORDINATOR, RECIPIENT, scope=by_recipient),
        cmd.ReviewCommitment: handles(review_commitment, COORDINATOR, role_rule=CommitmentReview),
        cmd.ReferToService: handles(refer_to_service, COORDINATOR, OFFICER, scope=by_recipient),
        cmd.AnswerReferral: handles(answer_referral, COORDINATOR, OFFICER, RECIPIENT, scope=by_referral),
        cmd.HoldFacilitatedMeeting: handles(
            hold_facilitated_meeting, COORDINATOR, OFFICER, scope=on_case, scope_rule=FacilitatedTools
        ),
        cmd.DeclineIntervention: handles(decline_intervention, COORDINATOR, role_rule=InterventionBoundary),
        cmd.RecordNote: handles(record_note, OFFICER, role_rule=NoteAuthor, scope=on_case, scope_rule=NoteAuthor),
        cmd.RaiseSafetyConcern: handles(raise_safety_concern, OFFICER, scope=on_case, scope_rule=PatientSafety),
        cmd.SeekSafetyGuidance: handles(seek_safety_guidance, COORDINATOR, OFFICER, scope=on_case),
        cmd.ResolveSafetyConcern: handles(resolve_safety_concern, COORDINATOR, OFFICER, scope=on_case),
        cmd.RecordDisclosure: handles(record_disclosure, COORDINATOR, OFFICER, scope=on_case),
        cmd.ReportAggression: handles(report_aggression, COORDINATOR, OFFICER, scope=on_case),
        cmd.CeaseSupport: handles(cease_support, COORDINATOR, role_rule=ZeroTolerance),
        cmd.CloseCase: handles(close_case, COORDINATOR),
        cmd.DestroyNotes: handles(destroy_notes, GUARDIAN, role_rule=NoteRetention),
    },
    context_type=SupportContext,
    roles=SupportRole,
    scoped_roles=frozenset({OFFICER, RECIPIENT}),
    precondition=case_lifecycle,
    afterwards=second_officer_flag,
)

#: The Network aggregate: one stream per LMC's network of officers (``network-<id>``).
NETWORK: Aggregate[Directory, SupportContext] = Aggregate(
    name="Network",
    category="network",
    initial=Directory(),
    evolve=evolve_network,
    commands={
        cmd.EnrolOfficer: handles(enrol_officer, COORDINATOR),
        cmd.SuspendOfficer: handles(suspend_officer, COORDINATOR),
        cmd.ReinstateOfficer: handles(reinstate_officer, COORDINATOR),
        cmd.WithdrawOfficer: handles(withdraw_officer, COORDINATOR),
    },
    context_type=SupportContext,
    roles=SupportRole,
)
