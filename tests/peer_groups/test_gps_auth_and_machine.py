"""AUTH over every peer-support command x role from the tables; SCOPE; execute; a state machine on a peer group."""

import collections
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from pastoral_core import EventLog, execute
from pastoral_core.eventlog import dumps, loads
from pastoral_core.kernel import decide
from pastoral_core.peer_groups import (
    INSTRUMENTS,
    PEER_GROUP,
    PROGRAMME,
    AppointFacilitator,
    ApproveGroup,
    CancelMeeting,
    ClaimFacilitatorMinutes,
    DeclineGroup,
    EnrolAttendee,
    Frequency,
    GroupSetUp,
    HoldMeeting,
    MeetingStatus,
    Modality,
    OpenEvaluationRound,
    PeerSupportRole,
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
    groups_from,
)
from pastoral_core.rules import Outcome, Refused, gbp
from pastoral_core.testing import assert_permission_enforced
from tests.builders import at, command
from tests.peer_groups.helpers import CONTEXT, PID, START, TARIFFS, facilitator, group, lead, programme, set_up

FIELDS = {
    StartProgramme: {"funder": "php-gph", "starts_on": START},
    ProposeGroup: {"group_id": "g8", "region": "London"},
    ApproveGroup: {"group_id": "g7"},
    DeclineGroup: {"group_id": "g7", "reason": "duplicate"},
    SetUpGroup: {"group_id": "g1", "programme_id": PID, "modality": Modality.COACHING},
    SetModality: {"modality": Modality.MINDFULNESS},
    AppointFacilitator: {"facilitator_id": "fac-2"},
    EnrolAttendee: {"attendee_id": "gp-11", "profession": Profession.GP},
    WithdrawAttendee: {"attendee_id": "gp-1"},
    PlanSeries: {"plan_id": "p", "frequency": Frequency.WEEKLY, "first_at": at(2026, 7, 1, 18), "count": 2},
    PlanPeerSupportDay: {"plan_id": "d", "starts_at": at(2026, 7, 4, 9), "blocks": 2},
    HoldMeeting: {"meeting_id": "s-2", "attendee_ids": frozenset({"gp-1"})},
    CancelMeeting: {"meeting_id": "s-2"},
    ClaimFacilitatorMinutes: {"claim_id": "c1", "meeting_ids": frozenset({"s-1"})},
    OpenEvaluationRound: {"round_id": "r2", "kind": RoundKind.FOLLOW_UP, "instrument": "WEMWBS"},
    RecordEvaluationResponse: {"round_id": "r1", "attendee_id": "gp-1", "answers": (3,) * 14},
}
ROLE = PeerSupportRole
ACTORS = {ROLE.FACILITATOR: "fac-1", ROLE.ATTENDEE: "gp-1", ROLE.PROGRAMME_LEAD: "lead-1"}
TABLES = [(PROGRAMME, cls) for cls in PROGRAMME.commands] + [(PEER_GROUP, cls) for cls in PEER_GROUP.commands]

#: When the walks issue their commands.
WHEN = at(2026, 6, 10, 20)
#: A started programme with g1 to g3 approved and g7 proposed.
STARTED = PROGRAMME.fold(programme(lead(ProposeGroup, group_id="g7", region="London"))[0])
#: A set-up group (fac-1 facilitating, gp-1 to gp-10 enrolled), meetings s-1 (held) and s-2
#: (planned for WHEN's day), and evaluation round r1 open.
RUNNING = PEER_GROUP.fold(
    group(
        command(
            PlanSeries,
            at(2026, 5, 3),
            plan_id="s",
            frequency=Frequency.WEEKLY,
            first_at=at(2026, 6, 3, 18),
            count=2,
        ),
        command(OpenEvaluationRound, at(2026, 5, 3), round_id="r1", kind=RoundKind.BASELINE, instrument="WEMWBS"),
        facilitator(HoldMeeting, at(2026, 6, 3, 20), meeting_id="s-1", attendee_ids=frozenset({"gp-1", "gp-2"})),
    )[0]
)


