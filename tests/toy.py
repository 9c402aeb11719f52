"""A tiny aggregate (a tally with a cited limit) to exercise the kernel's plumbing."""

import datetime as dt
from typing import ClassVar

import attrs

from pastoral_core import Decider, Decision
from pastoral_core.eventlog import Codec, Event, EventRegistry
from pastoral_core.rules import Citation, Outcome, Refused, Rulebook, Rulebooks, verdict

TOYS = EventRegistry()
TOY_CODEC = Codec(TOYS)


@TOYS.register("toy.counted")
@attrs.frozen
class Counted(Event):
    by: int


@TOYS.register("toy.near_limit")
@attrs.frozen
class NearLimit(Event):
    total: int


@attrs.frozen
class Count:
    command_id: str
    actor: str
    at: dt.datetime
    by: int


@attrs.frozen
class Tally:
    total: int = 0


@attrs.frozen
class TallyLimit:
    rule_id: ClassVar[str] = "TOY-LIMIT"
    citation: ClassVar[Citation] = Citation("DERIVED", "a toy")
    limit: int = 10
    warn_at: int = 8


@attrs.frozen
class PositiveCount:
    rule_id: ClassVar[str] = "TOY-POSITIVE"
    citation: ClassVar[Citation] = Citation("DERIVED", "a toy")


BOOKS = Rulebooks.of(
    Rulebook("TOY", 1, dt.date(2019, 1, 1), (TallyLimit(), PositiveCount())),
    Rulebook("TOY", 2, dt.date(2027, 4, 1), (TallyLimit(limit=20, warn_at=18), PositiveCount())),
)


def decide(state: Tally, command: Count, books: Rulebooks) -> Decision:
    book = books.in_force(command.at)
    limit = book.rule(TallyLimit)
    positive = book.rule(PositiveCount)
    after = state.total + command.by
    verdicts = [
        verdict(positive, Outcome.DENY if command.by <= 0 else Outcome.PASS, f"count by {command.by}"),
        verdict(
            limit,
            Outcome.DENY if after > limit.limit else Outcome.PASS,
            f"{after} of {limit.limit}",
        ),
    ]
    denied = [v for v in verdicts if v.denied]
    if denied:
        raise Refused(denied)
    events: list[Event] = [Counted(command.by)]
    if after >= limit.warn_at:
        events.append(NearLimit(after))
    return Decision(events, verdicts, book.label)


def evolve(state: Tally, event: Event) -> Tally:
    match event:
        case Counted(by=by):
            return Tally(state.total + by)
    return state


TALLY = Decider(Tally(), decide, evolve)
