"""Builders for pastoral-support tests: officers, commands, and histories made by the decider."""

import datetime as dt

from pastoral_core.support import (
    CASE,
    DEVON_PSN,
    AllocateOfficer,
    Background,
    Directory,
    HoldSession,
    OfficerEnrolled,
    OfficerSuspended,
    ReceiveRequest,
    Recipient,
    RecipientKind,
    ScheduleSession,
    SendMou,
    SupportContext,
)
from pastoral_core.testing import run_commands
from tests.builders import COORD, LONDON, T0, at, command

__all__ = ["COORD", "LONDON", "T0", "at", "command"]

PRACTICE = "P-DEVON-7"
GP_A, GP_B, PM_C = "gp-a", "gp-b", "pm-c"

DIRECTORY = Directory.from_events(
    [
        OfficerEnrolled("off-gp-1", Background.GP, "P-OTHER-1", frozenset({"partnership"})),
        OfficerEnrolled("off-gp-2", Background.GP, "P-OTHER-2", frozenset()),
        OfficerEnrolled("off-gp-3", Background.GP, "P-OTHER-3", frozenset()),
        OfficerEnrolled("off-gp-home", Background.GP, PRACTICE, frozenset()),
        OfficerEnrolled("off-pm-1", Background.PRACTICE_MANAGER, None, frozenset()),
        OfficerEnrolled("off-lay-1", Background.LAY, None, frozenset()),
        OfficerEnrolled("off-gp-away", Background.GP, None, frozenset()),
        OfficerSuspended("off-gp-away"),
    ]
)
CONTEXT = SupportContext(DEVON_PSN, DIRECTORY)


def officer_command(cls, officer_id, when=T0, **fields):
    return command(cls, when, "officer", officer_id, **fields)


def practice_request(when=T0, **fields):
    fields.setdefault("kind", RecipientKind.PRACTICE)
    fields.setdefault(
        "recipients",
        (
            Recipient(GP_A, RecipientKind.GP),
            Recipient(GP_B, RecipientKind.GP),
            Recipient(PM_C, RecipientKind.PRACTICE_MANAGER),
        ),
    )
    fields.setdefault("practice_id", PRACTICE)
    return command(ReceiveRequest, when, **fields)


def gp_request(when=T0, gp=GP_A, **fields):
    fields.setdefault("practice_id", PRACTICE)
    fields.setdefault("kind", RecipientKind.GP)
    fields.setdefault("recipients", (Recipient(gp, RecipientKind.GP),))
    return command(ReceiveRequest, when, **fields)


def history(*commands, context=CONTEXT):
    """Events produced by running ``commands`` in order through the case decider."""
    return run_commands(CASE, context, *commands)[0]


def state_of(events):
    return CASE.state_of(events)


def allocate(recipient, officer, when=T0, **fields):
    return command(AllocateOfficer, when, recipient_id=recipient, officer_id=officer, **fields)


def schedule(session, recipient, starts_at, **fields):
    return command(
        ScheduleSession,
        starts_at - dt.timedelta(days=1),
        session_id=session,
        recipient_id=recipient,
        starts_at=starts_at,
        **fields,
    )


def hold(session, when, officer="off-gp-1"):
    return officer_command(HoldSession, officer, when, session_id=session)


def mou(when=T0):
    return command(SendMou, when, terms_version="PSN-MOU-2019")


def sessions_held(recipient, days, officer="off-gp-1"):
    """Schedule and hold one session on each of ``days`` (datetimes)."""
    out = []
    for n, day in enumerate(days, start=1):
        sid = f"s-{recipient}-{day:%Y%m%d}-{n}"
        out += [schedule(sid, recipient, day), hold(sid, day, officer)]
    return out


#: Six weekly sessions, Mondays 18 January to 22 February 2027.
WEEKLY = [at(2027, 1, 18) + dt.timedelta(weeks=n) for n in range(6)]
