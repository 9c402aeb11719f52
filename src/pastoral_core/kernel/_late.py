"""Late entries: a fact dated before facts already recorded is decided as of its own date.

A session held on Monday and entered on Wednesday, after a review recorded on Tuesday, is
decided on the case as it stood on Monday. It is accepted only if every fact recorded
with a later business time would still be decided exactly as it was: the same events and
the same verdicts (a session recorded as "session 2 of 6" that would now be session 3 is
refused as well as one whose events would change). A late entry may not change what was
decided after it (rule TIME).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import attrs

from pastoral_core.eventlog import Codec, RecordedEvent
from pastoral_core.exceptions import PastoralCoreError, Refused
from pastoral_core.kernel._aggregate import Aggregate, Folded, HasRulebooks, in_order_of_occurrence, occurred_at
from pastoral_core.kernel._command import Command
from pastoral_core.kernel._decide import TIME_CITATION, Decision, decide, domain_verdicts, recheck
from pastoral_core.rules import Outcome, Verdict
from pastoral_core.values import instant

S = TypeVar("S")
X = TypeVar("X", bound=HasRulebooks)


def is_late(folded: Folded[Any], command: Command) -> bool:
    """Whether ``command``'s fact happened before the latest fact already recorded."""
    latest = folded.last_occurred_at
    return latest is not None and instant(command.occurred) < instant(latest)


def decide_late(
    aggregate: Aggregate[S, X],
    records: Sequence[RecordedEvent],
    folded: Folded[S],
    command: Command,
    context: X,
    codec: Codec,
) -> Decision:
    """Decide a late entry as of its business time, then check nothing recorded after it changes.

    Args:
        aggregate: The aggregate.
        records: The stream's records.
        folded: The stream folded as a whole (its version and recorded clock).
        command: The late command.
        context: The context to decide with (also used to decide the later facts again).
        codec: Reads the later facts' commands from their decision records.

    Raises:
        Refused: If the late command is refused as of its date, or (rule TIME) a fact
            recorded with a later business time would now be decided differently.
    """
    when = instant(command.occurred)
    ordered = in_order_of_occurrence(records)
    before = [r for r in ordered if instant(occurred_at(r)) <= when]
    after = [r for r in ordered if instant(occurred_at(r)) > when]
    as_of = attrs.evolve(
        aggregate.replay(before),
        version=folded.version,
        last_recorded_at=folded.last_recorded_at,
        began_at=folded.began_at,
    )
    decision = decide(aggregate, as_of, command, context)
    state = aggregate.fold(decision.events, as_of)
    for batch in _batches(after):
        first = batch[0]
        later = _recorded_command(first, codec)
        recorded = tuple(r.event for r in batch)
        try:
            again = recheck(aggregate, state, later, context) if later is not None else None
        except Refused:
            again = None
        if again is None or later is None or again.events != recorded:
            raise _changes(first)
        was = domain_verdicts(aggregate, later, context, first.decision.verdicts if first.decision else ())
        if again.verdicts != was:
            raise _changes(first, _rules_changed(was, again.verdicts))
        state = aggregate.fold(recorded, state)
    return decision


def _batches(records: Sequence[RecordedEvent]) -> Iterator[list[RecordedEvent]]:
    batch: list[RecordedEvent] = []
    for record in records:
        if batch and record.metadata.command_id != batch[0].metadata.command_id:
            yield batch
            batch = []
        batch.append(record)
    if batch:
        yield batch


def _recorded_command(record: RecordedEvent, codec: Codec) -> Command | None:
    """The command a batch was decided from, if its decision record kept all of it."""
    kept = record.decision.command if record.decision else None
    if kept is None:
        return None
    try:
        command = codec.command_from_dict(json.loads(kept))
    except (PastoralCoreError, ValueError):  # redacted text, fields not kept, a 0.1 record
        return None
    return command if isinstance(command, Command) else None


def _rules_changed(was: Sequence[Verdict], now: Sequence[Verdict]) -> tuple[str, ...]:
    """The rules whose verdicts differ between ``was`` and ``now`` (message, parameters, outcome or presence)."""
    rule_ids = [v.rule_id for v in (*was, *now)]
    return tuple(
        dict.fromkeys(r for r in rule_ids if [v for v in was if v.rule_id == r] != [v for v in now if v.rule_id == r])
    )


def _changes(later: RecordedEvent, verdicts_of: Sequence[str] = ()) -> Refused:
    what = later.metadata.command_type or type(later.event).__name__
    when = occurred_at(later).isoformat()
    verdicts = f" (its {', '.join(verdicts_of)} verdict would change)" if verdicts_of else ""
    return Refused(
        [
            Verdict(
                "TIME",
                Outcome.DENY,
                f"entered late, it would change what was decided for {what} dated {when}, "
                f"recorded before it{verdicts}; record the facts again in the order they happened",
                TIME_CITATION,
            )
        ]
    )
