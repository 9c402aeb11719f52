"""Every peer-group read model is the same built from a whole history or a record at a time.

Random valid histories come from driving ``PeerSupport`` over an ``EventLog`` with commands
drawn from small pools of ids and dates (dates that bite: month ends, the clocks changing,
a tariff change and a rulebook version change), keeping what is accepted. Facts are often
entered late, dated before facts already recorded. Each history is then folded by
``Projection.build`` and by applying its records one at a time: every read model computed
from the two is equal at every step, and applying a record leaves the projection it was
applied to as it was.
"""

import datetime as dt
import functools
import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pastoral_core import EventLog, Refused
from pastoral_core.exceptions import PastoralCoreError
from pastoral_core.kernel import Projection, occurred_at
from pastoral_core.peer_groups import (
    PEER_GROUP,
    PROGRAMME,
    AppointFacilitator,
    ApproveGroup,
    CancelMeeting,
    ClaimFacilitatorMinutes,
    CostByTariff,
    EnrolAttendee,
    FacilitatorTariff,
    Frequency,
    GroupAttendance,
    GroupMinutes,
    HoldMeeting,
    MeetingAttendance,
    MeetingStatus,
    Modality,
    OpenEvaluationRound,
    PairedChanges,
    PeerSupport,
    PeerSupportRole,
    PlanPeerSupportDay,
    PlanSeries,
    Profession,
    ProgrammeMinutes,
    ProposeGroup,
    RecordEvaluationResponse,
    ResponseRates,
    RoundKind,
    ScoreDistribution,
    SetUpGroup,
    StartProgramme,
    Tariff,
    WithdrawAttendee,
)
from pastoral_core.rules import Rulebooks
from pastoral_core.values import instant
from tests.builders import LONDON, at
from tests.conftest import count
from tests.peer_groups.helpers import BOOKS

V1 = BOOKS.versions[0]  # £60 an hour from 1 April 2026, £66 from 1 April 2027
V2 = V1.revised(
    2,
    dt.date(2026, 12, 1),
    FacilitatorTariff(
        tariffs=(Tariff(dt.date(2026, 4, 1), Decimal("60.00")), Tariff(dt.date(2027, 2, 1), Decimal("72.00")))
    ),
)
RULEBOOKS = Rulebooks((V1, V2))
PID, GROUPS, GPS, FACILITATORS = "p", ("g1", "g2"), ("gp-1", "gp-2", "gp-3", "gp-4"), ("fac-1", "fac-2")
LEAD = {"role": PeerSupportRole.PROGRAMME_LEAD, "actor": "lead-1"}
STARTS = [
    at(2026, 6, 3, 18),
    at(2026, 7, 31, 19),  # a month end
    dt.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),  # the repeated hour, GMT
    at(2026, 11, 30, 18),  # a monthly series from here meets on 30 April and 28 February
    at(2027, 1, 31, 18),
    at(2027, 3, 28, 0, 30),  # clocks go forward that night
    at(2027, 3, 31, 19),  # the day before the tariff change
]
ROUNDS = {
    "b1": (RoundKind.BASELINE, "WEMWBS"),
    "f1": (RoundKind.FOLLOW_UP, "WEMWBS"),
    "f3": (RoundKind.FOLLOW_UP, "WEMWBS"),
    "b2": (RoundKind.BASELINE, "CBI"),
    "f2": (RoundKind.FOLLOW_UP, "CBI"),
}


IDS = itertools.count(1)


def command(cls, when, role=PeerSupportRole.COORDINATOR, actor="coord-1", **fields):
    """A command with a fresh id (``role`` by name or member; the coordinator by default)."""
    role = PeerSupportRole(role) if isinstance(role, str) else role
    return cls(command_id=f"rm-{next(IDS)}", actor=actor, role=role, at=when, **fields)


