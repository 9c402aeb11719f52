"""Rule AUTH for group peer support: which roles may issue which command."""

from __future__ import annotations

from pastoral_core._command import Role
from pastoral_core.rules._permissions import Permission, Permissions

LEAD = Role.PROGRAMME_LEAD.value
COORD = Role.COORDINATOR.value
FAC = Role.FACILITATOR.value
ATT = Role.ATTENDEE.value


def _may(*roles: str) -> Permission:
    return Permission(frozenset(roles))


#: Command name -> who may issue it.
PEER_SUPPORT_PERMISSIONS = Permissions.of(
    [
        ("StartProgramme", _may(LEAD)),
        ("ProposeGroup", _may(LEAD, COORD)),
        ("ApproveGroup", _may(LEAD)),
        ("DeclineGroup", _may(LEAD)),
        ("SetUpGroup", _may(LEAD, COORD)),
        ("SetModality", _may(COORD, FAC)),
        ("AppointFacilitator", _may(LEAD, COORD)),
        ("EnrolAttendee", _may(COORD, FAC)),
        ("WithdrawAttendee", _may(COORD, FAC, ATT)),
        ("PlanSeries", _may(COORD, FAC)),
        ("PlanPeerSupportDay", _may(COORD, FAC)),
        ("HoldMeeting", _may(COORD, FAC)),
        ("CancelMeeting", _may(COORD, FAC)),
        ("ClaimFacilitatorMinutes", _may(FAC)),
        ("OpenEvaluationRound", _may(LEAD, COORD)),
        ("RecordEvaluationResponse", _may(COORD, ATT)),
    ]
)
