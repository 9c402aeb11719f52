"""PSN-RESPONSE, PSN-MOU-FIRST, PSN-ROSTER, PSN-SKILLS, PSN-CONFLICT, PSN-SWITCH,
PSN-SEPARATE and PSN-SECOND, each shown allowing and refusing (or flagging)."""

import datetime as dt

import pytest

from pastoral_core import RuleFlagged
from pastoral_core.rules import Override
from pastoral_core.support import (
    CASE,
    AddSecondOfficer,
    CancelSession,
    HoldSession,
    MouSent,
    OfficerAllocated,
    Recipient,
    RecipientKind,
    RecordDispute,
    RequestSwitch,
    Responded,
    RespondToRequest,
    SecondOfficerAdded,
    SessionCancelled,
    SessionHeld,
    SwitchRequested,
)
from pastoral_core.testing import Scenario
from tests.support.helpers import (
    CONTEXT,
    GP_A,
    GP_B,
    PM_C,
    PRACTICE,
    T0,
    allocate,
    at,
    command,
    gp_request,
    history,
    hold,
    mou,
    practice_request,
    schedule,
    state_of,
)


def scenario(*given_commands):
    return Scenario(CASE, CONTEXT).given(*history(*given_commands))


# -- PSN-RESPONSE (MOU LMC 4) ------------------------------------------------------------


def test_PSN_RESPONSE_due_time_is_recorded_with_the_request_christmas_2026():
    received = history(practice_request(when=at(2026, 12, 24, 16, 0)))[0]
    assert received.response_due_at == at(2026, 12, 30, 17, 0)


def test_PSN_RESPONSE_response_at_the_due_time_is_on_time():
    scenario(practice_request(when=at(2026, 12, 24, 16, 0))).when(
        command(RespondToRequest, at(2026, 12, 30, 17, 0))
    ).then(Responded(at(2026, 12, 30, 17, 0), at(2026, 12, 30, 17, 0), True))


def test_PSN_RESPONSE_late_response_is_accepted_and_flagged():
    late = at(2026, 12, 30, 17, 1)
    scenario(practice_request(when=at(2026, 12, 24, 16, 0))).when(command(RespondToRequest, late)).then(
        Responded(late, at(2026, 12, 30, 17, 0), False),
        RuleFlagged(
            "PSN-RESPONSE",
            "first response at 2026-12-30T17:01:00+00:00 was after it was due (2026-12-30T17:00:00+00:00)",
            late,
        ),
    )


def test_PSN_RESPONSE_follows_the_clients_nation():
    """2 January is a Scottish bank holiday: a Scottish practice's response is due a day later."""
    respond = at(2027, 1, 5, 17, 30)
    scenario(practice_request(when=at(2026, 12, 31, 10), nation="SCT")).when(command(RespondToRequest, respond)).then(
        Responded(respond, at(2027, 1, 6, 17, 0), True)
    )
    scenario(practice_request(when=at(2026, 12, 31, 10), nation="ENG")).when(command(RespondToRequest, respond)).then(
        Responded(respond, at(2027, 1, 5, 17, 0), False),
        RuleFlagged(
            "PSN-RESPONSE",
            "first response at 2027-01-05T17:30:00+00:00 was after it was due (2027-01-05T17:00:00+00:00)",
            respond,
        ),
    )


def test_PSN_RESPONSE_a_second_response_is_refused():
    scenario(practice_request(), command(RespondToRequest)).when(command(RespondToRequest)).then_refused("STATE")


# -- PSN-MOU-FIRST (MOU intro) -----------------------------------------------------------


def test_PSN_MOU_FIRST_session_before_the_mou_is_refused():
    day = at(2027, 1, 18)
    refused = (
        scenario(gp_request(), allocate(GP_A, "off-gp-1"), schedule("s1", GP_A, day))
        .when(hold("s1", day))
        .then_refused("PSN-MOU-FIRST")
    )
    assert "PSN-MOU-FIRST (MOU intro) deny: the memorandum of understanding had not been sent" in str(refused)


def test_PSN_MOU_FIRST_session_after_the_mou_is_held():
    day = at(2027, 1, 18)
    scenario(gp_request(), mou(), allocate(GP_A, "off-gp-1"), schedule("s1", GP_A, day)).when(hold("s1", day)).then(
        SessionHeld("s1", dt.date(2027, 1, 18), window_ends=dt.date(2027, 5, 2))
    )


def test_PSN_MOU_FIRST_sending_the_mou_is_recorded_with_its_terms():
    scenario(gp_request()).when(mou(at(2027, 1, 12))).then(MouSent("PSN-MOU-2019", at(2027, 1, 12)))


# -- PSN-ROSTER (MOU LMC 2, 6) -----------------------------------------------------------