def read_models(groups, programmes):
    return (
        GroupMinutes.of(groups, programmes),
        ProgrammeMinutes.of(groups, programmes),
        CostByTariff.of(groups, RULEBOOKS),
        GroupAttendance.of(groups),
        MeetingAttendance.of(groups),
        ResponseRates.of(groups),
        ScoreDistribution.of(groups),
        PairedChanges.of(groups),
    )


def prelude(minutes):
    when = at(2026, 4, 1)
    yield PID, command(StartProgramme, when, funder="php", starts_on=dt.date(2026, 4, 1), minutes_per_group=minutes,
                       **LEAD)  # fmt: skip
    for g in (*GROUPS, "g3"):
        yield PID, command(ProposeGroup, when, group_id=g, region="North West")
        yield PID, command(ApproveGroup, when, group_id=g, **LEAD)


class Driver:
    """Draws commands for a ``PeerSupport`` as it stands, on a clock that only moves forward.

    Each step picks a group and a kind of command that the group's state makes likely to be
    accepted (an attendee not yet enrolled, a round not yet open), so histories grow. Five
    commands in eight are dated days before they are entered, some past the 31 days rule
    TIME allows.
    """

    def __init__(self, data, peer):
        self.data, self.peer = data, peer
        self.clock = at(2026, 5, 1)
        self.group_id = GROUPS[0]

    def draw(self, strategy):
        return self.data.draw(strategy)

    def pick(self, items):
        return self.draw(st.sampled_from(sorted(items, key=str)))

    def tick(self):
        self.clock += self.pick([dt.timedelta(0), dt.timedelta(hours=1), dt.timedelta(days=1), dt.timedelta(days=6),
                                 dt.timedelta(days=20)])  # fmt: skip
        lag = self.pick([0, 0, 0, 2, 12, 12, 25, 40])
        return self.clock, (self.clock - dt.timedelta(days=lag) if lag else None)

    def step(self):
        self.group_id = group_id = self.pick(GROUPS)
        group = self.peer.group(group_id)
        kind = self.pick(self.feasible(group))
        when, occurred = self.tick()
        made = getattr(self, kind)(group, when, occurred)
        return None if made is None else (group_id, made)

    def feasible(self, group):
        if group is None:
            return ["set_up"]
        kinds = ["enrol", "enrol"] if len(group.attendees) < len(GPS) else []
        if group.facilitator is None:
            return ["appoint", *kinds]
        kinds += ["appoint", "series", "series", "day"]
        kinds += ["withdraw"] if group.attendees else []
        kinds += ["hold", "hold", "hold", "hold", "cancel"] if self.planned(group) else []
        kinds += ["claim"] if any(m.held and not m.claimed for m in group.meetings.values()) else []
        kinds += ["round"] if self.rounds(group) else []
        kinds += ["respond", "respond", "respond"] if self.answers(group) else []
        return kinds

    @staticmethod
    def planned(group):
        return [m.planned for m in group.meetings.values() if m.status is MeetingStatus.PLANNED]

    @staticmethod
    def rounds(group):
        """Rounds not yet open: a follow-up once its instrument has a baseline."""
        opened = {r.instrument for r in group.rounds.values() if r.kind is RoundKind.BASELINE}
        return [
            r for r, (kind, instrument) in ROUNDS.items()
            if r not in group.rounds and (kind is RoundKind.BASELINE or instrument in opened)
        ]  # fmt: skip

    @staticmethod
    def answers(group):
        return [(r, gp) for r in group.rounds for gp in group.attendees if (r, gp) not in group.responses]

    def set_up(self, group, when, occurred):
        modality = self.pick(Modality)
        return command(
            SetUpGroup, when, occurred_at=occurred, group_id=self.group_id, programme_id=PID, modality=modality
        )

    def appoint(self, group, when, occurred):
        others = [f for f in FACILITATORS if f != group.facilitator]
        return command(AppointFacilitator, when, occurred_at=occurred, facilitator_id=self.pick(others))

    def enrol(self, group, when, occurred):
        profession = self.pick([Profession.GP, Profession.GP_TRAINEE])
        gp = self.pick(g for g in GPS if g not in group.attendees)
        return command(EnrolAttendee, when, occurred_at=occurred, attendee_id=gp, profession=profession)

    def withdraw(self, group, when, occurred):
        return command(WithdrawAttendee, when, occurred_at=occurred, attendee_id=self.pick(group.attendees))

    def plan_id(self, group, pool):
        used = {m.split("-")[0] for m in group.meetings}
        free = [p for p in pool if p not in used]
        return self.pick(free) if free else None

    def series(self, group, when, occurred):
        plan_id = self.plan_id(group, ["a", "b", "c"])
        if plan_id is None:
            return None
        return command(
            PlanSeries, when, occurred_at=occurred, plan_id=plan_id, frequency=self.pick(Frequency),
            first_at=self.pick(STARTS), count=self.draw(st.integers(1, 5)), minutes=self.pick([90, 120]),
            self_funded_minutes=self.pick([0, 0, 30, 90]),
        )  # fmt: skip

    def day(self, group, when, occurred):
        plan_id = self.plan_id(group, ["d1", "d2"])
        if plan_id is None:
            return None
        return command(
            PlanPeerSupportDay, when, occurred_at=occurred, plan_id=plan_id, starts_at=self.pick(STARTS),
            blocks=self.draw(st.integers(2, 3)), self_funded_minutes=self.pick([0, 0, 90]),
        )  # fmt: skip

    def hold(self, group, when, occurred):
        meeting = self.draw(st.sampled_from(sorted(self.planned(group), key=lambda p: p.meeting_id)))
        ends = meeting.starts_at + dt.timedelta(minutes=meeting.minutes)
        if instant(ends) > instant(when):  # the meeting has not happened yet: wait for it
            self.clock = when = ends.astimezone(LONDON) + dt.timedelta(hours=self.pick([0, 1, 30]))
        if occurred is not None and instant(occurred) < instant(ends):
            occurred = ends  # entered late, on the day it was held
        present = self.draw(st.frozensets(st.sampled_from(sorted(group.attendees) or ["nobody"]), max_size=4))
        return command(
            HoldMeeting, when, occurred_at=occurred, meeting_id=meeting.meeting_id,
            attendee_ids=frozenset(present) - {"nobody"}, minutes=self.pick([0, 0, 150]) or None,
            self_funded_minutes=self.draw(st.sampled_from([None, None, 0, 60])),
        )  # fmt: skip

    def cancel(self, group, when, occurred):
        meeting_id = self.pick(p.meeting_id for p in self.planned(group))
        return command(CancelMeeting, when, occurred_at=occurred, meeting_id=meeting_id)

    def round(self, group, when, occurred):
        round_id = self.pick(self.rounds(group))
        kind, instrument = ROUNDS[round_id]
        return command(
            OpenEvaluationRound, when, occurred_at=occurred, round_id=round_id, kind=kind, instrument=instrument
        )

    def respond(self, group, when, occurred):
        round_id, gp = self.pick(self.answers(group))
        if group.rounds[round_id].instrument == "WEMWBS":
            answers = self.draw(st.lists(st.integers(1, 5), min_size=14, max_size=14))
        else:
            answers = self.draw(st.lists(st.sampled_from([0, 25, 50, 75, 100]), min_size=19, max_size=19))
        return command(
            RecordEvaluationResponse,
            when,
            occurred_at=occurred,
            round_id=round_id,
            attendee_id=gp,
            answers=tuple(answers),
        )

    def claim(self, group, when, occurred):
        held = [k for k, m in group.meetings.items() if m.held and not m.claimed]
        chosen = self.draw(st.frozensets(st.sampled_from(sorted(held)), min_size=1))
        return command(ClaimFacilitatorMinutes, when, occurred_at=occurred, role="facilitator", actor=group.facilitator,
                       claim_id=f"c-{len(group.claims)}", meeting_ids=chosen)  # fmt: skip


