"""Read models of facilitator funding: minutes used and left per group and per programme.

GPS-FUNDING-CAP (GPS offering: up to 900 facilitator minutes per group; the cap each group
got is fixed when it is approved).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping

import attrs

from pastoral_core.kernel import EMPTY
from pastoral_core.peer_groups._model import MeetingStatus
from pastoral_core.peer_groups._read_models import groups_and_programmes, programme_of
from pastoral_core.peer_groups._read_models_cadence import cap_reached_on
from pastoral_core.peer_groups._state import PeerGroup, Programme
from pastoral_core.tables import RowsTable, columns_of

ZERO = decimal.Decimal("0.00")


@attrs.frozen
class GroupMinutesRow:
    """One approved group's facilitator minutes.

    Attributes:
        programme_id: The programme that approved it.
        group_id: The group.
        set_up: Whether the group has been set up (an approved group not yet set up has
            its minutes reserved and none used).
        cap: Funded minutes it was approved for.
        used: Funded minutes of meetings held.
        planned: Funded minutes of meetings still planned.
        left: ``cap - used``.
        unplanned: ``left - planned``: what a new plan may still use.
        meetings_held: Meetings held.
        cost: Facilitator cost of the meetings held, GBP.
        cap_reached_on: The day the cap is reached at the planned cadence (see
            :class:`GroupMinutes`), or ``None``.
    """

    programme_id: str
    group_id: str
    set_up: bool
    cap: int
    used: int
    planned: int
    left: int
    unplanned: int
    meetings_held: int
    cost: decimal.Decimal
    cap_reached_on: dt.date | None


def _row(programme_id: str, group_id: str, group: PeerGroup) -> GroupMinutesRow:
    left = group.remaining_minutes
    held = sum(1 for m in group.meetings.values() if m.status is MeetingStatus.HELD)
    return GroupMinutesRow(
        programme_id,
        group_id,
        True,
        group.cap,
        group.funded_used,
        group.planned_minutes,
        left,
        left - group.planned_minutes,
        held,
        group.cost,
        cap_reached_on(group),
    )


def _rows(groups: Mapping[str, PeerGroup], programmes: Mapping[str, Programme]) -> tuple[GroupMinutesRow, ...]:
    rows = {}
    for group_id, group in groups.items():
        programme_id = programme_of(group)
        if programme_id is not None:
            rows[programme_id, group_id] = _row(programme_id, group_id, group)
    for programme_id, programme in programmes.items():
        for group_id, approval in programme.approved.items():
            if (programme_id, group_id) not in rows:
                minutes = approval.funded_minutes
                rows[programme_id, group_id] = GroupMinutesRow(
                    programme_id, group_id, False, minutes, 0, 0, minutes, minutes, 0, ZERO, None
                )
    return tuple(rows[key] for key in sorted(rows))


@attrs.frozen
class GroupMinutes(RowsTable[GroupMinutesRow]):
    """Funded facilitator minutes used and left, and their cost, per group (GPS-FUNDING-CAP).

    One row per group set up, and per group approved by one of ``programmes`` but not yet
    set up, ordered by programme and group.

    ``cap_reached_on`` adds up funded minutes day by day: each meeting held on the day it
    was held, each meeting still planned on its planned day (London date), then, if the
    last meeting still planned is part of a weekly, fortnightly or monthly series, that
    series carried on past its last meeting at its frequency (the ``dateutil.rrule``
    dates the planning code gives: a monthly series from the 31st keeps to month ends),
    each further meeting adding the series' funded minutes. It is the first day the total
    reaches the cap, and ``None`` if it never does (nothing planned in a series, a series
    wholly self-funded, no cap).

    Attributes:
        rows: One :class:`GroupMinutesRow` per group.
    """

    columns = columns_of(GroupMinutesRow)
    caption = "Facilitator minutes by group"

    rows: tuple[GroupMinutesRow, ...]

    @classmethod
    def of(cls, groups: Mapping[str, PeerGroup], programmes: Mapping[str, Programme] = EMPTY) -> GroupMinutes:
        """The table for ``groups`` (and the approved groups of ``programmes`` not yet set up).

        Args:
            groups: Peer group states by id (``Projection.states``, ``groups_from``).
            programmes: Programme states by id, to list approved groups not yet set up.

        Raises:
            InvalidType: If either is not a mapping of ids to states of its kind.
        """
        groups, programmes = groups_and_programmes("GroupMinutes", groups, programmes)
        return cls(_rows(groups, programmes))


@attrs.frozen
class ProgrammeMinutesRow:
    """One programme's facilitator minutes, over its approved groups.

    Attributes:
        programme_id: The programme.
        group_capacity: About how many groups it funds (GPS-CAPACITY), if it is known.
        groups: Groups approved (or set up) in it.
        groups_set_up: Of those, groups set up.
        funded: Funded minutes of its groups (each group's cap).
        used: Funded minutes of meetings held.
        planned: Funded minutes of meetings still planned.
        left: ``funded - used``.
        cost: Facilitator cost of the meetings held, GBP.
    """

    programme_id: str
    group_capacity: int | None
    groups: int
    groups_set_up: int
    funded: int
    used: int
    planned: int
    left: int
    cost: decimal.Decimal


@attrs.frozen
class ProgrammeMinutes(RowsTable[ProgrammeMinutesRow]):
    """Funded facilitator minutes used and left, and their cost, per programme.

    Each row adds up the programme's rows of :class:`GroupMinutes`; a programme with no
    group approved has a row of zeros.

    Attributes:
        rows: One :class:`ProgrammeMinutesRow` per programme, by id.
    """

    columns = columns_of(ProgrammeMinutesRow)
    caption = "Facilitator minutes by programme"

    rows: tuple[ProgrammeMinutesRow, ...]

    @classmethod
    def of(cls, groups: Mapping[str, PeerGroup], programmes: Mapping[str, Programme]) -> ProgrammeMinutes:
        """The table for ``programmes`` and their groups.

        Args:
            groups: Peer group states by id.
            programmes: Programme states by id (a group set up in a programme not given
                here still counts, under its programme's id).

        Raises:
            InvalidType: If either is not a mapping of ids to states of its kind.
        """
        groups, programmes = groups_and_programmes("ProgrammeMinutes", groups, programmes)
        by_programme: dict[str, list[GroupMinutesRow]] = {p: [] for p in programmes}
        for row in _rows(groups, programmes):
            by_programme.setdefault(row.programme_id, []).append(row)
        rows = []
        for programme_id in sorted(by_programme):
            started = programmes[programme_id].started if programme_id in programmes else None
            found = by_programme[programme_id]
            rows.append(
                ProgrammeMinutesRow(
                    programme_id,
                    started.group_capacity if started else None,
                    len(found),
                    sum(1 for r in found if r.set_up),
                    sum(r.cap for r in found),
                    sum(r.used for r in found),
                    sum(r.planned for r in found),
                    sum(r.left for r in found),
                    sum((r.cost for r in found), ZERO),
                )
            )
        return cls(tuple(rows))
