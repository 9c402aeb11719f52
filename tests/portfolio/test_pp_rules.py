"""Every PP rule shown allowing and refusing (or flagging); matching properties."""

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pastoral_core import RuleFlagged
from pastoral_core.exceptions import InvalidValue
from pastoral_core.portfolio import (
    MEMBER,
    OPPORTUNITY,
    PORTFOLIO_PLUS,
    AnswerIntroduction,
    CareerOutcome,
    HoldOneToOne,
    Intent,
    Introduced,
    IntroduceToOpportunity,
    IntroductionAnswered,
    IntroductionResponse,
    LinkPeerGroup,
    MemberSignedUp,
    OneToOneHeld,
    Opportunity,
    OpportunityKind,
    OpportunityPosted,
    OpportunityReviewed,
    OutcomeRecorded,
    PeerGroupLinked,
    PortfolioContext,
    Profile,
    RecordOutcome,
    ReviewOpportunity,
    SignUpMember,
    Topic,
    UpdateOpportunity,
    WithdrawOpportunity,
    rank,
    retention,
    stale_listings,
    why_not,
)
from pastoral_core.testing import Scenario
from tests.builders import at, command
from tests.portfolio.helpers import PROFILE, TODAY, assign, listing, member, post, run


def listings(**items):
    """Opportunities by id, each posted on TODAY (and optionally withdrawn)."""
    out = {}
    for oid, (item, *extra) in items.items():
        _, state = run(OPPORTUNITY, [post(item), *extra])
        out[oid] = state
    return out


def member_scenario(*extra, context=None, profile=PROFILE):
    events, _ = member(*extra, profile=profile, context=context)
    return Scenario(MEMBER, context or PortfolioContext()).given(*events)


def introduce(opportunity_id, when=TODAY, introduction_id="i1"):
    """The coordinator introduces (a team member would need to be linked to the member first)."""
    return command(IntroduceToOpportunity, when, introduction_id=introduction_id, opportunity_id=opportunity_id)


# -- PP-MEMBER ---------------------------------------------------------------------------


@pytest.mark.parametrize("intent", list(Intent))
def test_PP_MEMBER_sign_up_records_the_intent(intent):
    profile = Profile(intent, frozenset({"teaching"}), "Newark", 3)
    Scenario(MEMBER, PortfolioContext()).when(
        command(SignUpMember, at(2027, 2, 1), role="member", actor="m-9", member_id="m-9", profile=profile)
    ).then(MemberSignedUp("m-9", profile, dt.date(2027, 2, 1)))


@pytest.mark.parametrize(("sessions", "refused"), [(0, False), (10, False), (11, True)])
def test_PP_MEMBER_available_sessions_are_0_to_10_a_week(sessions, refused):
    profile = Profile(Intent.FLEXIBLE_WORK, frozenset(), "Newark", sessions)
    scenario = Scenario(MEMBER, PortfolioContext()).when(command(SignUpMember, member_id="m-9", profile=profile))
    if refused:
        scenario.then_refused("PP-MEMBER")
    else:
        scenario.then(MemberSignedUp("m-9", profile, dt.date(2027, 1, 11)))


def test_PP_MEMBER_a_negative_or_blank_profile_never_becomes_a_command():
    with pytest.raises(InvalidValue, match=r"SignUpMember.profile.sessions_available: must be between 0 and 10,000"):
        command(SignUpMember, member_id="m-9", profile=Profile(Intent.FLEXIBLE_WORK, frozenset(), "Newark", -1))
    with pytest.raises(InvalidValue, match=r"SignUpMember.profile.home_area: label must not be empty or blank"):
        command(SignUpMember, member_id="m-9", profile=Profile(Intent.FLEXIBLE_WORK, frozenset(), " ", 2))


def test_PP_MEMBER_refusals():
    too_many = Profile(Intent.FLEXIBLE_WORK, frozenset(), "Newark", 11)
    Scenario(MEMBER, PortfolioContext()).when(command(SignUpMember, member_id="m-9", profile=too_many)).then_refused(
        "PP-MEMBER"
    )
    # A member signs up only themselves (SCOPE).
    Scenario(MEMBER, PortfolioContext()).when(
        command(SignUpMember, role="member", actor="m-8", member_id="m-9", profile=PROFILE)
    ).then_refused("SCOPE")
    member_scenario().when(command(SignUpMember, member_id="m-1", profile=PROFILE)).then_refused("STATE")
    Scenario(MEMBER, PortfolioContext()).when(assign()).then_refused("STATE")


# -- PP-TEAM -----------------------------------------------------------------------------


