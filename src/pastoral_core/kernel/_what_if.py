"""What-if: a real history's recorded commands decided again under other rulebooks.

Every command batch of the aggregates given is walked in the order it was recorded; its
command is read back from its decision record (:func:`recorded_command`) and decided
again, with a context a service builds as it would have then but with the proposed
rulebooks. :attr:`WhatIfMode.AS_RECORDED` decides each against the real state just
before it; :attr:`WhatIfMode.COUNTERFACTUAL` against the state the proposed rules would
have produced. Nothing is written; what the replay keeps (the states of the walk) is
dropped when it ends, and the report holds ids, types, dates, verdicts and money only.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from pastoral_core.eventlog import DEFAULT_CODEC, Codec, Event, RecordedEvent
from pastoral_core.exceptions import InvalidType, NoRulebookInForce, Refused
from pastoral_core.kernel._aggregate import Aggregate, Folded, HasRulebooks
from pastoral_core.kernel._cache import advance
from pastoral_core.kernel._command import Command
from pastoral_core.kernel._decide import Decision, decide
from pastoral_core.kernel._flags import RuleFlagged
from pastoral_core.kernel._late import Unreadable, batches, folded_for, is_redecided, recorded_command
from pastoral_core.kernel._occurrence import occurred_at
from pastoral_core.kernel._tenancy import Tenancy
from pastoral_core.kernel._what_if_report import WhatIf, WhatIfChange, WhatIfLine, WhatIfMode, WhatIfTotals, add_money
from pastoral_core.kernel._what_if_world import WhatIfWorld, checked_inputs, streams_of
from pastoral_core.rules import Outcome, Rulebook, Rulebooks, Verdict
from pastoral_core.values import london_date

S = TypeVar("S")
X = TypeVar("X", bound=HasRulebooks)

#: What a batch of events costs, by payer, under a rulebook version (``None`` when no
#: version is known): ``(events, rulebook) -> {payer: amount}``. A domain supplies it
#: (a session's charge, a meeting's tariff cost).
Pricing = Callable[[Sequence[Event], "Rulebook | None"], Mapping[str, decimal.Decimal]]


def what_if(
    aggregates: Sequence[Aggregate[Any, X]],
    records: Iterable[RecordedEvent],
    rulebooks: Rulebooks | Rulebook,
    context: Callable[[Command, WhatIfWorld, Rulebooks], X],
    *,
    recorded: Rulebooks,
    mode: WhatIfMode = WhatIfMode.AS_RECORDED,
    codec: Codec = DEFAULT_CODEC,
    price: Pricing | None = None,
    organisation: str | Tenancy | None = Tenancy.ONE,
) -> WhatIf:
    """Decide a real history's recorded commands again under ``rulebooks`` and report what would change.

    Each command batch is walked in the order it was recorded, and its command (read back
    from its decision record) decided on its stream as it stood just before it (for a late
    entry, as of its business time), with ``context``'s context. In
    :attr:`WhatIfMode.AS_RECORDED` the stream is the real one; in
    :attr:`WhatIfMode.COUNTERFACTUAL`, the one the proposed rules made (refused commands
    dropped, new events kept), and the other streams a context reads too. Each decision is
    compared with the one recorded: refused now (by which rules), flagged or no longer
    flagged, priced differently (``price`` of its events, by payer, under each side's
    rulebook), or recorded differently. One that cannot be decided again (its kept command
    redacted, never kept whole, or absent; no proposed version in force on its date) is
    reported as not re-decided with the reason, and its recorded facts stand.

    Args:
        aggregates: The aggregates whose streams to walk (a service's).
        records: The history, e.g. ``store.read_all()``; streams of other aggregates are skipped.
        rulebooks: The proposed rulebooks (a single version is in force from its own date).
        context: Builds the context a command is decided with: ``(command, world,
            proposed rulebooks) -> context``, as the service built it then.
        recorded: The rulebooks the history was decided with (to price what was recorded).
        mode: :class:`WhatIfMode`; every figure of the report carries it.
        codec: The codec the store uses (reads the kept commands back).
        price: What a batch of events costs by payer; ``None``: nothing is priced.
        organisation: As read models pick streams: one organisation's id (or ``None``),
            ``Tenancy.ONE`` (default: refused if the streams belong to several) or
            ``Tenancy.ALL``.

    Returns:
        The :class:`WhatIf` report.

    Raises:
        InvalidType: If an argument has the wrong type.
        InvalidValue: If the streams belong to several organisations and none was picked.
    """
    books = checked_inputs(aggregates, rulebooks, context, recorded, mode, codec, price)
    listed = list(records)
    if not all(isinstance(r, RecordedEvent) for r in listed):
        raise InvalidType("what_if", "records", "must be RecordedEvent objects, e.g. store.read_all()")
    mine = streams_of(aggregates, sorted(listed, key=lambda r: r.position), organisation)
    walk = _Walk(tuple(aggregates), books, recorded, context, mode, codec, price)
    for batch in batches(mine):
        walk.step(batch)
    return walk.report()


def _verdict_key(verdict: Verdict, labels: Sequence[str]) -> tuple[Any, ...]:
    """A verdict without the rulebook it quotes, so another rulebook's label alone changes nothing."""
    parameters = tuple(p for p in verdict.parameters if p[0] != "rulebook")
    message = verdict.message
    for label in labels:
        message = message.replace(label, "")
    return verdict.rule_id, verdict.outcome, message, parameters


def _flags(verdicts: Iterable[Verdict]) -> list[str]:
    return list(dict.fromkeys(v.rule_id for v in verdicts if v.outcome is Outcome.FLAG))


def _facts(events: Iterable[Event]) -> list[Event]:
    return [e for e in events if type(e) is not RuleFlagged]


def _in_order(changed: tuple[WhatIfChange, str, int]) -> tuple[int, str]:
    return list(WhatIfChange).index(changed[0]), changed[1]


class _Walk:
    """One what-if replay in progress: the world so far, and what it found."""

    def __init__(
        self,
        aggregates: tuple[Aggregate[Any, Any], ...],
        books: Rulebooks,
        recorded: Rulebooks,
        context: Callable[[Command, WhatIfWorld, Rulebooks], Any],
        mode: WhatIfMode,
        codec: Codec,
        price: Pricing | None,
    ) -> None:
        self.aggregates, self.books, self.recorded, self.context = aggregates, books, recorded, context
        self.mode, self.codec, self.price = mode, codec, price
        self.records: dict[str, list[RecordedEvent]] = {}
        self.folded: dict[Aggregate[Any, Any], dict[str, Folded[Any]]] = {a: {} for a in aggregates}
        self.world = WhatIfWorld(MappingProxyType(self.folded), MappingProxyType(self.records))
        self.lines: list[WhatIfLine] = []
        self.decided: dict[str, int] = {}
        self.changed: dict[tuple[WhatIfChange, str], int] = {}
        self.money: dict[str, decimal.Decimal] = {}

    def step(self, batch: list[RecordedEvent]) -> None:
        """Decide one recorded command again, note what changed, and move the world on."""
        first = batch[0]
        aggregate = next(a for a in self.aggregates if a.owns(first.stream_id))
        command_type = first.metadata.command_type or type(first.event).__name__
        self.decided[command_type] = self.decided.get(command_type, 0) + 1
        command = recorded_command(first, self.codec)
        if isinstance(command, Unreadable):
            self._note(first, aggregate, command_type, [WhatIfChange.NOT_REDECIDED], reason=command.reason)
            self._keep(aggregate, first.stream_id, batch)
            return
        stream = self.records.get(first.stream_id, [])
        folded = folded_for(aggregate, stream, command, self._folded(aggregate, first.stream_id))
        try:
            decision = decide(aggregate, folded, command, self.context(command, self.world, self.books))
        except NoRulebookInForce:
            day = london_date(command.occurred).isoformat()
            reason = f"no version of the proposed rulebooks is in force on {day}"
            self._note(first, aggregate, command_type, [WhatIfChange.NOT_REDECIDED], reason=reason)
            self._keep(aggregate, first.stream_id, batch)
            return
        except Refused as refused:
            self._compare(first, aggregate, command_type, batch, command, None, refused.verdicts)
            if self.mode is WhatIfMode.AS_RECORDED:
                self._keep(aggregate, first.stream_id, batch)
            return
        self._compare(first, aggregate, command_type, batch, command, decision, decision.verdicts)
        if self.mode is WhatIfMode.AS_RECORDED:
            self._keep(aggregate, first.stream_id, batch)
        else:
            made = [attrs.evolve(first, event=e, decision=None) for e in decision.events]
            self._keep(aggregate, first.stream_id, made)

    def _compare(
        self,
        first: RecordedEvent,
        aggregate: Aggregate[Any, Any],
        command_type: str,
        batch: list[RecordedEvent],
        command: Command,
        decision: Decision | None,
        now: Sequence[Verdict],
    ) -> None:
        was = [v for v in (first.decision.verdicts if first.decision else ()) if not is_redecided(v)]
        money = self._money_delta(first, batch, command, decision)
        if decision is None:
            rule_ids = list(dict.fromkeys(v.rule_id for v in now))
            self._note(first, aggregate, command_type, [WhatIfChange.REFUSED], rule_ids, now, money)
            return
        changes, rule_ids = [], []
        flagged = [r for r in _flags(now) if r not in _flags(was)]
        unflagged = [r for r in _flags(was) if r not in _flags(now)]
        if flagged:
            changes.append(WhatIfChange.FLAGGED)
        if unflagged:
            changes.append(WhatIfChange.UNFLAGGED)
        rule_ids += flagged + unflagged
        if money:
            changes.append(WhatIfChange.PRICED)
        elif not changes and _facts(decision.events) != _facts(r.event for r in batch):
            changes.append(WhatIfChange.RECORDED)  # nothing else explains why the events differ
        if money or WhatIfChange.RECORDED in changes:
            labels = sorted({b.label for b in (*self.books, *self.recorded)}, key=len, reverse=True)
            earlier = {_verdict_key(v, labels) for v in was}
            rule_ids += [v.rule_id for v in now if _verdict_key(v, labels) not in earlier]
        if changes:
            rule_ids = list(dict.fromkeys(rule_ids))
            verdicts = [v for v in now if v.rule_id in rule_ids]
            self._note(first, aggregate, command_type, changes, rule_ids, verdicts, money)

    def _money_delta(
        self, first: RecordedEvent, batch: list[RecordedEvent], command: Command, decision: Decision | None
    ) -> list[tuple[str, decimal.Decimal]]:
        if self.price is None:
            return []
        delta: dict[str, decimal.Decimal] = {}
        if decision is not None:
            add_money(delta, self.price(decision.events, self.books.in_force(command.occurred)).items())
        was = self.price([r.event for r in batch], self._recorded_book(first))
        add_money(delta, ((payer, -amount) for payer, amount in was.items()))
        return sorted((payer, amount) for payer, amount in delta.items() if amount)

    def _recorded_book(self, first: RecordedEvent) -> Rulebook | None:
        label = first.metadata.rulebook_version
        for book in self.recorded:
            if book.label == label:
                return book
        try:
            return self.recorded.in_force(occurred_at(first))
        except NoRulebookInForce:
            return None

    def _note(
        self,
        first: RecordedEvent,
        aggregate: Aggregate[Any, Any],
        command_type: str,
        changes: Sequence[WhatIfChange],
        rule_ids: Sequence[str] = (),
        verdicts: Sequence[Verdict] = (),
        money: Sequence[tuple[str, decimal.Decimal]] = (),
        reason: str | None = None,
    ) -> None:
        self.lines.append(
            WhatIfLine(
                self.mode,
                first.stream_id,
                aggregate.name,
                aggregate.aggregate_id(first.stream_id),
                command_type,
                first.metadata.command_id,
                london_date(occurred_at(first)),
                changes,
                rule_ids,
                verdicts,
                money,
                reason,
            )
        )
        for change in changes:
            self.changed[change, command_type] = self.changed.get((change, command_type), 0) + 1
        add_money(self.money, money)

    def _folded(self, aggregate: Aggregate[S, Any], stream_id: str) -> Folded[S]:
        found: Folded[S] | None = self.folded[aggregate].get(aggregate.aggregate_id(stream_id))
        return found if found is not None else Folded(aggregate.initial)

    def _keep(self, aggregate: Aggregate[Any, Any], stream_id: str, batch: Sequence[RecordedEvent]) -> None:
        """Add a batch to the world (renumbered after the stream's last record kept)."""
        if not batch:
            return
        stream = self.records.setdefault(stream_id, [])
        kept = [attrs.evolve(r, stream_version=len(stream) + n) for n, r in enumerate(batch, start=1)]
        stream.extend(kept)
        before = self._folded(aggregate, stream_id)
        after = advance(aggregate, before, kept)
        self.folded[aggregate][aggregate.aggregate_id(stream_id)] = (
            after if after is not None else aggregate.replay(stream)
        )

    def report(self) -> WhatIf:
        """What the walk found."""
        labels = ", ".join(book.label for book in self.books)
        totals = WhatIfTotals(
            self.mode,
            labels,
            sorted(self.decided.items()),
            sorted(((c, t, n) for (c, t), n in self.changed.items()), key=_in_order),
            sorted(self.money.items()),
        )
        return WhatIf(self.mode, labels, self.lines, totals)
