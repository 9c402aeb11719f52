"""Peer-group decisions about meetings: plans, holding, cancelling and claims.

Rules GPS-LENGTH, GPS-SCHEDULE, GPS-FUNDING-CAP and GPS-TARIFF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dateutil.rrule import MONTHLY, WEEKLY, rrule

from pastoral_core.eventlog import Event
from pastoral_core.peer_groups import _commands as cmd
from pastoral_core.peer_groups import _events as ev
from pastoral_core.peer_groups._context import PeerSupportContext
from pastoral_core.peer_groups._model import Frequency, MeetingStatus, PlannedMeeting
from pastoral_core.peer_groups._policies import (
    EligibleAttendees,
    FacilitatorTariff,
    FundingCap,
    MeetingLength,
    MeetingSchedule,
)
from pastoral_core.peer_groups._state import Meeting, PeerGroup
from pastoral_core.rules import Judge, gbp
from pastoral_core.values import ID, london_date


def _fits(judge: Judge, group: PeerGroup, meetings: Sequence[PlannedMeeting]) -> None:
    judge.refuse_unless(
        all(m.meeting_id not in group.meetings for m in meetings),
        "a plan with that id already exists",
    )
    judge.refuse_unless(
        all(0 <= m.self_funded_minutes <= m.minutes for m in meetings),
        "self-funded minutes are between 0 and the meeting's length",
        invalid_input=True,
    )
    total = sum(m.funded_minutes for m in meetings)
    self_funded = sum(m.self_funded_minutes for m in meetings)
    free = group.remaining_minutes - group.planned_minutes
    marked = f" ({self_funded} more marked self-funded)" if self_funded else ""
    judge.check(
        judge.rule(MeetingSchedule),
        total <= free,
        f"the plan needs {total} funded minutes; {free} remain unplanned "
        f"({group.funded_used} used and {group.planned_minutes} planned of {group.cap}); "
        "mark the excess self-funded",
        f"{total} of {free} unplanned funded minutes{marked}",
        used={"cap": group.cap},
    )


def series_dates(frequency: Frequency, first_at: dt.datetime, count: int) -> list[dt.datetime]:
    """Meeting times of a series, by ``dateutil.rrule``, keeping the local wall-clock time.

    A monthly series started on the 29th-31st falls on the last day of shorter months. A
    wall-clock time the clocks skip that day (01:30 on the last Sunday of March in London)
    moves on to the time that exists (02:30 BST); in the repeated hour of October the
    first meeting's choice of hour (``fold``) is kept.
    """
    if frequency is Frequency.MONTHLY:
        day = first_at.day
        by_day: int | tuple[int, ...] = tuple(range(28, day + 1)) if day > 28 else day
        rule = rrule(MONTHLY, dtstart=first_at, count=count, bymonthday=by_day, bysetpos=-1)
    else:
        rule = rrule(WEEKLY, dtstart=first_at, count=count, interval=2 if frequency is Frequency.FORTNIGHTLY else 1)
    return [_existing(moment.replace(fold=first_at.fold)) for moment in rule]


def _existing(moment: dt.datetime) -> dt.datetime:
    """``moment`` if its wall-clock time exists in its zone, else the same instant as it exists there."""
    settled = moment.astimezone(dt.UTC).astimezone(moment.tzinfo)
    return moment if settled.replace(tzinfo=None, fold=0) == moment.replace(tzinfo=None, fold=0) else settled


def plan_series(group: PeerGroup, command: cmd.PlanSeries, context: PeerSupportContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(
        1 <= command.count <= 60, f"a series has 1 to 60 meetings, not {command.count}", invalid_input=True
    )
    judge.refuse_unless(
        len(f"{command.plan_id}-{command.count}") <= ID.max_chars,
        f"the plan id is too long to number its meetings within {ID.max_chars} characters",
        invalid_input=True,
    )
    length = judge.rule(MeetingLength)
    judge.check(
        length,
        command.minutes >= length.minimum_minutes,
        f"a meeting is at least {length.minimum_minutes} minutes, not {command.minutes}",
        f"{command.minutes} minutes each",
    )
    meetings = tuple(
        PlannedMeeting(f"{command.plan_id}-{n}", at, command.minutes, 1, command.self_funded_minutes)
        for n, at in enumerate(series_dates(command.frequency, command.first_at, command.count), start=1)
    )
    _fits(judge, group, meetings)
    return [ev.MeetingsPlanned(command.plan_id, meetings)]


def plan_peer_support_day(
    group: PeerGroup, command: cmd.PlanPeerSupportDay, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    length = judge.rule(MeetingLength)
    judge.check(
        length,
        command.blocks >= length.day_minimum_blocks,
        f"a peer support day is at least {length.day_minimum_blocks} blocks, not {command.blocks}",
        f"{command.blocks} blocks",
    )
    judge.check(
        length,
        command.minutes_per_block >= length.minimum_minutes,
        f"each block is at least {length.minimum_minutes} minutes, not {command.minutes_per_block}",
        f"{command.minutes_per_block} minutes a block",
    )
    meeting = PlannedMeeting(
        command.plan_id,
        command.starts_at,
        command.blocks * command.minutes_per_block,
        command.blocks,
        command.self_funded_minutes,
    )
    _fits(judge, group, (meeting,))
    return [ev.MeetingsPlanned(command.plan_id, (meeting,))]


def _planned_meeting(group: PeerGroup, judge: Judge, meeting_id: str) -> Meeting:
    meeting = group.meetings.get(meeting_id)
    judge.refuse_unless(meeting is not None, f"there is no meeting {meeting_id}")
    assert meeting is not None
    judge.refuse_unless(
        meeting.status is MeetingStatus.PLANNED, f"meeting {meeting_id} is already {meeting.status.value}"
    )
    return meeting


def _self_funded_as_planned(planned: PlannedMeeting, minutes: int) -> int:
    """The plan's self-funded share of a meeting held for ``minutes`` (GPS-FUNDING-CAP).

    The same share of a longer or shorter meeting, never the plan's number of minutes: a
    wholly self-funded meeting stays wholly self-funded however long it runs, and one
    planned with none keeps none. The funded minutes are rounded down, so they never pass
    the plan's funded share of the minutes held.
    """
    if not planned.minutes:
        return 0
    return minutes - minutes * planned.funded_minutes // planned.minutes


def hold_meeting(group: PeerGroup, command: cmd.HoldMeeting, context: PeerSupportContext, judge: Judge) -> list[Event]:
    meeting = _planned_meeting(group, judge, command.meeting_id)
    judge.refuse_unless(group.facilitator is not None, "appoint a facilitator before the group meets")
    held_on = london_date(command.occurred)
    judge.refuse_unless(
        held_on >= london_date(meeting.planned.starts_at),
        f"meeting {command.meeting_id} is planned for {london_date(meeting.planned.starts_at).isoformat()}, "
        f"not held on {held_on.isoformat()}",
    )
    planned = meeting.planned
    minutes = command.minutes if command.minutes is not None else planned.minutes
    self_funded = (
        command.self_funded_minutes
        if command.self_funded_minutes is not None
        else _self_funded_as_planned(planned, minutes)
    )
    judge.refuse_unless(
        0 <= self_funded <= minutes,
        f"self-funded minutes are between 0 and the meeting's length ({minutes}), not {self_funded}",
        invalid_input=True,
    )
    length = judge.rule(MeetingLength)
    needed = length.minimum_minutes * meeting.planned.blocks
    judge.check(
        length,
        minutes >= needed,
        f"the meeting lasted {minutes} minutes; at least {needed} are needed",
        f"{minutes} minutes",
    )
    strangers = sorted(set(command.attendee_ids) - set(group.attendees))
    judge.check(
        judge.rule(EligibleAttendees),
        not strangers,
        f"not enrolled in the group: {', '.join(strangers)}",
        f"{len(command.attendee_ids)} enrolled attendees",
    )
    funded = minutes - self_funded
    after = group.funded_used + funded
    scaled = command.self_funded_minutes is None and minutes != planned.minutes and planned.self_funded_minutes > 0
    share = (
        f" (the plan's {planned.self_funded_minutes} of {planned.minutes}, for {minutes} minutes held)"
        if scaled
        else ""
    )
    judge.check(
        judge.rule(FundingCap),
        after <= group.cap,
        f"this meeting would take funded minutes to {after} of {group.cap}; "
        f"mark at least {after - group.cap} minutes as self-funded",
        f"{after} of {group.cap} funded minutes" + (f", {self_funded} self-funded{share}" if self_funded else ""),
        used={"minutes": group.cap},
    )
    tariff_rule = judge.rule(FacilitatorTariff)
    tariff = tariff_rule.on(held_on)
    judge.refuse_unless(
        tariff is not None,
        f"no facilitator tariff is in force on {held_on.isoformat()}; set the funder's tariff table",
        rule=tariff_rule,
        success=f"£{tariff.hourly_rate}/hour from {tariff.effective_from.isoformat()}" if tariff else None,
    )
    assert tariff is not None
    cost = gbp(funded * tariff.hourly_rate / 60)
    return [
        ev.MeetingHeld(
            command.meeting_id,
            held_on,
            minutes,
            funded,
            self_funded,
            frozenset(command.attendee_ids),
            tariff.hourly_rate,
            cost,
        )
    ]


def cancel_meeting(
    group: PeerGroup, command: cmd.CancelMeeting, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    _planned_meeting(group, judge, command.meeting_id)
    return [ev.MeetingCancelled(command.meeting_id)]


def claim_facilitator_minutes(
    group: PeerGroup, command: cmd.ClaimFacilitatorMinutes, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(command.claim_id not in group.claims, f"claim {command.claim_id} already exists")
    judge.refuse_unless(bool(command.meeting_ids), "a claim names at least one meeting", invalid_input=True)
    held = [group.meetings.get(m) for m in sorted(command.meeting_ids)]
    judge.refuse_unless(
        all(m is not None and m.held is not None and not m.claimed for m in held),
        "a claim covers held meetings not claimed before",
    )
    records = [m.held for m in held if m is not None and m.held is not None]
    minutes = sum(r.funded_minutes for r in records)
    amount = sum((r.cost for r in records), gbp(0))
    assert group.facilitator is not None
    return [
        ev.FacilitatorMinutesClaimed(
            command.claim_id, group.facilitator, frozenset(command.meeting_ids), minutes, amount
        )
    ]
