"""Programme decisions: starting a programme, proposing, approving and declining groups (GPS-REMIT, -CAPACITY)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from pastoral_core.eventlog import Event
from pastoral_core.peer_groups import _commands as cmd
from pastoral_core.peer_groups import _events as ev
from pastoral_core.peer_groups._context import PeerSupportContext
from pastoral_core.peer_groups._events import ProgrammeStarted
from pastoral_core.peer_groups._policies import EnglandRemit, FundingCap, ProgrammeCapacity
from pastoral_core.peer_groups._state import Programme
from pastoral_core.rules import Judge
from pastoral_core.values import london_date


def start_programme(
    programme: Programme, command: cmd.StartProgramme, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(programme.started is None, "the programme has already started")
    capacity, cap, remit = judge.rule(ProgrammeCapacity), judge.rule(FundingCap), judge.rule(EnglandRemit)
    years = command.years if command.years is not None else capacity.years
    groups = command.group_capacity if command.group_capacity is not None else capacity.groups
    minutes = command.minutes_per_group if command.minutes_per_group is not None else cap.minutes
    regions = command.regions if command.regions is not None else frozenset(remit.regions)
    judge.refuse_unless(
        years >= 1 and groups >= 1 and minutes >= 1, "years, groups and minutes must be positive", invalid_input=True
    )
    outside = sorted(regions - set(remit.regions))
    judge.check(
        remit,
        bool(regions) and not outside,
        f"outside the remit for England: {', '.join(outside) or 'no region given'}",
        "every region is an NHS England region",
    )
    ends: dt.date = command.starts_on + relativedelta(years=years)
    judge.check(
        capacity,
        True,
        "",
        f"about {groups} groups approved from {command.starts_on.isoformat()} until {ends.isoformat()}",
        used={"groups": groups, "years": years},
    )
    judge.check(cap, True, "", f"{minutes} facilitator minutes funded a group", used={"minutes": minutes})
    return [ev.ProgrammeStarted(command.funder, command.starts_on, ends, groups, minutes, regions)]


def _started(programme: Programme) -> ProgrammeStarted:
    assert programme.started is not None  # the aggregate's precondition saw to it
    return programme.started


def propose_group(
    programme: Programme, command: cmd.ProposeGroup, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    started = _started(programme)
    judge.refuse_unless(command.group_id not in programme.proposals, f"group {command.group_id} is already proposed")
    judge.check(
        judge.rule(EnglandRemit),
        command.region in started.regions,
        "the region given is outside the programme's remit "
        f"(NHS England regions: {', '.join(sorted(started.regions))})",
        f"{command.region} is in remit",
        used={"regions": tuple(sorted(started.regions))},
    )
    return [ev.GroupProposed(command.group_id, command.region)]


def _undecided_proposal(programme: Programme, judge: Judge, group_id: str) -> str:
    region = programme.proposals.get(group_id)
    judge.refuse_unless(region is not None, f"group {group_id} has not been proposed")
    judge.refuse_unless(
        group_id not in programme.approved and group_id not in programme.declined,
        f"group {group_id} has already been decided",
    )
    assert region is not None
    return region


def approve_group(
    programme: Programme, command: cmd.ApproveGroup, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    started = _started(programme)
    region = _undecided_proposal(programme, judge, command.group_id)
    day = london_date(command.occurred)
    capacity = judge.rule(ProgrammeCapacity)
    approved = len(programme.approved)
    fixed = {"groups": started.group_capacity, "starts_on": started.starts_on, "ends_before": started.ends_before}
    judge.check(
        capacity,
        approved < started.group_capacity,
        f"{approved} of {started.group_capacity} groups are already approved",
        f"group {approved + 1} of {started.group_capacity}",
        used=fixed,
    )
    judge.check(
        capacity,
        started.starts_on <= day < started.ends_before,
        f"approvals run from {started.starts_on.isoformat()} until {started.ends_before.isoformat()} (not inclusive), "
        f"not {day.isoformat()}",
        f"{day.isoformat()} is within the programme's years",
        used=fixed,
    )
    judge.check(
        judge.rule(EnglandRemit),
        region in started.regions,
        f"{region!r} is outside the programme's remit",
        "in remit",
        used={"regions": tuple(sorted(started.regions))},
    )
    return [ev.GroupApproved(command.group_id, started.minutes_per_group, day)]


def decline_group(
    programme: Programme, command: cmd.DeclineGroup, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    _undecided_proposal(programme, judge, command.group_id)
    return [ev.GroupDeclined(command.group_id, command.reason)]