def history(data):
    """A random valid history of one programme's groups: the records ``PeerSupport`` accepted."""
    log = EventLog()
    peer = PeerSupport(log, RULEBOOKS)
    for aggregate_id, c in prelude(data.draw(st.sampled_from([270, 360, 900]))):
        peer.handle(c, aggregate_id)
    driver = Driver(data, peer)
    for _ in range(data.draw(st.integers(5, 35))):
        try:
            made = driver.step()
        except PastoralCoreError:  # a command that cannot be built (a time the clocks skip)
            continue
        if made is None:
            continue
        group_id, c = made
        try:
            peer.handle(c, group_id)
        except Refused:
            count("peer read models: commands refused")
            continue
        count("peer read models: commands accepted")
    return log.read_all()


def late_entries(records):
    """How many records are dated before a fact already recorded in their stream."""
    latest, late = {}, 0
    for r in records:
        when = instant(occurred_at(r))
        if r.stream_id in latest and when < latest[r.stream_id]:
            late += 1
        latest[r.stream_id] = max(when, latest.get(r.stream_id, when))
    return late


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)
@given(data=st.data())
def test_every_read_model_is_the_same_built_at_once_or_a_record_at_a_time(data):
    records = history(data)
    count("peer read models: records", len(records))
    count("peer read models: late entries", late_entries(records))
    groups, programmes = Projection(PEER_GROUP), Projection(PROGRAMME)
    kept = []  # (projections, their read models) every few records
    for n, record in enumerate(records, start=1):
        before = (dict(groups.states), dict(programmes.states))
        groups_after, programmes_after = groups.apply(record), programmes.apply(record)
        assert (dict(groups.states), dict(programmes.states)) == before  # apply leaves what it was given
        groups, programmes = groups_after, programmes_after
        if n % 8 == 0 or n == len(records):
            prefix = records[:n]
            built = read_models(Projection.build(PEER_GROUP, prefix).states, Projection.build(PROGRAMME, prefix).states)
            assert read_models(groups.states, programmes.states) == built
            kept.append(((groups, programmes), built))
    for (groups_then, programmes_then), models in kept:  # later records changed none of them
        assert read_models(groups_then.states, programmes_then.states) == models
    reduced = functools.reduce(lambda p, r: p.apply(r), records, Projection(PEER_GROUP))
    assert reduced.states == Projection.build(PEER_GROUP, records).states == groups.states
    agree(groups.states, programmes.states)


