"""Portfolio Plus decides by the date a fact happened, with the rulebook version in force then.

Every PP rule that involves a date is shown where the recorded time would decide
differently from the business time, and a version 2 of the rulebook (fresher listings,
heavier interest weight) taking effect on 1 April 2027: the day before, on and after.
"""

import datetime as dt

import pytest

from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel import RuleFlagged, decide
from pastoral_core.portfolio import (
    MEMBER,
    OPPORTUNITY,
    PORTFOLIO_PLUS_V1,
    CareerOutcome,
    Freshness,
    HoldOneToOne,
    Introduced,
    IntroduceToOpportunity,
    Matching,
    MemberSignedUp,
    OneToOneHeld,
    OpportunityPosted,
    OutcomeRecorded,
    PortfolioContext,
    PostOpportunity,
    RecordOutcome,
    SignUpMember,
    Topic,
    WithdrawOpportunity,
    rank,
    stale_listings,
    why_not,
)
from pastoral_core.rules import Override, Rulebooks
from pastoral_core.testing import Scenario
from tests.builders import at, command
from tests.portfolio.helpers import PROFILE, assign, listing, member, post, run

V2_FROM = dt.date(2027, 4, 1)
V2 = PORTFOLIO_PLUS_V1.revised(2, V2_FROM, Freshness(days=21), Matching(interest=5))
BOTH = Rulebooks((PORTFOLIO_PLUS_V1, V2))
LONG_OPEN = listing(closing=dt.date(2027, 6, 30), starts=dt.date(2027, 7, 1))


def dated(cls, when, happened, **fields):
    """A command recorded at ``when`` about a fact that happened at ``happened``."""
    return command(cls, when, occurred_at=happened, **fields)


def listed(*steps, posted=at(2027, 3, 5)):
    """One opportunity ``o`` posted on ``posted`` (then ``steps``), as a member decision sees it."""
    return {"o": run(OPPORTUNITY, [post(LONG_OPEN, posted), *steps])[1]}


def members_view(listings, rulebooks=BOTH):
    events, _ = member(context=PortfolioContext(rulebooks, listings))
    return Scenario(MEMBER, PortfolioContext(rulebooks, listings)).given(*events)


def decided(listings, cmd, rulebooks=BOTH):
    """The decision on ``cmd`` for member m-1 (signed up 1 February 2027), with its verdicts."""
    context = PortfolioContext(rulebooks, listings)
    events, _ = member(context=context)
    return decide(MEMBER, MEMBER.fold(events), cmd, context)


def introduce(when, happened=None, oid="o"):
    return command(IntroduceToOpportunity, when, occurred_at=happened, introduction_id="i1", opportunity_id=oid)


def verdict_of(decision, rule_id):
    (found,) = [v for v in decision.verdicts if v.rule_id == rule_id]
    return found, dict(found.parameters)


# -- PP-MEMBER, PP-TEAM: the recorded date of the fact is the business date -------------


def test_PP_MEMBER_a_sign_up_entered_later_is_dated_when_it_happened():
    signed = dated(SignUpMember, at(2027, 2, 3), at(2027, 2, 1), member_id="m-1", profile=PROFILE)
    Scenario(MEMBER, PortfolioContext()).when(signed).then(MemberSignedUp("m-1", PROFILE, dt.date(2027, 2, 1)))


def test_PP_TEAM_a_one_to_one_entered_on_wednesday_is_dated_monday():
    events, _ = member(assign())
    held = dated(
        HoldOneToOne,
        at(2027, 3, 3),
        at(2027, 3, 1),
        role="team_member",
        actor="tm-1",
        session_id="s1",
        topic=Topic.WORKING_LIFE,
    )
    Scenario(MEMBER, PortfolioContext()).given(*events).when(held).then(
        OneToOneHeld("s1", "tm-1", Topic.WORKING_LIFE, dt.date(2027, 3, 1))
    )


# -- PP-OPPORTUNITY: posted, withdrawn and closing dates against the fact's date --------


def test_PP_OPPORTUNITY_a_listing_posted_late_is_judged_by_the_day_it_went_up():
    """Closing 31 March: posted on 30 March and entered on 2 April it was open; posted on 2 April it was not."""
    closing = listing(closing=dt.date(2027, 3, 31), starts=dt.date(2027, 4, 1))
    late = command(
        PostOpportunity, at(2027, 4, 2), role="team_member", actor="tm-1", occurred_at=at(2027, 3, 30), listing=closing
    )
    Scenario(OPPORTUNITY, PortfolioContext()).when(late).then(OpportunityPosted(closing, dt.date(2027, 3, 30)))
    Scenario(OPPORTUNITY, PortfolioContext()).when(post(closing, at(2027, 4, 2))).then_refused("PP-OPPORTUNITY")


