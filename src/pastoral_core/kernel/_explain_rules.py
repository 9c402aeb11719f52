"""The pieces of an explanation: each rule's verdict explained, and the dates that mattered to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from pastoral_core.rules import Outcome, ResponseDue, Verdict

#: Supplies the dates that mattered to a verdict (e.g. a service re-asking the working
#: calendar with the nation and dates of the case): ``(verdict) -> key dates``.
DatesOf = Callable[[Verdict], Iterable["KeyDate"]]

_DONE = {Outcome.PASS: "passed", Outcome.FLAG: "flagged", Outcome.DENY: "refused"}


@attrs.frozen
class KeyDate:
    """A date that mattered to a rule: a receipt, a due date, a bank holiday that moved it.

    Attributes:
        day: The date.
        what: What it is, e.g. ``"bank holiday (ENG): Christmas Day"`` (never free text).
    """

    day: dt.date
    what: str

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.what}"


def deadline_dates(due: ResponseDue, nation: str) -> tuple[KeyDate, ...]:
    """The dates behind a working-day deadline: receipt, the day counting starts, each bank holiday, the due date.

    Args:
        due: What :meth:`~pastoral_core.rules.WorkingCalendar.explain_due` answered.
        nation: The calendar's nation, named with each bank holiday.
    """
    received = due.received_at.astimezone(due.due_at.tzinfo).date()
    dates = [KeyDate(received, "received")]
    if due.counts_from != received:
        dates.append(KeyDate(due.counts_from, "working days counted from"))
    dates += [KeyDate(day, f"bank holiday ({nation}): {name}") for day, name in due.bank_holidays]
    dates.append(KeyDate(due.due_at.date(), f"due by {due.due_at:%H:%M} ({due.working_days} working days)"))
    return tuple(dates)


@attrs.frozen
class RuleExplained:
    """One rule's verdict as an explanation gives it.

    Attributes:
        rule_id: The rule's id in the rules register (``pastoral_core.rules.REGISTER``), e.g. ``AUTH``.
        outcome: What it concluded.
        message: What it found (verdict messages never hold free text).
        source: The source document (``MOU``, ``GPS``, ``PP``, ``DERIVED``).
        clause: The clause.
        rulebook: The rulebook version the rule came from, if it quoted one.
        parameters: The parameters it used, as sorted ``(name, text)`` pairs (the
            rulebook left out: it is :attr:`rulebook`).
        dates: The dates that mattered to it.
    """

    rule_id: str
    outcome: Outcome
    message: str
    source: str
    clause: str
    rulebook: str | None
    parameters: tuple[tuple[str, str], ...]
    dates: tuple[KeyDate, ...] = ()

    @classmethod
    def of(cls, verdict: Verdict, dates: Iterable[KeyDate] = ()) -> RuleExplained:
        """The explanation of one verdict, with the dates that mattered to it."""
        quoted = dict(verdict.parameters)
        rulebook = quoted.pop("rulebook", None)
        return cls(
            verdict.rule_id,
            verdict.outcome,
            verdict.message,
            verdict.citation.source,
            verdict.citation.clause,
            rulebook,
            tuple(sorted(quoted.items())),
            tuple(sorted(dates, key=lambda d: d.day)),
        )

    @property
    def text(self) -> str:
        """The rule as lines of plain text (the first names it, the rest are indented)."""
        lines = [f"{self.rule_id} ({self.source} {self.clause}) {_DONE[self.outcome]}: {self.message}"]
        if self.rulebook:
            lines.append(f"  Rulebook: {self.rulebook}")
        if self.parameters:
            lines.append("  Parameters: " + ", ".join(f"{k}={v}" for k, v in self.parameters))
        if self.dates:
            lines.append("  Dates that mattered: " + "; ".join(str(d) for d in self.dates))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The rule as JSON-ready plain values."""
        return {
            "rule_id": self.rule_id,
            "outcome": self.outcome.value,
            "message": self.message,
            "source": self.source,
            "clause": self.clause,
            "rulebook": self.rulebook,
            "parameters": dict(self.parameters),
            "dates": [{"day": d.day.isoformat(), "what": d.what} for d in self.dates],
        }