def agree(groups, programmes):
    """The tables agree with each other.

    Costs by period add up to each group's cost, the programme rows to their groups' rows,
    attendance per group to attendance per meeting; a cap the meetings known reach has a day.
    """
    minutes, by_programme, costs, attendance, meetings = read_models(groups, programmes)[:5]
    for row in minutes.rows:
        group = groups.get(row.group_id)
        priced = [c for c in costs.rows if c.group_id == row.group_id]
        assert row.cost == sum((c.cost for c in priced), Decimal("0.00"))
        assert row.used == sum(c.funded_minutes for c in priced) <= row.cap
        assert (
            row.meetings_held
            == sum(c.meetings for c in priced)
            == sum(1 for m in meetings.rows if m.group_id == row.group_id)
        )
        if row.set_up and row.used + row.planned >= row.cap:
            assert row.cap_reached_on is not None  # the meetings known reach it
        if row.cap_reached_on is not None and group is not None:
            held = [m.held.held_on for m in group.meetings.values() if m.held]
            assert row.used < row.cap or row.cap_reached_on in held
    for total in by_programme.rows:
        of_it = [r for r in minutes.rows if r.programme_id == total.programme_id]
        assert (total.groups, total.funded, total.used, total.left) == (
            len(of_it), sum(r.cap for r in of_it), sum(r.used for r in of_it), sum(r.left for r in of_it)
        )  # fmt: skip
    assert sum(a.attendances for a in attendance.rows) == sum(m.present for m in meetings.rows)