def test_PP_OPPORTUNITY_no_introduction_dated_before_the_listing_was_posted():
    refused = members_view(listed()).when(introduce(at(2027, 3, 6), at(2027, 3, 4))).then_refused("PP-OPPORTUNITY")
    assert "not offered on 2027-03-04: it was not posted until 2027-03-05" in str(refused)
    members_view(listed()).when(introduce(at(2027, 3, 6), at(2027, 3, 5))).then(
        Introduced("i1", "o", 3 + 2 + 1 + 1, _reasons(), dt.date(2027, 3, 5))
    )


def test_PP_OPPORTUNITY_an_introduction_made_before_a_withdrawal_may_be_entered_after_it():
    gone = listed(command(WithdrawOpportunity, at(2027, 3, 10), role="team_member", actor="tm-1", reason="filled"))
    members_view(gone).when(introduce(at(2027, 3, 11), at(2027, 3, 9))).then(
        Introduced("i1", "o", 7, _reasons(), dt.date(2027, 3, 9))
    )
    refused = members_view(gone).when(introduce(at(2027, 3, 11), at(2027, 3, 10))).then_refused("PP-OPPORTUNITY")
    assert "it was withdrawn on 2027-03-10" in str(refused)


def test_PP_OPPORTUNITY_an_introduction_on_the_closing_day_entered_two_days_later_stands():
    closing = {"o": run(OPPORTUNITY, [post(listing(), at(2027, 3, 1))])[1]}  # closes 31 March 2027
    decision = (
        members_view(closing)
        .when(introduce(at(2027, 4, 2), at(2027, 3, 31, 23, 30)))
        .then(Introduced("i1", "o", 8, (*_reasons(), "closes soon (2027-03-31, in 0 days)"), dt.date(2027, 3, 31)))
    )
    assert verdict_of(decision, "PP-OPPORTUNITY")[0].message == "open on 2027-03-31"
    members_view(closing).when(introduce(at(2027, 4, 2))).then_refused("PP-OPPORTUNITY")


def _reasons():
    return (
        "shares your interests: minor surgery",
        "in your area (Mansfield)",
        "needs 2 of your 4 available sessions a week",
        "a role suits your aim (considering leaving)",
    )


# -- PP-OUTCOME: never after the fact's own date ---------------------------------------


def test_PP_OUTCOME_as_of_a_date_after_the_report_is_refused_even_when_entered_later():
    report = dated(
        RecordOutcome,
        at(2027, 9, 2),
        at(2027, 8, 31),
        outcome=CareerOutcome.STAYED_IN_PRACTICE,
        as_of=dt.date(2027, 9, 1),
    )
    events, _ = member()
    Scenario(MEMBER, PortfolioContext()).given(*events).when(report).then_refused("INPUT")
    on_the_day = dated(
        RecordOutcome,
        at(2027, 9, 2),
        at(2027, 9, 1),
        outcome=CareerOutcome.STAYED_IN_PRACTICE,
        as_of=dt.date(2027, 9, 1),
    )
    Scenario(MEMBER, PortfolioContext()).given(*events).when(on_the_day).then(
        OutcomeRecorded(CareerOutcome.STAYED_IN_PRACTICE, dt.date(2027, 9, 1))
    )


# -- TIME: how far back, at the limit and one past it ----------------------------------


def one_to_one(when, happened, **fields):
    return dated(HoldOneToOne, when, happened, session_id="s1", topic=Topic.WORKING_LIFE, **fields)


@pytest.mark.parametrize(
    ("happened", "allowed"),
    [
        # Recorded 10:00 BST on 31 March 2027, after the clocks went forward on the 28th:
        # 31 days of elapsed time reach back to 09:00 GMT on 28 February (a month end).
        (at(2027, 2, 28, 9), True),
        (at(2027, 2, 28, 8, 59), False),  # a minute more
    ],
)
def test_TIME_a_fact_may_be_entered_up_to_31_days_later(happened, allowed):
    events, _ = member(assign(when=at(2027, 2, 2)))
    scenario = Scenario(MEMBER, PortfolioContext()).given(*events).when(one_to_one(at(2027, 3, 31, 10), happened))
    if allowed:
        scenario.then(OneToOneHeld("s1", "tm-1", Topic.WORKING_LIFE, happened.date()))
    else:
        refused = scenario.then_refused("TIME")
        assert "facts more than 31 days old need a coordinator's override with a reason" in str(refused)


