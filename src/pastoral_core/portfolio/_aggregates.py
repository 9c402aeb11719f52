"""The Opportunity and Member aggregates, each declared once: stream category, state, evolve, command table.

The tables say who may issue each command (rule AUTH) and what holding a role *on this
member* means (rule SCOPE: a team member acts for the members linked to them; a member
acts for themselves).
"""

from __future__ import annotations

from typing import Any

from pastoral_core.kernel import Aggregate, handles
from pastoral_core.portfolio import _commands as cmd
from pastoral_core.portfolio._context import PortfolioContext
from pastoral_core.portfolio._decide_member import (
    answer_introduction,
    assign_team_member,
    hold_one_to_one,
    introduce_to_opportunity,
    link_peer_group,
    record_outcome,
    sign_up_member,
    update_profile,
)
from pastoral_core.portfolio._decide_opportunity import (
    post_opportunity,
    review_opportunity,
    update_opportunity,
    withdraw_opportunity,
)
from pastoral_core.portfolio._policies import TeamMemberLink
from pastoral_core.portfolio._roles import PortfolioRole
from pastoral_core.portfolio._state import Member, Opportunity, evolve_member, evolve_opportunity
from pastoral_core.rules import Judge

COORDINATOR = PortfolioRole.COORDINATOR
TEAM_MEMBER = PortfolioRole.TEAM_MEMBER
MEMBER_ROLE = PortfolioRole.MEMBER


def for_member(member: Member, command: Any, context: PortfolioContext) -> str | None:
    """A team member acts for the members linked to them; a member only for themselves.

    Signing up is the exception for team members: nobody is linked to a member yet.
    """
    signing_up = type(command) is cmd.SignUpMember
    if command.role is TEAM_MEMBER and not signing_up and command.actor != member.team_member:
        return f"{command.actor} is not this member's team member"
    if command.role is MEMBER_ROLE and command.actor != (command.member_id if signing_up else member.member_id):
        return "a member acts only for themselves"
    return None


def signed_up(member: Member, command: Any, context: PortfolioContext, judge: Judge) -> None:
    """Before every member command but the sign-up: the member has signed up."""
    if type(command) is not cmd.SignUpMember:
        judge.refuse_unless(member.member_id is not None, "the member has not signed up")


#: The Opportunity aggregate: one stream per listing (``opportunity-<id>``).
OPPORTUNITY: Aggregate[Opportunity, PortfolioContext] = Aggregate(
    name="Opportunity",
    category="opportunity",
    initial=Opportunity(),
    evolve=evolve_opportunity,
    commands={
        cmd.PostOpportunity: handles(post_opportunity, COORDINATOR, TEAM_MEMBER),
        cmd.UpdateOpportunity: handles(update_opportunity, COORDINATOR, TEAM_MEMBER),
        cmd.ReviewOpportunity: handles(review_opportunity, COORDINATOR, TEAM_MEMBER),
        cmd.WithdrawOpportunity: handles(withdraw_opportunity, COORDINATOR, TEAM_MEMBER),
    },
    context_type=PortfolioContext,
    roles=PortfolioRole,
)

#: The Member aggregate: one stream per member (``member-<id>``).
MEMBER: Aggregate[Member, PortfolioContext] = Aggregate(
    name="Member",
    category="member",
    initial=Member(),
    evolve=evolve_member,
    commands={
        cmd.SignUpMember: handles(
            sign_up_member, COORDINATOR, TEAM_MEMBER, MEMBER_ROLE, scope=for_member, names_aggregate="member_id"
        ),
        cmd.UpdateProfile: handles(update_profile, COORDINATOR, TEAM_MEMBER, MEMBER_ROLE, scope=for_member),
        cmd.AssignTeamMember: handles(assign_team_member, COORDINATOR),
        cmd.HoldOneToOne: handles(
            hold_one_to_one, COORDINATOR, TEAM_MEMBER, scope=for_member, scope_rule=TeamMemberLink
        ),
        cmd.IntroduceToOpportunity: handles(introduce_to_opportunity, COORDINATOR, TEAM_MEMBER, scope=for_member),
        cmd.AnswerIntroduction: handles(answer_introduction, COORDINATOR, TEAM_MEMBER, MEMBER_ROLE, scope=for_member),
        cmd.LinkPeerGroup: handles(link_peer_group, COORDINATOR, TEAM_MEMBER, scope=for_member),
        cmd.RecordOutcome: handles(record_outcome, COORDINATOR, TEAM_MEMBER, MEMBER_ROLE, scope=for_member),
    },
    context_type=PortfolioContext,
    roles=PortfolioRole,
    scoped_roles=frozenset({TEAM_MEMBER, MEMBER_ROLE}),
    precondition=signed_up,
)
