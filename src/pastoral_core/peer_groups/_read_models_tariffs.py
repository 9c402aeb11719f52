"""Read model of facilitator cost by tariff period (GPS-TARIFF).

GPS offering: the facilitator is paid "according to our tariff"; cost = funded minutes x
the tariff in force on the meeting date (the business date, not the day it is recorded).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from pastoral_core.exceptions import InvalidType, InvalidValue, NoRulebookInForce, UnknownRule
from pastoral_core.peer_groups._events import MeetingHeld
from pastoral_core.peer_groups._policies import FacilitatorTariff
from pastoral_core.peer_groups._read_models import programme_of
from pastoral_core.peer_groups._state import PeerGroup
from pastoral_core.rules import Rulebooks
from pastoral_core.tables import RowsTable, columns_of, states_of

ZERO = decimal.Decimal("0.00")


@attrs.frozen
class TariffPeriodRow:
    """The meetings of one group priced by one tariff of one rulebook version (GPS-TARIFF).

    Attributes:
        programme_id: The group's programme.
        group_id: The group.
        rulebook: The version in force on the meetings' dates (``"NAME vN"``).
        tariff_from: First day this tariff of this version is in force.
        tariff_until: Its last day (``None``: still in force).
        hourly_rate: GBP per facilitator hour.
        meetings: Meetings held in the period.
        funded_minutes: Their funded minutes.
        cost: Their cost, GBP (each meeting's recorded cost, half-up to the penny).
    """

    programme_id: str
    group_id: str
    rulebook: str
    tariff_from: dt.date
    tariff_until: dt.date | None
    hourly_rate: decimal.Decimal
    meetings: int
    funded_minutes: int
    cost: decimal.Decimal


def _period(rulebooks: Rulebooks, day: dt.date, where: str) -> tuple[str, dt.date, dt.date | None, decimal.Decimal]:
    """The tariff period ``day`` falls in: (version label, first day, last day or None, hourly rate)."""
    try:
        book = rulebooks.in_force(day)
        rule = book.rule(FacilitatorTariff)
    except (NoRulebookInForce, UnknownRule):
        raise InvalidValue("CostByTariff", "rulebooks", f"have no facilitator tariff in force for {where}") from None
    tariff = rule.on(day)
    if tariff is None:
        raise InvalidValue("CostByTariff", "rulebooks", f"have no facilitator tariff in force for {where}")
    later_books = [b.effective_from for b in rulebooks if b.effective_from > day]
    later_tariffs = [t.effective_from for t in rule.tariffs if t.effective_from > day]
    ends = min(later_books + later_tariffs, default=None)
    start = max(book.effective_from, tariff.effective_from)
    return book.label, start, ends - dt.timedelta(days=1) if ends else None, tariff.hourly_rate


def _check_rulebooks(value: Any) -> Rulebooks:
    if not isinstance(value, Rulebooks):
        raise InvalidType("CostByTariff", "rulebooks", "expected the Rulebooks that priced the meetings")
    return value


@attrs.frozen
class CostByTariff(RowsTable[TariffPeriodRow]):
    """Facilitator cost of the meetings held, per group and tariff period (GPS-TARIFF).

    Each meeting is put in the period of the tariff that priced it: the tariff of the
    rulebook version in force on the day it was held (not the day it was recorded). A
    period is one tariff of one version: it starts when both are in force and ends the day
    before a later tariff or version takes effect. Rows are ordered by programme, group
    and period; a group's costs add up to its cost in :class:`GroupMinutes`.

    Attributes:
        rows: One :class:`TariffPeriodRow` per group and period with a meeting held.
    """

    columns = columns_of(TariffPeriodRow)
    caption = "Facilitator cost by tariff period"

    rows: tuple[TariffPeriodRow, ...]

    @classmethod
    def of(cls, groups: Mapping[str, PeerGroup], rulebooks: Rulebooks) -> CostByTariff:
        """The table for ``groups``' meetings held, priced by ``rulebooks``.

        Args:
            groups: Peer group states by id.
            rulebooks: Every version of the rulebook that priced the meetings.

        Raises:
            InvalidType: If ``groups`` is not a mapping of ids to group states, or
                ``rulebooks`` not ``Rulebooks``.
            InvalidValue: If a meeting's day has no tariff in force in ``rulebooks``, or
                a different hourly rate from the one it was priced at (these are not the
                rulebooks that priced it).
        """
        groups = states_of("CostByTariff", "groups", groups, PeerGroup)
        rulebooks = _check_rulebooks(rulebooks)
        found: dict[tuple[str, str, dt.date, str], list[MeetingHeld]] = {}
        ends: dict[tuple[str, str, dt.date, str], tuple[dt.date | None, decimal.Decimal]] = {}
        for group_id, group in groups.items():
            programme_id = programme_of(group) or ""
            for meeting_id, held in _held(group):
                where = f"meeting {meeting_id} of group {group_id} on {held.held_on.isoformat()}"
                label, start, end, rate = _period(rulebooks, held.held_on, where)
                if rate != held.hourly_rate:
                    raise InvalidValue(
                        "CostByTariff",
                        "rulebooks",
                        f"put £{rate} an hour in force for {where}, priced at £{held.hourly_rate}: "
                        "pass the rulebooks that priced it",
                    )
                key = (programme_id, group_id, start, label)
                found.setdefault(key, []).append(held)
                ends[key] = (end, rate)
        rows = []
        for key in sorted(found):
            programme_id, group_id, start, label = key
            meetings = found[key]
            rows.append(
                TariffPeriodRow(
                    programme_id,
                    group_id,
                    label,
                    start,
                    *ends[key],
                    len(meetings),
                    sum(m.funded_minutes for m in meetings),
                    sum((m.cost for m in meetings), ZERO),
                )
            )
        return cls(tuple(rows))


def _held(group: PeerGroup) -> Iterable[tuple[str, MeetingHeld]]:
    """The group's meetings held, with their ids."""
    return ((meeting_id, m.held) for meeting_id, m in group.meetings.items() if m.held is not None)
