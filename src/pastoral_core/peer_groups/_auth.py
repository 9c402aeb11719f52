"""Rule AUTH for group peer support: which roles may issue which command."""

from __future__ import annotations

from pastoral_core._command import Role
from pastoral_core.rules._permissions import Permission, Permissions

LEAD = Role.PROGRAMME_LEAD.value
COORD = Role.COORDINATOR.value
FAC = Role.FACILITATOR.value
ATT = Role.ATTENDEE.value


#: Command name -> who may issue it.
PEER_SUPPORT_PERMISSIONS = Permissions.of(
    [
        ("StartProgramme", Permission.of(LEAD)),
        ("ProposeGroup", Permission.of(LEAD, COORD)),
        ("ApproveGroup", Permission.of(LEAD)),
        ("DeclineGroup", Permission.of(LEAD)),
        ("SetUpGroup", Permission.of(LEAD, COORD)),
        ("SetModality", Permission.of(COORD, FAC)),
        ("AppointFacilitator", Permission.of(LEAD, COORD)),
        ("EnrolAttendee", Permission.of(COORD, FAC)),
        ("WithdrawAttendee", Permission.of(COORD, FAC, ATT)),
        ("PlanSeries", Permission.of(COORD, FAC)),
        ("PlanPeerSupportDay", Permission.of(COORD, FAC)),
        ("HoldMeeting", Permission.of(COORD, FAC)),
        ("CancelMeeting", Permission.of(COORD, FAC)),
        ("ClaimFacilitatorMinutes", Permission.of(FAC)),
        ("OpenEvaluationRound", Permission.of(LEAD, COORD)),
        ("RecordEvaluationResponse", Permission.of(COORD, ATT)),
    ]
)
