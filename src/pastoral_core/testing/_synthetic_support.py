"""The synthetic LMC: its officers (the network's script), their caseloads, and when requests arrive."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs
from dateutil.relativedelta import relativedelta

from pastoral_core.rules import Override, WorkingCalendar
from pastoral_core.support import (
    Background,
    EnrolOfficer,
    PastoralSupport,
    RecipientKind,
    ReinstateOfficer,
    SupportRole,
    SuspendOfficer,
    WithdrawOfficer,
)
from pastoral_core.testing._synthetic_kit import Issuer, Script, Step, at_london, pick, working_moment

if TYPE_CHECKING:
    from random import Random

COORDINATOR = SupportRole.COORDINATOR
SUITS = {
    RecipientKind.GP: frozenset({Background.GP}),
    RecipientKind.PRACTICE_MANAGER: frozenset({Background.PRACTICE_MANAGER, Background.LAY}),
    RecipientKind.PRACTICE: frozenset(Background),
}
#: How requests spread over the calendar months (fewer in August and December).
MONTH_WEIGHTS = (1.15, 1.1, 1.1, 0.95, 1.0, 0.95, 0.9, 0.7, 1.05, 1.1, 1.1, 0.8)
#: The four nations' share of requests: mostly England.
NATIONS = (("ENG", 0.86), ("WLS", 0.05), ("SCT", 0.06), ("NIR", 0.03))


@attrs.define
class OfficerInfo:
    """An officer as the generator knows them: background, own practice, whether allocatable."""

    officer_id: str
    background: Background
    practice_id: str | None
    active: bool = True


@attrs.define
class SupportWorld:
    """The LMC's officers and their open caseloads, kept as the log is written.

    Attributes:
        support: The service every case and network command goes through.
        officers: Officers by id (enrolled or planned).
        load: Open allocations per officer.
        practices: The practice ids requests come from (officers work at some of them).
        coordinator: The coordinator's id.
        guardian: The Caldicott Guardian's id.
    """

    support: PastoralSupport
    officers: dict[str, OfficerInfo] = attrs.Factory(dict)
    load: dict[str, int] = attrs.Factory(dict)
    practices: tuple[str, ...] = ()
    coordinator: str = "coord-lmc"
    guardian: str = "cg-lmc"

    def choose(
        self, rng: Random, kind: RecipientKind, practice: str | None, exclude: set[str | None]
    ) -> tuple[str, tuple[Override, ...]] | None:
        """An active officer for a ``kind`` recipient, not of ``practice`` nor excluded, among the least loaded.

        Returns:
            The officer (now counted in their load), and the override a coordinator gives
            when nobody whose background suits is free (PSN-SKILLS, with a reason): then
            any other officer is chosen. ``None`` if nobody at all is free.
        """

        def free(backgrounds: frozenset[Background]) -> list[tuple[int, str]]:
            return sorted(
                (self.load.get(o.officer_id, 0), o.officer_id)
                for o in self.officers.values()
                if o.active
                and o.background in backgrounds
                and (o.practice_id is None or o.practice_id != practice)
                and o.officer_id not in exclude
            )

        overrides: tuple[Override, ...] = ()
        candidates = free(SUITS[kind])
        if not candidates:
            candidates = free(frozenset(Background))
            reason = "No officer with a suitable background was free; agreed with the recipient."
            overrides = (Override("PSN-SKILLS", reason, self.coordinator),)
        if not candidates:
            return None
        _, chosen = rng.choice(candidates[:3])
        self.load[chosen] = self.load.get(chosen, 0) + 1
        return chosen, overrides

    def release(self, officer_id: str | None) -> None:
        """An allocation of ``officer_id`` ended."""
        if officer_id is not None:
            self.load[officer_id] -= 1


def plan_officers(rng: Random, count: int, practices: tuple[str, ...]) -> list[OfficerInfo]:
    """About ``count`` officers: two thirds GPs, the rest practice managers and lay officers (two of each at least)."""
    managers, lay = max(2, round(count * 0.2)), max(2, round(count * 0.15))
    backgrounds = [Background.PRACTICE_MANAGER] * managers + [Background.LAY] * lay
    backgrounds += [Background.GP] * max(2, count - len(backgrounds))
    rng.shuffle(backgrounds)
    return [
        OfficerInfo(f"off-{n:03d}", background, None if background is Background.LAY else rng.choice(practices))
        for n, background in enumerate(backgrounds, start=1)
    ]


def network_script(
    world: SupportWorld, rng: Random, start: dt.date, end: dt.datetime, initial: int, joiners: int
) -> Script:
    """The network over the year: ``initial`` officers at the start, ``joiners`` later, one suspension, a withdrawal."""
    issue = Issuer("network")
    support = world.support

    def enrol(now: dt.datetime, officer: OfficerInfo) -> Step:
        world.officers[officer.officer_id] = officer
        world.load.setdefault(officer.officer_id, 0)
        command = issue(
            EnrolOfficer,
            now,
            COORDINATOR,
            world.coordinator,
            officer_id=officer.officer_id,
            background=officer.background,
            practice_id=officer.practice_id,
        )
        return Step(support, command)

    planned = plan_officers(rng, initial + joiners, world.practices)
    first, later = planned[:initial], planned[initial:]
    now = at_london(start, 7 * 60)
    yield now
    for officer in first:
        yield enrol(now, officer)
    span = (end - now).days
    events: list[tuple[dt.datetime, str, OfficerInfo | None]] = [
        (working_moment(rng, now, days=(span * (n + 1) // (len(later) + 1),) * 2), "join", joiner)
        for n, joiner in enumerate(later)
    ]
    events.append((working_moment(rng, now, days=(span * 4 // 10, span * 5 // 10)), "suspend", None))
    events.append((working_moment(rng, now, days=(span * 8 // 10, span * 9 // 10)), "withdraw", None))
    for moment, what, joiner in sorted(events, key=lambda e: e[0]):
        now = max(now, moment)
        yield now
        if what == "join" and joiner is not None:
            yield enrol(now, joiner)
        elif what == "suspend":
            active = sorted(o for o, info in world.officers.items() if info.active)
            chosen = rng.choice(active)
            world.officers[chosen].active = False
            yield Step(support, issue(SuspendOfficer, now, COORDINATOR, world.coordinator, officer_id=chosen))
            now = working_moment(rng, now, days=(28, 56))
            yield now
            world.officers[chosen].active = True
            yield Step(support, issue(ReinstateOfficer, now, COORDINATOR, world.coordinator, officer_id=chosen))
        else:  # an officer with no open allocation leaves the network
            idle = sorted(o for o, info in world.officers.items() if info.active and world.load.get(o, 0) == 0)
            if idle:
                chosen = rng.choice(idle)
                world.officers[chosen].active = False
                yield Step(support, issue(WithdrawOfficer, now, COORDINATOR, world.coordinator, officer_id=chosen))


def arrivals(rng: Random, count: int, start: dt.date, end: dt.datetime) -> list[tuple[dt.datetime, str]]:
    """When ``count`` requests arrive and from which nation: working days, a monthly mix, some after the cut-off."""
    last_day = (end - dt.timedelta(seconds=1)).date()
    months: list[tuple[dt.date, float]] = []
    month = start.replace(day=1)
    while month <= last_day:
        months.append((month, MONTH_WEIGHTS[month.month - 1]))
        month += relativedelta(months=1)
    out = []
    for _ in range(count):
        month = pick(rng, months)
        nation = pick(rng, NATIONS)
        calendar = WorkingCalendar(nation=nation)
        first, month_end = max(month, start), min(month + relativedelta(day=31), last_day)
        days = [
            first + dt.timedelta(days=d)
            for d in range((month_end - first).days + 1)
            if calendar.is_working_day(first + dt.timedelta(days=d))
        ]
        if not days:
            continue
        minutes = pick(rng, (((8 * 60, 17 * 60), 0.8), ((17 * 60, 19 * 60 + 30), 0.15), ((7 * 60, 8 * 60), 0.05)))
        received = at_london(rng.choice(days), rng.randrange(*minutes, 5))
        out.append((received, nation))
    return sorted(out)
