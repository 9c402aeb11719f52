"""Builders for peer-group tests: a North West programme, a group, a tariff table."""

import datetime as dt
from decimal import Decimal

from pastoral_core import Role
from pastoral_core.peer_groups import (
    PEER_GROUP,
    PHP_GROUP_PEER_SUPPORT_V1,
    PROGRAMME,
    AppointFacilitator,
    ApproveGroup,
    EnrolAttendee,
    FacilitatorTariff,
    Modality,
    PeerSupportContext,
    Profession,
    ProposeGroup,
    SetUpGroup,
    StartProgramme,
    Tariff,
)
from pastoral_core.rules import Rulebooks
from pastoral_core.testing import run_commands
from tests.support.helpers import at, command

TARIFFS = FacilitatorTariff(
    tariffs=(Tariff(dt.date(2026, 4, 1), Decimal("60.00")), Tariff(dt.date(2027, 4, 1), Decimal("66.00")))
)
BOOKS = Rulebooks((PHP_GROUP_PEER_SUPPORT_V1.revised(1, PHP_GROUP_PEER_SUPPORT_V1.effective_from, TARIFFS),))
START = dt.date(2026, 4, 1)
PID = "prog-nw"


PROGRAMME_DAY = at(2026, 4, 1)


def lead(cls, when=PROGRAMME_DAY, **fields):
    return command(cls, when, role=Role.PROGRAMME_LEAD, actor="lead-1", **fields)


def facilitator(cls, when, **fields):
    return command(cls, when, role=Role.FACILITATOR, actor="fac-1", **fields)


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


def group(*extra, attendees=GPS, ctx=CONTEXT):
    commands = [
        command(SetUpGroup, at(2026, 5, 1), group_id="g1", programme_id=PID, modality=Modality.BALINT),
        command(AppointFacilitator, at(2026, 5, 1), facilitator_id="fac-1"),
        *[command(EnrolAttendee, at(2026, 5, 2), attendee_id=a, profession=Profession.GP) for a in attendees],
    ]
    return run_commands(PEER_GROUP, ctx, *commands, *extra)
