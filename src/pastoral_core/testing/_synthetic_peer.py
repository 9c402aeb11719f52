"""The synthetic peer-group programme: groups proposed and approved, then each group's year.

About a dozen GPs to a group, an independent facilitator, a baseline evaluation (WEMWBS,
the Copenhagen Burnout Inventory, or both) before the first 90-minute meeting, meetings
every few weeks within the 900 funded facilitator minutes (some groups start with a peer
support day), a meeting now and then cancelled or run over (self-funded), attendees who
leave, the facilitator's claims, and a follow-up round with slightly better scores.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from pastoral_core.peer_groups import (
    ENGLAND_REGIONS,
    AppointFacilitator,
    ApproveGroup,
    DeclineGroup,
    EnrolAttendee,
    Frequency,
    MeetingsPlanned,
    Modality,
    PeerSupport,
    PeerSupportRole,
    PlannedMeeting,
    PlanPeerSupportDay,
    PlanSeries,
    Profession,
    ProposeGroup,
    RoundKind,
    SetUpGroup,
    StartProgramme,
)
from pastoral_core.testing._synthetic_engagement import event_of
from pastoral_core.testing._synthetic_kit import Issuer, Script, Step, at_london, pick, working_moment
from pastoral_core.testing._synthetic_peer_year import evaluation_round, group_year

if TYPE_CHECKING:
    from random import Random

LEAD, COORDINATOR = PeerSupportRole.PROGRAMME_LEAD, PeerSupportRole.COORDINATOR
FACILITATOR, ATTENDEE = PeerSupportRole.FACILITATOR, PeerSupportRole.ATTENDEE
MODALITIES = (
    (Modality.BALINT, 0.3),
    (Modality.REFLECTIVE_PRACTICE, 0.25),
    (Modality.ACTION_LEARNING_SET, 0.15),
    (Modality.YOUNG_PRACTITIONER_GROUP, 0.1),
    (Modality.RESILIENCE, 0.1),
    (Modality.COACHING, 0.1),
)


@attrs.frozen
class GroupPlan:
    """A group as the programme will decide it."""

    group_id: str
    region: str
    modality: Modality
    proposed_at: dt.datetime
    decided_at: dt.datetime
    approved: bool


@attrs.frozen
class PeerPeople:
    """Who acts for the programme: its id, lead, coordinator."""

    peer: PeerSupport
    programme_id: str
    lead: str = "lead-gps"
    coordinator: str = "coord-gps"
    minutes: int = 900


def plan_groups(rng: Random, count: int, start: dt.date) -> list[GroupPlan]:
    """``count`` approved groups (and one declined), proposed over the programme's first months."""
    plans = []
    opened = at_london(start, 9 * 60)
    for n in range(1, count + 2):
        proposed = working_moment(rng, opened, days=(1 + 7 * n, 10 + 7 * n))
        plans.append(
            GroupPlan(
                group_id=f"g-{n:02d}" if n <= count else "g-declined",
                region=rng.choice(ENGLAND_REGIONS),
                modality=pick(rng, MODALITIES),
                proposed_at=proposed,
                decided_at=working_moment(rng, proposed, days=(5, 15)),
                approved=n <= count,
            )
        )
    return plans


def programme_script(people: PeerPeople, start: dt.date, groups: list[GroupPlan]) -> Script:
    """The programme: started, then each group proposed and decided."""
    issue, pid = Issuer(f"programme-{people.programme_id}"), people.programme_id
    now = at_london(start, 9 * 60)
    yield now
    yield Step(people.peer, issue(StartProgramme, now, LEAD, people.lead, funder="php-gph", starts_on=start), pid)
    agenda = sorted(
        [(g.proposed_at, 0, g) for g in groups] + [(g.decided_at, 1, g) for g in groups], key=lambda x: (x[0], x[1])
    )
    for moment, decide, group in agenda:
        now = moment
        yield now
        if not decide:
            command = issue(ProposeGroup, now, LEAD, people.lead, group_id=group.group_id, region=group.region)
        elif group.approved:
            command = issue(ApproveGroup, now, LEAD, people.lead, group_id=group.group_id)
        else:
            reason = "Overlaps an existing group in the same area."
            command = issue(DeclineGroup, now, LEAD, people.lead, group_id=group.group_id, reason=reason)
        yield Step(people.peer, command, pid)


