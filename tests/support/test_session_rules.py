"""PSN-ALLOWANCE, PSN-REVIEW and PSN-COST-SHARE, and the rulebook version in force."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pastoral_core.exceptions import InvalidValue
from pastoral_core.rules import Rulebooks, split_by_percent
from pastoral_core.support import (
    CASE,
    DEVON_PSN_V1,
    CancelSession,
    CommitmentReviewed,
    CostShare,
    Funding,
    MarkDidNotAttend,
    OfficerAllocated,
    Payer,
    ReviewCommitment,
    ReviewDecision,
    SessionAllowance,
    SessionCharge,
    SessionHeld,
    SessionScheduled,
    SupportContext,
)
from pastoral_core.testing import Scenario
from tests.support.helpers import (
    CONTEXT,
    DIRECTORY,
    GP_A,
    PM_C,
    PRACTICE,
    WEEKLY,
    allocate,
    at,
    command,
    gp_request,
    history,
    hold,
    mou,
    officer_command,
    practice_request,
    schedule,
    sessions_held,
    state_of,
)


def opened(*extra, request=None, context=CONTEXT):
    request = request or gp_request()
    return history(request, mou(request.at), allocate(GP_A, "off-gp-1", request.at), *extra, context=context)


def context_with(*rules):
    return SupportContext(Rulebooks((DEVON_PSN_V1.adapted("TEST_PSN", *rules),)), DIRECTORY)


def scenario(events, context=CONTEXT):
    return Scenario(CASE, context).given(*events)


def review(when, decision=ReviewDecision.EXTEND, **fields):
    return command(ReviewCommitment, when, recipient_id=GP_A, decision=decision, **fields)


# -- PSN-ALLOWANCE (MOU LMC 4, CLIENT 4) -------------------------------------------------


def test_PSN_ALLOWANCE_the_sixth_session_is_allowed():
    day = at(2027, 3, 1)
    scenario(opened(*sessions_held(GP_A, WEEKLY[:5]))).when(schedule("s6", GP_A, day)).then(
        SessionScheduled("s6", GP_A, "off-gp-1", day)
    )


def test_PSN_ALLOWANCE_a_seventh_session_needs_a_review_first():
    refused = (
        scenario(opened(*sessions_held(GP_A, WEEKLY)))
        .when(schedule("s7", GP_A, at(2027, 3, 1)))
        .then_refused("PSN-ALLOWANCE")
    )
    assert "6 of 6 sessions used (DEVON_PSN v1); a commitment review is needed first (PSN-REVIEW)" in str(refused)


def test_PSN_ALLOWANCE_booked_sessions_count_towards_the_allowance():
    bookings = [schedule(f"b{n}", GP_A, day) for n, day in enumerate(WEEKLY)]
    refused = scenario(opened(*bookings)).when(schedule("b7", GP_A, at(2027, 3, 1))).then_refused("PSN-ALLOWANCE")
    assert "0 of 6 sessions used and 6 booked" in str(refused)


def test_PSN_ALLOWANCE_first_session_held_starts_the_window_with_grace():
    """First session 18 Jan 2027: three months to 18 April, plus 14 days' grace: 2 May."""
    events = opened(*sessions_held(GP_A, WEEKLY[:1]))
    assert events[-1] == SessionHeld(events[-1].session_id, dt.date(2027, 1, 18), window_ends=dt.date(2027, 5, 2))
    assert state_of(events).engagements[GP_A].allowance.window_ends == dt.date(2027, 5, 2)


@pytest.mark.parametrize(
    ("first", "last_allowed", "grace"),
    [
        (at(2027, 5, 31), at(2027, 8, 31), 0),  # 31 May -> 31 August
        (at(2027, 11, 30), at(2028, 2, 29), 0),  # 30 November -> 29 February in a leap year
        (at(2026, 11, 30), at(2027, 2, 28), 0),  # -> 28 February otherwise
        (at(2027, 5, 31), at(2027, 9, 14), 14),  # default grace: 31 August + 14 days
    ],
)
def test_PSN_ALLOWANCE_window_ends_at_month_ends_and_leap_days(first, last_allowed, grace):
    context = context_with(SessionAllowance(grace_days=grace))
    base = opened(*sessions_held(GP_A, [first]), request=gp_request(when=at(2026, 11, 2)), context=context)
    scenario(base, context).when(schedule("last", GP_A, last_allowed)).then(
        SessionScheduled("last", GP_A, "off-gp-1", last_allowed)
    )
    day_after = last_allowed + dt.timedelta(days=1)
    refused = scenario(base, context).when(schedule("late", GP_A, day_after)).then_refused("PSN-ALLOWANCE")
    assert f"the allowance window ended on {last_allowed.date().isoformat()}" in str(refused)


