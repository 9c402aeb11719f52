"""Late entries: a fact dated before facts already recorded is decided as of its own date.

A session held on Monday and entered on Wednesday, after a review recorded on Tuesday, is
decided on the case as it stood on Monday. It is accepted only if every fact recorded
with a later business time would still be decided the same way: the same events, and each
rule reaching the same outcome (a later session that would now be refused, or flagged
where it passed, refuses the late entry: rule TIME). Where only what a later verdict says
changes (a booking recorded as "session 2 of 6" is now session 3), the late entry is
accepted and its decision keeps those verdicts as they now read, each marked as
re-decided with the fact it belongs to, so the history explains itself.
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
    redecided: list[Verdict] = []
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
        if _outcomes(again.verdicts) != _outcomes(was):
            raise _changes(first, _rules_changed(was, again.verdicts))
        redecided.extend(_as_redecided(first, v) for v in again.verdicts if v not in was)
        state = aggregate.fold(recorded, state)
    return attrs.evolve(decision, verdicts=(*decision.verdicts, *redecided)) if redecided else decision


def _outcomes(verdicts: Sequence[Verdict]) -> list[tuple[str, Outcome]]:
    return [(v.rule_id, v.outcome) for v in verdicts]


def _as_redecided(later: RecordedEvent, verdict: Verdict) -> Verdict:
    """A later fact's verdict as it reads now, marked with the fact it belongs to."""
    what = later.metadata.command_type or type(later.event).__name__
    when = occurred_at(later).isoformat()
    return attrs.evolve(verdict, message=f"re-decided for {what} dated {when}: {verdict.message}")


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
    """The rules whose outcomes differ between ``was`` and ``now`` (or that appear in only one)."""
    rule_ids = [v.rule_id for v in (*was, *now)]

    def outcomes(verdicts: Sequence[Verdict], rule_id: str) -> list[Outcome]:
        return [v.outcome for v in verdicts if v.rule_id == rule_id]

    return tuple(dict.fromkeys(r for r in rule_ids if outcomes(was, r) != outcomes(now, r)))


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