def one_to_one(actor="tm-1", role="team_member", session_id="o1"):
    return command(
        HoldOneToOne, at(2027, 2, 10), role=role, actor=actor, session_id=session_id, topic=Topic.WORKING_LIFE
    )


def test_PP_TEAM_no_one_to_one_without_a_team_member():
    refused = member_scenario().when(one_to_one(role="coordinator", actor="coord-1")).then_refused("PP-TEAM")
    assert "no team member is linked to this member yet" in str(refused)


def test_PP_TEAM_one_to_one_with_the_linked_team_member():
    member_scenario(assign()).when(one_to_one()).then(
        OneToOneHeld("o1", "tm-1", Topic.WORKING_LIFE, dt.date(2027, 2, 10))
    )
    member_scenario(assign()).when(one_to_one(actor="tm-2")).then_refused("PP-TEAM")


# -- PP-OPPORTUNITY ----------------------------------------------------------------------


def test_PP_OPPORTUNITY_post_a_listing():
    item = listing()
    Scenario(OPPORTUNITY, PortfolioContext()).when(post(item)).then(OpportunityPosted(item, dt.date(2027, 3, 1)))


@pytest.mark.parametrize(
    ("item", "rule"),
    [
        (listing(closing=dt.date(2027, 2, 28)), "PP-OPPORTUNITY"),  # closed before posting
        (
            listing(closing=dt.date(2027, 4, 30), starts=dt.date(2027, 4, 1), ends=dt.date(2027, 4, 20)),
            "PP-OPPORTUNITY",
        ),
        (listing(title="Contact dr.x@nhs.net about this"), "MINIMAL"),
        (listing(title="Ring 0115 496 0000"), "MINIMAL"),
    ],
)
def test_PP_OPPORTUNITY_bad_listings_are_refused(item, rule):
    Scenario(OPPORTUNITY, PortfolioContext()).when(post(item)).then_refused(rule)


@pytest.mark.parametrize(
    "item",
    [
        listing(closing=dt.date(2027, 3, 1)),  # closes the day it is posted
        listing(closing=dt.date(2027, 4, 20), starts=dt.date(2027, 4, 1), ends=dt.date(2027, 4, 20)),  # its last day
        listing(closing=dt.date(2027, 4, 1), starts=dt.date(2027, 4, 1)),  # no end: the day it starts
    ],
)
def test_PP_OPPORTUNITY_closing_dates_at_their_limits_are_accepted(item):
    Scenario(OPPORTUNITY, PortfolioContext()).when(post(item)).then(OpportunityPosted(item, dt.date(2027, 3, 1)))


@pytest.mark.parametrize(
    "item",
    [
        listing(closing=dt.date(2027, 4, 21), starts=dt.date(2027, 4, 1), ends=dt.date(2027, 4, 20)),
        listing(closing=dt.date(2027, 4, 2), starts=dt.date(2027, 4, 1)),
    ],
)
def test_PP_OPPORTUNITY_closing_a_day_after_it_ends_is_refused(item):
    Scenario(OPPORTUNITY, PortfolioContext()).when(post(item)).then_refused("PP-OPPORTUNITY")


def test_malformed_listings_are_refused_as_input():
    Scenario(OPPORTUNITY, PortfolioContext()).when(
        post(listing(starts=dt.date(2027, 4, 1), ends=dt.date(2027, 3, 30), closing=dt.date(2027, 3, 20)))
    ).then_refused("INPUT")


@pytest.mark.parametrize(("sessions", "refused"), [(0, True), (1, False), (10, False), (11, True)])
def test_a_role_needs_1_to_10_sessions_a_week(sessions, refused):
    item = listing(sessions=sessions)
    scenario = Scenario(OPPORTUNITY, PortfolioContext()).when(post(item))
    if refused:
        scenario.then_refused("INPUT")
    else:
        scenario.then(OpportunityPosted(item, dt.date(2027, 3, 1)))


def test_only_roles_give_sessions_a_week():
    training = attrs.evolve(listing(OpportunityKind.TRAINING), sessions_per_week=1)
    refused = Scenario(OPPORTUNITY, PortfolioContext()).when(post(training)).then_refused("INPUT")
    assert "sessions a week (1-10) are given for roles only" in str(refused)