def test_PSN_ROSTER_enrolled_active_officer_is_allocated_with_the_initial_allowance():
    scenario(gp_request()).when(allocate(GP_A, "off-gp-1")).then(OfficerAllocated(GP_A, "off-gp-1", 6))


@pytest.mark.parametrize(("officer", "why"), [("off-nobody", "not enrolled"), ("off-gp-away", "suspended, not active")])
def test_PSN_ROSTER_unknown_or_suspended_officer_is_refused(officer, why):
    refused = scenario(gp_request()).when(allocate(GP_A, officer)).then_refused("PSN-ROSTER")
    assert why in str(refused)


# -- PSN-SKILLS (MOU LMC 6) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("recipient", "officer"),
    [(GP_A, "off-gp-1"), (PM_C, "off-pm-1"), (PM_C, "off-lay-1"), (PRACTICE, "off-lay-1"), (PRACTICE, "off-gp-1")],
)
def test_PSN_SKILLS_suitable_backgrounds_are_allocated(recipient, officer):
    scenario(practice_request()).when(allocate(recipient, officer)).then(OfficerAllocated(recipient, officer, 6))


@pytest.mark.parametrize(("recipient", "officer"), [(GP_A, "off-pm-1"), (GP_A, "off-lay-1"), (PM_C, "off-gp-1")])
def test_PSN_SKILLS_unsuitable_backgrounds_are_refused(recipient, officer):
    refused = scenario(practice_request()).when(allocate(recipient, officer)).then_refused("PSN-SKILLS")
    assert "officer does not suit a" in str(refused)


def test_PSN_SKILLS_coordinator_override_is_recorded_with_its_reason():
    override = Override("PSN-SKILLS", "only officer with partnership-dispute experience", "coord-1")
    scenario(practice_request()).when(allocate(PM_C, "off-gp-1", overrides=(override,))).then(
        OfficerAllocated(PM_C, "off-gp-1", 6, "PSN-SKILLS", override.reason, "coord-1")
    )


def test_PSN_SKILLS_override_in_someone_elses_name_is_refused():
    override = Override("PSN-SKILLS", "urgent", "coord-2")
    scenario(practice_request()).when(allocate(PM_C, "off-gp-1", overrides=(override,))).then_refused("PSN-SKILLS")


def test_PSN_SKILLS_override_does_not_pass_other_rules():
    override = Override("PSN-SKILLS", "urgent", "coord-1")
    scenario(practice_request()).when(allocate(PM_C, "off-gp-home", overrides=(override,))).then_refused("PSN-CONFLICT")


# -- PSN-CONFLICT (DERIVED from MOU LMC 5-6) ----------------------------------------------


def test_PSN_CONFLICT_officer_from_the_recipients_own_practice_is_refused():
    refused = scenario(gp_request()).when(allocate(GP_A, "off-gp-home")).then_refused("PSN-CONFLICT")
    assert f"works at practice {PRACTICE}" in str(refused)
    scenario(practice_request(), allocate(GP_A, "off-gp-1")).when(
        command(AddSecondOfficer, officer_id="off-gp-home")
    ).then_refused("PSN-CONFLICT")


def test_PSN_CONFLICT_officer_from_another_practice_is_allocated():
    scenario(gp_request()).when(allocate(GP_A, "off-gp-2")).then(OfficerAllocated(GP_A, "off-gp-2", 6))


def test_every_failed_rule_is_listed_in_one_refusal():
    """A practice manager's own-practice GP officer: unsuitable and conflicted, both cited."""
    scenario(practice_request()).when(allocate(PM_C, "off-gp-home")).then_refused("PSN-SKILLS", "PSN-CONFLICT")


# -- PSN-SWITCH (MOU LMC 6) --------------------------------------------------------------


def switched():
    day = at(2027, 1, 18)
    return (
        gp_request(),
        mou(),
        allocate(GP_A, "off-gp-1"),
        schedule("s1", GP_A, day),
        hold("s1", day),
        schedule("s2", GP_A, at(2027, 1, 25)),
        command(RequestSwitch, at(2027, 1, 19), role="recipient", actor=GP_A, recipient_id=GP_A),
    )


def test_PSN_SWITCH_request_ends_the_old_officer_and_cancels_their_bookings():
    scenario(*switched()[:-1]).when(switched()[-1]).then(
        SwitchRequested(GP_A, "off-gp-1"),
        SessionCancelled("s2", with_notice=True, counts=False, on=dt.date(2027, 1, 19)),
    )


def test_PSN_SWITCH_a_session_cancelled_by_the_switch_is_refused_citing_the_switch():
    by_coordinator = command(HoldSession, at(2027, 1, 25), session_id="s2")  # the old officer is out of scope now
    refused = scenario(*switched()).when(by_coordinator).then_refused("PSN-SWITCH")
    assert "asked to switch away from; it was cancelled with the switch" in str(refused)


