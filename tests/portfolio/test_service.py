"""PortfolioPlus: the same log as execute with hand-built contexts, listings kept current."""

import datetime as dt

import pytest

from pastoral_core import EventLog, Refused, execute
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.peer_groups import Modality, SetUpGroup
from pastoral_core.portfolio import (
    MEMBER,
    OPPORTUNITY,
    PORTFOLIO_PLUS,
    AnswerIntroduction,
    CareerOutcome,
    HoldOneToOne,
    IntroduceToOpportunity,
    IntroductionResponse,
    LinkPeerGroup,
    OpportunityKind,
    PortfolioContext,
    PortfolioPlus,
    RecordOutcome,
    ReviewOpportunity,
    SignUpMember,
    Topic,
    UpdateOpportunity,
    WithdrawOpportunity,
    listings_from,
    members_from,
    retention,
    stale_listings,
)
from tests.builders import at, command
from tests.portfolio.helpers import PROFILE, TODAY, assign, listing, post


def team(cls, when, **fields):
    return command(cls, when, role="team_member", actor="tm-1", **fields)


def sign_up(member_id, when=at(2027, 2, 1)):
    return command(SignUpMember, when, member_id=member_id, profile=PROFILE)


def introduce(introduction_id, opportunity_id, when):
    return team(IntroduceToOpportunity, when, introduction_id=introduction_id, opportunity_id=opportunity_id)


def history():
    """(aggregate id or None if the command names it, command)."""
    return [
        ("opp-1", post(listing(), at(2027, 1, 20))),
        ("opp-2", post(listing(area="Leeds", tags=("teaching",)), at(2027, 1, 21))),
        (None, sign_up("m-1")),
        (None, sign_up("m-2")),
        ("m-1", assign()),
        ("m-2", assign()),
        ("m-1", introduce("i-1", "opp-3", TODAY)),  # refused: there is no opp-3 yet
        ("opp-3", post(listing(OpportunityKind.TRAINING, closing=dt.date(2027, 6, 30), starts=dt.date(2027, 7, 1),
                               title="Minor surgery course"), TODAY)),
        ("m-1", introduce("i-1", "opp-3", TODAY)),  # the context follows the new listing
        ("m-1", introduce("i-2", "opp-1", TODAY)),
        ("m-1", team(AnswerIntroduction, at(2027, 3, 2), introduction_id="i-2", response=IntroductionResponse.APPLIED)),
        ("opp-1", team(ReviewOpportunity, at(2027, 3, 3))),
        ("opp-2", team(UpdateOpportunity, at(2027, 3, 3), listing=listing(area="York"))),
        ("m-2", team(HoldOneToOne, at(2027, 3, 4), session_id="s-1", topic=Topic.WORKING_LIFE)),
        ("m-2", team(LinkPeerGroup, at(2027, 3, 5), group_id="g1")),
        ("opp-2", team(WithdrawOpportunity, at(2027, 3, 6), reason="The practice filled the post")),
        ("m-2", introduce("i-3", "opp-2", at(2027, 3, 7))),  # refused: withdrawn
        ("m-1", team(RecordOutcome, at(2027, 6, 1), outcome=CareerOutcome.PORTFOLIO_CAREER,
                     as_of=dt.date(2027, 5, 31))),
        ("m-2", team(RecordOutcome, at(2027, 6, 1), outcome=CareerOutcome.LEFT_GENERAL_PRACTICE,
                     as_of=dt.date(2027, 5, 31))),
    ]  # fmt: skip


def run_by_service(log, steps, *, query=False):
    scheme = PortfolioPlus(log)
    outcomes = []
    for aggregate_id, c in steps:
        try:
            outcomes.append(scheme.handle(c, aggregate_id).events)
        except Refused as refused:
            outcomes.append(refused.rule_ids)
        if query:
            scheme.listings(), scheme.members(), scheme.member("m-1")
    return scheme, outcomes


def run_by_hand(log, steps):
    outcomes = []
    for aggregate_id, c in steps:
        context = PortfolioContext(PORTFOLIO_PLUS, listings_from(log.read_all()))
        aggregate = OPPORTUNITY if type(c) in OPPORTUNITY.commands else MEMBER
        try:
            outcomes.append(execute(log, aggregate, aggregate_id or c.member_id, c, context).events)
        except Refused as refused:
            outcomes.append(refused.rule_ids)
    return outcomes


def test_a_history_through_the_service_is_the_log_execute_writes_by_hand():
    steps, by_service, by_hand = history(), EventLog(), EventLog()
    _, service_outcomes = run_by_service(by_service, steps)
    assert service_outcomes == run_by_hand(by_hand, steps)
    assert sum(isinstance(o[0], str) for o in service_outcomes) == 2
    written, expected = by_service.read_all(), by_hand.read_all()
    assert len(written) == len(expected) > 15
    for mine, theirs in zip(written, expected, strict=True):
        assert mine == theirs


@pytest.mark.parametrize("query", [False, True], ids=["at-the-end", "after-each-step"])
def test_the_read_models_are_the_projections_over_the_whole_store(query):
    log = EventLog()
    scheme, _ = run_by_service(log, history(), query=query)
    records = log.read_all()
    listings, members = listings_from(records), members_from(records)
    assert scheme.listings() == listings and scheme.members() == members
    assert scheme.context().listings == listings
    on = dt.date(2027, 5, 1)
    assert scheme.stale_listings(on) == stale_listings(listings, on, PORTFOLIO_PLUS) != ()
    assert scheme.retention() == retention(members.values())
    assert scheme.retention().rate == 50
    assert scheme.retention(dt.date(2027, 5, 30)).with_outcome == 0


def test_a_member_and_a_listing_as_of_a_moment():
    scheme, _ = run_by_service(EventLog(), history())
    assert scheme.member("m-1", as_of=at(2027, 1, 31)) is None
    assert scheme.member("m-1", as_of=TODAY).introduced_to == frozenset({"opp-3", "opp-1"})
    assert scheme.member("m-1", as_of=TODAY - dt.timedelta(minutes=1)).introduced_to == frozenset()
    assert scheme.opportunity("opp-2", as_of=at(2027, 3, 5)).is_live(dt.date(2027, 3, 5))
    assert not scheme.opportunity("opp-2").is_live(dt.date(2027, 3, 7))


def test_an_idempotent_repeat_and_bad_input():
    log = EventLog()
    scheme = PortfolioPlus(log)
    signing_up = sign_up("m-1")
    first = scheme.handle(signing_up)
    again = scheme.handle(signing_up, "m-1")
    assert again.replayed and again.records == first.records
    written = len(log.read_all())
    with pytest.raises(InvalidType, match="SetUpGroup is not a command of Opportunity and Member"):
        scheme.handle(command(SetUpGroup, TODAY, group_id="g1", programme_id="p", modality=Modality.BALINT))
    with pytest.raises(InvalidValue, match="PostOpportunity does not name the Opportunity it goes to"):
        scheme.handle(post(listing()))
    with pytest.raises(InvalidType, match="PortfolioPlus.codec"):
        PortfolioPlus(log, codec="json")
    assert len(log.read_all()) == written