def test_PP_OPPORTUNITY_withdrawn_or_closed_listings_are_not_introduced():
    ctx = PortfolioContext(
        listings=listings(
            open=(listing(),),
            gone=(listing(), command(WithdrawOpportunity, TODAY, reason="filled")),
        )
    )
    member_scenario(context=ctx).when(introduce("gone")).then_refused("PP-OPPORTUNITY")
    # Closing 31 March 2027: 23:30 BST that day is still open; 00:30 BST on 1 April is not.
    member_scenario(context=ctx).when(introduce("open", at(2027, 3, 31, 23, 30))).then(
        _expected_intro("open", dt.date(2027, 3, 31))
    )
    member_scenario(context=ctx).when(introduce("open", at(2027, 4, 1, 0, 30))).then_refused("PP-OPPORTUNITY")


def _expected_intro(oid, on):
    return Introduced(
        "i1",
        oid,
        3 + 2 + 1 + 1 + 1,
        (
            "shares your interests: minor surgery",
            "in your area (Mansfield)",
            "needs 2 of your 4 available sessions a week",
            "a role suits your aim (considering leaving)",
            f"closes soon (2027-03-31, in {(dt.date(2027, 3, 31) - on).days} days)",
        ),
        on,
    )


def test_withdrawn_listings_cannot_be_updated_or_reviewed():
    _, gone = run(OPPORTUNITY, [post(listing()), command(WithdrawOpportunity, TODAY, reason="filled")])
    events, _ = run(OPPORTUNITY, [post(listing()), command(WithdrawOpportunity, TODAY, reason="filled")])
    withdrawn = Scenario(OPPORTUNITY, PortfolioContext()).given(*events)
    withdrawn.when(command(ReviewOpportunity)).then_refused("STATE")
    withdrawn.when(command(UpdateOpportunity, listing=listing())).then_refused("STATE")
    assert not gone.is_live(TODAY.date())


# -- PP-FRESH ----------------------------------------------------------------------------


def test_PP_FRESH_a_listing_reviewed_within_30_days_is_fresh_one_older_is_flagged():
    ctx = PortfolioContext(listings=listings(a=(listing(closing=dt.date(2027, 6, 30), starts=dt.date(2027, 7, 1)),)))
    thirty = at(2027, 3, 31)
    decision = (
        member_scenario(context=ctx)
        .when(introduce("a", thirty))
        .then(
            Introduced(
                "i1",
                "a",
                3 + 2 + 1 + 1,
                (
                    "shares your interests: minor surgery",
                    "in your area (Mansfield)",
                    "needs 2 of your 4 available sessions a week",
                    "a role suits your aim (considering leaving)",
                ),
                dt.date(2027, 3, 31),
            )
        )
    )
    assert not any(isinstance(e, RuleFlagged) for e in decision.events)
    thirty_one = at(2027, 4, 1)
    member_scenario(context=ctx).when(introduce("a", thirty_one)).then(
        Introduced(
            "i1",
            "a",
            7,
            (
                "shares your interests: minor surgery",
                "in your area (Mansfield)",
                "needs 2 of your 4 available sessions a week",
                "a role suits your aim (considering leaving)",
            ),
            dt.date(2027, 4, 1),
        ),
        RuleFlagged("PP-FRESH", "a was last reviewed 31 days ago (on 2027-03-01); it may be stale", thirty_one),
    )


def test_PP_FRESH_review_and_update_make_a_listing_fresh_again():
    item = listing(closing=dt.date(2027, 6, 30), starts=dt.date(2027, 7, 1))
    reviewed = command(ReviewOpportunity, at(2027, 3, 20))
    updated = command(UpdateOpportunity, at(2027, 3, 25), listing=item)
    listed = listings(stale=(item,), reviewed=(item, reviewed), updated=(item, updated))
    on = dt.date(2027, 4, 15)
    assert [s.opportunity_id for s in stale_listings(listed, on, PORTFOLIO_PLUS)] == ["stale"]
    assert stale_listings(listed, on, PORTFOLIO_PLUS)[0].days == 45
    events, _ = run(OPPORTUNITY, [post(item)])
    Scenario(OPPORTUNITY, PortfolioContext()).given(*events).when(reviewed).then(
        OpportunityReviewed(dt.date(2027, 3, 20))
    )


def test_PP_FRESH_counts_days_across_a_leap_february():
    item = listing(closing=dt.date(2028, 6, 30), starts=dt.date(2028, 7, 1))
    listed = {"x": run(OPPORTUNITY, [post(item, at(2028, 1, 31))])[1]}
    assert stale_listings(listed, dt.date(2028, 3, 1), PORTFOLIO_PLUS) == ()  # 30 days (29 February counts)
    assert stale_listings(listed, dt.date(2028, 3, 2), PORTFOLIO_PLUS)[0].days == 31


# -- PP-MATCH ----------------------------------------------------------------------------