def test_a_session_cancelled_for_another_reason_is_refused_as_it_stands():
    cancelled = (*switched()[:-1], command(CancelSession, at(2027, 1, 19), session_id="s2", with_notice=True))
    refused = scenario(*cancelled).when(hold("s2", at(2027, 1, 25))).then_refused("STATE")
    assert "session s2 is already cancelled with notice" in str(refused)


def test_PSN_SWITCH_no_session_until_a_new_officer_is_allocated():
    scenario(*switched()).when(schedule("s3", GP_A, at(2027, 1, 26))).then_refused("PSN-SWITCH")


def test_PSN_SWITCH_the_old_officer_cannot_come_back():
    refused = scenario(*switched()).when(allocate(GP_A, "off-gp-1", at(2027, 1, 20))).then_refused("PSN-SWITCH")
    assert "has had officer off-gp-1 before" in str(refused)


def test_PSN_SWITCH_a_new_officer_is_allocated_and_the_session_count_carries_over():
    scenario(*switched()).when(allocate(GP_A, "off-gp-2", at(2027, 1, 20))).then(
        OfficerAllocated(GP_A, "off-gp-2", None)
    )
    events = history(*switched(), allocate(GP_A, "off-gp-2", at(2027, 1, 20)))
    engagement = state_of(events).engagements[GP_A]
    assert (engagement.lead, engagement.used, engagement.allowance.allowed_total) == ("off-gp-2", 1, 6)


def test_PSN_SWITCH_a_recipient_may_only_ask_for_themselves():
    scenario(*switched()[:-1]).when(
        command(RequestSwitch, role="recipient", actor=GP_B, recipient_id=GP_A)
    ).then_refused("SCOPE")


# -- PSN-SEPARATE (MOU LMC 8) ------------------------------------------------------------


def disputed():
    return (practice_request(), allocate(GP_A, "off-gp-1"), command(RecordDispute, party_ids=frozenset({GP_A, GP_B})))


def test_PSN_SEPARATE_parties_in_dispute_may_not_share_an_officer():
    refused = scenario(*disputed()).when(allocate(GP_B, "off-gp-1")).then_refused("PSN-SEPARATE")
    assert "off-gp-1 already supports gp-a, in dispute with gp-b" in str(refused)


def test_PSN_SEPARATE_parties_in_dispute_get_separate_officers():
    scenario(*disputed()).when(allocate(GP_B, "off-gp-2")).then(OfficerAllocated(GP_B, "off-gp-2", 6))


def test_PSN_SEPARATE_without_a_dispute_one_officer_may_support_both():
    scenario(practice_request(), allocate(GP_A, "off-gp-1")).when(allocate(GP_B, "off-gp-1")).then(
        OfficerAllocated(GP_B, "off-gp-1", 6)
    )


def test_PSN_SEPARATE_a_dispute_between_parties_sharing_an_officer_is_refused():
    scenario(practice_request(), allocate(GP_A, "off-gp-1"), allocate(GP_B, "off-gp-1")).when(
        command(RecordDispute, party_ids=frozenset({GP_A, GP_B}))
    ).then_refused("PSN-SEPARATE")


@pytest.mark.parametrize("parties", [frozenset({GP_A}), frozenset({GP_A, "gp-outsider"}), frozenset({GP_A, PRACTICE})])
def test_a_dispute_is_between_two_listed_members(parties):
    scenario(practice_request()).when(command(RecordDispute, party_ids=parties)).then_refused("INPUT")


# -- PSN-SECOND (MOU NOTE 2) -------------------------------------------------------------


def test_PSN_SECOND_second_officer_must_differ_from_the_lead():
    scenario(practice_request(), allocate(GP_A, "off-gp-1")).when(
        command(AddSecondOfficer, officer_id="off-gp-1")
    ).then_refused("PSN-SECOND")
    scenario(practice_request(), command(AddSecondOfficer, officer_id="off-gp-1")).when(
        allocate(GP_A, "off-gp-1")
    ).then_refused("PSN-SECOND")


def test_PSN_SECOND_a_different_second_officer_is_added():
    scenario(practice_request(), allocate(GP_A, "off-gp-1")).when(
        command(AddSecondOfficer, officer_id="off-gp-2")
    ).then(SecondOfficerAdded("off-gp-2"))