def test_TIME_a_fact_is_never_dated_after_it_was_recorded():
    with pytest.raises(InvalidValue, match="occurred_at: is after the command is recorded"):
        one_to_one(at(2027, 3, 31, 10), at(2027, 3, 31, 10, 1))


def test_TIME_an_older_fact_needs_a_coordinators_recorded_reason():
    events, _ = member(assign(when=at(2027, 2, 2)))
    old = at(2027, 2, 3)
    reason = Override("TIME", "paper record found in the March audit", "coord-1")
    Scenario(MEMBER, PortfolioContext()).given(*events).when(
        one_to_one(at(2027, 4, 30), old, overrides=(reason,))
    ).then(OneToOneHeld("s1", "tm-1", Topic.WORKING_LIFE, dt.date(2027, 2, 3)))
    by_someone_else = Override("TIME", "paper record found", "tm-1")
    Scenario(MEMBER, PortfolioContext()).given(*events).when(
        one_to_one(at(2027, 4, 30), old, role="team_member", actor="tm-1", overrides=(by_someone_else,))
    ).then_refused("TIME")


# -- A version 2 from 1 April 2027: the day before, on and after ------------------------


@pytest.mark.parametrize(
    ("happened", "label", "days", "flagged"),
    [
        (at(2027, 3, 31, 23, 30), "PORTFOLIO_PLUS v1", "30", False),  # 26 days since review: fresh under v1
        (at(2027, 4, 1, 0, 30), "PORTFOLIO_PLUS v2", "21", True),  # 27 days: stale under v2
        (at(2027, 4, 2), "PORTFOLIO_PLUS v2", "21", True),
    ],
)
def test_PP_FRESH_v2_flags_sooner_from_its_effective_date_and_the_verdict_says_which_version(
    happened, label, days, flagged
):
    decision = decided(listed(), introduce(at(2027, 4, 3), happened))
    _, parameters = verdict_of(decision, "PP-FRESH")
    assert parameters["rulebook"] == label and parameters["days"] == days
    assert any(isinstance(e, RuleFlagged) for e in decision.events) is flagged
    assert decision.rulebook == label


def test_a_late_entry_across_the_effective_date_is_judged_by_the_version_of_its_day():
    """Entered on 2 April about 31 March: version 1 (interest weight 3), not version 2's 5."""
    late = decided(listed(), introduce(at(2027, 4, 2), at(2027, 3, 31)))
    assert late.events[0].score == 3 + 2 + 1 + 1
    assert dict(verdict_of(late, "PP-MATCH")[0].parameters)["rulebook"] == "PORTFOLIO_PLUS v1"
    on_time = decided(listed(), introduce(at(2027, 4, 2)))
    assert on_time.events[0].score == 5 + 2 + 1 + 1
    assert dict(verdict_of(on_time, "PP-MATCH")[0].parameters)["rulebook"] == "PORTFOLIO_PLUS v2"


def test_PP_MATCH_rank_and_why_not_use_the_weights_in_force_on_the_query_date():
    listings = listed()
    assert [m.score for m in rank(PROFILE, listings, dt.date(2027, 3, 31), BOTH)] == [7]
    assert [m.score for m in rank(PROFILE, listings, dt.date(2027, 4, 1), BOTH)] == [9]
    assert why_not(PROFILE, listings, "o", dt.date(2027, 3, 4), BOTH) == ("it was not posted until 2027-03-05",)


def test_PP_FRESH_stale_listings_uses_the_period_in_force_on_the_query_date():
    listings = listed()
    assert stale_listings(listings, dt.date(2027, 3, 31), BOTH) == ()  # 26 days, v1 allows 30
    (stale,) = stale_listings(listings, dt.date(2027, 4, 1), BOTH)  # 27 days, v2 allows 21
    assert (stale.opportunity_id, stale.days) == ("o", 27)
    assert stale_listings(listings, dt.date(2027, 4, 1), Rulebooks((PORTFOLIO_PLUS_V1,))) == ()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rank(PROFILE, {}, dt.date(2027, 4, 1), None), "rulebooks: must be Rulebooks, got NoneType"),
        (lambda: stale_listings({}, at(2027, 4, 1), BOTH), "on: must be a date, got datetime"),
        (lambda: why_not(PROFILE, {}, "o", dt.date(2027, 4, 1), PORTFOLIO_PLUS_V1), "must be Rulebooks, got Rulebook"),
    ],
)
def test_queries_refuse_a_missing_rulebook_or_a_moment_for_a_date(call, message):
    with pytest.raises(InvalidType, match=message):
        call()
