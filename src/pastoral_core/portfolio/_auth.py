"""Rule AUTH for GP Portfolio Plus: which roles may issue which command."""

from __future__ import annotations

from pastoral_core._command import Role
from pastoral_core.rules._permissions import Permission, Permissions

COORD = Role.COORDINATOR.value
TEAM = Role.TEAM_MEMBER.value
MEMBER = Role.MEMBER.value


def _may(*roles: str) -> Permission:
    return Permission(frozenset(roles))


#: Command name -> who may issue it.
PORTFOLIO_PERMISSIONS = Permissions.of(
    [
        ("PostOpportunity", _may(COORD, TEAM)),
        ("UpdateOpportunity", _may(COORD, TEAM)),
        ("ReviewOpportunity", _may(COORD, TEAM)),
        ("WithdrawOpportunity", _may(COORD, TEAM)),
        ("SignUpMember", _may(COORD, TEAM, MEMBER)),
        ("UpdateProfile", _may(COORD, TEAM, MEMBER)),
        ("AssignTeamMember", _may(COORD)),
        ("HoldOneToOne", _may(COORD, TEAM)),
        ("IntroduceToOpportunity", _may(COORD, TEAM)),
        ("AnswerIntroduction", _may(COORD, TEAM, MEMBER)),
        ("LinkPeerGroup", _may(COORD, TEAM)),
        ("RecordOutcome", _may(COORD, TEAM, MEMBER)),
    ]
)
