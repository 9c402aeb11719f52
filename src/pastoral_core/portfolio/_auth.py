"""Rule AUTH for GP Portfolio Plus: which roles may issue which command."""

from __future__ import annotations

from pastoral_core._command import Role
from pastoral_core.rules._permissions import Permission, Permissions

COORD = Role.COORDINATOR.value
TEAM = Role.TEAM_MEMBER.value
MEMBER = Role.MEMBER.value


#: Command name -> who may issue it.
PORTFOLIO_PERMISSIONS = Permissions.of(
    [
        ("PostOpportunity", Permission.of(COORD, TEAM)),
        ("UpdateOpportunity", Permission.of(COORD, TEAM)),
        ("ReviewOpportunity", Permission.of(COORD, TEAM)),
        ("WithdrawOpportunity", Permission.of(COORD, TEAM)),
        ("SignUpMember", Permission.of(COORD, TEAM, MEMBER)),
        ("UpdateProfile", Permission.of(COORD, TEAM, MEMBER)),
        ("AssignTeamMember", Permission.of(COORD)),
        ("HoldOneToOne", Permission.of(COORD, TEAM)),
        ("IntroduceToOpportunity", Permission.of(COORD, TEAM)),
        ("AnswerIntroduction", Permission.of(COORD, TEAM, MEMBER)),
        ("LinkPeerGroup", Permission.of(COORD, TEAM)),
        ("RecordOutcome", Permission.of(COORD, TEAM, MEMBER)),
    ]
)