def group_script(people: PeerPeople, plan: GroupPlan, rng: Random, facilitator: str) -> Script:
    """One group's year: set-up, enrolments, a baseline before the first meeting, then :func:`group_year`."""
    issue, gid = Issuer(f"group-{plan.group_id}"), plan.group_id

    def step(cls: type, now: dt.datetime, role: PeerSupportRole, actor: str, **fields: object) -> Step:
        return Step(people.peer, issue(cls, now, role, actor, **fields), gid)

    now = working_moment(rng, plan.decided_at, days=(2, 10))
    yield now
    setup = {"group_id": gid, "programme_id": people.programme_id, "modality": plan.modality}
    yield step(SetUpGroup, now, COORDINATOR, people.coordinator, **setup)
    yield step(AppointFacilitator, now, LEAD, people.lead, facilitator_id=facilitator)
    size = pick(rng, ((10, 0.15), (11, 0.25), (12, 0.45), (13, 0.15)))  # "circa 12": a thirteenth is flagged
    attendees = [f"{gid}-gp-{k:02d}" for k in range(1, size + 1)]
    for attendee, moment in zip(
        attendees, sorted(working_moment(rng, now, days=(1, 10)) for _ in attendees), strict=True
    ):
        now = moment
        yield now
        profession = Profession.GP if rng.random() < 0.8 else Profession.GP_TRAINEE
        yield step(EnrolAttendee, now, COORDINATOR, people.coordinator, attendee_id=attendee, profession=profession)
    current, level = set(attendees), {a: rng.gauss(0, 1) for a in attendees}
    instruments = pick(rng, ((("WEMWBS",), 0.6), (("CBI",), 0.25), (("WEMWBS", "CBI"), 0.15)))
    now = working_moment(rng, now, days=(1, 3))
    yield now
    responded: set[str] = set()
    for instrument in instruments:
        round_id = f"baseline-{instrument.lower()}"
        for attendee, done in evaluation_round(
            rng, step, now, people.lead, round_id, RoundKind.BASELINE, instrument, current, 0.92, level.__getitem__
        ):
            if attendee:
                responded.add(attendee)
            yield done
    now = working_moment(rng, now, days=(2, 5))
    yield now
    day = working_moment(rng, now, days=(10, 21)).date()
    first = at_london(day, rng.choice((12 * 60 + 30, 13 * 60, 18 * 60 + 30, 19 * 60)))
    meetings: list[PlannedMeeting] = []
    if rng.random() < 0.2:  # a peer support day of three blocks to start, then a shorter series
        planned = yield step(
            PlanPeerSupportDay,
            now,
            FACILITATOR,
            facilitator,
            plan_id="day",
            starts_at=at_london(day, 9 * 60 + 30),
            blocks=3,
        )
        meetings += event_of(planned, MeetingsPlanned).meetings
        first += dt.timedelta(days=28)
    count = (people.minutes - sum(m.funded_minutes for m in meetings)) // 90
    frequency = pick(rng, ((Frequency.MONTHLY, 0.55), (Frequency.FORTNIGHTLY, 0.35), (Frequency.WEEKLY, 0.1)))
    planned = yield step(
        PlanSeries, now, FACILITATOR, facilitator, plan_id="m", frequency=frequency, first_at=first, count=count
    )
    meetings += event_of(planned, MeetingsPlanned).meetings
    yield from group_year(rng, step, facilitator, people.lead, meetings, current, level, instruments, responded, now)
