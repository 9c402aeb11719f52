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
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import attrs

from pastoral_core.eventlog import Codec, RecordedEvent
from pastoral_core.exceptions import PastoralCoreError, Refused
from pastoral_core.kernel._aggregate import Aggregate, Folded, HasRulebooks
from pastoral_core.kernel._command import Command
from pastoral_core.kernel._decide import TIME_CITATION, Decision, decide, domain_verdicts, recheck
from pastoral_core.kernel._occurrence import in_order_of_occurrence, occurred_at
from pastoral_core.rules import Outcome, Verdict
from pastoral_core.values import TOMBSTONE, instant

S = TypeVar("S")
X = TypeVar("X", bound=HasRulebooks)

#: How a late entry's decision marks the verdicts of a later fact decided again with it.
REDECIDED = "re-decided for "


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
    context_for: Callable[[Command], X] | None = None,
) -> Decision:
    """Decide a late entry as of its business time, then check nothing recorded after it changes.

    Args:
        aggregate: The aggregate.
        records: The stream's records.
        folded: The stream folded as a whole (its version and recorded clock).
        command: The late command.
        context: The context to decide the late entry with.
        codec: Reads the later facts' commands from their decision records.
        context_for: The context each later fact is decided again with (a service's
            ``context_for``: the other streams as they stood at that fact's own business
            time); without it, ``context``.

    Raises:
        Refused: If the late command is refused as of its date, or (rule TIME) a fact
            recorded with a later business time would now be decided differently.
    """
    as_of = folded_for(aggregate, records, command, folded)
    when = instant(command.occurred)
    after = [r for r in in_order_of_occurrence(records) if instant(occurred_at(r)) > when]
    try:
        decision = decide(aggregate, as_of, command, context)
    except Refused as refused:
        raise dated_too_early(refused, aggregate, folded, command, context) from None
    state = aggregate.fold(decision.events, as_of)
    redecided: list[Verdict] = []
    for batch in batches(after):
        first = batch[0]
        kept = recorded_command(first, codec)
        later = kept if isinstance(kept, Command) else None
        recorded = tuple(r.event for r in batch)
        try:
            again = (
                recheck(aggregate, state, later, context_for(later) if context_for else context)
                if later is not None
                else None
            )
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
    return attrs.evolve(verdict, message=f"{REDECIDED}{what} dated {when}: {verdict.message}")


def is_redecided(verdict: Verdict) -> bool:
    """Whether ``verdict`` is a later fact's, kept with a late entry's decision (not the entry's own)."""
    return verdict.message.startswith(REDECIDED)


def dated_too_early(
    refused: Refused, aggregate: Aggregate[S, X], folded: Folded[S], command: Command, context: X
) -> Refused:
    """A late entry's refusal, with rule TIME first where its date is the cause.

    A late entry is decided on the record as it stood at its business time. Where that
    record refuses it for want of something (STATE: "there is no session s1") that the
    record as it stands now no longer wants, the fact is dated before a fact it depends on
    (rule TIME): the refusal says so first, and keeps the record's own verdicts after it.
    """
    then = [v.message for v in refused.verdicts if v.rule_id == "STATE"]
    if not then:
        return refused
    try:
        decide(aggregate, folded, command, context)
    except Refused as refused_now:
        now = {v.message for v in refused_now.verdicts if v.rule_id == "STATE"}
        if all(message in now for message in then):
            return refused  # the record as it stands refuses it for the same want: not the date's doing
    when = command.occurred.isoformat()
    message = (
        f"dated {when}, before a fact it depends on (as the record stood then: {'; '.join(then)}); "
        "record it with the business time it happened, after the facts it needs"
    )
    return Refused([Verdict("TIME", Outcome.DENY, message, TIME_CITATION), *refused.verdicts])


def folded_for(
    aggregate: Aggregate[S, Any], records: Sequence[RecordedEvent], command: Command, folded: Folded[S] | None = None
) -> Folded[S]:
    """The state ``command`` is decided on, as :func:`~pastoral_core.kernel.execute` decides it.

    The stream as folded; for a late entry, the stream as it stood at the command's
    business time (the facts that had happened by then), with the whole stream's version
    and recorded clock, so rule TIME still compares with the last record.

    Args:
        aggregate: The stream's aggregate.
        records: The stream's records (those recorded before the command).
        command: The command to decide.
        folded: ``records`` already folded, if the caller has them.
    """
    whole = folded if folded is not None else aggregate.replay(records)
    if not is_late(whole, command):
        return whole
    when = instant(command.occurred)
    before = [r for r in in_order_of_occurrence(records) if instant(occurred_at(r)) <= when]
    return attrs.evolve(
        aggregate.replay(before),
        version=whole.version,
        last_recorded_at=whole.last_recorded_at,
        began_at=whole.began_at,
    )


def batches(records: Iterable[RecordedEvent]) -> Iterator[list[RecordedEvent]]:
    """``records`` in runs of one command each: consecutive records of one stream and command id.

    The first record of each run carries the command's :class:`~pastoral_core.eventlog.DecisionRecord`.
    """
    batch: list[RecordedEvent] = []
    for record in records:
        if batch and (record.stream_id, record.metadata.command_id) != (
            batch[0].stream_id,
            batch[0].metadata.command_id,
        ):
            yield batch
            batch = []
        batch.append(record)
    if batch:
        yield batch


@attrs.frozen
class Unreadable:
    """Why the command a record was decided from cannot be decided again.

    Attributes:
        reason: A sentence for a coordinator (never any of the command's text).
    """

    reason: str


#: The reasons :func:`recorded_command` gives.
NOT_KEPT = Unreadable("no command was kept with this record (a record of pastoral_core 0.1)")
REDACTED = Unreadable("its free text was destroyed (redacted), so it cannot be decided again")
UNDECODABLE = Unreadable("the command kept with it cannot be read back by this codec")
NOT_WHOLE = Unreadable("part of its command is never kept (such as evaluation answers), so it cannot be decided again")


def recorded_command(record: RecordedEvent, codec: Codec) -> Command | Unreadable:
    """The command a batch was decided from, read back from its first record's decision record.

    Late entries decide later facts again with it, and what-if decides every recorded
    command again under other rules.

    Args:
        record: The first record of a command's batch.
        codec: The codec the store uses (its command registry reads the command back).

    Returns:
        The command, or :class:`Unreadable` saying why not: no command kept (a record of
        pastoral_core 0.1, or not the first of its batch), its text redacted, a command
        whose class never keeps some fields (evaluation answers), or one this codec does
        not know.
    """
    kept = record.decision.command if record.decision else None
    if kept is None:
        return NOT_KEPT
    if TOMBSTONE.search(kept):
        return REDACTED
    try:
        command = codec.command_from_dict(json.loads(kept))
    except (PastoralCoreError, ValueError):  # fields not kept, a command of another registry
        return NOT_WHOLE if _not_kept(record, codec) else UNDECODABLE
    return command if isinstance(command, Command) else UNDECODABLE


def _not_kept(record: RecordedEvent, codec: Codec) -> bool:
    """Whether the record's command class keeps some of its fields out of the record."""
    try:
        cls = codec.commands.of_name(record.metadata.command_type or "").cls
    except PastoralCoreError:
        return False
    return bool(getattr(cls, "not_kept", frozenset()))


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