def test_PSN_ALLOWANCE_a_session_booked_in_the_window_cannot_be_held_after_it():
    base = opened(*sessions_held(GP_A, WEEKLY[:1]), schedule("s2", GP_A, at(2027, 5, 2)))
    scenario(base).when(hold("s2", at(2027, 5, 3))).then_refused("PSN-ALLOWANCE")
    scenario(base).when(hold("s2", at(2027, 5, 2))).then(SessionHeld("s2", dt.date(2027, 5, 2)))


def test_PSN_ALLOWANCE_did_not_attend_counts_as_a_session():
    base = opened(
        *sessions_held(GP_A, WEEKLY[:5]),
        schedule("dna", GP_A, WEEKLY[5]),
        officer_command(MarkDidNotAttend, "off-gp-1", WEEKLY[5], session_id="dna"),
    )
    assert state_of(base).engagements[GP_A].used == 6
    scenario(base).when(schedule("s7", GP_A, at(2027, 3, 1))).then_refused("PSN-ALLOWANCE")


def test_PSN_ALLOWANCE_did_not_attend_does_not_count_when_the_rulebook_says_so():
    context = context_with(SessionAllowance(dna_counts=False))
    base = opened(
        *sessions_held(GP_A, WEEKLY[:5]),
        schedule("dna", GP_A, WEEKLY[5]),
        officer_command(MarkDidNotAttend, "off-gp-1", WEEKLY[5], session_id="dna"),
        context=context,
    )
    scenario(base, context).when(schedule("s7", GP_A, at(2027, 3, 1))).then(
        SessionScheduled("s7", GP_A, "off-gp-1", at(2027, 3, 1))
    )


@pytest.mark.parametrize(("with_notice", "allowed"), [(True, True), (False, False)])
def test_PSN_ALLOWANCE_cancellation_with_notice_does_not_count_a_late_one_does(with_notice, allowed):
    base = opened(
        *sessions_held(GP_A, WEEKLY[:5]),
        schedule("c6", GP_A, WEEKLY[5]),
        command(CancelSession, WEEKLY[5], session_id="c6", with_notice=with_notice),
    )
    next_one = scenario(base).when(schedule("s7", GP_A, at(2027, 3, 1)))
    if allowed:
        next_one.then(SessionScheduled("s7", GP_A, "off-gp-1", at(2027, 3, 1)))
    else:
        next_one.then_refused("PSN-ALLOWANCE")


def test_sessions_are_held_once_and_not_before_their_day():
    base = opened(*sessions_held(GP_A, WEEKLY[:1]), schedule("s2", GP_A, WEEKLY[1]))
    scenario(base).when(hold("s2", WEEKLY[1] - dt.timedelta(days=1))).then_refused("STATE")
    scenario(opened(*sessions_held(GP_A, WEEKLY[:1]))).when(hold("s-gp-a-20270118-1", WEEKLY[1])).then_refused("STATE")
    scenario(base).when(hold("nope", WEEKLY[1])).then_refused("STATE")


# -- PSN-REVIEW (MOU LMC 4) --------------------------------------------------------------


def test_PSN_REVIEW_only_a_coordinator_reviews():
    refused = (
        scenario(opened(*sessions_held(GP_A, WEEKLY)))
        .when(
            command(
                ReviewCommitment,
                at(2027, 3, 1),
                role="officer",
                actor="off-gp-1",
                recipient_id=GP_A,
                decision=ReviewDecision.CONCLUDE,
            )
        )
        .then_refused("PSN-REVIEW")
    )
    assert "a officer may not ReviewCommitment; allowed: coordinator" in str(refused)


def test_PSN_REVIEW_not_before_the_allowance_is_used_or_its_window_passed():
    refused = (
        scenario(opened(*sessions_held(GP_A, WEEKLY[:2])))
        .when(review(at(2027, 3, 1), sessions=3, months=2, funding=Funding(Payer.LMC)))
        .then_refused("PSN-REVIEW")
    )
    assert "the allowance is not yet used (2 of 6) and its window runs to 2027-05-02" in str(refused)


def test_PSN_REVIEW_extension_after_the_allowance_is_used_allows_more_sessions():
    base = opened(*sessions_held(GP_A, WEEKLY))
    scenario(base).when(review(at(2027, 3, 1), sessions=3, months=2, funding=Funding(Payer.LMC))).then(
        CommitmentReviewed(
            GP_A, ReviewDecision.EXTEND, dt.date(2027, 3, 1), 3, dt.date(2027, 5, 15), Funding(Payer.LMC)
        )
    )
    extended = history(
        *_commands_of_opened(),
        *sessions_held(GP_A, WEEKLY),
        review(at(2027, 3, 1), sessions=3, months=2, funding=Funding(Payer.LMC)),
    )
    scenario(extended).when(schedule("s7", GP_A, at(2027, 3, 8))).then(
        SessionScheduled("s7", GP_A, "off-gp-1", at(2027, 3, 8))
    )
    assert state_of(extended).engagements[GP_A].allowance.allowed_total == 9


