"""Opportunity and member decisions: every PP rule that applies runs here, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from pastoral_core._command import BaseCommand, Role
from pastoral_core._decider import Decision
from pastoral_core._immutable import EMPTY
from pastoral_core._time import london_date
from pastoral_core.eventlog import Event
from pastoral_core.portfolio import _commands as cmd
from pastoral_core.portfolio import _events as ev
from pastoral_core.portfolio._auth import PORTFOLIO_PERMISSIONS
from pastoral_core.portfolio._matching import explain
from pastoral_core.portfolio._model import Listing, OpportunityKind, Profile
from pastoral_core.portfolio._policies import (
    PORTFOLIO_PLUS,
    Freshness,
    Matching,
    Membership,
    OpenOpportunities,
    Outcomes,
    PeerSupportLink,
    TeamMemberLink,
)
from pastoral_core.portfolio._state import Member, Opportunity
from pastoral_core.rules import Citation, Outcome, Rulebooks, Verdict
from pastoral_core.rules._judge import Judge
from pastoral_core.rules._screening import screen

MINIMAL = Citation("DERIVED", "MINIMAL: the library stores opaque ids and roles, never names or contact details")


@attrs.frozen
class PortfolioContext:
    """What member decisions consult besides the member.

    Attributes:
        rulebooks: Every version of the rulebook; the one in force at the command decides.
        listings: Opportunities by id (see ``listings_from``).
    """

    rulebooks: Rulebooks = PORTFOLIO_PLUS
    listings: Mapping[str, Opportunity] = EMPTY


Handler = Callable[[Any, Any, PortfolioContext, Judge], Sequence[Event]]


def _decide(
    handlers: Mapping[type, Handler],
    kind: str,
    state: Any,
    c: BaseCommand,
    ctx: PortfolioContext,
    requires: tuple[bool, str] | None = None,
) -> Decision:
    handler = handlers.get(type(c))
    if handler is None:
        raise TypeError(f"{type(c).__name__} is not {kind} command")
    j = Judge.for_command(ctx.rulebooks, PORTFOLIO_PERMISSIONS, c)
    if requires is not None:
        j.must(*requires)
    return j.decision(list(handler(state, c, ctx, j)), c.at)


# -- Opportunity ------------------------------------------------------------------------


def decide_opportunity(state: Opportunity, command: BaseCommand, context: PortfolioContext) -> Decision:
    """Decide one command on a listing (PP-OPPORTUNITY; titles screened for MINIMAL).

    Raises:
        Refused: With every denying verdict and its clause.
    """
    return _decide(_OPPORTUNITY_HANDLERS, "an opportunity", state, command, context)


def _check_listing(j: Judge, listing: Listing, today: dt.date, *, posting: bool) -> None:
    rule = j.rule(OpenOpportunities)
    last_day = listing.ends_on or listing.starts_on
    j.must(
        listing.ends_on is None or listing.ends_on >= listing.starts_on, "it ends before it starts", invalid_input=True
    )
    j.must(
        listing.sessions_per_week is None
        or (listing.kind is OpportunityKind.ROLE and 1 <= listing.sessions_per_week <= 10),
        "sessions a week (1-10) are given for roles only",
        invalid_input=True,
    )
    j.require(
        rule,
        listing.closing_on <= last_day,
        f"the closing date {listing.closing_on.isoformat()} is after it ends ({last_day.isoformat()})",
        "dates are consistent",
    )
    if posting:
        j.require(
            rule,
            listing.closing_on >= today,
            f"the closing date {listing.closing_on.isoformat()} has passed",
            f"open until {listing.closing_on.isoformat()}",
        )
    findings = screen(listing.title)
    if findings:
        j.note(
            Verdict(
                "MINIMAL",
                Outcome.DENY,
                "the title holds contact details: " + "; ".join(str(f) for f in findings),
                MINIMAL,
            )
        )


def _post(s: Opportunity, c: cmd.PostOpportunity, ctx: PortfolioContext, j: Judge) -> list[Event]:
    j.must(s.listing is None, "the opportunity is already posted")
    today = london_date(c.at)
    _check_listing(j, c.listing, today, posting=True)
    return [ev.OpportunityPosted(c.listing, today)]


def _live(j: Judge, s: Opportunity) -> None:
    j.must(s.listing is not None, "the opportunity has not been posted")
    j.must(not s.withdrawn, "the opportunity has been withdrawn")


def _update(s: Opportunity, c: cmd.UpdateOpportunity, ctx: PortfolioContext, j: Judge) -> list[Event]:
    _live(j, s)
    today = london_date(c.at)
    _check_listing(j, c.listing, today, posting=False)
    return [ev.OpportunityUpdated(c.listing, today)]


def _review(s: Opportunity, c: cmd.ReviewOpportunity, ctx: PortfolioContext, j: Judge) -> list[Event]:
    _live(j, s)
    return [ev.OpportunityReviewed(london_date(c.at))]


def _withdraw(s: Opportunity, c: cmd.WithdrawOpportunity, ctx: PortfolioContext, j: Judge) -> list[Event]:
    _live(j, s)
    return [ev.OpportunityWithdrawn(c.reason, london_date(c.at))]


_OPPORTUNITY_HANDLERS: dict[type, Handler] = {
    cmd.PostOpportunity: _post,
    cmd.UpdateOpportunity: _update,
    cmd.ReviewOpportunity: _review,
    cmd.WithdrawOpportunity: _withdraw,
}
#: Every opportunity command class.
OPPORTUNITY_COMMANDS = tuple(_OPPORTUNITY_HANDLERS)


# -- Member -----------------------------------------------------------------------------


def decide_member(state: Member, command: BaseCommand, context: PortfolioContext) -> Decision:
    """Decide one command on a member (PP-MEMBER, PP-TEAM, PP-MATCH, PP-FRESH, PP-PEER, PP-OUTCOME).

    Raises:
        Refused: With every denying verdict and its clause.
    """
    signed_up = isinstance(command, cmd.SignUpMember) or state.member_id is not None
    return _decide(_MEMBER_HANDLERS, "a member", state, command, context, (signed_up, "the member has not signed up"))


def _check_profile(j: Judge, profile: Profile) -> None:
    rule = j.rule(Membership)
    j.must(bool(profile.home_area.strip()), "a home area is needed for matching", invalid_input=True)
    j.require(
        rule,
        0 <= profile.sessions_available <= rule.max_sessions,
        f"available sessions a week are 0 to {rule.max_sessions}, not {profile.sessions_available}",
        f"intent: {profile.intent.value.replace('_', ' ')}",
    )


def _sign_up(s: Member, c: cmd.SignUpMember, ctx: PortfolioContext, j: Judge) -> list[Event]:
    j.must(s.member_id is None, "the member has already signed up")
    j.acting_for_themselves(c, Role.MEMBER, c.member_id)
    _check_profile(j, c.profile)
    return [ev.MemberSignedUp(c.member_id, c.profile, london_date(c.at))]


def _update_profile(s: Member, c: cmd.UpdateProfile, ctx: PortfolioContext, j: Judge) -> list[Event]:
    j.acting_for_themselves(c, Role.MEMBER, s.member_id)
    _check_profile(j, c.profile)
    return [ev.ProfileUpdated(c.profile)]


def _assign(s: Member, c: cmd.AssignTeamMember, ctx: PortfolioContext, j: Judge) -> list[Event]:
    j.must(c.team_member_id != s.team_member, f"{c.team_member_id} is already the member's team member")
    j.must(c.team_member_id != s.member_id, "a member cannot be their own team member", invalid_input=True)
    j.require(j.rule(TeamMemberLink), True, "", f"linked to {c.team_member_id}")
    return [ev.TeamMemberAssigned(c.team_member_id)]


def _one_to_one(s: Member, c: cmd.HoldOneToOne, ctx: PortfolioContext, j: Judge) -> list[Event]:
    j.must(c.session_id not in s.one_to_ones, f"session {c.session_id} already exists")
    rule = j.rule(TeamMemberLink)
    j.must(
        s.team_member is not None,
        "no team member is linked to this member yet; assign one before a one-to-one",
        rule=rule,
        success=f"with {s.team_member}",
    )
    assert s.team_member is not None
    if c.role is Role.TEAM_MEMBER:
        j.require(
            rule, c.actor == s.team_member, f"{c.actor} is not this member's team member", "the linked team member"
        )
    return [ev.OneToOneHeld(c.session_id, s.team_member, c.topic, london_date(c.at))]


def _introduce(s: Member, c: cmd.IntroduceToOpportunity, ctx: PortfolioContext, j: Judge) -> list[Event]:
    j.must(c.introduction_id not in s.introductions, f"introduction {c.introduction_id} already exists")
    opportunity = ctx.listings.get(c.opportunity_id)
    j.must(opportunity is not None and opportunity.listing is not None, f"there is no opportunity {c.opportunity_id}")
    assert opportunity is not None and opportunity.listing is not None and s.profile is not None
    j.must(c.opportunity_id not in s.introduced_to, f"the member was already introduced to {c.opportunity_id}")
    today = london_date(c.at)
    closed = [] if opportunity.is_live(today) else ["withdrawn" if opportunity.withdrawn else "past its closing date"]
    j.require(
        j.rule(OpenOpportunities),
        not closed,
        f"{c.opportunity_id} is {', '.join(closed)} and is not offered",
        "open",
    )
    fresh = j.rule(Freshness)
    age = opportunity.days_since_review(today) or 0
    j.require(
        fresh,
        age <= fresh.days,
        f"{c.opportunity_id} was last reviewed {age} days ago (on {opportunity.reviewed_on}); it may be stale",
        f"reviewed {age} days ago",
        outcome=Outcome.FLAG,
    )
    match = explain(s.profile, c.opportunity_id, opportunity, today, j.rule(Matching))
    j.require(j.rule(Matching), True, "", f"score {match.score}: " + "; ".join(match.reasons or ("no match reasons",)))
    return [ev.Introduced(c.introduction_id, c.opportunity_id, match.score, match.reasons, today)]


def _answer(s: Member, c: cmd.AnswerIntroduction, ctx: PortfolioContext, j: Judge) -> list[Event]:
    j.acting_for_themselves(c, Role.MEMBER, s.member_id)
    j.must(c.introduction_id in s.introductions, f"there is no introduction {c.introduction_id}")
    j.must(s.answers.get(c.introduction_id) is not c.response, "that response is already recorded")
    return [ev.IntroductionAnswered(c.introduction_id, c.response)]


def _link(s: Member, c: cmd.LinkPeerGroup, ctx: PortfolioContext, j: Judge) -> list[Event]:
    j.must(c.group_id not in s.peer_groups, f"already linked to {c.group_id}")
    j.require(j.rule(PeerSupportLink), True, "", f"linked to peer support group {c.group_id}")
    return [ev.PeerGroupLinked(c.group_id)]


def _outcome(s: Member, c: cmd.RecordOutcome, ctx: PortfolioContext, j: Judge) -> list[Event]:
    j.acting_for_themselves(c, Role.MEMBER, s.member_id)
    rule = j.rule(Outcomes)
    j.must(c.as_of <= london_date(c.at), f"an outcome as of {c.as_of.isoformat()} is in the future", invalid_input=True)
    last = s.outcomes[-1].as_of if s.outcomes else s.signed_up_on
    j.require(
        rule,
        last is None or c.as_of >= last,
        f"outcomes are recorded in time order; the last was as of {last.isoformat() if last else ''}",
        f"{c.outcome.value.replace('_', ' ')} as of {c.as_of.isoformat()}",
    )
    return [ev.OutcomeRecorded(c.outcome, c.as_of)]


_MEMBER_HANDLERS: dict[type, Handler] = {
    cmd.SignUpMember: _sign_up,
    cmd.UpdateProfile: _update_profile,
    cmd.AssignTeamMember: _assign,
    cmd.HoldOneToOne: _one_to_one,
    cmd.IntroduceToOpportunity: _introduce,
    cmd.AnswerIntroduction: _answer,
    cmd.LinkPeerGroup: _link,
    cmd.RecordOutcome: _outcome,
}
#: Every member command class.
MEMBER_COMMANDS = tuple(_MEMBER_HANDLERS)
