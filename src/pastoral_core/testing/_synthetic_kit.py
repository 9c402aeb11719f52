"""What the synthetic-history scripts share: steps, the scheduler that runs them in time order, times, text.

A *script* is a generator. It yields a moment (an aware ``datetime``) to wait until
then, and, once woken, yields :class:`Step` objects (a command for a service) or a
:class:`Redact`, each carried out at once, the result sent back into the script. Every
command is recorded at the moment its script woke, so the whole log is written in time
order and every stream's recorded times follow one another. Each choice (an officer, a
listing) is made when its command is issued, from the world as the log then stands.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Generator, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from pastoral_core.exceptions import InvalidType, InvalidValue, PastoralCoreError
from pastoral_core.kernel import Command, Service
from pastoral_core.rules import WorkingCalendar
from pastoral_core.support import PastoralSupport
from pastoral_core.values import LONDON

if TYPE_CHECKING:
    from random import Random

T = TypeVar("T")


@attrs.frozen
class Step:
    """A command for a service, carried out when a script yields it."""

    service: Service[Any]
    command: Command
    aggregate_id: str | None = None


@attrs.frozen
class Redact:
    """Carry out a case's recorded notes destruction in the store (``redact_destroyed_notes``)."""

    support: PastoralSupport
    case_id: str


Action = Step | Redact | dt.datetime
Script = Generator[Action, Any, None]


