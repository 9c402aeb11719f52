"""A modest synthetic Portfolio Plus scheme: listings over the year, and members from sign-up to outcome.

Listings (roles, training, events) are posted, reviewed now and then (some go stale and
are flagged when offered), and a few withdrawn. Members sign up with an intent, are
linked to a team member, have one-to-ones, are introduced to the best-ranked live
listing and answer, some join a peer group, and most have an outcome months later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import attrs

from pastoral_core.portfolio import (
    AnswerIntroduction,
    AssignTeamMember,
    CareerOutcome,
    HoldOneToOne,
    Intent,
    IntroduceToOpportunity,
    IntroductionResponse,
    LinkPeerGroup,
    Listing,
    Member,
    OpportunityKind,
    PortfolioPlus,
    PortfolioRole,
    PostOpportunity,
    Profile,
    RecordOutcome,
    ReviewOpportunity,
    SignUpMember,
    Topic,
    WithdrawOpportunity,
    rank,
)
from pastoral_core.testing._synthetic_kit import Action, Issuer, Script, Step, pick, working_moment
from pastoral_core.values import LONDON

if TYPE_CHECKING:
    from random import Random

COORDINATOR, TEAM, MEMBER = PortfolioRole.COORDINATOR, PortfolioRole.TEAM_MEMBER, PortfolioRole.MEMBER
AREAS = ("Mansfield", "Newark", "Nottingham City", "Bassetlaw", "Broxtowe", "Gedling", "Rushcliffe", "Ashfield")
TAGS = (
    "minor surgery",
    "teaching",
    "medical education",
    "dermatology",
    "research",
    "urgent care",
    "leadership",
    "appraisal",
    "older people",
    "sexual health",
    "coaching",
    "wellbeing",
    "networking",
    "general practice",
)
TITLES = {
    OpportunityKind.ROLE: (
        "Salaried GP",
        "GP with an extended role",
        "Out-of-hours GP",
        "Clinical lead",
        "GP appraiser",
    ),
    OpportunityKind.TRAINING: ("Certificate course", "Skills workshop", "Trainer course", "Returner refresher"),
    OpportunityKind.EVENT: ("Evening forum", "Networking breakfast", "Portfolio careers evening", "Wellbeing evening"),
}
STAYED, PORTFOLIO = CareerOutcome.STAYED_IN_PRACTICE, CareerOutcome.PORTFOLIO_CAREER
REDUCED, LEFT = CareerOutcome.REDUCED_HOURS, CareerOutcome.LEFT_GENERAL_PRACTICE
OUTCOMES = {
    Intent.CONSIDERING_LEAVING: ((STAYED, 0.35), (PORTFOLIO, 0.3), (REDUCED, 0.2), (LEFT, 0.15)),
    Intent.FLEXIBLE_WORK: ((PORTFOLIO, 0.4), (REDUCED, 0.35), (STAYED, 0.2), (LEFT, 0.05)),
    Intent.NEWLY_QUALIFIED: ((STAYED, 0.6), (PORTFOLIO, 0.25), (REDUCED, 0.1), (LEFT, 0.05)),
    Intent.RETURNING: ((STAYED, 0.7), (REDUCED, 0.2), (PORTFOLIO, 0.1)),
}
INTENTS = (
    (Intent.CONSIDERING_LEAVING, 0.35),
    (Intent.FLEXIBLE_WORK, 0.3),
    (Intent.NEWLY_QUALIFIED, 0.25),
    (Intent.RETURNING, 0.1),
)
RESPONSES = (
    (IntroductionResponse.INTERESTED, 0.35),
    (IntroductionResponse.APPLIED, 0.25),
    (IntroductionResponse.ATTENDED, 0.15),
    (IntroductionResponse.DECLINED, 0.25),
)
MemberStep = Callable[..., Step]


@attrs.frozen
class Scheme:
    """Who acts for the scheme, and the peer groups a member may be linked to."""

    portfolio: PortfolioPlus
    team: tuple[str, ...]
    groups: tuple[str, ...]
    coordinator: str = "coord-pp"


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def listing_script(scheme: Scheme, rng: Random, opportunity_id: str, posted: dt.datetime) -> Script:
    """One listing: posted, reviewed every few weeks (or left to go stale) until it closes, or withdrawn."""
    issue = Issuer(f"opportunity-{opportunity_id}")
    kind = pick(rng, ((OpportunityKind.ROLE, 0.5), (OpportunityKind.TRAINING, 0.3), (OpportunityKind.EVENT, 0.2)))
    closing = _day(posted) + dt.timedelta(days=rng.randint(21, 70))
    starts = closing + dt.timedelta(days=rng.randint(2, 45))
    listing = Listing(
        kind=kind,
        title=rng.choice(TITLES[kind]),
        organisation_id=f"org-{rng.randint(1, 30):02d}",
        area=rng.choice((*AREAS, "county-wide")),
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=rng.randint(0, 2)) if kind is not OpportunityKind.ROLE else None,
        closing_on=closing,
        sessions_per_week=rng.randint(1, 6) if kind is OpportunityKind.ROLE else None,
        tags=frozenset(rng.sample(TAGS, rng.randint(1, 3))),
    )
    actor = rng.choice(scheme.team)
    now = posted
    yield now
    yield Step(scheme.portfolio, issue(PostOpportunity, now, TEAM, actor, listing=listing), opportunity_id)
    reviewing = rng.random() < 0.7
    withdrawn = rng.random() < 0.1
    withdraw_at = working_moment(rng, now, days=(7, max(7, (closing - _day(now)).days - 1)))
    while True:
        now = working_moment(rng, now, days=(14, 35))
        if withdrawn and now >= withdraw_at:
            yield withdraw_at
            reason = "The post was filled before the closing date."
            yield Step(
                scheme.portfolio, issue(WithdrawOpportunity, withdraw_at, TEAM, actor, reason=reason), opportunity_id
            )
            return
        if not reviewing or _day(now) > closing:
            return
        yield now
        yield Step(scheme.portfolio, issue(ReviewOpportunity, now, TEAM, actor), opportunity_id)


def member_script(scheme: Scheme, rng: Random, member_id: str, joined: dt.datetime) -> Script:
    """One member: sign-up, a team member, one-to-ones with introductions, maybe a peer group, outcomes."""
    issue, portfolio = Issuer(f"member-{member_id}"), scheme.portfolio

    def step(cls: type, now: dt.datetime, role: PortfolioRole, actor: str, **fields: object) -> Step:
        return Step(portfolio, issue(cls, now, role, actor, **fields), member_id)

    intent = pick(rng, INTENTS)
    profile = Profile(intent, frozenset(rng.sample(TAGS, rng.randint(2, 4))), rng.choice(AREAS), rng.randint(1, 8))
    now = joined
    yield now
    by = (MEMBER, member_id) if rng.random() < 0.6 else (TEAM, rng.choice(scheme.team))
    yield step(SignUpMember, now, *by, member_id=member_id, profile=profile)
    now = working_moment(rng, now, days=(1, 5))
    yield now
    team_member = rng.choice(scheme.team)
    yield step(AssignTeamMember, now, COORDINATOR, scheme.coordinator, team_member_id=team_member)
    for n in range(1, pick(rng, ((1, 0.3), (2, 0.35), (3, 0.25), (4, 0.1))) + 1):
        now = working_moment(rng, now, days=(7, 40))
        yield now
        topic = pick(rng, ((Topic.WORKING_LIFE, 0.45), (Topic.DIVERSIFYING, 0.35), (Topic.TRAINING, 0.2)))
        yield step(HoldOneToOne, now, TEAM, team_member, session_id=f"s{n}", topic=topic)
        if rng.random() < 0.6:
            now = yield from _introduce(scheme, rng, step, profile, (member_id, team_member), n, now)
    if scheme.groups and rng.random() < 0.15:
        yield step(LinkPeerGroup, now, TEAM, team_member, group_id=rng.choice(scheme.groups))
    now = working_moment(rng, now, days=(60, 180))
    yield now
    outcome = pick(rng, OUTCOMES[intent])
    yield step(RecordOutcome, now, TEAM, team_member, outcome=outcome, as_of=_day(now))


def _introduce(
    scheme: Scheme, rng: Random, step: MemberStep, profile: Profile, member: tuple[str, str], n: int, now: dt.datetime
) -> Generator[Action, Any, dt.datetime]:
    """Introduce the member to the best-ranked live listing they have not been introduced to; they answer."""
    member_id, team_member = member
    listings = scheme.portfolio.listings()
    introduced = {i.opportunity_id for i in (scheme.portfolio.member(member_id) or Member()).introductions.values()}
    on = _day(now)
    matches = [m for m in rank(profile, listings, on, scheme.portfolio.rulebooks) if m.opportunity_id not in introduced]
    if not matches:
        return now
    introduction = {"introduction_id": f"i{n}", "opportunity_id": matches[0].opportunity_id}
    yield step(IntroduceToOpportunity, now, TEAM, team_member, **introduction)
    now = working_moment(rng, now, days=(2, 10))
    yield now
    response = pick(rng, RESPONSES)
    yield step(AnswerIntroduction, now, MEMBER, member_id, introduction_id=f"i{n}", response=response)
    return now
