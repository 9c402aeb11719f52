"""Decide / evolve plumbing: fold a stream, decide once, append with the expected version."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, Protocol, TypeVar

import attrs

from pastoral_core.eventlog import Event, EventStore, Metadata, RecordedEvent
from pastoral_core.rules import Verdict

S = TypeVar("S")
C = TypeVar("C", contravariant=True)
X = TypeVar("X", contravariant=True)
CommandT = TypeVar("CommandT", bound="Command")
ContextT = TypeVar("ContextT")


class Command(Protocol):
    """What every command carries: its id, who issued it and when (rules IDEMPOTENT, TIME)."""

    @property
    def command_id(self) -> str:
        """Unique id of this command, chosen by the host."""
        ...

    @property
    def actor(self) -> str:
        """Opaque id of the person issuing it."""
        ...

    @property
    def at(self) -> dt.datetime:
        """Timezone-aware time the command was issued."""
        ...


def _as_events(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(events)


def _as_verdicts(verdicts: Iterable[Verdict]) -> tuple[Verdict, ...]:
    return tuple(verdicts)


@attrs.frozen
class Decision:
    """What ``decide`` concluded: the events to record and every verdict reached.

    Attributes:
        events: New events, in order (possibly none).
        verdicts: Every rule's verdict (passes and flags too), for explanation.
        rulebook: Label of the rulebook that decided, recorded in the metadata.

    """

    events: tuple[Event, ...] = attrs.field(converter=_as_events)
    verdicts: tuple[Verdict, ...] = attrs.field(default=(), converter=_as_verdicts)
    rulebook: str | None = None


@attrs.frozen
class Decider(Generic[S, CommandT, ContextT]):
    """An aggregate's behaviour as three plain values.

    Attributes:
        initial: The state before any event.
        decide: ``(state, command, context) -> Decision``; raises ``Refused``. Never mutates.
        evolve: ``(state, event) -> state``; applies facts only, never checks a rule.

    """

    initial: S
    decide: Callable[[S, CommandT, ContextT], Decision]
    evolve: Callable[[S, Event], S]


def fold(evolve: Callable[[S, Event], S], initial: S, events: Iterable[Event]) -> S:
    """Replay ``events`` through ``evolve`` starting from ``initial``."""
    return functools.reduce(evolve, events, initial)


def fold_by_stream(
    records: Iterable[RecordedEvent],
    evolve: Callable[[S, Event], S],
    initial: S,
    event_types: tuple[type[Event], ...],
) -> dict[str, S]:
    """Fold every stream holding events of ``event_types`` into its state (a projection).

    Args:
        records: Recorded events, e.g. ``store.read_all()``.
        evolve: The aggregate's evolve.
        initial: The aggregate's initial state.
        event_types: The aggregate's event classes; other streams are ignored.

    Returns:
        State by stream id.
    """
    by_stream: dict[str, list[Event]] = {}
    for record in records:
        if isinstance(record.event, event_types):
            by_stream.setdefault(record.stream_id, []).append(record.event)
    return {stream: fold(evolve, initial, events) for stream, events in by_stream.items()}


def execute(
    store: EventStore,
    decider: Decider[S, CommandT, ContextT],
    stream_id: str,
    command: CommandT,
    context: ContextT,
    *,
    correlation_id: str | None = None,
) -> tuple[RecordedEvent, ...]:
    """Load the stream, fold it, decide once, and append with the expected version.

    A command id that was already applied returns the records it wrote and writes nothing.

    Returns:
        The recorded events of this command.

    Raises:
        Refused: If a rule denied the command (nothing is written).
        ConcurrencyConflict: If the stream moved on between load and append.

    """
    earlier = store.recorded_for(command.command_id)
    if earlier is not None:
        return earlier
    records: Sequence[RecordedEvent] = store.read_stream(stream_id)
    state = fold(decider.evolve, decider.initial, (r.event for r in records))
    decision = decider.decide(state, command, context)
    metadata = Metadata(
        actor=command.actor,
        command_id=command.command_id,
        recorded_at=command.at,
        rulebook_version=decision.rulebook,
        correlation_id=correlation_id,
    )
    version = records[-1].stream_version if records else 0
    return store.append(stream_id, decision.events, expected_version=version, metadata=metadata)
