"""Read models of attendance: per group, and per meeting held (``MeetingHeld`` records who was there)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping

import attrs

from pastoral_core.peer_groups._read_models import programme_of
from pastoral_core.peer_groups._state import PeerGroup
from pastoral_core.tables import RowsTable, columns_of, mean, states_of


@attrs.frozen
class GroupAttendanceRow:
    """How one group's attendees came to its meetings.

    Attributes:
        programme_id: The group's programme.
        group_id: The group.
        enrolled: Attendees enrolled now.
        ever_enrolled: Attendees ever enrolled (those who left included).
        meetings_held: Meetings held.
        attendances: Attendees present, added up over the meetings held.
        mean_present: ``attendances / meetings_held``, half-up to 2 places (``None``
            before a meeting is held).
        attended_any: Attendees present at one meeting or more.
        never_attended: Attendees enrolled now who have been present at none.
    """

    programme_id: str
    group_id: str
    enrolled: int
    ever_enrolled: int
    meetings_held: int
    attendances: int
    mean_present: decimal.Decimal | None
    attended_any: int
    never_attended: int


@attrs.frozen
class GroupAttendance(RowsTable[GroupAttendanceRow]):
    """Attendance per group set up, ordered by programme and group.

    Attributes:
        rows: One :class:`GroupAttendanceRow` per group set up.
    """

    columns = columns_of(GroupAttendanceRow)
    caption = "Attendance by group"

    rows: tuple[GroupAttendanceRow, ...]

    @classmethod
    def of(cls, groups: Mapping[str, PeerGroup]) -> GroupAttendance:
        """The table for ``groups`` (peer group states by id).

        Raises:
            InvalidType: If ``groups`` is not a mapping of ids to group states.
        """
        rows = []
        for group_id, group in states_of("GroupAttendance", "groups", groups, PeerGroup).items():
            programme_id = programme_of(group)
            if programme_id is None:
                continue
            held = [m.held for m in group.meetings.values() if m.held is not None]
            present = [h.attendee_ids for h in held]
            came = frozenset().union(*present)
            attendances = sum(len(p) for p in present)
            rows.append(
                GroupAttendanceRow(
                    programme_id,
                    group_id,
                    len(group.attendees),
                    len(group.ever_enrolled),
                    len(held),
                    attendances,
                    mean(attendances, len(held)),
                    len(came),
                    len(set(group.attendees) - came),
                )
            )
        return cls(tuple(sorted(rows, key=lambda r: (r.programme_id, r.group_id))))


@attrs.frozen
class MeetingAttendanceRow:
    """Who came to one meeting held.

    Attributes:
        programme_id: The group's programme.
        group_id: The group.
        meeting_id: The meeting.
        held_on: The day it was held.
        minutes: How long it lasted.
        blocks: 1 for a meeting; 2 or more for a peer support day.
        present: Attendees present.
    """

    programme_id: str
    group_id: str
    meeting_id: str
    held_on: dt.date
    minutes: int
    blocks: int
    present: int


@attrs.frozen
class MeetingAttendance(RowsTable[MeetingAttendanceRow]):
    """Attendance per meeting held, ordered by programme, group, day and meeting.

    Attributes:
        rows: One :class:`MeetingAttendanceRow` per meeting held.
    """

    columns = columns_of(MeetingAttendanceRow)
    caption = "Attendance by meeting"

    rows: tuple[MeetingAttendanceRow, ...]

    @classmethod
    def of(cls, groups: Mapping[str, PeerGroup]) -> MeetingAttendance:
        """The table for ``groups`` (peer group states by id).

        Raises:
            InvalidType: If ``groups`` is not a mapping of ids to group states.
        """
        rows = [
            MeetingAttendanceRow(
                programme_of(group) or "",
                group_id,
                meeting_id,
                meeting.held.held_on,
                meeting.held.minutes,
                meeting.planned.blocks,
                len(meeting.held.attendee_ids),
            )
            for group_id, group in states_of("MeetingAttendance", "groups", groups, PeerGroup).items()
            for meeting_id, meeting in group.meetings.items()
            if meeting.held is not None
        ]
        return cls(tuple(sorted(rows, key=lambda r: (r.programme_id, r.group_id, r.held_on, r.meeting_id))))
