"""AUTH over every command x role pair from the tables; SCOPE; TIME on every command; the Network."""

import datetime as dt
from decimal import Decimal

import pytest

from pastoral_core.exceptions import InvalidType, InvalidValue, NaiveDatetimeError
from pastoral_core.kernel import Folded, decide
from pastoral_core.peer_groups import PeerSupportRole
from pastoral_core.rules import Refused
from pastoral_core.support import (
    CASE,
    NETWORK,
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
    SafetyOutcome,
    ScheduleSession,
    SeekSafetyGuidance,
    SendMou,
    SupportRole,
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

RICH_COMMANDS = (
    practice_request(),
    mou(),
    allocate(GP_A, "off-gp-1"),
    allocate(GP_B, "off-gp-2"),
    schedule("s1", GP_A, at(2027, 1, 15)),
    command(ReferToService, referral_id="r1", recipient_id=GP_A, service="mediation"),
    command(RaiseSafetyConcern, role="officer", actor="off-gp-1", concern_id="c1"),
)
RICH = CASE.fold(history(*RICH_COMMANDS))
TABLES = [(CASE, cls) for cls in CASE.commands] + [(NETWORK, cls) for cls in NETWORK.commands]


def test_every_command_of_every_table_has_a_handler_roles_and_a_sample():
    for aggregate, cls in TABLES:
        row = aggregate.commands[cls]
        assert callable(row.handler), cls
        assert row.roles and row.roles <= set(SupportRole), cls
    assert set(FIELDS) == {cls for _, cls in TABLES}


def actor_for(role):
    return {
        SupportRole.OFFICER: "off-gp-1",
        SupportRole.RECIPIENT: GP_A,
        SupportRole.CALDICOTT_GUARDIAN: "cg-1",
    }.get(role, "coord-1")


@pytest.mark.parametrize("role", list(SupportRole), ids=lambda r: r.value)
@pytest.mark.parametrize(("aggregate", "cls"), TABLES, ids=lambda x: getattr(x, "__name__", ""))
def test_AUTH_every_command_by_every_role_is_refused_or_not_exactly_as_the_table_says(aggregate, cls, role):
    row = aggregate.commands[cls]
    folded = Folded(CONTEXT.directory) if aggregate is NETWORK else RICH
    c = command(cls, at(2027, 1, 16), role=role, actor=actor_for(role), **FIELDS[cls])
    refused = assert_permission_enforced(aggregate, folded, c, CONTEXT)
    if role not in row.roles:
        assert refused.rule_ids == (row.role_rule.rule_id if row.role_rule else "AUTH",)


def test_AUTH_the_table_names_the_source_rule_where_one_restricts_the_role():
    named = {cls.__name__: row.role_rule.rule_id for cls, row in CASE.commands.items() if row.role_rule}
    assert named == {
        "ReviewCommitment": "PSN-REVIEW",
        "DeclineIntervention": "PSN-BOUNDARY",
        "RecordNote": "PSN-NOTE-AUTHOR",
        "CeaseSupport": "PSN-CONDUCT",
        "DestroyNotes": "PSN-RETENTION",
    }


# -- SCOPE: an officer acts only on the cases and engagements allocated to them --------------

OFFICER_COMMANDS = [cls for cls, row in CASE.commands.items() if SupportRole.OFFICER in row.roles]


@pytest.mark.parametrize("officer", ["off-gp-3", "off-nobody"], ids=["enrolled-elsewhere", "never-enrolled"])
@pytest.mark.parametrize("cls", OFFICER_COMMANDS, ids=lambda c: c.__name__)
def test_SCOPE_an_officer_not_on_the_case_is_refused_for_every_officer_command(cls, officer):
    row = CASE.commands[cls]
    c = command(cls, at(2027, 1, 16), role="officer", actor=officer, **FIELDS[cls])
    with pytest.raises(Refused) as refused:
        decide(CASE, RICH, c, CONTEXT)
    assert refused.value.rule_ids == (row.scope_rule.rule_id if row.scope_rule else "SCOPE",)
    assert officer in str(refused.value)


ENGAGEMENT_COMMANDS = {
    ScheduleSession: {"session_id": "s2", "recipient_id": GP_A, "starts_at": at(2027, 1, 20)},
    HoldSession: {"session_id": "s1"},
    CancelSession: {"session_id": "s1", "with_notice": True},
    MarkDidNotAttend: {"session_id": "s1"},
    ReferToService: {"referral_id": "r2", "recipient_id": GP_A, "service": "legal"},
    AnswerReferral: {"referral_id": "r1", "answer": ReferralAnswer.ACCEPTED},
}


@pytest.mark.parametrize("cls", list(ENGAGEMENT_COMMANDS), ids=lambda c: c.__name__)
def test_SCOPE_an_officer_on_the_case_acts_only_on_the_engagement_they_lead(cls):
    """off-gp-2 leads gp-b's support on this case, not gp-a's; the second officer may act on both."""
    fields = ENGAGEMENT_COMMANDS[cls]
    when = at(2027, 1, 16)
    other = command(cls, when, role="officer", actor="off-gp-2", **fields)
    with pytest.raises(Refused) as refused:
        decide(CASE, RICH, other, CONTEXT)
    assert refused.value.rule_ids == ("SCOPE",)
    assert "gp-a's support" in str(refused.value)
    lead = command(cls, when, role="officer", actor="off-gp-1", **fields)
    second = CASE.fold(history(*RICH_COMMANDS, command(AddSecondOfficer, officer_id="off-lay-1")))
    for folded, c in ((RICH, lead), (second, command(cls, when, role="officer", actor="off-lay-1", **fields))):
        try:
            decide(CASE, folded, c, CONTEXT)
        except Refused as error:
            assert "SCOPE" not in error.rule_ids, error


def test_SCOPE_a_suspended_officer_still_on_the_case_keeps_it_an_officer_never_allocated_does_not():
    """The roster is checked at allocation; scope is "allocated to this case", whatever the directory says."""
    c = command(RecordNote, role="officer", actor="off-gp-away", note_id="n9", text="Met.")
    with pytest.raises(Refused) as refused:
        decide(CASE, RICH, c, CONTEXT)
    assert refused.value.rule_ids == ("PSN-NOTE-AUTHOR",)


@pytest.mark.parametrize(
    ("cls", "fields"),
    [
        (RequestSwitch, {"recipient_id": GP_A}),
        (CancelSession, {"session_id": "s1", "with_notice": True}),
        (AnswerReferral, {"referral_id": "r1", "answer": ReferralAnswer.DECLINED}),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_SCOPE_a_recipient_acts_only_for_themselves(cls, fields):
    for actor, ok in ((GP_B, False), (GP_A, True)):
        c = command(cls, at(2027, 1, 16), role="recipient", actor=actor, **fields)
        if ok:
            decide(CASE, RICH, c, CONTEXT)
            continue
        with pytest.raises(Refused) as refused:
            decide(CASE, RICH, c, CONTEXT)
        assert refused.value.rule_ids == ("SCOPE",)


# -- TIME ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("aggregate", "cls"), TABLES, ids=lambda x: getattr(x, "__name__", ""))
def test_TIME_every_command_refuses_a_naive_time(aggregate, cls):
    with pytest.raises(NaiveDatetimeError, match=f"{cls.__name__}.at: must be timezone-aware"):
        cls(command_id="c", actor="a", role=SupportRole.COORDINATOR, at=dt.datetime(2027, 1, 1, 9), **FIELDS[cls])


def test_commands_refuse_blank_ids_and_roles_of_another_domain():
    with pytest.raises(InvalidValue, match="SendMou.command_id: id must not be empty or blank"):
        SendMou(command_id=" ", actor="a", role=SupportRole.COORDINATOR, at=T0, terms_version="v1")
    with pytest.raises(InvalidType, match="SendMou.role: expected a SupportRole, got str"):
        SendMou(command_id="c", actor="a", role="coordinator", at=T0, terms_version="v1")
    with pytest.raises(InvalidType, match="SendMou.role: expected a SupportRole, got PeerSupportRole"):
        SendMou(command_id="c", actor="a", role=PeerSupportRole.COORDINATOR, at=T0, terms_version="v1")


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
    directory = NETWORK.state_of((ENROLLED, OfficerSuspended("off-9")))
    assert directory.officer("off-9").status is OfficerStatus.SUSPENDED
    assert directory.officer("off-404") is None


def test_each_aggregate_refuses_the_other_aggregates_commands():
    with pytest.raises(Refused, match="SuspendOfficer is not a command for a Case") as refused:
        decide(CASE, RICH, command(SuspendOfficer, officer_id="off-gp-1"), CONTEXT)
    assert refused.value.rule_ids == ("INPUT",)
    with pytest.raises(Refused, match="SendMou is not a command for a Network"):
        decide(NETWORK, Folded(CONTEXT.directory), command(SendMou, terms_version="v1"), CONTEXT)
