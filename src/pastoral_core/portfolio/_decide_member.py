"""Member decisions: PP-MEMBER, PP-TEAM, PP-MATCH, PP-FRESH, PP-PEER and PP-OUTCOME."""

from __future__ import annotations

from pastoral_core.eventlog import Event
from pastoral_core.portfolio import _commands as cmd
from pastoral_core.portfolio import _events as ev
from pastoral_core.portfolio._context import PortfolioContext
from pastoral_core.portfolio._matching import explain
from pastoral_core.portfolio._model import Profile
from pastoral_core.portfolio._policies import (
    Freshness,
    Matching,
    Membership,
    OpenOpportunities,
    Outcomes,
    PeerSupportLink,
    TeamMemberLink,
)
from pastoral_core.portfolio._state import Member
from pastoral_core.rules import Judge, Outcome
from pastoral_core.values import london_date


def _check_profile(judge: Judge, profile: Profile) -> None:
    rule = judge.rule(Membership)
    judge.check(
        rule,
        0 <= profile.sessions_available <= rule.max_sessions,
        f"available sessions a week are 0 to {rule.max_sessions}, not {profile.sessions_available}",
        f"intent: {profile.intent.value.replace('_', ' ')}",
    )


def sign_up_member(member: Member, command: cmd.SignUpMember, context: PortfolioContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(member.member_id is None, "the member has already signed up")
    _check_profile(judge, command.profile)
    return [ev.MemberSignedUp(command.member_id, command.profile, london_date(command.occurred))]


def update_profile(member: Member, command: cmd.UpdateProfile, context: PortfolioContext, judge: Judge) -> list[Event]:
    _check_profile(judge, command.profile)
    return [ev.ProfileUpdated(command.profile)]


def assign_team_member(
    member: Member, command: cmd.AssignTeamMember, context: PortfolioContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(
        command.team_member_id != member.team_member, f"{command.team_member_id} is already the member's team member"
    )
    judge.refuse_unless(
        command.team_member_id != member.member_id, "a member cannot be their own team member", invalid_input=True
    )
    judge.check(judge.rule(TeamMemberLink), True, "", f"linked to {command.team_member_id}")
    return [ev.TeamMemberAssigned(command.team_member_id)]


def hold_one_to_one(member: Member, command: cmd.HoldOneToOne, context: PortfolioContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(command.session_id not in member.one_to_ones, f"session {command.session_id} already exists")
    rule = judge.rule(TeamMemberLink)
    judge.refuse_unless(
        member.team_member is not None,
        "no team member is linked to this member yet; assign one before a one-to-one",
        rule=rule,
        success=f"with {member.team_member}",
    )
    assert member.team_member is not None
    return [ev.OneToOneHeld(command.session_id, member.team_member, command.topic, london_date(command.occurred))]


def introduce_to_opportunity(
    member: Member, command: cmd.IntroduceToOpportunity, context: PortfolioContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(
        command.introduction_id not in member.introductions, f"introduction {command.introduction_id} already exists"
    )
    opportunity = context.listings.get(command.opportunity_id)
    judge.refuse_unless(
        opportunity is not None and opportunity.listing is not None, f"there is no opportunity {command.opportunity_id}"
    )
    assert opportunity is not None and opportunity.listing is not None and member.profile is not None
    judge.refuse_unless(
        command.opportunity_id not in member.introduced_to,
        f"the member was already introduced to {command.opportunity_id}",
    )
    today = london_date(command.occurred)
    closed = opportunity.not_live_because(today)
    judge.check(
        judge.rule(OpenOpportunities),
        not closed,
        f"{command.opportunity_id} is not offered on {today.isoformat()}: {'; '.join(closed)}",
        f"open on {today.isoformat()}",
    )
    fresh = judge.rule(Freshness)
    age = opportunity.days_since_review(today) or 0
    judge.check(
        fresh,
        age <= fresh.days,
        f"{command.opportunity_id} was last reviewed {age} days ago (on {opportunity.reviewed_on}); it may be stale",
        f"reviewed {age} days ago",
        outcome=Outcome.FLAG,
    )
    match = explain(member.profile, command.opportunity_id, opportunity, today, judge.rule(Matching))
    judge.check(
        judge.rule(Matching), True, "", f"score {match.score}: " + "; ".join(match.reasons or ("no match reasons",))
    )
    return [ev.Introduced(command.introduction_id, command.opportunity_id, match.score, match.reasons, today)]


def answer_introduction(
    member: Member, command: cmd.AnswerIntroduction, context: PortfolioContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(
        command.introduction_id in member.introductions, f"there is no introduction {command.introduction_id}"
    )
    judge.refuse_unless(
        member.answers.get(command.introduction_id) is not command.response, "that response is already recorded"
    )
    return [ev.IntroductionAnswered(command.introduction_id, command.response)]


def link_peer_group(member: Member, command: cmd.LinkPeerGroup, context: PortfolioContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(command.group_id not in member.peer_groups, f"already linked to {command.group_id}")
    judge.check(judge.rule(PeerSupportLink), True, "", f"linked to peer support group {command.group_id}")
    return [ev.PeerGroupLinked(command.group_id)]


def record_outcome(member: Member, command: cmd.RecordOutcome, context: PortfolioContext, judge: Judge) -> list[Event]:
    rule = judge.rule(Outcomes)
    judge.refuse_unless(
        command.as_of <= london_date(command.occurred),
        f"an outcome as of {command.as_of.isoformat()} is in the future",
        invalid_input=True,
    )
    last = member.outcomes[-1].as_of if member.outcomes else member.signed_up_on
    judge.check(
        rule,
        last is None or command.as_of >= last,
        f"outcomes are recorded in time order; the last was as of {last.isoformat() if last else ''}",
        f"{command.outcome.value.replace('_', ' ')} as of {command.as_of.isoformat()}",
    )
    return [ev.OutcomeRecorded(command.outcome, command.as_of)]