CATALOGUE = {
    "surgery-role": (listing(),),
    "teaching-course": (
        listing(
            OpportunityKind.TRAINING,
            "county-wide",
            ("teaching",),
            dt.date(2027, 5, 1),
            dt.date(2027, 5, 10),
            dt.date(2027, 6, 10),
            title="GP trainer course",
        ),
    ),
    "remote-event": (
        listing(
            OpportunityKind.EVENT,
            "Bassetlaw",
            ("wellbeing",),
            dt.date(2027, 4, 1),
            dt.date(2027, 4, 2),
            title="Wellbeing evening",
        ),
    ),
    "big-role": (listing(sessions=6, title="Partner, 6 sessions"),),
    "filled-role": (listing(), command(WithdrawOpportunity, TODAY, reason="filled")),
}


def test_PP_MATCH_ranks_relevant_open_listings_with_reasons():
    ranked = rank(PROFILE, listings(**CATALOGUE), TODAY.date(), PORTFOLIO_PLUS)
    assert [(m.opportunity_id, m.score) for m in ranked] == [("surgery-role", 7), ("teaching-course", 6)]
    assert ranked[1].reasons == (
        "shares your interests: teaching",
        "county-wide",
        "training suits your aim (considering leaving)",
    )


def test_PP_MATCH_says_why_a_listing_is_not_offered():
    listed = listings(**CATALOGUE)
    on = TODAY.date()
    assert why_not(PROFILE, listed, "surgery-role", on, PORTFOLIO_PLUS) == ()
    assert why_not(PROFILE, listed, "filled-role", on, PORTFOLIO_PLUS) == ("it was withdrawn on 2027-03-01",)
    assert why_not(PROFILE, listed, "big-role", on, PORTFOLIO_PLUS) == ("it needs 6 sessions a week; 4 are available",)
    assert why_not(PROFILE, listed, "remote-event", on, PORTFOLIO_PLUS) == (
        "no shared interest and it is in Bassetlaw, not Mansfield",
    )
    assert why_not(PROFILE, listed, "surgery-role", dt.date(2027, 4, 1), PORTFOLIO_PLUS) == ("it closed on 2027-03-31",)
    assert why_not(PROFILE, listed, "nope", on, PORTFOLIO_PLUS) == ("there is no opportunity nope",)


def test_PP_MATCH_the_introduction_records_the_explanation():
    ctx = PortfolioContext(listings=listings(**CATALOGUE))
    member_scenario(context=ctx).when(introduce("teaching-course")).then(
        Introduced(
            "i1",
            "teaching-course",
            6,
            ("shares your interests: teaching", "county-wide", "training suits your aim (considering leaving)"),
            dt.date(2027, 3, 1),
        )
    )
    member_scenario(introduce("teaching-course"), context=ctx).when(
        introduce("teaching-course", introduction_id="i2")
    ).then_refused("STATE")


TAGS = st.frozensets(st.sampled_from(["minor surgery", "teaching", "wellbeing", "research", "dermatology"]), max_size=3)
LISTING = st.builds(
    listing,
    kind=st.sampled_from(OpportunityKind),
    area=st.sampled_from(["Mansfield", "Newark", "county-wide"]),
    tags=TAGS,
    closing=st.dates(dt.date(2027, 2, 1), dt.date(2027, 5, 1)),
    starts=st.just(dt.date(2027, 5, 2)),
    sessions=st.integers(1, 8),
)
PROFILES = st.builds(
    Profile, st.sampled_from(Intent), TAGS, st.sampled_from(["Mansfield", "Newark"]), st.integers(0, 10)
)


@given(
    profile=PROFILES,
    items=st.lists(st.tuples(LISTING, st.booleans()), min_size=1, max_size=8),
    on=st.dates(dt.date(2027, 1, 1), dt.date(2027, 5, 5)),
    data=st.data(),
)
def test_PP_MATCH_is_deterministic_and_never_offers_closed_or_withdrawn_listings(profile, items, on, data):
    listed = {}
    for n, (item, withdrawn) in enumerate(items):
        listed[f"o{n}"] = Opportunity(item, dt.date(2027, 1, 1), dt.date(2027, 1, 1) if withdrawn else None)
    ranked = rank(profile, listed, on, PORTFOLIO_PLUS)
    shuffled = dict(data.draw(st.permutations(list(listed.items()))))
    assert rank(profile, shuffled, on, PORTFOLIO_PLUS) == ranked
    for match in ranked:
        opportunity = listed[match.opportunity_id]
        assert not opportunity.withdrawn and on <= opportunity.listing.closing_on
        assert match.score > 0 and match.reasons
    offered = {m.opportunity_id for m in ranked}
    for oid in listed:
        assert (oid in offered) == (why_not(profile, listed, oid, on, PORTFOLIO_PLUS) == ())


