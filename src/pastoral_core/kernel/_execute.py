"""Executing a command against a store: bind it to its aggregate and stream, decide once, append."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import attrs

from pastoral_core.eventlog import (
    DEFAULT_CODEC,
    Codec,
    DecisionRecord,
    Event,
    EventStore,
    Metadata,
    RecordedEvent,
    is_same_command,
)
from pastoral_core.exceptions import CommandIdReused, InvalidType
from pastoral_core.kernel._aggregate import Aggregate, HasRulebooks
from pastoral_core.kernel._cache import StateCache
from pastoral_core.kernel._command import Command
from pastoral_core.kernel._decide import decide, row_for
from pastoral_core.kernel._late import decide_late, is_late
from pastoral_core.rules import INPUT_CITATION, Outcome, Refused, Verdict
from pastoral_core.values import Id, check_fields, check_value

S = TypeVar("S")
X = TypeVar("X", bound=HasRulebooks)


_STORE_METHODS = ("append", "read_stream", "stream_version", "read_all", "recorded_for", "redact")


def _as_records(records: Iterable[RecordedEvent]) -> tuple[RecordedEvent, ...]:
    return tuple(records)


def _as_verdicts(verdicts: Iterable[Verdict]) -> tuple[Verdict, ...]:
    return tuple(verdicts)


@attrs.frozen
class Accepted:
    """An accepted command: what it recorded and why it was accepted.

    Attributes:
        records: The recorded events of this command.
        verdicts: Every verdict of the decision (AUTH, SCOPE, passes and flags), so a host
            can show why it was accepted.
        replayed: ``True`` when the command id had already been applied: nothing was
            written now, and these are the original records and verdicts.
    """

    records: tuple[RecordedEvent, ...] = attrs.field(converter=_as_records)
    verdicts: tuple[Verdict, ...] = attrs.field(converter=_as_verdicts)
    replayed: bool = False

    @property
    def events(self) -> tuple[Event, ...]:
        """The events recorded, in order."""
        return tuple(r.event for r in self.records)

    @property
    def rulebook(self) -> str | None:
        """Label of the rulebook version that decided."""
        return self.records[0].metadata.rulebook_version if self.records else None


def execute(
    store: EventStore,
    aggregate: Aggregate[S, X],
    aggregate_id: str,
    command: Command,
    context: X,
    *,
    correlation_id: str | None = None,
    codec: Codec = DEFAULT_CODEC,
    cache: StateCache[S] | None = None,
    context_for: Callable[[Command], X] | None = None,
) -> Accepted:
    """Decide ``command`` on the aggregate ``aggregate_id`` and record what it decided.

    Binds the command to its aggregate and stream (``"<category>-<aggregate_id>"``):
    a command the aggregate does not take, or one naming another aggregate, is refused.
    Then loads the stream, folds it, decides once and appends with the expected version.

    A command id already applied returns the original result (``replayed=True``) only
    for the same stream, command type and content; any other reuse raises
    :class:`~pastoral_core.exceptions.CommandIdReused`, which says nothing about the
    other use.

    Args:
        store: The event store.
        aggregate: The aggregate the command goes to.
        aggregate_id: Which one (the stream is ``"<category>-<aggregate_id>"``).
        command: The command.
        context: What the aggregate's decisions consult.
        correlation_id: Recorded in the metadata, if given.
        codec: The codec the store uses.
        cache: A :class:`StateCache` of ``aggregate`` over ``store``: the stream's state
            is taken from it, caught up with the records the store holds beyond it,
            instead of folding the whole stream again (services pass theirs). A late
            entry still reads the stream to decide the facts after it again.
        context_for: For a late entry, the context each fact recorded after it is decided
            again with (services pass their ``context_for``, so each is decided with the
            other streams as they stood at its own business time); without it, ``context``.

    Returns:
        :class:`Accepted`: the records written and every verdict.

    Raises:
        Refused: If a rule denied the command (nothing is written).
        CommandIdReused: If the command id was used by a different command.
        ConcurrencyConflict: If the stream moved on between load and append.
        InvalidValue: If the aggregate id is not an id, or the command not a command.

    """
    if not isinstance(aggregate, Aggregate):
        raise InvalidType("execute", "aggregate", "must be an Aggregate declaration")
    if not isinstance(codec, Codec):
        raise InvalidType("execute", "codec", "must be a Codec")
    if not all(callable(getattr(store, name, None)) for name in _STORE_METHODS):
        raise InvalidType("execute", "store", "must be an EventStore (append, read_stream, recorded_for, ...)")
    if not isinstance(command, Command):
        raise InvalidType("execute", "command", f"must be a Command, got {type(command).__name__}")
    check_fields(command)  # again: a command altered after it was built is refused here
    stream_id = aggregate.stream_id(aggregate_id)
    check_value(correlation_id, Id | None, "execute", "correlation_id")
    row = row_for(aggregate, command)
    command_type = codec.command_type(command)
    fingerprint = codec.fingerprint(command)
    earlier = store.recorded_for(command.command_id)
    if earlier is not None:
        if is_same_command(earlier, stream_id, command_type, fingerprint):
            decided = earlier[0].decision
            return Accepted(earlier, decided.verdicts if decided else (), replayed=True)
        raise CommandIdReused(command.command_id)
    if row.names_aggregate is not None:
        named = getattr(command, row.names_aggregate)
        if named != aggregate_id:
            raise Refused(
                [
                    Verdict(
                        "INPUT",
                        Outcome.DENY,
                        f"{type(command).__name__}.{row.names_aggregate} names another {aggregate.name} "
                        "than the one it was sent to",
                        INPUT_CITATION,
                    )
                ]
            )
    records: tuple[RecordedEvent, ...] | None = None
    if cache is None:
        records = tuple(store.read_stream(stream_id))
        folded = aggregate.replay(records)
    else:
        if not isinstance(cache, StateCache) or cache.aggregate is not aggregate:
            raise InvalidType("execute", "cache", f"must be a StateCache of {aggregate.name}")
        folded = cache.folded(store, aggregate_id)
    if is_late(folded, command):
        if records is None:
            records = tuple(store.read_stream(stream_id))
        decision = decide_late(aggregate, records, folded, command, context, codec, context_for)
    else:
        decision = decide(aggregate, folded, command, context)
    metadata = Metadata(
        actor=command.actor,
        command_id=command.command_id,
        recorded_at=command.at,
        rulebook_version=decision.rulebook,
        correlation_id=correlation_id,
        role=command.role.value,
        command_type=command_type,
        occurred_at=command.occurred,
        organisation=command.organisation,
    )
    record = DecisionRecord(decision.verdicts, codec.kept_command(command), fingerprint)
    written = store.append(
        stream_id, decision.events, expected_version=folded.version, metadata=metadata, decision=record
    )
    return Accepted(written, decision.verdicts, replayed=written[0].stream_version <= folded.version)