def test_PSN_SECOND_partnership_without_second_officer_is_flagged_after_5_working_days():
    """Received Thursday 24 Dec 2026: 29, 30, 31 Dec, 4, 5 Jan are working days 1-5."""
    given = scenario(practice_request(when=at(2026, 12, 24, 16)))
    given.when(mou(at(2027, 1, 5, 16))).then(MouSent("PSN-MOU-2019", at(2027, 1, 5, 16)))
    flagged_at = at(2027, 1, 6, 9)
    given.when(mou(flagged_at)).then(
        MouSent("PSN-MOU-2019", flagged_at),
        RuleFlagged(
            "PSN-SECOND",
            "no second officer 6 working days after receipt of a partnership or complex case "
            "(received 2026-12-24, as of 2027-01-06)",
            flagged_at,
        ),
    )


def test_PSN_SECOND_is_flagged_once_and_not_for_simple_individual_cases():
    flagged = history(practice_request(when=T0), mou(T0 + dt.timedelta(days=10)))
    assert isinstance(flagged[-1], RuleFlagged)
    Scenario(CASE, CONTEXT).given(*flagged).when(mou(T0 + dt.timedelta(days=11))).then(
        MouSent("PSN-MOU-2019", T0 + dt.timedelta(days=11))
    )
    scenario(gp_request(when=T0)).when(mou(T0 + dt.timedelta(days=30))).then(
        MouSent("PSN-MOU-2019", T0 + dt.timedelta(days=30))
    )
    complex_case = history(gp_request(when=T0, complex=True), mou(T0 + dt.timedelta(days=30)))
    assert [e.rule_id for e in complex_case if isinstance(e, RuleFlagged)] == ["PSN-SECOND"]


def test_PSN_SECOND_not_flagged_once_a_second_officer_is_in_place():
    scenario(practice_request(when=T0), command(AddSecondOfficer, officer_id="off-gp-2")).when(
        mou(T0 + dt.timedelta(days=30))
    ).then(MouSent("PSN-MOU-2019", T0 + dt.timedelta(days=30)))


# -- request content -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"nation": "GB"},
        {"recipients": ()},
        {"practice_id": None},
        {"recipients": (Recipient(GP_A, RecipientKind.GP), Recipient(GP_A, RecipientKind.GP))},
        {"recipients": (Recipient(PRACTICE, RecipientKind.PRACTICE),)},
    ],
)
def test_malformed_practice_requests_are_refused_as_input(fields):
    Scenario(CASE, CONTEXT).when(practice_request(**fields)).then_refused("INPUT")


def test_an_individual_request_names_exactly_its_recipient_and_external_bodies_are_named():
    from pastoral_core.support import DifficultyKind

    Scenario(CASE, CONTEXT).when(gp_request(difficulty=DifficultyKind.EXTERNAL)).then_refused("INPUT")
    Scenario(CASE, CONTEXT).when(
        gp_request(recipients=(Recipient(GP_A, RecipientKind.GP), Recipient(GP_B, RecipientKind.GP)))
    ).then_refused("INPUT")
    received = history(gp_request(difficulty=DifficultyKind.EXTERNAL, external_body="GMC"))[0]
    assert (received.difficulty, received.external_body) == (DifficultyKind.EXTERNAL, "GMC")


def test_a_case_receives_one_request_and_nothing_happens_before_it():
    scenario(gp_request()).when(gp_request()).then_refused("STATE")
    Scenario(CASE, CONTEXT).when(mou()).then_refused("STATE")


def test_a_practice_case_adds_the_practice_itself_as_a_recipient():
    assert set(state_of(history(practice_request())).recipients) == {PRACTICE, GP_A, GP_B, PM_C}


def test_cancelling_someone_elses_session_as_recipient_is_refused():
    day = at(2027, 1, 18)
    scenario(practice_request(), allocate(GP_A, "off-gp-1"), schedule("s1", GP_A, day)).when(
        command(CancelSession, role="recipient", actor=GP_B, session_id="s1", with_notice=True)
    ).then_refused("SCOPE")


def test_PSN_SECOND_is_not_flagged_once_support_is_over():
    """Regression: the notes' destruction years after closure raised a PSN-SECOND flag."""
    from pastoral_core.support import CloseCase, ClosureOutcome, DestroyNotes, NotesDestroyed

    closed = (
        practice_request(when=T0),
        command(CloseCase, T0 + dt.timedelta(days=2), outcome=ClosureOutcome.WITHDRAWN),
    )
    scenario(*closed).when(command(DestroyNotes, at(2033, 3, 1), role="caldicott_guardian", actor="cg-1")).then(
        NotesDestroyed(frozenset(), False, None)
    )


def test_PSN_CONFLICT_a_case_without_a_practice_says_it_could_not_check():
    decision = (
        scenario(gp_request(practice_id=None))
        .when(allocate(GP_A, "off-gp-home"))
        .then(OfficerAllocated(GP_A, "off-gp-home", 6))
    )
    conflict = next(v for v in decision.verdicts if v.rule_id == "PSN-CONFLICT")
    assert conflict.message == "no practice is recorded for this case (a locum?)"
