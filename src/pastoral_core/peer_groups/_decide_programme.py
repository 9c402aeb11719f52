"""Programme decisions: GPS-REMIT and GPS-CAPACITY."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from pastoral_core._command import BaseCommand
from pastoral_core._decider import Decision
from pastoral_core._time import london_date
from pastoral_core.eventlog import Event
from pastoral_core.peer_groups import _commands as cmd
from pastoral_core.peer_groups import _events as ev
from pastoral_core.peer_groups._auth import PEER_SUPPORT_PERMISSIONS
from pastoral_core.peer_groups._context import PeerSupportContext
from pastoral_core.peer_groups._policies import (
    EnglandRemit,
    FundingCap,
    ProgrammeCapacity,
)
from pastoral_core.peer_groups._state import Programme
from pastoral_core.rules._judge import Judge

PROGRAMME_COMMANDS = (cmd.StartProgramme, cmd.ProposeGroup, cmd.ApproveGroup, cmd.DeclineGroup)


def decide_programme(state: Programme, command: BaseCommand, context: PeerSupportContext) -> Decision:
    """Decide one command on a programme (GPS-REMIT, GPS-CAPACITY).

    Raises:
        Refused: With every denying verdict and its clause.
    """
    if not isinstance(command, PROGRAMME_COMMANDS):
        raise TypeError(f"{type(command).__name__} is not a programme command")
    j = Judge.for_command(context.rulebooks, PEER_SUPPORT_PERMISSIONS, command)
    remit = j.rule(EnglandRemit)
    if isinstance(command, cmd.StartProgramme):
        return j.decision(_start(state, command, j), command.at)
    started = state.started
    j.must(started is not None, "the programme has not started")
    assert started is not None
    day = london_date(command.at)
    if isinstance(command, cmd.ProposeGroup):
        j.must(command.group_id not in state.proposals, f"group {command.group_id} is already proposed")
        j.require(
            remit,
            command.region in started.regions,
            f"{command.region!r} is outside the programme's remit "
            f"(NHS England regions: {', '.join(sorted(started.regions))})",
            f"{command.region} is in remit",
        )
        return j.decision([ev.GroupProposed(command.group_id, command.region)], command.at)
    region = state.proposals.get(command.group_id)
    j.must(region is not None, f"group {command.group_id} has not been proposed")
    j.must(
        command.group_id not in state.approved and command.group_id not in state.declined,
        f"group {command.group_id} has already been decided",
    )
    if isinstance(command, cmd.DeclineGroup):
        return j.decision([ev.GroupDeclined(command.group_id, command.reason)], command.at)
    capacity = j.rule(ProgrammeCapacity)
    j.require(
        capacity,
        len(state.approved) < started.group_capacity,
        f"{len(state.approved)} of {started.group_capacity} groups are already approved",
        f"group {len(state.approved) + 1} of {started.group_capacity}",
    )
    j.require(
        capacity,
        started.starts_on <= day < started.ends_before,
        f"approvals run from {started.starts_on.isoformat()} until {started.ends_before.isoformat()} (not inclusive)",
        "within the programme's years",
    )
    j.require(remit, region in started.regions, f"{region!r} is outside the programme's remit", "in remit")
    return j.decision([ev.GroupApproved(command.group_id, started.minutes_per_group, day)], command.at)


def _start(state: Programme, c: cmd.StartProgramme, j: Judge) -> list[Event]:
    j.must(state.started is None, "the programme has already started")
    capacity, cap, remit = j.rule(ProgrammeCapacity), j.rule(FundingCap), j.rule(EnglandRemit)
    years = c.years if c.years is not None else capacity.years
    groups = c.group_capacity if c.group_capacity is not None else capacity.groups
    minutes = c.minutes_per_group if c.minutes_per_group is not None else cap.minutes
    regions = frozenset(c.regions) if c.regions is not None else frozenset(remit.regions)
    j.must(
        years >= 1 and groups >= 1 and minutes >= 1, "years, groups and minutes must be positive", invalid_input=True
    )
    outside = sorted(regions - set(remit.regions))
    j.require(
        remit,
        bool(regions) and not outside,
        f"outside the remit for England: {', '.join(outside) or 'no region given'}",
        "every region is an NHS England region",
    )
    ends: dt.date = c.starts_on + relativedelta(years=years)
    return [ev.ProgrammeStarted(c.funder, c.starts_on, ends, groups, minutes, regions)]
