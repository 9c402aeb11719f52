"""Group peer support: a funder's Programme of groups, and each PeerGroup.

Source: "Group Peer Support for GPs" (PHP / NHS GP Health): about 50 groups over five
years across England, up to 900 minutes of independent facilitator time per group, circa
12 GPs, meetings of at least 90 minutes (weekly, monthly or as peer support days), and an
evaluation. Every ``GPS-*`` rule of RULES.md is a policy object in
:data:`PHP_GROUP_PEER_SUPPORT`.
"""

from pastoral_core._command import BaseCommand
from pastoral_core._decider import Decider
from pastoral_core.peer_groups._auth import PEER_SUPPORT_PERMISSIONS
from pastoral_core.peer_groups._commands import (
    AppointFacilitator,
    ApproveGroup,
    CancelMeeting,
    ClaimFacilitatorMinutes,
    DeclineGroup,
    EnrolAttendee,
    HoldMeeting,
    OpenEvaluationRound,
    PlanPeerSupportDay,
    PlanSeries,
    ProposeGroup,
    RecordEvaluationResponse,
    SetModality,
    SetUpGroup,
    StartProgramme,
    WithdrawAttendee,
)
from pastoral_core.peer_groups._context import PeerSupportContext
from pastoral_core.peer_groups._decide import GROUP_COMMANDS, decide_group, series_dates
from pastoral_core.peer_groups._decide_programme import PROGRAMME_COMMANDS, decide_programme
from pastoral_core.peer_groups._events import (
    AttendeeEnrolled,
    AttendeeWithdrawn,
    EvaluationResponseRecorded,
    EvaluationRoundOpened,
    FacilitatorAppointed,
    FacilitatorMinutesClaimed,
    GroupApproved,
    GroupDeclined,
    GroupProposed,
    GroupSetUp,
    MeetingCancelled,
    MeetingHeld,
    MeetingsPlanned,
    ModalitySet,
    ProgrammeStarted,
)
from pastoral_core.peer_groups._instruments import CBI, INSTRUMENTS, WEMWBS, Instrument, Subscale
from pastoral_core.peer_groups._model import (
    ENGLAND_REGIONS,
    Frequency,
    MeetingStatus,
    Modality,
    PlannedMeeting,
    Profession,
    RoundKind,
    Score,
    Tariff,
)
from pastoral_core.peer_groups._policies import (
    PHP_GROUP_PEER_SUPPORT,
    PHP_GROUP_PEER_SUPPORT_V1,
    EligibleAttendees,
    EnglandRemit,
    Evaluation,
    FacilitatorIndependence,
    FacilitatorTariff,
    FundingCap,
    GroupSize,
    MeetingLength,
    MeetingSchedule,
    ProgrammeCapacity,
)
from pastoral_core.peer_groups._projections import GroupFunding, WellbeingChange, funding_of, wellbeing_change
from pastoral_core.peer_groups._state import (
    Meeting,
    PeerGroup,
    Programme,
    evolve_group,
    evolve_programme,
    programmes_from,
)

#: The Programme aggregate: one stream per funder programme.
PROGRAMME: Decider[Programme, BaseCommand, PeerSupportContext] = Decider(
    Programme(), decide_programme, evolve_programme
)
#: The PeerGroup aggregate: one stream per group.
PEER_GROUP: Decider[PeerGroup, BaseCommand, PeerSupportContext] = Decider(PeerGroup(), decide_group, evolve_group)

__all__ = [
    "CBI",
    "ENGLAND_REGIONS",
    "GROUP_COMMANDS",
    "INSTRUMENTS",
    "PEER_GROUP",
    "PEER_SUPPORT_PERMISSIONS",
    "PHP_GROUP_PEER_SUPPORT",
    "PHP_GROUP_PEER_SUPPORT_V1",
    "PROGRAMME",
    "PROGRAMME_COMMANDS",
    "WEMWBS",
    "AppointFacilitator",
    "ApproveGroup",
    "AttendeeEnrolled",
    "AttendeeWithdrawn",
    "CancelMeeting",
    "ClaimFacilitatorMinutes",
    "DeclineGroup",
    "EligibleAttendees",
    "EnglandRemit",
    "EnrolAttendee",
    "Evaluation",
    "EvaluationResponseRecorded",
    "EvaluationRoundOpened",
    "FacilitatorAppointed",
    "FacilitatorIndependence",
    "FacilitatorMinutesClaimed",
    "FacilitatorTariff",
    "Frequency",
    "FundingCap",
    "GroupApproved",
    "GroupDeclined",
    "GroupFunding",
    "GroupProposed",
    "GroupSetUp",
    "GroupSize",
    "HoldMeeting",
    "Instrument",
    "Meeting",
    "MeetingCancelled",
    "MeetingHeld",
    "MeetingLength",
    "MeetingSchedule",
    "MeetingStatus",
    "MeetingsPlanned",
    "Modality",
    "ModalitySet",
    "OpenEvaluationRound",
    "PeerGroup",
    "PeerSupportContext",
    "PlanPeerSupportDay",
    "PlanSeries",
    "PlannedMeeting",
    "Profession",
    "Programme",
    "ProgrammeCapacity",
    "ProgrammeStarted",
    "ProposeGroup",
    "RecordEvaluationResponse",
    "RoundKind",
    "Score",
    "SetModality",
    "SetUpGroup",
    "StartProgramme",
    "Subscale",
    "Tariff",
    "WellbeingChange",
    "WithdrawAttendee",
    "decide_group",
    "decide_programme",
    "evolve_group",
    "evolve_programme",
    "funding_of",
    "programmes_from",
    "series_dates",
    "wellbeing_change",
]
