"""Rule AUTH for pastoral support: which roles may issue which command."""

from __future__ import annotations

from pastoral_core._command import Role
from pastoral_core.rules._permissions import Permission, Permissions
from pastoral_core.rules._verdicts import Citation

C = Role.COORDINATOR.value
OFF = Role.OFFICER.value
REC = Role.RECIPIENT.value
GUARDIAN = Role.CALDICOTT_GUARDIAN.value


#: Command name -> who may issue it. PSN-REVIEW, PSN-BOUNDARY, PSN-NOTE-AUTHOR,
#: PSN-CONDUCT and PSN-RETENTION name the role themselves, so they refuse under their IDs.
SUPPORT_PERMISSIONS = Permissions.of(
    [
        ("EnrolOfficer", Permission.of(C)),
        ("SuspendOfficer", Permission.of(C)),
        ("ReinstateOfficer", Permission.of(C)),
        ("WithdrawOfficer", Permission.of(C)),
        ("ReceiveRequest", Permission.of(C)),
        ("RespondToRequest", Permission.of(C, OFF)),
        ("SendMou", Permission.of(C)),
        ("AllocateOfficer", Permission.of(C)),
        ("AddSecondOfficer", Permission.of(C)),
        ("RecordDispute", Permission.of(C, OFF)),
        ("ScheduleSession", Permission.of(C, OFF)),
        ("HoldSession", Permission.of(C, OFF)),
        ("CancelSession", Permission.of(C, OFF, REC)),
        ("MarkDidNotAttend", Permission.of(C, OFF)),
        ("RequestSwitch", Permission.of(C, REC)),
        ("ReviewCommitment", Permission(frozenset({C}), "PSN-REVIEW", Citation("MOU", "LMC 4"))),
        ("ReferToService", Permission.of(C, OFF)),
        ("AnswerReferral", Permission.of(C, OFF, REC)),
        ("HoldFacilitatedMeeting", Permission.of(C, OFF)),
        (
            "DeclineIntervention",
            Permission(frozenset({C}), "PSN-BOUNDARY", Citation("MOU", "NOTE 5")),
        ),
        ("RecordNote", Permission(frozenset({OFF}), "PSN-NOTE-AUTHOR", Citation("MOU", "NOTE 1"))),
        ("RaiseSafetyConcern", Permission.of(OFF)),
        ("SeekSafetyGuidance", Permission.of(C, OFF)),
        ("ResolveSafetyConcern", Permission.of(C, OFF)),
        ("RecordDisclosure", Permission.of(C, OFF)),
        ("ReportAggression", Permission.of(C, OFF)),
        ("CeaseSupport", Permission(frozenset({C}), "PSN-CONDUCT", Citation("MOU", "NOTE 6"))),
        ("CloseCase", Permission.of(C)),
        ("DestroyNotes", Permission(frozenset({GUARDIAN}), "PSN-RETENTION", Citation("MOU", "NOTE 1"))),
    ]
)