def test_PSN_REVIEW_after_the_window_passed_with_sessions_unused():
    base = opened(*sessions_held(GP_A, WEEKLY[:2]))
    scenario(base).when(review(at(2027, 5, 3), ReviewDecision.CONCLUDE)).then(
        CommitmentReviewed(GP_A, ReviewDecision.CONCLUDE, dt.date(2027, 5, 3))
    )


def test_PSN_REVIEW_waits_until_sessions_still_booked_are_settled():
    """Else a did-not-attend recorded after an extension would count beyond what was granted."""
    booked = history(
        *_commands_of_opened(),
        *sessions_held(GP_A, WEEKLY[:2]),
        schedule("s3", GP_A, at(2027, 4, 26)),
    )
    refused = scenario(booked).when(review(at(2027, 5, 3), ReviewDecision.CONCLUDE)).then_refused("STATE")
    assert "session(s) s3 of this allowance are still booked" in str(refused)
    settled = history(
        *_commands_of_opened(),
        *sessions_held(GP_A, WEEKLY[:2]),
        schedule("s3", GP_A, at(2027, 4, 26)),
        command(CancelSession, at(2027, 4, 27), session_id="s3", with_notice=True),
    )
    scenario(settled).when(review(at(2027, 5, 3), ReviewDecision.CONCLUDE)).then(
        CommitmentReviewed(GP_A, ReviewDecision.CONCLUDE, dt.date(2027, 5, 3))
    )


def test_PSN_REVIEW_conclusion_ends_further_sessions():
    concluded = history(
        *_commands_of_opened(), *sessions_held(GP_A, WEEKLY), review(at(2027, 3, 1), ReviewDecision.CONCLUDE)
    )
    refused = scenario(concluded).when(schedule("s7", GP_A, at(2027, 3, 8))).then_refused("PSN-ALLOWANCE")
    assert "concluded its commitment" in str(refused)
    scenario(concluded).when(review(at(2027, 3, 2), ReviewDecision.CONCLUDE)).then_refused("STATE")


@pytest.mark.parametrize(
    ("decision", "fields"),
    [
        (ReviewDecision.EXTEND, {"sessions": 0, "months": 2, "funding": Funding(Payer.LMC)}),
        (ReviewDecision.EXTEND, {"sessions": 2, "months": 2}),
        (ReviewDecision.CONCLUDE, {"sessions": 2}),
    ],
)
def test_PSN_REVIEW_malformed_reviews_are_refused_as_input(decision, fields):
    scenario(opened(*sessions_held(GP_A, WEEKLY))).when(review(at(2027, 3, 1), decision, **fields)).then_refused(
        "INPUT"
    )


@pytest.mark.parametrize(("percent", "ok"), [(Decimal(0), True), (Decimal(100), True), (Decimal("100.01"), False)])
def test_PSN_COST_SHARE_a_shared_percentage_is_0_to_100_when_the_review_is_built(percent, ok):
    if ok:
        assert review(
            at(2027, 3, 1), ReviewDecision.EXTEND, sessions=2, months=2, funding=Funding(Payer.SHARED, percent)
        )
        return
    with pytest.raises(InvalidValue, match=r"ReviewCommitment\.funding\.recipient_percent: must be between 0 and 100"):
        review(at(2027, 3, 1), ReviewDecision.EXTEND, sessions=2, months=2, funding=Funding(Payer.SHARED, percent))


def _commands_of_opened():
    return (gp_request(), mou(), allocate(GP_A, "off-gp-1"))


# -- PSN-COST-SHARE (MOU LMC 4) ----------------------------------------------------------


RATE = context_with(CostShare(session_rate=Decimal("56.45")))


def extended_case(recipient, funding, request):
    days = WEEKLY
    return history(
        request,
        mou(),
        allocate(recipient, "off-pm-1" if recipient == PM_C else "off-gp-1"),
        *sessions_held(recipient, days, "off-pm-1" if recipient == PM_C else "off-gp-1"),
        command(
            ReviewCommitment,
            at(2027, 3, 1),
            recipient_id=recipient,
            decision=ReviewDecision.EXTEND,
            sessions=2,
            months=2,
            funding=funding,
        ),
        schedule("x1", recipient, at(2027, 3, 8)),
        context=RATE,
    )


