"""AUTH over every peer-support command x role, and a state machine on a peer group."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pastoral_core import EventLog, Role, execute, fold
from pastoral_core.eventlog import dumps, loads
from pastoral_core.peer_groups import (
    GROUP_COMMANDS,
    PEER_GROUP,
    PEER_SUPPORT_PERMISSIONS,
    PROGRAMME,
    PROGRAMME_COMMANDS,
    AppointFacilitator,
    ApproveGroup,
    CancelMeeting,
    ClaimFacilitatorMinutes,
    DeclineGroup,
    EnrolAttendee,
    Frequency,
    HoldMeeting,
    MeetingStatus,
    Modality,
    OpenEvaluationRound,
    PlanPeerSupportDay,
    PlanSeries,
    Profession,
    ProposeGroup,
    RecordEvaluationResponse,
    RoundKind,
    SetModality,
    SetUpGroup,
    StartProgramme,
    WithdrawAttendee,
)
from pastoral_core.rules import Refused
from pastoral_core.rules._money import gbp
from pastoral_core.testing import assert_permission_enforced
from tests.peer_groups.helpers import CONTEXT, PID, START, TARIFFS, group, programme
from tests.support.helpers import at, command

FIELDS = {
    StartProgramme: {"funder": "php-gph", "starts_on": START},
    ProposeGroup: {"group_id": "g7", "region": "London"},
    ApproveGroup: {"group_id": "g7"},
    DeclineGroup: {"group_id": "g7", "reason": "duplicate"},
    SetUpGroup: {"group_id": "g1", "programme_id": PID, "modality": Modality.COACHING},
    SetModality: {"modality": Modality.MINDFULNESS},
    AppointFacilitator: {"facilitator_id": "fac-2"},
    EnrolAttendee: {"attendee_id": "gp-11", "profession": Profession.GP},
    WithdrawAttendee: {"attendee_id": "gp-1"},
    PlanSeries: {"plan_id": "p", "frequency": Frequency.WEEKLY, "first_at": at(2026, 7, 1, 18), "count": 2},
    PlanPeerSupportDay: {"plan_id": "d", "starts_at": at(2026, 7, 4, 9), "blocks": 2},
    HoldMeeting: {"meeting_id": "s-1", "attendee_ids": frozenset({"gp-1"})},
    CancelMeeting: {"meeting_id": "s-1"},
    ClaimFacilitatorMinutes: {"claim_id": "c1", "meeting_ids": frozenset({"s-1"})},
    OpenEvaluationRound: {"round_id": "r1", "kind": RoundKind.BASELINE, "instrument": "WEMWBS"},
    RecordEvaluationResponse: {"round_id": "r1", "attendee_id": "gp-1", "answers": (3,) * 14},
}
ACTORS = {Role.FACILITATOR: "fac-1", Role.ATTENDEE: "gp-1", Role.PROGRAMME_LEAD: "lead-1"}


def test_every_peer_support_command_has_a_permission_and_a_sample():
    assert {c.__name__ for c in (*PROGRAMME_COMMANDS, *GROUP_COMMANDS)} == set(PEER_SUPPORT_PERMISSIONS.table)
    assert set(FIELDS) == {*PROGRAMME_COMMANDS, *GROUP_COMMANDS}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("cls", [*PROGRAMME_COMMANDS, *GROUP_COMMANDS], ids=lambda c: c.__name__)
def test_AUTH_every_peer_support_command_by_every_role(cls, role):
    permission = PEER_SUPPORT_PERMISSIONS.table[cls.__name__]
    if cls in PROGRAMME_COMMANDS:
        decider, state = PROGRAMME, programme()[1]
    else:
        decider, state = (
            PEER_GROUP,
            group(
                PlanSeries(
                    command_id="x",
                    actor="c",
                    role=Role.COORDINATOR,
                    at=at(2026, 5, 3),
                    plan_id="s",
                    frequency=Frequency.MONTHLY,
                    first_at=at(2026, 6, 3, 18),
                    count=2,
                )
            )[1],
        )
    c = command(cls, at(2026, 6, 3, 20), role=role, actor=ACTORS.get(role, "coord-1"), **FIELDS[cls])
    refused = assert_permission_enforced(decider, state, c, CONTEXT, PEER_SUPPORT_PERMISSIONS)
    assert (refused is not None and refused.rule_ids == ("AUTH",)) or role.value in permission.roles


class PeerGroupMachine(RuleBasedStateMachine):
    """Random plans, meetings, enrolments and appointments; the GPS invariants after each."""

    def __init__(self):
        super().__init__()
        self.clock = at(2026, 5, 4, 9)
        self.log = EventLog()
        self.state = PEER_GROUP.initial
        self.n = 0
        self.apply(command(SetUpGroup, self.clock, group_id="g1", programme_id=PID, modality=Modality.BALINT))

    def apply(self, c):
        try:
            records = execute(self.log, PEER_GROUP, "g1", c, CONTEXT)
        except Refused:
            return
        self.state = fold(PEER_GROUP.evolve, self.state, (r.event for r in records))

    def next(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    @rule(days=st.integers(0, 40))
    def time_passes(self, days):
        self.clock += dt.timedelta(days=days)

    @rule(person=st.sampled_from(["fac-1", "fac-2", "gp-1", "gp-2"]))
    def appoint(self, person):
        self.apply(command(AppointFacilitator, self.clock, facilitator_id=person))

    @rule(
        person=st.sampled_from([f"gp-{n}" for n in range(1, 18)] + ["fac-1", "fac-2"]),
        profession=st.sampled_from(Profession),
    )
    def enrol(self, person, profession):
        self.apply(command(EnrolAttendee, self.clock, attendee_id=person, profession=profession))

    @rule(count=st.integers(1, 16))
    def enrol_several_gps(self, count):
        for k in range(1, count + 1):
            self.apply(command(EnrolAttendee, self.clock, attendee_id=f"gp-{k}", profession=Profession.GP))

    @precondition(lambda self: self.planned())
    @rule(extra=st.integers(0, 30))
    def hold_every_planned_meeting(self, extra):
        for meeting_id in self.planned():
            meeting = self.state.meetings[meeting_id]
            when = max(self.clock, meeting.planned.starts_at + dt.timedelta(hours=2))
            self.apply(
                command(
                    HoldMeeting,
                    when,
                    meeting_id=meeting_id,
                    attendee_ids=frozenset(),
                    minutes=meeting.planned.minutes + extra,
                )
            )

    @precondition(lambda self: self.state.attendees)
    @rule(data=st.data())
    def withdraw(self, data):
        self.apply(
            command(WithdrawAttendee, self.clock, attendee_id=data.draw(st.sampled_from(sorted(self.state.attendees))))
        )

    @rule(frequency=st.sampled_from(Frequency), count=st.integers(1, 12), minutes=st.sampled_from([60, 90, 120]))
    def plan_series(self, frequency, count, minutes):
        self.apply(
            command(
                PlanSeries,
                self.clock,
                plan_id=self.next("p"),
                frequency=frequency,
                first_at=self.clock + dt.timedelta(days=1),
                count=count,
                minutes=minutes,
            )
        )

    @rule(blocks=st.integers(1, 4))
    def plan_day(self, blocks):
        self.apply(
            command(
                PlanPeerSupportDay,
                self.clock,
                plan_id=self.next("d"),
                starts_at=self.clock + dt.timedelta(days=3),
                blocks=blocks,
            )
        )

    def planned(self):
        return sorted(m for m, v in self.state.meetings.items() if v.status is MeetingStatus.PLANNED)

    @precondition(lambda self: self.planned())
    @rule(data=st.data(), extra=st.integers(-10, 60), self_funded=st.integers(0, 60), cancel=st.booleans())
    def settle_a_meeting(self, data, extra, self_funded, cancel):
        meeting = self.state.meetings[data.draw(st.sampled_from(self.planned()))]
        if cancel:
            self.apply(command(CancelMeeting, self.clock, meeting_id=meeting.planned.meeting_id))
            return
        attendees = frozenset(sorted(self.state.attendees)[:3])
        when = max(self.clock, meeting.planned.starts_at + dt.timedelta(hours=2))
        self.apply(
            command(
                HoldMeeting,
                when,
                meeting_id=meeting.planned.meeting_id,
                attendee_ids=attendees,
                minutes=meeting.planned.minutes + extra,
                self_funded_minutes=self_funded,
            )
        )

    @invariant()
    def funded_minutes_stay_within_the_cap(self):
        assert 0 <= self.state.funded_used <= self.state.cap

    @invariant()
    def the_facilitator_is_never_an_attendee(self):
        assert self.state.facilitator is None or self.state.facilitator not in self.state.ever_enrolled

    @invariant()
    def attendees_never_pass_the_hard_cap(self):
        assert len(self.state.attendees) <= 14

    @invariant()
    def cost_is_the_sum_of_funded_minutes_times_the_tariff_then_in_force(self):
        held = [m.held for m in self.state.meetings.values() if m.held is not None]
        expected = sum((gbp(h.funded_minutes * TARIFFS.on(h.held_on).hourly_rate / 60) for h in held), Decimal("0.00"))
        assert self.state.cost == expected

    @invariant()
    def replay_equals_live(self):
        records = self.log.read_stream("g1")
        assert fold(PEER_GROUP.evolve, PEER_GROUP.initial, (r.event for r in loads(dumps(records)))) == self.state


PeerGroupMachine.TestCase.settings = settings(max_examples=50, stateful_step_count=50, deadline=None)
TestPeerGroupMachine = PeerGroupMachine.TestCase
