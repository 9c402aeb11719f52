"""AUTH over every command x role pair; the Network aggregate; TIME on every command."""

import datetime as dt
from decimal import Decimal

import pytest

from pastoral_core.support import (
    CASE,
    CASE_COMMANDS,
    NETWORK,
    NETWORK_COMMANDS,
    SUPPORT_PERMISSIONS,
    AddSecondOfficer,
    AllocateOfficer,
    AnswerReferral,
    Background,
    CancelSession,
    CeaseSupport,
    CloseCase,
    ClosureOutcome,
    DeclineIntervention,
    DestroyNotes,
    DisclosureBasis,
    EnrolOfficer,
    Funding,
    HoldFacilitatedMeeting,
    HoldSession,
    MarkDidNotAttend,
    MeetingKind,
    OfficerEnrolled,
    OfficerReinstated,
    OfficerStatus,
    OfficerSuspended,
    OfficerWithdrawn,
    Payer,
    RaiseSafetyConcern,
    ReceiveRequest,
    Recipient,
    RecipientKind,
    RecordDisclosure,
    RecordDispute,
    RecordNote,
    ReferralAnswer,
    ReferToService,
    ReinstateOfficer,
    ReportAggression,
    RequestSwitch,
    ResolveSafetyConcern,
    RespondToRequest,
    ReviewCommitment,
    ReviewDecision,
    Role,
    SafetyOutcome,
    ScheduleSession,
    SeekSafetyGuidance,
    SendMou,
    SuspendOfficer,
    WithdrawOfficer,
)
from pastoral_core.testing import Scenario, assert_permission_enforced
from tests.support.helpers import (
    CONTEXT,
    GP_A,
    GP_B,
    T0,
    allocate,
    at,
    command,
    history,
    mou,
    practice_request,
    schedule,
    state_of,
)

FIELDS = {
    ReceiveRequest: {"kind": RecipientKind.GP, "recipients": (Recipient("gp-z", RecipientKind.GP),)},
    RespondToRequest: {},
    SendMou: {"terms_version": "v2"},
    AllocateOfficer: {"recipient_id": GP_B, "officer_id": "off-gp-2"},
    AddSecondOfficer: {"officer_id": "off-gp-3"},
    RecordDispute: {"party_ids": frozenset({GP_A, GP_B})},
    ScheduleSession: {"session_id": "s2", "recipient_id": GP_A, "starts_at": at(2027, 1, 20)},
    HoldSession: {"session_id": "s1"},
    CancelSession: {"session_id": "s1", "with_notice": True},
    MarkDidNotAttend: {"session_id": "s1"},
    RequestSwitch: {"recipient_id": GP_A},
    ReviewCommitment: {
        "recipient_id": GP_A,
        "decision": ReviewDecision.EXTEND,
        "sessions": 2,
        "months": 1,
        "funding": Funding(Payer.SHARED, Decimal(50)),
    },
    ReferToService: {"referral_id": "r2", "recipient_id": GP_A, "service": "legal"},
    AnswerReferral: {"referral_id": "r1", "answer": ReferralAnswer.ACCEPTED},
    HoldFacilitatedMeeting: {
        "meeting_id": "m1",
        "kind": MeetingKind.PARTNER_MEETING,
        "facilitator_id": "off-gp-1",
        "attendee_ids": frozenset({GP_A}),
    },
    DeclineIntervention: {"intervention": "x", "reason": "y"},
    RecordNote: {"note_id": "n1", "text": "met"},
    RaiseSafetyConcern: {"concern_id": "c2"},
    SeekSafetyGuidance: {"concern_id": "c1", "source": "medical director"},
    ResolveSafetyConcern: {"concern_id": "c1", "outcome": SafetyOutcome.NO_FURTHER_ACTION},
    RecordDisclosure: {"disclosure_id": "d1", "recipient_body": "GMC", "basis": DisclosureBasis.LEGAL_DUTY},
    ReportAggression: {},
    CeaseSupport: {},
    CloseCase: {"outcome": ClosureOutcome.RESOLVED},
    DestroyNotes: {"reason": "erasure request"},
    EnrolOfficer: {"officer_id": "off-new", "background": Background.LAY},
    SuspendOfficer: {"officer_id": "off-gp-1"},
    ReinstateOfficer: {"officer_id": "off-gp-away"},
    WithdrawOfficer: {"officer_id": "off-gp-1"},
}

RICH = state_of(
    history(
        practice_request(),
        mou(),
        allocate(GP_A, "off-gp-1"),
        schedule("s1", GP_A, at(2027, 1, 15)),
        command(ReferToService, referral_id="r1", recipient_id=GP_A, service="mediation"),
        command(RaiseSafetyConcern, role=Role.OFFICER, actor="off-gp-1", concern_id="c1"),
    )
)


def test_every_command_has_a_permission_and_a_sample():
    names = {c.__name__ for c in (*CASE_COMMANDS, *NETWORK_COMMANDS)}
    assert names == set(SUPPORT_PERMISSIONS.table)
    assert set(FIELDS) == {*CASE_COMMANDS, *NETWORK_COMMANDS}