@pytest.mark.parametrize(
    ("recipient", "request_", "funding", "charge"),
    [
        # 50% of 56.45 is 28.225: half-up gives the recipient 28.23 and the LMC 28.22.
        (
            GP_A,
            gp_request(),
            Funding(Payer.SHARED, Decimal(50)),
            SessionCharge(Decimal("56.45"), Decimal("28.22"), GP_A, Decimal("28.23")),
        ),
        (
            GP_A,
            gp_request(),
            Funding(Payer.RECIPIENT),
            SessionCharge(Decimal("56.45"), Decimal("0.00"), GP_A, Decimal("56.45")),
        ),
        (
            GP_A,
            gp_request(),
            Funding(Payer.LMC),
            SessionCharge(Decimal("56.45"), Decimal("56.45"), GP_A, Decimal("0.00")),
        ),
        # A practice manager's share is paid by their practice.
        (
            PM_C,
            practice_request(),
            Funding(Payer.SHARED, Decimal("33.3")),
            SessionCharge(Decimal("56.45"), Decimal("37.65"), PRACTICE, Decimal("18.80")),
        ),
    ],
)
def test_PSN_COST_SHARE_sessions_after_the_allowance_are_charged_as_reviewed(recipient, request_, funding, charge):
    officer = "off-pm-1" if recipient == PM_C else "off-gp-1"
    Scenario(CASE, RATE).given(*extended_case(recipient, funding, request_)).when(
        hold("x1", at(2027, 3, 8), officer)
    ).then(SessionHeld("x1", dt.date(2027, 3, 8), charge=charge))


def test_PSN_COST_SHARE_costing_is_refused_until_the_host_sets_a_session_rate():
    """DEVON_PSN ships no rate: a session after the initial allowance is never silently charged £0.00."""
    events = extended_case(GP_A, Funding(Payer.LMC), gp_request())
    refused = Scenario(CASE, CONTEXT).given(*events).when(hold("x1", at(2027, 3, 8))).then_refused("PSN-COST-SHARE")
    assert "no session rate is set" in str(refused)
    held = (
        Scenario(CASE, RATE)
        .given(*events)
        .when(hold("x1", at(2027, 3, 8)))
        .then(
            SessionHeld(
                "x1",
                dt.date(2027, 3, 8),
                None,
                SessionCharge(Decimal("56.45"), Decimal("56.45"), GP_A, Decimal("0.00")),
            )
        )
    )
    assert held.rulebook == "TEST_PSN v1"


def test_PSN_COST_SHARE_sessions_of_the_initial_allowance_carry_no_charge():
    events = history(gp_request(), mou(), allocate(GP_A, "off-gp-1"), *sessions_held(GP_A, WEEKLY), context=RATE)
    assert all(e.charge is None for e in events if isinstance(e, SessionHeld))


@given(
    st.decimals(min_value=0, max_value=10_000, places=2),
    st.decimals(min_value=0, max_value=100, places=3),
)
def test_PSN_COST_SHARE_shares_always_sum_to_the_total(total, percent):
    share, rest = split_by_percent(total, percent)
    assert share + rest == total
    assert share >= 0 and rest >= 0
    assert share == share.quantize(Decimal("0.01")) and rest == rest.quantize(Decimal("0.01"))


# -- rulebook versions --------------------------------------------------------------------


V2 = DEVON_PSN_V1.revised(2, dt.date(2027, 4, 1), SessionAllowance(sessions=8, months=4))
VERSIONED = SupportContext(Rulebooks.of(DEVON_PSN_V1, V2), DIRECTORY)


@pytest.mark.parametrize(
    ("when", "allowance", "label"),
    [
        (at(2027, 3, 31, 23, 30), 6, "DEVON_PSN v1"),  # 23:30 BST on 31 March: still v1
        (at(2027, 4, 1, 0, 30), 8, "DEVON_PSN v2"),
    ],
)
def test_the_rulebook_in_force_at_the_command_time_decides(when, allowance, label):
    decision = (
        Scenario(CASE, VERSIONED)
        .given(*history(gp_request(when=at(2027, 3, 1)), context=VERSIONED))
        .when(allocate(GP_A, "off-gp-1", when))
        .then(OfficerAllocated(GP_A, "off-gp-1", allowance))
    )
    assert decision.rulebook == label


def test_a_window_started_under_v2_runs_four_months():
    events = history(
        gp_request(when=at(2027, 3, 1)),
        mou(),
        allocate(GP_A, "off-gp-1", at(2027, 4, 1)),
        *sessions_held(GP_A, [at(2027, 4, 5)]),
        context=VERSIONED,
    )
    assert state_of(events).engagements[GP_A].allowance.window_ends == dt.date(2027, 8, 19)  # 5 Aug + 14
