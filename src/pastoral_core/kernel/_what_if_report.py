"""What a what-if replay reports: the decisions that would change, with totals, each figure with its mode."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from pastoral_core.rules import Verdict
from pastoral_core.tables import Row, Table


class WhatIfMode(enum.Enum):
    """How a what-if replay decides each recorded command again.

    - ``AS_RECORDED`` (the default): each against the real state just before it, as it
      was recorded; nothing cascades (a review now refused still granted the sessions
      after it).
    - ``COUNTERFACTUAL``: each against the state the proposed rules would have produced:
      what would have been refused is dropped, and changed events are used from then on.
    """

    AS_RECORDED = "as recorded"
    COUNTERFACTUAL = "counterfactual"

    @property
    def described(self) -> str:
        """The mode as a report's sentence opens with it."""
        if self is WhatIfMode.AS_RECORDED:
            return "As recorded (each decision taken again on the real state just before it, no cascade)"
        return "Counterfactual (each decision taken again on the state the proposed rules would have produced)"


class WhatIfChange(enum.Enum):
    """How a recorded decision would change under the proposed rules.

    - ``REFUSED``: it would be refused (by the rules listed); what it cost is undone.
    - ``FLAGGED``: accepted, but a rule would flag it that did not.
    - ``UNFLAGGED``: accepted, and a rule that flagged it would not.
    - ``PRICED``: accepted, and what it costs someone would differ.
    - ``RECORDED``: accepted with other events, for none of those reasons (a due
      date, an allowance recorded at allocation).
    - ``NOT_REDECIDED``: it could not be decided again (see the line's reason).
    """

    REFUSED = "refused"
    FLAGGED = "flagged"
    UNFLAGGED = "no longer flagged"
    PRICED = "priced differently"
    RECORDED = "recorded differently"
    NOT_REDECIDED = "not re-decided"


def _as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


def money_text(amount: decimal.Decimal) -> str:
    """A money delta as a report shows it: ``+£1,920.00``, ``-£75.00``, ``£0.00``."""
    sign = "+" if amount > 0 else "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


@attrs.frozen
class WhatIfLine:
    """One recorded decision that would change (or could not be decided again).

    Attributes:
        mode: The mode that produced it.
        stream_id: The stream (``case-17``, ``group-g1``).
        aggregate: The aggregate's name (``Case``).
        aggregate_id: The aggregate's id (``17``).
        command_type: The command's stable type name.
        command_id: The command's id.
        occurred: The date its fact happened (Europe/London).
        changes: What would change.
        rule_ids: The rules behind the changes.
        verdicts: The proposed rules' verdicts for those rules (a refusal's denials).
        money: The change in money by payer, sorted by payer.
        reason: Why it was not decided again (``NOT_REDECIDED``), else ``None``.
    """

    mode: WhatIfMode
    stream_id: str
    aggregate: str
    aggregate_id: str
    command_type: str
    command_id: str
    occurred: dt.date
    changes: tuple[WhatIfChange, ...] = attrs.field(converter=_as_tuple)
    rule_ids: tuple[str, ...] = attrs.field(default=(), converter=_as_tuple)
    verdicts: tuple[Verdict, ...] = attrs.field(default=(), converter=_as_tuple)
    money: tuple[tuple[str, decimal.Decimal], ...] = attrs.field(default=(), converter=_as_tuple)
    reason: str | None = None

    @property
    def money_delta(self) -> decimal.Decimal:
        """The change in money, all payers together."""
        return sum((amount for _, amount in self.money), decimal.Decimal("0.00"))

    def to_row(self) -> Row:
        """The line as a row of plain values."""
        return {
            "mode": self.mode.value,
            "stream_id": self.stream_id,
            "aggregate_id": self.aggregate_id,
            "command_type": self.command_type,
            "command_id": self.command_id,
            "occurred": self.occurred,
            "changes": ", ".join(c.value for c in self.changes),
            "rule_ids": ", ".join(self.rule_ids),
            "money_delta": self.money_delta,
            "payers": "; ".join(f"{payer} {money_text(amount)}" for payer, amount in self.money),
            "reason": self.reason,
        }


def add_money(into: dict[str, decimal.Decimal], money: Iterable[tuple[str, decimal.Decimal]]) -> None:
    """Add ``money`` to the totals by payer ``into``."""
    for payer, amount in money:
        into[payer] = into.get(payer, decimal.Decimal("0.00")) + amount