def actor_for(role):
    return {Role.OFFICER: "off-gp-1", Role.RECIPIENT: GP_A, Role.CALDICOTT_GUARDIAN: "cg-1"}.get(role, "coord-1")


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("cls", [*CASE_COMMANDS, *NETWORK_COMMANDS], ids=lambda c: c.__name__)
def test_AUTH_every_command_by_every_role(cls, role):
    permission = SUPPORT_PERMISSIONS.table[cls.__name__]
    decider, state = (NETWORK, CONTEXT.directory) if cls in NETWORK_COMMANDS else (CASE, RICH)
    c = command(cls, at(2027, 1, 16), role=role, actor=actor_for(role), **FIELDS[cls])
    refused = assert_permission_enforced(decider, state, c, CONTEXT, SUPPORT_PERMISSIONS)
    if role.value not in permission.roles:
        assert refused.rule_ids == (permission.rule_id,)


def test_AUTH_the_table_names_the_source_rule_where_one_restricts_the_role():
    named = {n: p.rule_id for n, p in SUPPORT_PERMISSIONS.table.items() if p.rule_id != "AUTH"}
    assert named == {
        "ReviewCommitment": "PSN-REVIEW",
        "DeclineIntervention": "PSN-BOUNDARY",
        "RecordNote": "PSN-NOTE-AUTHOR",
        "CeaseSupport": "PSN-CONDUCT",
        "DestroyNotes": "PSN-RETENTION",
    }


# -- TIME ------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [*CASE_COMMANDS, *NETWORK_COMMANDS], ids=lambda c: c.__name__)
def test_TIME_every_command_refuses_a_naive_time(cls):
    with pytest.raises(ValueError, match="must be timezone-aware"):
        cls(command_id="c", actor="a", role=Role.COORDINATOR, at=dt.datetime(2027, 1, 1, 9), **FIELDS[cls])


def test_commands_refuse_blank_ids_and_unknown_roles():
    with pytest.raises(ValueError, match="command_id must be a non-empty string"):
        SendMou(command_id=" ", actor="a", role=Role.COORDINATOR, at=T0, terms_version="v1")
    with pytest.raises(ValueError, match="role must be a Role"):
        SendMou(command_id="c", actor="a", role="coordinator", at=T0, terms_version="v1")


# -- Network (PSN-ROSTER's directory) ---------------------------------------------------------


def network(*events):
    return Scenario(NETWORK, CONTEXT).given(*events)


ENROLLED = OfficerEnrolled("off-9", Background.PRACTICE_MANAGER, "P-1", frozenset({"hr"}))


def test_enrol_suspend_reinstate_withdraw():
    network().when(
        command(
            EnrolOfficer,
            officer_id="off-9",
            background=Background.PRACTICE_MANAGER,
            practice_id="P-1",
            skills=frozenset({"hr"}),
        )
    ).then(ENROLLED)
    network(ENROLLED).when(command(SuspendOfficer, officer_id="off-9")).then(OfficerSuspended("off-9"))
    network(ENROLLED, OfficerSuspended("off-9")).when(command(ReinstateOfficer, officer_id="off-9")).then(
        OfficerReinstated("off-9")
    )
    network(ENROLLED).when(command(WithdrawOfficer, officer_id="off-9")).then(OfficerWithdrawn("off-9"))


@pytest.mark.parametrize(
    ("given", "cls"),
    [
        ((ENROLLED,), EnrolOfficer),
        ((), SuspendOfficer),
        ((ENROLLED,), ReinstateOfficer),
        ((ENROLLED, OfficerSuspended("off-9")), SuspendOfficer),
        ((ENROLLED, OfficerWithdrawn("off-9")), WithdrawOfficer),
        ((ENROLLED, OfficerWithdrawn("off-9")), ReinstateOfficer),
    ],
)
def test_network_commands_that_do_not_fit_the_officers_standing_are_refused(given, cls):
    fields = {"officer_id": "off-9"}
    if cls is EnrolOfficer:
        fields["background"] = Background.LAY
    network(*given).when(command(cls, **fields)).then_refused("STATE")


def test_the_directory_is_the_network_state():
    directory = NETWORK.initial
    for e in (ENROLLED, OfficerSuspended("off-9")):
        directory = NETWORK.evolve(directory, e)
    assert directory.officer("off-9").status is OfficerStatus.SUSPENDED
    assert directory.officer("off-404") is None


def test_deciders_refuse_commands_of_the_other_aggregate():
    with pytest.raises(TypeError, match="is not a case command"):
        CASE.decide(RICH, command(SuspendOfficer, officer_id="off-gp-1"), CONTEXT)
    with pytest.raises(TypeError, match="is not a network command"):
        NETWORK.decide(CONTEXT.directory, command(SendMou, terms_version="v1"), CONTEXT)
