"""When a group's funded minutes run out if it keeps meeting at its planned cadence.

A plan's meetings are numbered ``<plan id>-1``, ``<plan id>-2``, ... and fall where
:func:`~pastoral_core.peer_groups.series_dates` puts them (``dateutil.rrule``), so a
group's state tells which meetings form a series and at what frequency, although the
frequency itself is not recorded: the one whose dates the meetings match exactly.
"""

from __future__ import annotations

import datetime as dt

import attrs
from dateutil.relativedelta import relativedelta

from pastoral_core.peer_groups._decide_meetings import _existing
from pastoral_core.peer_groups._model import Frequency, MeetingStatus
from pastoral_core.peer_groups._state import PeerGroup
from pastoral_core.values import instant, london_date

_WEEKS = {Frequency.WEEKLY: 1, Frequency.FORTNIGHTLY: 2}


def meeting_time(frequency: Frequency, first_at: dt.datetime, n: int) -> dt.datetime:
    """The ``n``-th meeting (from 1) of a series from ``first_at``: ``series_dates(...)[n - 1]`` without the others.

    Raises:
        OverflowError: If the meeting would fall after the year 9999.
    """
    if frequency is Frequency.MONTHLY:
        step = relativedelta(months=n - 1)
    else:
        step = relativedelta(weeks=_WEEKS[frequency] * (n - 1))
    return _existing((first_at + step).replace(fold=first_at.fold))


@attrs.frozen
class Cadence:
    """A series of meetings as planned: its frequency, first meeting, length and funded minutes each."""

    frequency: Frequency
    first_at: dt.datetime
    count: int
    funded_minutes: int

    def day(self, n: int) -> dt.date:
        """The London date of the series' ``n``-th meeting (past ``count``: as the series would go on)."""
        return london_date(meeting_time(self.frequency, self.first_at, n))


def series_of(group: PeerGroup, meeting_id: str) -> Cadence | None:
    """The series meeting ``meeting_id`` belongs to, if it is one.

    A series is two or more single-block meetings ``P-1``, ``P-2``, ... of one length and
    self-funded share, at exactly the times :func:`meeting_time` gives for one frequency
    from ``P-1``'s (it ends at the first ``P-n`` that is missing or does not fit). A peer
    support day, a plan of one meeting, or meetings that match no frequency, are not.
    """
    prefix, dash, number = meeting_id.rpartition("-")
    if not (dash and number.isascii() and number.isdigit() and number == str(int(number))):
        return None
    start = group.meetings.get(f"{prefix}-1")
    if start is None or start.planned.blocks != 1:
        return None
    first = start.planned
    shape = (1, first.minutes, first.self_funded_minutes)
    for frequency in Frequency:
        count = 0
        while (meeting := group.meetings.get(f"{prefix}-{count + 1}")) is not None:
            planned = meeting.planned
            if (planned.blocks, planned.minutes, planned.self_funded_minutes) != shape:
                break
            if instant(planned.starts_at) != instant(meeting_time(frequency, first.starts_at, count + 1)):
                break
            count += 1
        if count >= max(2, int(number)):
            return Cadence(frequency, first.starts_at, count, first.funded_minutes)
    return None


def _known(group: PeerGroup) -> list[tuple[dt.date, str, int]]:
    """Meetings held (on the day held) and still planned (on the day planned), with their funded minutes, by day."""
    known = []
    for meeting_id, meeting in group.meetings.items():
        if meeting.held is not None:
            known.append((meeting.held.held_on, meeting_id, meeting.held.funded_minutes))
        elif meeting.status is MeetingStatus.PLANNED:
            known.append((london_date(meeting.planned.starts_at), meeting_id, meeting.planned.funded_minutes))
    return sorted(known)


def _cadence(group: PeerGroup) -> Cadence | None:
    """The series of the last meeting still planned (latest start, then id), if it is in one."""
    planned = [m.planned for m in group.meetings.values() if m.status is MeetingStatus.PLANNED]
    if not planned:
        return None
    last = max(planned, key=lambda p: (instant(p.starts_at), p.meeting_id))
    return series_of(group, last.meeting_id)


def cap_reached_on(group: PeerGroup) -> dt.date | None:
    """The day the group's funded minutes reach its cap at the planned cadence, or ``None``.

    Funded minutes are added up day by day: each meeting held on the day it was held,
    each meeting still planned on its planned day (London date; one whose day has passed
    without being recorded as held still counts, on that day), and then, if the last
    meeting still planned belongs to a series (see :func:`series_of`), that series carried
    on past its last meeting at its frequency (by the planning code's ``rrule`` dates: a
    monthly series from the 31st keeps to month ends), each further meeting adding the
    series' funded minutes. The answer is the first day the total reaches the cap (a
    meeting may take it past the cap; the excess would have to be self-funded).

    ``None`` when it never does: nothing left is planned in a series and the meetings
    known do not reach the cap, the series' meetings are wholly self-funded, the group
    has no cap (0 minutes, or not set up), or the day would fall after the year 9999.
    """
    cap = group.cap
    if cap <= 0:
        return None
    cadence = _cadence(group)
    if cadence is not None and cadence.funded_minutes <= 0:
        cadence = None
    n = cadence.count + 1 if cadence is not None else 0  # the series' next meeting
    total = 0
    try:
        for day, _, minutes in _known(group):
            while cadence is not None and cadence.day(n) < day:
                total += cadence.funded_minutes
                if total >= cap:
                    return cadence.day(n)
                n += 1
            total += minutes
            if total >= cap:
                return day
        if cadence is None:
            return None
        needed = -(-(cap - total) // cadence.funded_minutes)  # further meetings, rounded up
        return cadence.day(n + needed - 1)
    except (OverflowError, ValueError):  # past the year 9999
        return None