class Issuer:
    """Builds a script's commands: ids ``<prefix>-<n>``, in the order issued."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.issued = 0

    def __call__(self, cls: type[Command], at: dt.datetime, role: Any, actor: str, **fields: Any) -> Command:
        """A ``cls`` command recorded at ``at`` by ``actor`` in ``role``."""
        self.issued += 1
        return cls(command_id=f"{self.prefix}-{self.issued}", actor=actor, role=role, at=at, **fields)


@attrs.define
class Tally:
    """What a run did: commands accepted and redactions carried out."""

    commands: int = 0
    redactions: int = 0


def run(scripts: Iterable[tuple[str, Script]], end: dt.datetime, tally: Tally) -> None:
    """Run ``scripts`` together in time order until ``end`` (a script waiting past it stops there).

    Raises:
        Refused: A command a script issued was refused: a bug of the generator (the
            note says which script and command).
        RuntimeError: A script waited for a moment before the present, or issued a
            command not recorded at the moment it woke.
    """
    heap: list[tuple[float, int, str, Script, dt.datetime]] = []
    order = itertools.count()
    stop = end.timestamp()

    def advance(name: str, script: Script, now: dt.datetime | None) -> None:
        value: Any = None
        try:
            while True:
                action = script.send(value)
                if isinstance(action, dt.datetime):
                    break
                value = _perform(name, action, now, tally)
        except StopIteration:
            return
        if now is not None and action < now:
            raise RuntimeError(f"synthetic history: {name} waited for {action.isoformat()}, before {now.isoformat()}")
        if action.timestamp() >= stop:
            script.close()
            return
        heapq.heappush(heap, (action.timestamp(), next(order), name, script, action))

    for name, script in scripts:
        advance(name, script, None)
    while heap:
        _, _, name, script, moment = heapq.heappop(heap)
        advance(name, script, moment)


def _perform(name: str, action: Step | Redact, now: dt.datetime | None, tally: Tally) -> Any:
    if isinstance(action, Redact):
        tally.redactions += 1
        return action.support.redact_destroyed_notes(action.case_id)
    command = action.command
    if now is None or command.at != now:
        raise RuntimeError(f"synthetic history: {name} issued {type(command).__name__} not at the moment it woke")
    try:
        accepted = action.service.handle(command, action.aggregate_id)
    except PastoralCoreError as error:
        error.add_note(f"synthetic history: {name} issued {type(command).__name__} at {command.at.isoformat()}")
        raise
    tally.commands += 1
    return accepted


def merge(subs: Sequence[Script]) -> Generator[Action, Any, dt.datetime | None]:
    """One script running ``subs`` side by side in time order (each must wait before its first step).

    Returns:
        The last moment any of them woke at (``None`` if none ever waited).
    """
    heap: list[tuple[float, int, Script, dt.datetime]] = []
    latest = None
    order = itertools.count()
    for sub in subs:
        first = next(sub, None)
        if first is not None:
            if not isinstance(first, dt.datetime):
                raise RuntimeError("synthetic history: a merged script acted before waiting")
            heapq.heappush(heap, (first.timestamp(), next(order), sub, first))
    while heap:
        _, _, sub, moment = heapq.heappop(heap)
        yield moment
        latest = moment
        value: Any = None
        while True:
            try:
                action = sub.send(value)
            except StopIteration:
                break
            if isinstance(action, dt.datetime):
                heapq.heappush(heap, (action.timestamp(), next(order), sub, action))
                break
            value = yield action
    return latest


# -- times --------------------------------------------------------------------------------


def at_london(day: dt.date, minutes: int) -> dt.datetime:
    """``day`` at ``minutes`` after midnight, Europe/London."""
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=LONDON)


def working_day_on_or_after(day: dt.date, nation: str = "ENG") -> dt.date:
    """``day`` if it is a working day in ``nation``, else the next one."""
    calendar = WorkingCalendar(nation=nation)
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


def working_moment(
    rng: Random, after: dt.datetime, *, days: tuple[int, int] = (0, 0), hours: tuple[int, int] = (9, 17)
) -> dt.datetime:
    """A moment on a working day (England) ``days`` after ``after``, between ``hours``, never before it.

    The time is on a quarter hour; if the chosen day has no quarter hour left after
    ``after`` within ``hours``, the next working day is taken.
    """
    day = working_day_on_or_after(after.astimezone(LONDON).date() + dt.timedelta(days=rng.randint(*days)))
    while True:
        slots = [at_london(day, m) for m in range(hours[0] * 60, hours[1] * 60 + 1, 15)]
        later = [s for s in slots if s > after]
        if later:
            return rng.choice(later)
        day = working_day_on_or_after(day + dt.timedelta(days=1))


def moment_between(
    rng: Random, low: dt.datetime, high: dt.datetime, hours: tuple[int, int] = (8, 18)
) -> dt.datetime | None:
    """A quarter hour within ``hours`` on a working day (England) strictly between ``low`` and ``high``, if any."""
    day, last = low.astimezone(LONDON).date(), high.astimezone(LONDON).date()
    slots: list[dt.datetime] = []
    calendar = WorkingCalendar()
    while day <= last:
        if calendar.is_working_day(day):
            slots.extend(
                s for m in range(hours[0] * 60, hours[1] * 60 + 1, 15) if low < (s := at_london(day, m)) < high
            )
        day += dt.timedelta(days=1)
    return rng.choice(slots) if slots else None


def pick(rng: Random, weighted: Sequence[tuple[T, float]]) -> T:
    """One of the values, by weight."""
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


# -- bland synthetic text (no names, numbers or contact details) --------------------------------

NOTES = (
    "Talked through the week's workload and agreed what to let go of.",
    "Reflected on a difficult consultation; no further action needed.",
    "Discussed a phased return after leave; plan agreed for the next month.",
    "Explored options for reducing sessions; to revisit next time.",
    "Covered appraisal preparation and balancing other commitments.",
    "Worked on how to raise concerns about the rota with partners.",
    "Reviewed progress since last time; feeling more settled.",
    "Discussed sleep and rest breaks; agreed small changes to try.",
)
EXTERNAL_BODIES = ("NHS England", "Integrated care board", "General Medical Council", "Care Quality Commission")
GUIDANCE_SOURCES = ("Caldicott Guardian", "Medical director of the integrated care board", "Defence union adviser")
DISCLOSURE_BODIES = ("Responsible officer", "Employer liaison adviser")
INTERVENTIONS = ("Representation at a disciplinary hearing", "Negotiating a partnership agreement on their behalf")
DECLINE_REASONS = (
    "Outside what the network offers; signposted to the defence union.",
    "Needs a legal adviser rather than pastoral support; signposted.",
)
DESTROY_REASONS = (
    "The recipient asked for the notes to be erased; nothing is pending.",
    "Erased at the recipient's request after closure; no claim expected.",
)


def whole_number(owner: str, value: object, name: str, low: int, high: int) -> int:
    """``value`` if it is a whole number from ``low`` to ``high``, for a generator's arguments.

    Raises:
        InvalidType: Naming ``owner``, if it is not a whole number (``bool`` is not).
        InvalidValue: If it is outside the range.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidType(owner, name, f"must be a whole number, got {type(value).__name__}")
    if not low <= value <= high:
        raise InvalidValue(owner, name, f"must be from {low:,} to {high:,}, not {value:,}")
    return value