def folded_for(cls):
    """What ``cls`` is decided on in the walks: a history on which every role the table allows is accepted."""
    if cls is StartProgramme:
        return PROGRAMME.fold(())
    if cls is SetUpGroup:
        return PEER_GROUP.fold(())
    return STARTED if cls in PROGRAMME.commands else RUNNING


def test_every_peer_support_command_has_a_handler_roles_and_a_sample():
    for aggregate, cls in TABLES:
        row = aggregate.commands[cls]
        assert callable(row.handler), cls
        assert row.roles, cls
        assert row.roles <= set(PeerSupportRole), cls
        if row.roles & aggregate.scoped_roles:
            assert row.scope is not None, cls
    assert set(FIELDS) == {cls for _, cls in TABLES}
    assert not set(PROGRAMME.commands) & set(PEER_GROUP.commands)


@pytest.mark.parametrize("role", list(PeerSupportRole), ids=lambda r: r.value)
@pytest.mark.parametrize(("aggregate", "cls"), TABLES, ids=lambda x: getattr(x, "__name__", None) or x.name)
def test_AUTH_every_peer_support_command_by_every_role(aggregate, cls, role):
    row = aggregate.commands[cls]
    c = command(cls, WHEN, role=role, actor=ACTORS.get(role, "coord-1"), **FIELDS[cls])
    refused = assert_permission_enforced(aggregate, folded_for(cls), c, CONTEXT)
    if role in row.roles:
        assert refused is None, refused  # the history is one on which the command is allowed
    else:
        assert refused is not None
        assert refused.rule_ids == ("AUTH",)


def test_AUTH_the_peer_support_tables_name_no_source_rule_for_roles():
    assert [cls for _, cls in TABLES if (PROGRAMME.commands.get(cls) or PEER_GROUP.commands[cls]).role_rule] == []


# -- SCOPE: the facilitator acts on their own group; an attendee only for themselves --------

FACILITATOR_COMMANDS = [cls for cls, row in PEER_GROUP.commands.items() if ROLE.FACILITATOR in row.roles]


def test_SCOPE_the_facilitator_commands_are_the_ones_the_table_says():
    assert set(FACILITATOR_COMMANDS) == {
        SetModality,
        EnrolAttendee,
        WithdrawAttendee,
        PlanSeries,
        PlanPeerSupportDay,
        HoldMeeting,
        CancelMeeting,
        ClaimFacilitatorMinutes,
    }


@pytest.mark.parametrize("cls", FACILITATOR_COMMANDS, ids=lambda c: c.__name__)
def test_SCOPE_a_facilitator_of_another_group_is_refused_for_every_facilitator_command(cls):
    other = facilitator(cls, WHEN, actor="fac-2", **FIELDS[cls])
    with pytest.raises(Refused) as refused:
        decide(PEER_GROUP, RUNNING, other, CONTEXT)
    assert refused.value.rule_ids == ("SCOPE",)
    assert "fac-2 is not this group's facilitator" in str(refused.value)
    decision = decide(PEER_GROUP, RUNNING, facilitator(cls, WHEN, **FIELDS[cls]), CONTEXT)
    assert [(v.rule_id, v.outcome) for v in decision.verdicts[:2]] == [("AUTH", Outcome.PASS), ("SCOPE", Outcome.PASS)]
    assert "fac-1 acts as facilitator here" in decision.verdicts[1].message


@pytest.mark.parametrize("cls", FACILITATOR_COMMANDS, ids=lambda c: c.__name__)
def test_SCOPE_no_one_is_the_facilitator_of_a_group_without_one(cls):
    folded = PEER_GROUP.fold(group(facilitator_id=None)[0])
    with pytest.raises(Refused) as refused:
        decide(PEER_GROUP, folded, facilitator(cls, WHEN, **FIELDS[cls]), CONTEXT)
    assert refused.value.rule_ids == ("SCOPE",)