@attrs.frozen
class WhatIfTotals(Table):
    """The totals of a what-if replay, each row with the mode that produced it.

    Attributes:
        mode: The mode.
        rulebooks: The proposed rulebook versions, e.g. ``"DEVON_PSN v2"``.
        decided: Recorded decisions by command type (every batch walked).
        changed: ``(change, command type, how many)``, sorted.
        money: The change in money by payer, sorted by payer.
    """

    columns = ("mode", "measure", "command_type", "payer", "count", "of", "amount")
    caption = "What-if totals"

    mode: WhatIfMode
    rulebooks: str
    decided: tuple[tuple[str, int], ...] = attrs.field(converter=_as_tuple)
    changed: tuple[tuple[WhatIfChange, str, int], ...] = attrs.field(converter=_as_tuple)
    money: tuple[tuple[str, decimal.Decimal], ...] = attrs.field(converter=_as_tuple)

    @property
    def decisions(self) -> int:
        """How many recorded decisions were walked."""
        return sum(n for _, n in self.decided)

    def count(self, change: WhatIfChange, command_type: str | None = None) -> int:
        """How many decisions (of ``command_type``, or of any) would change in this way."""
        return sum(n for c, t, n in self.changed if c is change and command_type in (None, t))

    def of(self, command_type: str) -> int:
        """How many recorded decisions of ``command_type`` were walked."""
        return dict(self.decided).get(command_type, 0)

    def money_delta(self, payer: str) -> decimal.Decimal:
        """The change in money for ``payer`` (zero if none)."""
        return dict(self.money).get(payer, decimal.Decimal("0.00"))

    def to_rows(self) -> list[Row]:
        """A row per change and command type, per payer's money, and the decisions walked."""
        mode = self.mode.value
        rows: list[Row] = [
            {"mode": mode, "measure": c.value, "command_type": t, "payer": None, "count": n, "of": self.of(t)}
            for c, t, n in self.changed
        ]
        rows += [
            {"mode": mode, "measure": "money delta", "command_type": None, "payer": p, "count": None, "amount": a}
            for p, a in self.money
        ]
        rows.append({"mode": mode, "measure": "decisions", "count": self.decisions})
        return [{column: row.get(column) for column in self.columns} for row in rows]


#: How many payers a what-if sentence names before it sums the rest (the totals keep them all).
NAMED_PAYERS = 3


def _money_said(money: tuple[tuple[str, decimal.Decimal], ...]) -> str:
    """The money by payer for a sentence: the largest changes by name, the rest summed."""
    if len(money) <= NAMED_PAYERS + 1:
        return ", ".join(f"{p} {money_text(a)}" for p, a in money)
    largest = sorted(money, key=lambda item: (-abs(item[1]), item[0]))[:NAMED_PAYERS]
    rest = [a for p, a in money if (p, a) not in largest]
    named = ", ".join(f"{p} {money_text(a)}" for p, a in largest)
    return f"{named}, {len(rest)} other payers {money_text(sum(rest, decimal.Decimal('0.00')))}"


@attrs.frozen
class WhatIf(Table):
    """A what-if replay: each recorded decision that would change, and the totals.

    A :class:`~pastoral_core.tables.Table` of its lines (one per decision that would
    change or could not be decided again); :attr:`totals` is a table of its own and
    :attr:`text` one plain sentence. Every line, total and sentence says its mode.

    Attributes:
        mode: How the decisions were taken again.
        rulebooks: The proposed rulebook versions.
        lines: The decisions that would change, in the order they were recorded.
        totals: The totals.
    """

    columns = (
        "mode",
        "stream_id",
        "aggregate_id",
        "command_type",
        "command_id",
        "occurred",
        "changes",
        "rule_ids",
        "money_delta",
        "payers",
        "reason",
    )
    caption = "What-if: recorded decisions that would change"

    mode: WhatIfMode
    rulebooks: str
    lines: tuple[WhatIfLine, ...] = attrs.field(converter=_as_tuple)
    totals: WhatIfTotals

    def to_rows(self) -> list[Row]:
        """One row per line."""
        return [line.to_row() for line in self.lines]

    def by_aggregate(self) -> Mapping[str, tuple[WhatIfLine, ...]]:
        """The lines of each stream (per case, per group), streams in the order first met."""
        grouped: dict[str, list[WhatIfLine]] = {}
        for line in self.lines:
            grouped.setdefault(line.stream_id, []).append(line)
        return {stream: tuple(lines) for stream, lines in grouped.items()}

    @property
    def text(self) -> str:
        """The report in one paragraph: the mode, the counts by change and command type, the money."""
        totals = self.totals
        parts = []
        for change in list(WhatIfChange)[:-1]:  # every change but NOT_REDECIDED, said last
            counted = [(t, n) for c, t, n in totals.changed if c is change]
            if counted:
                each = ", ".join(f"{n} of {totals.of(t)} {t}" for t, n in counted)
                parts.append(f"{change.value}: {each}")
        changes = "; ".join(parts) if parts else "no decision would change"
        decisions = f"of {totals.decisions} recorded decisions"
        sentence = f"{self.mode.described}, under {self.rulebooks}: {decisions}, {changes}."
        missed = totals.count(WhatIfChange.NOT_REDECIDED)
        if missed:
            sentence += f" {missed} could not be decided again."
        if totals.money:
            sentence += f" Money: {_money_said(totals.money)}."
        return sentence

    def __str__(self) -> str:
        return self.text
