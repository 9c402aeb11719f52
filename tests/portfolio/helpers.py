"""Builders for Portfolio Plus tests."""

import datetime as dt

from pastoral_core.portfolio import (
    MEMBER,
    AssignTeamMember,
    Intent,
    Listing,
    OpportunityKind,
    PortfolioContext,
    PostOpportunity,
    Profile,
    SignUpMember,
)
from pastoral_core.testing import run_commands
from tests.builders import at, command

TODAY = at(2027, 3, 1)


def listing(
    kind=OpportunityKind.ROLE,
    area="Mansfield",
    tags=("minor surgery",),
    closing=dt.date(2027, 3, 31),
    starts=dt.date(2027, 4, 1),
    ends=None,
    sessions=2,
    title="Salaried GP, community clinic",
):
    return Listing(
        kind,
        title,
        "org-1",
        area,
        starts,
        ends,
        closing,
        sessions if kind is OpportunityKind.ROLE else None,
        frozenset(tags),
    )


def post(item, when=TODAY):
    return command(PostOpportunity, when, role="team_member", actor="tm-1", listing=item)


PROFILE = Profile(Intent.CONSIDERING_LEAVING, frozenset({"minor surgery", "teaching"}), "Mansfield", 4)


def run(aggregate, commands, context=None):
    return run_commands(aggregate, context or PortfolioContext(), *commands)


def member(*extra, profile=PROFILE, context=None):
    commands = [command(SignUpMember, at(2027, 2, 1), member_id="m-1", profile=profile), *extra]
    return run(MEMBER, commands, context)


def assign(team_member="tm-1", when=at(2027, 2, 2)):
    return command(AssignTeamMember, when, team_member_id=team_member)