# -- PP-PEER ------------------------------------------------------------------------------


def test_PP_PEER_link_to_a_peer_support_group_once():
    member_scenario().when(command(LinkPeerGroup, group_id="g-balint")).then(PeerGroupLinked("g-balint"))
    member_scenario(command(LinkPeerGroup, group_id="g-balint")).when(
        command(LinkPeerGroup, group_id="g-balint")
    ).then_refused("STATE")


# -- PP-OUTCOME ---------------------------------------------------------------------------


def outcome(value, as_of, when=at(2027, 9, 1)):
    return command(RecordOutcome, when, outcome=value, as_of=as_of)


def test_PP_OUTCOME_outcomes_in_time_order():
    member_scenario(outcome(CareerOutcome.REDUCED_HOURS, dt.date(2027, 5, 1))).when(
        outcome(CareerOutcome.PORTFOLIO_CAREER, dt.date(2027, 8, 1))
    ).then(OutcomeRecorded(CareerOutcome.PORTFOLIO_CAREER, dt.date(2027, 8, 1)))


def test_PP_OUTCOME_at_its_limits_is_accepted():
    """As of the last outcome's date, as of the sign-up date, and as of today are all in order."""
    member_scenario(outcome(CareerOutcome.REDUCED_HOURS, dt.date(2027, 5, 1))).when(
        outcome(CareerOutcome.PORTFOLIO_CAREER, dt.date(2027, 5, 1))
    ).then(OutcomeRecorded(CareerOutcome.PORTFOLIO_CAREER, dt.date(2027, 5, 1)))
    member_scenario().when(outcome(CareerOutcome.STAYED_IN_PRACTICE, dt.date(2027, 2, 1))).then(
        OutcomeRecorded(CareerOutcome.STAYED_IN_PRACTICE, dt.date(2027, 2, 1))
    )
    member_scenario().when(outcome(CareerOutcome.STAYED_IN_PRACTICE, dt.date(2027, 9, 1))).then(
        OutcomeRecorded(CareerOutcome.STAYED_IN_PRACTICE, dt.date(2027, 9, 1))
    )


def test_PP_OUTCOME_out_of_order_or_before_sign_up_or_future_is_refused():
    refused = (
        member_scenario(outcome(CareerOutcome.REDUCED_HOURS, dt.date(2027, 5, 1)))
        .when(outcome(CareerOutcome.STAYED_IN_PRACTICE, dt.date(2027, 4, 30)))
        .then_refused("PP-OUTCOME")
    )
    assert "the last was as of 2027-05-01" in str(refused)
    member_scenario().when(outcome(CareerOutcome.STAYED_IN_PRACTICE, dt.date(2027, 1, 31))).then_refused("PP-OUTCOME")
    member_scenario().when(outcome(CareerOutcome.STAYED_IN_PRACTICE, dt.date(2027, 9, 2))).then_refused("INPUT")


def test_retention_rate_over_latest_outcomes():
    members = [
        member(
            outcome(CareerOutcome.REDUCED_HOURS, dt.date(2027, 5, 1)),
            outcome(CareerOutcome.LEFT_GENERAL_PRACTICE, dt.date(2027, 8, 1)),
        )[1],
        member(outcome(CareerOutcome.PORTFOLIO_CAREER, dt.date(2027, 6, 1)))[1],
        member(outcome(CareerOutcome.STAYED_IN_PRACTICE, dt.date(2027, 7, 1)))[1],
        member()[1],
    ]
    result = retention(members)
    assert (result.with_outcome, result.retained, result.rate) == (3, 2, Decimal("66.67"))
    assert retention(members, as_of=dt.date(2027, 7, 31)).rate == Decimal("100.00")
    assert retention([member()[1]]).rate is None


def test_answers_are_recorded_by_the_member_for_themselves():
    ctx = PortfolioContext(listings=listings(**CATALOGUE))
    given = (introduce("teaching-course"),)
    member_scenario(*given, context=ctx).when(
        command(
            AnswerIntroduction,
            role="member",
            actor="m-1",
            introduction_id="i1",
            response=IntroductionResponse.APPLIED,
        )
    ).then(IntroductionAnswered("i1", IntroductionResponse.APPLIED))
    member_scenario(*given, context=ctx).when(
        command(
            AnswerIntroduction,
            role="member",
            actor="m-2",
            introduction_id="i1",
            response=IntroductionResponse.APPLIED,
        )
    ).then_refused("SCOPE")