@pytest.mark.parametrize(
    ("cls", "fields"),
    [
        (WithdrawAttendee, {}),
        (RecordEvaluationResponse, {"round_id": "r1", "answers": (3,) * 14}),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_SCOPE_an_attendee_acts_only_for_themselves(cls, fields):
    for actor, ok in (("gp-2", False), ("gp-1", True)):
        c = command(cls, WHEN, role="attendee", actor=actor, attendee_id="gp-1", **fields)
        if ok:
            decision = decide(PEER_GROUP, RUNNING, c, CONTEXT)
            assert [v.rule_id for v in decision.verdicts[:2]] == ["AUTH", "SCOPE"]
            continue
        with pytest.raises(Refused) as refused:
            decide(PEER_GROUP, RUNNING, c, CONTEXT)
        assert refused.value.rule_ids == ("SCOPE",)
        assert "an attendee acts only for themselves" in str(refused.value)


# -- execute: stream ids, the aggregate a command names, TIME -------------------------------


def test_execute_writes_to_group_streams_and_groups_from_keys_them_by_group_id():
    log = EventLog()
    accepted = execute(log, PEER_GROUP, "g1", set_up(), CONTEXT)
    assert [r.stream_id for r in accepted.records] == ["group-g1"]
    assert accepted.events == (GroupSetUp("g1", PID, Modality.BALINT, 900),)
    assert accepted.verdicts[0].rule_id == "AUTH"
    assert not accepted.replayed
    assert set(groups_from(log.read_all())) == {"g1"}
    assert groups_from(log.read_all())["g1"] == PEER_GROUP.replay(log.read_stream("group-g1")).state


def test_execute_refuses_a_set_up_naming_another_group_and_writes_nothing():
    log = EventLog()
    with pytest.raises(Refused) as refused:
        execute(log, PEER_GROUP, "g2", set_up(group_id="g1"), CONTEXT)
    assert refused.value.rule_ids == ("INPUT",)
    assert "SetUpGroup.group_id names another PeerGroup" in str(refused.value)
    assert len(log) == 0


def test_execute_refuses_a_command_recorded_before_the_streams_last_record():
    log = EventLog()
    execute(log, PEER_GROUP, "g1", set_up(at(2026, 5, 2)), CONTEXT)
    early = command(AppointFacilitator, at(2026, 5, 1), facilitator_id="fac-1")
    with pytest.raises(Refused) as refused:
        execute(log, PEER_GROUP, "g1", early, CONTEXT)
    assert refused.value.rule_ids == ("TIME",)
    same_time = command(AppointFacilitator, at(2026, 5, 2), facilitator_id="fac-1")
    assert execute(log, PEER_GROUP, "g1", same_time, CONTEXT).events


# -- the state machine -------------------------------------------------------------------


class PeerGroupMachine(RuleBasedStateMachine):
    """Random plans, meetings, enrolments, appointments, claims and evaluations; the GPS invariants after each.

    Every command goes through ``execute`` on stream ``group-g1`` at the machine's clock,
    which never goes back (a TIME refusal fails the run). Accepted commands are counted by
    class in :data:`ACCEPTED`, refusals by rule id in :data:`REFUSED`.
    """

    def __init__(self):
        super().__init__()
        self.clock = at(2026, 5, 4, 9)
        self.log = EventLog()
        self.folded = PEER_GROUP.fold(())
        self.n = 0
        self.tried = 0
        assert self.apply(set_up(self.clock)) is None

    @property
    def state(self):
        return self.folded.state

    def apply(self, c):
        """Execute ``c``; returns the refusal, if it was refused (then nothing was written)."""
        assert c.at >= self.clock, "the machine's clock went back"
        self.clock = c.at
        self.tried += 1
        written = len(self.log)
        try:
            accepted = execute(self.log, PEER_GROUP, "g1", c, CONTEXT)
        except Refused as refused:
            assert len(self.log) == written
            assert "TIME" not in refused.rule_ids, refused
            REFUSED.update(refused.rule_ids)
            return refused
        ACCEPTED[type(c)] += 1
        self.folded = PEER_GROUP.fold(accepted.events, self.folded)
        return None

    def next(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    def planned(self):
        """Planned meetings, earliest first."""
        meetings = self.state.meetings.values()
        return [
            m.planned.meeting_id
            for m in sorted(meetings, key=lambda m: (m.planned.starts_at, m.planned.meeting_id))
            if m.status is MeetingStatus.PLANNED
        ]

    def claimable(self):
        return sorted(m for m, v in self.state.meetings.items() if v.held is not None and not v.claimed)

    # -- rules ----------------------------------------------------------------------------

    @rule(days=st.integers(0, 40))
    def time_passes(self, days):
        self.clock += dt.timedelta(days=days)

    @rule(person=st.sampled_from(["fac-1", "fac-2", "gp-1", "gp-2"]))
    def appoint(self, person):
        refused = self.apply(command(AppointFacilitator, self.clock, facilitator_id=person))
        if person in self.state.ever_enrolled:
            assert refused is not None and "GPS-INDEPENDENT" in refused.rule_ids

    @rule(
        person=st.sampled_from([f"gp-{n}" for n in range(1, 18)] + ["fac-1", "fac-2"]),
        profession=st.sampled_from(Profession),
    )
    def enrol(self, person, profession):
        self.apply(command(EnrolAttendee, self.clock, attendee_id=person, profession=profession))

    @rule(count=st.integers(1, 16))
    def enrol_several_gps(self, count):
        """Enrol gp-1 to gp-<count> (those not enrolled now): past 14, GPS-SIZE refuses."""
        for k in range(1, count + 1):
            if f"gp-{k}" not in self.state.attendees:
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
    @rule(data=st.data(), by_themselves=st.booleans())
    def withdraw(self, data, by_themselves):
        person = data.draw(st.sampled_from(sorted(self.state.attendees)))
        if by_themselves:
            c = command(WithdrawAttendee, self.clock, role="attendee", actor=person, attendee_id=person)
        else:
            c = command(WithdrawAttendee, self.clock, attendee_id=person)
        assert self.apply(c) is None

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

    @precondition(lambda self: self.tried > 30 and self.state.facilitator is not None)
    @rule(frequency=st.sampled_from(Frequency), extra=st.integers(1, 30))
    def run_the_funding_down(self, frequency, extra):
        """Plan 90-minute meetings for every unplanned funded minute, then hold every planned
        meeting running ``extra`` minutes over: the cap is reached, and GPS-FUNDING-CAP refuses
        the meetings that would pass it."""
        free = self.state.remaining_minutes - self.state.planned_minutes
        if free >= 90:
            c = command(
                PlanSeries,
                self.clock,
                plan_id=self.next("p"),
                frequency=frequency,
                first_at=self.clock + dt.timedelta(days=1),
                count=min(free // 90, 60),
            )
            assert self.apply(c) is None
        self.hold_every_planned_meeting(extra)

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

    @precondition(lambda self: self.claimable())
    @rule(data=st.data(), who=st.sampled_from(["the facilitator", "fac-2", "fac-9"]))
    def claim(self, data, who):
        """The facilitator claims some held meetings; anyone else is refused for SCOPE."""
        meetings = data.draw(st.frozensets(st.sampled_from(self.claimable()), min_size=1, max_size=4))
        actor = (self.state.facilitator or "fac-1") if who == "the facilitator" else who
        c = facilitator(ClaimFacilitatorMinutes, self.clock, actor=actor, claim_id=self.next("c"), meeting_ids=meetings)
        refused = self.apply(c)
        if actor == self.state.facilitator:
            assert refused is None, refused
        else:
            assert refused is not None and refused.rule_ids == ("SCOPE",), refused

    @rule(kind=st.sampled_from(RoundKind), instrument=st.sampled_from(sorted(INSTRUMENTS)))
    def open_round(self, kind, instrument):
        self.apply(command(OpenEvaluationRound, self.clock, round_id=self.next("r"), kind=kind, instrument=instrument))

    @precondition(lambda self: self.state.rounds and self.state.ever_enrolled)
    @rule(data=st.data(), by=st.sampled_from(["themselves", "coordinator", "another attendee"]))
    def respond(self, data, by):
        round_id = data.draw(st.sampled_from(sorted(self.state.rounds)))
        person = data.draw(st.sampled_from(sorted(self.state.ever_enrolled)))
        instrument = INSTRUMENTS[self.state.rounds[round_id].instrument]
        answers = data.draw(
            st.lists(st.sampled_from(instrument.allowed), min_size=instrument.items, max_size=instrument.items)
        )
        fields = {"round_id": round_id, "attendee_id": person, "answers": tuple(answers)}
        if by == "coordinator":
            c = command(RecordEvaluationResponse, self.clock, **fields)
        else:
            actor = person if by == "themselves" else f"{person}-other"
            c = command(RecordEvaluationResponse, self.clock, role="attendee", actor=actor, **fields)
        fresh = (round_id, person) not in self.state.responses
        enrolled = person in self.state.attendees
        refused = self.apply(c)
        if by == "another attendee":
            assert refused is not None and refused.rule_ids == ("SCOPE",), refused
        elif fresh and enrolled:
            assert refused is None, refused
        else:
            assert refused is not None and set(refused.rule_ids) == {"GPS-EVALUATION"}, refused

    # -- invariants -----------------------------------------------------------------------

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
        assert all(h.funded_minutes + h.self_funded_minutes == h.minutes for h in held)

    @invariant()
    def only_held_meetings_are_claimed(self):
        assert all(m.held is not None for m in self.state.meetings.values() if m.claimed)

    @invariant()
    def responses_are_from_attendees_to_rounds_that_exist(self):
        for round_id, person in self.state.responses:
            assert round_id in self.state.rounds
            assert person in self.state.ever_enrolled

    @invariant()
    def replay_equals_live(self):
        records = self.log.read_stream("group-g1")
        assert len(records) == len(self.log)
        for replayed in (PEER_GROUP.replay(records), PEER_GROUP.replay(loads(dumps(records)))):
            assert replayed.state == self.state
            assert replayed.flagged == self.folded.flagged
        assert groups_from(self.log.read_all()) == {"g1": self.state}


#: Accepted commands by class, over every run of the machine in this test session.
ACCEPTED: collections.Counter = collections.Counter()
#: Refusals by rule id, over every run.
REFUSED: collections.Counter = collections.Counter()
#: What the invariants rely on: each must be accepted at least once across the runs.
RELIED_ON = (
    AppointFacilitator,
    EnrolAttendee,
    WithdrawAttendee,
    PlanSeries,
    PlanPeerSupportDay,
    HoldMeeting,
    CancelMeeting,
    ClaimFacilitatorMinutes,
    OpenEvaluationRound,
    RecordEvaluationResponse,
)
#: The rules the invariants watch: each must refuse at least once across the runs.
REFUSING = ("GPS-FUNDING-CAP", "GPS-SIZE", "GPS-INDEPENDENT", "GPS-SCHEDULE", "SCOPE")


def test_peer_group_machine_keeps_its_invariants_and_reaches_every_rule_it_relies_on():
    ACCEPTED.clear()
    REFUSED.clear()
    run_state_machine_as_test(
        PeerGroupMachine, settings=settings(max_examples=60, stateful_step_count=60, deadline=None, derandomize=True)
    )
    never = [k.__name__ for k in RELIED_ON if not ACCEPTED[k]]
    assert not never, f"never accepted in any run: {never} (accepted: {dict(ACCEPTED)})"
    unused = [r for r in REFUSING if not REFUSED[r]]
    assert not unused, f"never refused in any run: {unused} (refused: {dict(REFUSED)})"
    assert not REFUSED["TIME"]
