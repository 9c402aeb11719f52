"""Peer-group decisions: every GPS rule that applies to a group command runs here, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from dateutil.rrule import MONTHLY, WEEKLY, rrule

from pastoral_core._command import BaseCommand, Role
from pastoral_core._decider import Decision
from pastoral_core._time import london_date
from pastoral_core.eventlog import Event
from pastoral_core.peer_groups import _commands as cmd
from pastoral_core.peer_groups import _events as ev
from pastoral_core.peer_groups._auth import PEER_SUPPORT_PERMISSIONS
from pastoral_core.peer_groups._context import PeerSupportContext
from pastoral_core.peer_groups._instruments import INSTRUMENTS
from pastoral_core.peer_groups._model import Frequency, MeetingStatus, PlannedMeeting, RoundKind
from pastoral_core.peer_groups._policies import (
    EligibleAttendees,
    Evaluation,
    FacilitatorIndependence,
    FacilitatorTariff,
    FundingCap,
    GroupSize,
    MeetingLength,
    MeetingSchedule,
)
from pastoral_core.peer_groups._state import Meeting, PeerGroup
from pastoral_core.rules import Outcome
from pastoral_core.rules._judge import Judge
from pastoral_core.rules._money import gbp

GroupHandler = Callable[[PeerGroup, Any, PeerSupportContext, Judge], Sequence[Event]]


def decide_group(state: PeerGroup, command: BaseCommand, context: PeerSupportContext) -> Decision:
    """Decide one command on a peer group: AUTH, then every GPS rule that applies.

    Raises:
        Refused: With every denying verdict and its clause.
    """
    handler = _GROUP_HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"{type(command).__name__} is not a peer-group command")
    j = Judge.for_command(context.rulebooks, PEER_SUPPORT_PERMISSIONS, command)
    if not isinstance(command, cmd.SetUpGroup):
        j.must(state.setup is not None, "the group has not been set up")
    return j.decision(list(handler(state, command, context, j)), command.at)


def _set_up(s: PeerGroup, c: cmd.SetUpGroup, context: PeerSupportContext, j: Judge) -> list[Event]:
    j.must(s.setup is None, "the group is already set up")
    programme = context.programmes.get(c.programme_id)
    approval = programme.approved.get(c.group_id) if programme else None
    j.must(approval is not None, f"group {c.group_id} is not approved in programme {c.programme_id}")
    assert approval is not None
    return [ev.GroupSetUp(c.group_id, c.programme_id, c.modality, approval.funded_minutes)]


def _modality(s: PeerGroup, c: cmd.SetModality, context: PeerSupportContext, j: Judge) -> list[Event]:
    j.must(c.modality is not s.modality, f"the group is already {c.modality.value}")
    return [ev.ModalitySet(c.modality)]


def _appoint(s: PeerGroup, c: cmd.AppointFacilitator, context: PeerSupportContext, j: Judge) -> list[Event]:
    j.must(c.facilitator_id != s.facilitator, f"{c.facilitator_id} is already the facilitator")
    j.require(
        j.rule(FacilitatorIndependence),
        c.facilitator_id not in s.ever_enrolled,
        f"{c.facilitator_id} is (or was) an attendee of this group; the facilitator must be independent of its GPs",
        "independent of the group's GPs",
    )
    return [ev.FacilitatorAppointed(c.facilitator_id)]


def _enrol(s: PeerGroup, c: cmd.EnrolAttendee, context: PeerSupportContext, j: Judge) -> list[Event]:
    j.must(c.attendee_id not in s.attendees, f"{c.attendee_id} is already enrolled")
    eligible = j.rule(EligibleAttendees)
    j.require(
        eligible,
        c.profession in eligible.professions,
        f"attendees are GPs or GP trainees, not {c.profession.value}",
        f"a {c.profession.value.replace('_', ' ')}",
    )
    j.require(
        j.rule(FacilitatorIndependence),
        c.attendee_id != s.facilitator,
        f"{c.attendee_id} is the group's facilitator and cannot attend it",
        "not the facilitator",
    )
    size = j.rule(GroupSize)
    n = len(s.attendees) + 1
    if n > size.circa + size.tolerance:
        j.require(
            size, False, f"{n} attendees; a group is circa {size.circa} and at most {size.circa + size.tolerance}"
        )
    else:
        j.require(
            size,
            n <= size.circa,
            f"{n} attendees is above circa {size.circa}",
            f"{n} attendees",
            outcome=Outcome.FLAG,
        )
    return [ev.AttendeeEnrolled(c.attendee_id, c.profession)]


def _withdraw(s: PeerGroup, c: cmd.WithdrawAttendee, context: PeerSupportContext, j: Judge) -> list[Event]:
    j.acting_for_themselves(c, Role.ATTENDEE, c.attendee_id)
    j.must(c.attendee_id in s.attendees, f"{c.attendee_id} is not enrolled")
    return [ev.AttendeeWithdrawn(c.attendee_id)]


def _fits(j: Judge, s: PeerGroup, meetings: Sequence[PlannedMeeting]) -> None:
    j.must(
        all(m.meeting_id not in s.meetings for m in meetings),
        "a plan with that id already exists",
    )
    total = sum(m.minutes for m in meetings)
    free = s.remaining_minutes - s.planned_minutes
    j.require(
        j.rule(MeetingSchedule),
        total <= free,
        f"the plan needs {total} minutes; {free} funded minutes remain unplanned "
        f"({s.funded_used} used and {s.planned_minutes} planned of {s.cap})",
        f"{total} of {free} unplanned funded minutes",
    )


def series_dates(frequency: Frequency, first_at: dt.datetime, count: int) -> list[dt.datetime]:
    """Meeting times of a series, by ``dateutil.rrule``, keeping the local wall-clock time.

    A monthly series started on the 29th-31st falls on the last day of shorter months.
    """
    if frequency is Frequency.MONTHLY:
        day = first_at.day
        by_day: int | tuple[int, ...] = tuple(range(28, day + 1)) if day > 28 else day
        rule = rrule(MONTHLY, dtstart=first_at, count=count, bymonthday=by_day, bysetpos=-1)
    else:
        rule = rrule(WEEKLY, dtstart=first_at, count=count, interval=2 if frequency is Frequency.FORTNIGHTLY else 1)
    return list(rule)


def _plan_series(s: PeerGroup, c: cmd.PlanSeries, context: PeerSupportContext, j: Judge) -> list[Event]:
    j.must(1 <= c.count <= 60, f"a series has 1 to 60 meetings, not {c.count}", invalid_input=True)
    length = j.rule(MeetingLength)
    j.require(
        length,
        c.minutes >= length.minimum_minutes,
        f"a meeting is at least {length.minimum_minutes} minutes, not {c.minutes}",
        f"{c.minutes} minutes each",
    )
    meetings = tuple(
        PlannedMeeting(f"{c.plan_id}-{n}", at, c.minutes)
        for n, at in enumerate(series_dates(c.frequency, c.first_at, c.count), start=1)
    )
    _fits(j, s, meetings)
    return [ev.MeetingsPlanned(c.plan_id, meetings)]


def _plan_day(s: PeerGroup, c: cmd.PlanPeerSupportDay, context: PeerSupportContext, j: Judge) -> list[Event]:
    length = j.rule(MeetingLength)
    j.require(
        length,
        c.blocks >= length.day_minimum_blocks,
        f"a peer support day is at least {length.day_minimum_blocks} blocks, not {c.blocks}",
        f"{c.blocks} blocks",
    )
    j.require(
        length,
        c.minutes_per_block >= length.minimum_minutes,
        f"each block is at least {length.minimum_minutes} minutes, not {c.minutes_per_block}",
        f"{c.minutes_per_block} minutes a block",
    )
    meeting = PlannedMeeting(c.plan_id, c.starts_at, c.blocks * c.minutes_per_block, c.blocks)
    _fits(j, s, (meeting,))
    return [ev.MeetingsPlanned(c.plan_id, (meeting,))]


def _planned_meeting(s: PeerGroup, j: Judge, meeting_id: str) -> Meeting:
    meeting = s.meetings.get(meeting_id)
    j.must(meeting is not None, f"there is no meeting {meeting_id}")
    assert meeting is not None
    j.must(meeting.status is MeetingStatus.PLANNED, f"meeting {meeting_id} is already {meeting.status.value}")
    return meeting


def _hold(s: PeerGroup, c: cmd.HoldMeeting, context: PeerSupportContext, j: Judge) -> list[Event]:
    meeting = _planned_meeting(s, j, c.meeting_id)
    j.must(s.facilitator is not None, "appoint a facilitator before the group meets")
    j.acting_for_themselves(c, Role.FACILITATOR, s.facilitator)
    held_on = london_date(c.at)
    j.must(held_on >= london_date(meeting.planned.starts_at), f"meeting {c.meeting_id} is planned for later")
    minutes = c.minutes if c.minutes is not None else meeting.planned.minutes
    j.must(
        0 <= c.self_funded_minutes <= minutes,
        "self-funded minutes are between 0 and the meeting's length",
        invalid_input=True,
    )
    length = j.rule(MeetingLength)
    needed = length.minimum_minutes * meeting.planned.blocks
    j.require(
        length,
        minutes >= needed,
        f"the meeting lasted {minutes} minutes; at least {needed} are needed",
        f"{minutes} minutes",
    )
    strangers = sorted(set(c.attendee_ids) - set(s.attendees))
    j.require(
        j.rule(EligibleAttendees),
        not strangers,
        f"not enrolled in the group: {', '.join(strangers)}",
        f"{len(c.attendee_ids)} enrolled attendees",
    )
    cap = j.rule(FundingCap)
    funded = minutes - c.self_funded_minutes
    after = s.funded_used + funded
    j.require(
        cap,
        after <= s.cap,
        f"this meeting would take funded minutes to {after} of {s.cap}; "
        f"mark at least {after - s.cap} minutes as self-funded",
        f"{after} of {s.cap} funded minutes",
    )
    tariff_rule = j.rule(FacilitatorTariff)
    tariff = tariff_rule.on(held_on)
    j.must(
        tariff is not None,
        f"no facilitator tariff is in force on {held_on.isoformat()}; set the funder's tariff table",
        rule=tariff_rule,
        success=f"£{tariff.hourly_rate}/hour from {tariff.effective_from.isoformat()}" if tariff else None,
    )
    assert tariff is not None
    cost = gbp(funded * tariff.hourly_rate / 60)
    return [
        ev.MeetingHeld(
            c.meeting_id,
            held_on,
            minutes,
            funded,
            c.self_funded_minutes,
            frozenset(c.attendee_ids),
            tariff.hourly_rate,
            cost,
        )
    ]


def _cancel(s: PeerGroup, c: cmd.CancelMeeting, context: PeerSupportContext, j: Judge) -> list[Event]:
    _planned_meeting(s, j, c.meeting_id)
    return [ev.MeetingCancelled(c.meeting_id)]


def _claim(s: PeerGroup, c: cmd.ClaimFacilitatorMinutes, context: PeerSupportContext, j: Judge) -> list[Event]:
    j.must(c.claim_id not in s.claims, f"claim {c.claim_id} already exists")
    j.must(s.facilitator is not None and c.actor == s.facilitator, "only the group's facilitator claims its minutes")
    j.must(bool(c.meeting_ids), "a claim names at least one meeting", invalid_input=True)
    held = [s.meetings.get(m) for m in sorted(c.meeting_ids)]
    j.must(
        all(m is not None and m.held is not None and not m.claimed for m in held),
        "a claim covers held meetings not claimed before",
    )
    records = [m.held for m in held if m is not None and m.held is not None]
    minutes = sum(r.funded_minutes for r in records)
    amount = sum((r.cost for r in records), gbp(0))
    assert s.facilitator is not None
    return [ev.FacilitatorMinutesClaimed(c.claim_id, s.facilitator, frozenset(c.meeting_ids), minutes, amount)]


def _open_round(s: PeerGroup, c: cmd.OpenEvaluationRound, context: PeerSupportContext, j: Judge) -> list[Event]:
    j.must(c.round_id not in s.rounds, f"round {c.round_id} already exists")
    evaluation = j.rule(Evaluation)
    j.require(
        evaluation,
        c.instrument in evaluation.instruments,
        f"{c.instrument!r} is not a declared instrument ({', '.join(evaluation.instruments)})",
        f"instrument {c.instrument}",
    )
    if c.kind is RoundKind.FOLLOW_UP:
        baselines = [r for r in s.rounds.values() if r.kind is RoundKind.BASELINE]
        j.require(
            evaluation,
            any(r.instrument == c.instrument for r in baselines),
            f"a follow-up needs a baseline round with the same instrument ({c.instrument})",
            "follows a baseline with the same instrument",
        )
    return [ev.EvaluationRoundOpened(c.round_id, c.kind, c.instrument)]


def _respond(s: PeerGroup, c: cmd.RecordEvaluationResponse, context: PeerSupportContext, j: Judge) -> list[Event]:
    round_ = s.rounds.get(c.round_id)
    j.must(round_ is not None, f"there is no evaluation round {c.round_id}")
    assert round_ is not None
    j.acting_for_themselves(c, Role.ATTENDEE, c.attendee_id)
    evaluation = j.rule(Evaluation)
    j.require(evaluation, c.attendee_id in s.attendees, f"{c.attendee_id} is not an enrolled attendee", "enrolled")
    j.require(
        evaluation,
        (c.round_id, c.attendee_id) not in s.responses,
        f"{c.attendee_id} has already responded to round {c.round_id}",
        "first response this round",
    )
    instrument = INSTRUMENTS[round_.instrument]
    problems = instrument.problems(c.answers)
    j.must(not problems, "; ".join(problems), rule=evaluation, success=f"valid {instrument.name} answers")
    return [ev.EvaluationResponseRecorded(c.round_id, c.attendee_id, instrument.score(c.answers))]


_GROUP_HANDLERS: dict[type, GroupHandler] = {
    cmd.SetUpGroup: _set_up,
    cmd.SetModality: _modality,
    cmd.AppointFacilitator: _appoint,
    cmd.EnrolAttendee: _enrol,
    cmd.WithdrawAttendee: _withdraw,
    cmd.PlanSeries: _plan_series,
    cmd.PlanPeerSupportDay: _plan_day,
    cmd.HoldMeeting: _hold,
    cmd.CancelMeeting: _cancel,
    cmd.ClaimFacilitatorMinutes: _claim,
    cmd.OpenEvaluationRound: _open_round,
    cmd.RecordEvaluationResponse: _respond,
}
#: Every peer-group command class.
GROUP_COMMANDS = tuple(_GROUP_HANDLERS)
