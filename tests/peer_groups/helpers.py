"""Builders for peer-group tests: a North West programme, a group, a tariff table."""

import datetime as dt
from decimal import Decimal

from pastoral_core.peer_groups import (
    PEER_GROUP,
    PHP_GROUP_PEER_SUPPORT_V1,
    PROGRAMME,
    AppointFacilitator,
    ApproveGroup,
    EnrolAttendee,
    FacilitatorTariff,
    Frequency,
    Modality,
    PeerSupportContext,
    PlanSeries,
    Profession,
    ProposeGroup,
    SetUpGroup,
    StartProgramme,
    Tariff,
)
from pastoral_core.rules import Rulebooks
from pastoral_core.testing import run_commands
from tests.builders import at, command

TARIFFS = FacilitatorTariff(
    tariffs=(Tariff(dt.date(2026, 4, 1), Decimal("60.00")), Tariff(dt.date(2027, 4, 1), Decimal("66.00")))
)
BOOKS = Rulebooks((PHP_GROUP_PEER_SUPPORT_V1.adapted("NW_GPS", TARIFFS),))
START = dt.date(2026, 4, 1)
PID = "prog-nw"


PROGRAMME_DAY = at(2026, 4, 1)


def lead(cls, when=PROGRAMME_DAY, **fields):
    return command(cls, when, role="programme_lead", actor="lead-1", **fields)


def facilitator(cls, when, actor="fac-1", **fields):
    return command(cls, when, role="facilitator", actor=actor, **fields)


def attendee(cls, when, actor, **fields):
    """A command an attendee issues for themselves (``attendee_id`` defaults to the actor)."""
    fields.setdefault("attendee_id", actor)
    return command(cls, when, role="attendee", actor=actor, **fields)


def programme(*extra, groups=("g1", "g2", "g3"), **start_fields):
    context = PeerSupportContext(BOOKS)
    commands = [lead(StartProgramme, funder="php-gph", starts_on=START, **start_fields)]
    for g in groups:
        commands += [lead(ProposeGroup, group_id=g, region="North West"), lead(ApproveGroup, group_id=g)]
    return run_commands(PROGRAMME, context, *commands, *extra)


def context():
    _, state = programme()
    return PeerSupportContext(BOOKS, {PID: state})


CONTEXT = context()
GPS = [f"gp-{n}" for n in range(1, 11)]


SET_UP_DAY = at(2026, 5, 1)


def set_up(when=SET_UP_DAY, group_id="g1", modality=Modality.BALINT):
    return command(SetUpGroup, when, group_id=group_id, programme_id=PID, modality=modality)


def group(*extra, attendees=GPS, ctx=CONTEXT, facilitator_id="fac-1"):
    """A set-up group with ``facilitator_id`` appointed (none if ``None``) and ``attendees`` enrolled."""
    commands = [
        set_up(),
        *([command(AppointFacilitator, SET_UP_DAY, facilitator_id=facilitator_id)] if facilitator_id else []),
        *[command(EnrolAttendee, at(2026, 5, 2), attendee_id=a, profession=Profession.GP) for a in attendees],
    ]
    return run_commands(PEER_GROUP, ctx, *commands, *extra)


FIRST_MEETING = at(2026, 6, 3, 18)


def series(plan_id="s", first=FIRST_MEETING, count=6, frequency=Frequency.MONTHLY, minutes=90, self_funded=0):
    """A series planned a week before its first meeting; ``self_funded`` minutes of each paid by the group."""
    return command(
        PlanSeries,
        first - dt.timedelta(days=7),
        plan_id=plan_id,
        frequency=frequency,
        first_at=first,
        count=count,
        minutes=minutes,
        self_funded_minutes=self_funded,
    )
