"""A tiny aggregate (a tally with a cited limit) to exercise the kernel's plumbing."""

import datetime as dt
import enum
from typing import Annotated, ClassVar

import attrs

from pastoral_core.eventlog import Codec, Event, EventRegistry
from pastoral_core.kernel import Aggregate, Command, RuleFlagged, command_type, handles
from pastoral_core.rules import Citation, Judge, LateEntry, Outcome, Rulebook, Rulebooks
from pastoral_core.values import Id, Range, Validated

TOYS = EventRegistry()
TOYS.add(RuleFlagged, "rule.flagged")  # the kernel records flags with its own event
TOY_CODEC = Codec(TOYS)


class ToyRole(enum.Enum):
    COORDINATOR = "coordinator"
    CLERK = "clerk"


@TOYS.register("toy.counted")
@attrs.frozen
class Counted(Event):
    by: int


@TOYS.register("toy.near_limit")
@attrs.frozen
class NearLimit(Event):
    total: int


@TOYS.register("toy.opened")
@attrs.frozen
class Opened(Event):
    tally_id: str


@command_type("toy.count")
@attrs.frozen(kw_only=True)
class Count(Command):
    role: ToyRole
    by: Annotated[int, Range(-1000, 1000)]


@command_type("toy.open")
@attrs.frozen(kw_only=True)
class Open(Command):
    role: ToyRole
    tally_id: Id


@attrs.frozen
class Tally:
    total: int = 0


@attrs.frozen
class TallyLimit(Validated):
    rule_id: ClassVar[str] = "TOY-LIMIT"
    citation: ClassVar[Citation] = Citation("DERIVED", "a toy")
    limit: int = 10
    warn_at: int = 8


@attrs.frozen
class PositiveCount(Validated):
    rule_id: ClassVar[str] = "TOY-POSITIVE"
    citation: ClassVar[Citation] = Citation("DERIVED", "a toy")


BOOKS = Rulebooks.of(
    Rulebook("TOY", 1, dt.date(2019, 1, 1), (TallyLimit(), PositiveCount(), LateEntry(max_days=30))),
    Rulebook(
        "TOY", 2, dt.date(2027, 4, 1), (TallyLimit(limit=20, warn_at=18), PositiveCount(), LateEntry(max_days=30))
    ),
)


@attrs.frozen
class ToyContext:
    rulebooks: Rulebooks = BOOKS


CONTEXT = ToyContext()


def count(tally: Tally, command: Count, context: ToyContext, judge: Judge) -> list[Event]:
    limit = judge.rule(TallyLimit)
    after = tally.total + command.by
    judge.check(judge.rule(PositiveCount), command.by > 0, f"count by {command.by}", f"count by {command.by}")
    judge.check(limit, after <= limit.limit, f"{after} of {limit.limit}", f"{after} of {limit.limit}")
    judge.check(limit, after < limit.warn_at, f"{after} is near {limit.limit}", "not near", outcome=Outcome.FLAG)
    return [Counted(command.by), *([NearLimit(after)] if after >= limit.warn_at else [])]


def open_tally(tally: Tally, command: Open, context: ToyContext, judge: Judge) -> list[Event]:
    return [Opened(command.tally_id)]


def evolve(state: Tally, event: Event) -> Tally:
    match event:
        case Counted(by=by):
            return Tally(state.total + by)
    return state


TALLY = Aggregate(
    name="Tally",
    category="tally",
    initial=Tally(),
    evolve=evolve,
    commands={
        Count: handles(count, ToyRole.COORDINATOR),
        Open: handles(open_tally, ToyRole.COORDINATOR, names_aggregate="tally_id"),
    },
    roles=ToyRole,
)


def counting(command_id: str, by: int, at: dt.datetime, role: ToyRole = ToyRole.COORDINATOR, **fields: object) -> Count:
    return Count(command_id=command_id, actor="coord-1", role=role, at=at, by=by, **fields)
