"""Rule AUTH for pastoral support: which roles may issue which command."""

from __future__ import annotations

from pastoral_core.rules._permissions import Permission, Permissions
from pastoral_core.rules._verdicts import Citation
from pastoral_core.support._model import Role

C = Role.COORDINATOR.value
OFF = Role.OFFICER.value
REC = Role.RECIPIENT.value
GUARDIAN = Role.CALDICOTT_GUARDIAN.value


def _may(*roles: str) -> Permission:
    return Permission(frozenset(roles))


#: Command name -> who may issue it. PSN-REVIEW, PSN-BOUNDARY, PSN-NOTE-AUTHOR,
#: PSN-CONDUCT and PSN-RETENTION name the role themselves, so they refuse under their IDs.
SUPPORT_PERMISSIONS = Permissions.of(
    [
        ("EnrolOfficer", _may(C)),
        ("SuspendOfficer", _may(C)),
        ("ReinstateOfficer", _may(C)),
        ("WithdrawOfficer", _may(C)),
        ("ReceiveRequest", _may(C)),
        ("RespondToRequest", _may(C, OFF)),
        ("SendMou", _may(C)),
        ("AllocateOfficer", _may(C)),
        ("AddSecondOfficer", _may(C)),
        ("RecordDispute", _may(C, OFF)),
        ("ScheduleSession", _may(C, OFF)),
        ("HoldSession", _may(C, OFF)),
        ("CancelSession", _may(C, OFF, REC)),
        ("MarkDidNotAttend", _may(C, OFF)),
        ("RequestSwitch", _may(C, REC)),
        ("ReviewCommitment", Permission(frozenset({C}), "PSN-REVIEW", Citation("MOU", "LMC 4"))),
        ("ReferToService", _may(C, OFF)),
        ("AnswerReferral", _may(C, OFF, REC)),
        ("HoldFacilitatedMeeting", _may(C, OFF)),
        (
            "DeclineIntervention",
            Permission(frozenset({C}), "PSN-BOUNDARY", Citation("MOU", "NOTE 5")),
        ),
        ("RecordNote", Permission(frozenset({OFF}), "PSN-NOTE-AUTHOR", Citation("MOU", "NOTE 1"))),
        ("RaiseSafetyConcern", _may(OFF)),
        ("SeekSafetyGuidance", _may(C, OFF)),
        ("ResolveSafetyConcern", _may(C, OFF)),
        ("RecordDisclosure", _may(C, OFF)),
        ("ReportAggression", _may(C, OFF)),
        ("CeaseSupport", Permission(frozenset({C}), "PSN-CONDUCT", Citation("MOU", "NOTE 6"))),
        ("CloseCase", _may(C)),
        ("DestroyNotes", Permission(frozenset({GUARDIAN}), "PSN-RETENTION", Citation("MOU", "NOTE 1"))),
    ]
)
