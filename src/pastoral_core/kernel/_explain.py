"""Explanations: a decision, accepted or refused, as text a coordinator can paste and as plain data.

An explanation says what was decided (the command's type, stream, actor, role and dates,
the rulebook version, the events recorded) and, rule by rule, what each concluded, its
source and clause, the rulebook version and parameters it used, and the dates that
mattered (the bank holidays that moved a deadline). It is built from verdicts and record
metadata only, which never hold free text: no note, reason or typed text ever appears.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from pastoral_core.eventlog import DEFAULT_CODEC, Codec, RecordedEvent
from pastoral_core.exceptions import InvalidType, InvalidValue, Refused, UnknownType
from pastoral_core.kernel._command import Command
from pastoral_core.kernel._execute import Accepted
from pastoral_core.kernel._explain_rules import DatesOf, RuleExplained
from pastoral_core.rules import Outcome, Verdict
from pastoral_core.tables import Row, Table


@attrs.frozen
class Explanation(Table):
    """Why a command was accepted or refused: the decision, then every rule, with clauses and dates.

    A :class:`~pastoral_core.tables.Table` with one row per rule verdict. :attr:`text` is
    plain English for an e-mail; :meth:`to_dict` is JSON-ready. Built by :func:`explain`.

    Attributes:
        accepted: Whether the command was accepted.
        rules: Every rule's verdict, in the order they ran (a refusal keeps only the
            denying ones).
        command_type: The command's stable type name, if known.
        command_id: The command's id, if known.
        stream_id: The stream it was for, if known.
        actor: Who issued it (an opaque id), if known.
        role: In which role, if known.
        occurred_at: When its fact happened (business time), if known.
        recorded_at: When it was recorded (``at``), if known.
        rulebook: The rulebook version that decided, if known.
        events: The stable type names of the events recorded (an accepted command).
    """

    columns = ("rule_id", "outcome", "source", "clause", "rulebook", "message", "parameters", "dates")
    caption = "Explanation: every rule's verdict"

    accepted: bool
    rules: tuple[RuleExplained, ...]
    command_type: str | None = None
    command_id: str | None = None
    stream_id: str | None = None
    actor: str | None = None
    role: str | None = None
    occurred_at: dt.datetime | None = None
    recorded_at: dt.datetime | None = None
    rulebook: str | None = None
    events: tuple[str, ...] = ()

    @property
    def flags(self) -> tuple[str, ...]:
        """The ids of the rules that flagged."""
        return tuple(r.rule_id for r in self.rules if r.outcome is Outcome.FLAG)

    @property
    def decision(self) -> str:
        """The decision in a few words: ``accepted``, ``accepted with 1 flag``, ``refused by 2 rules``."""
        if not self.accepted:
            refusing = sum(1 for r in self.rules if r.outcome is Outcome.DENY)
            return f"refused by {refusing} rule{'s' if refusing != 1 else ''}"
        flags = len(self.flags)
        return f"accepted with {flags} flag{'s' if flags != 1 else ''}" if flags else "accepted"

    @property
    def text(self) -> str:
        """The explanation as plain text a coordinator can paste into an e-mail."""
        what = self.command_type or "The command"
        where = f" on {self.stream_id}" if self.stream_id else ""
        lines = [f"{what}{where}: {self.decision}."]
        if self.actor:
            lines.append(f"Issued by {self.actor}" + (f" as {self.role}." if self.role else "."))
        if self.occurred_at is not None:
            lines.append(f"It happened on {_when(self.occurred_at)}.")
        if self.recorded_at is not None and self.recorded_at != self.occurred_at:
            lines.append(f"Recorded on {_when(self.recorded_at)}.")
        if self.rulebook:
            lines.append(f"Decided under {self.rulebook}.")
        if self.events:
            lines.append("Recorded: " + ", ".join(self.events) + ".")
        heading = "Rules applied:" if self.accepted else "Rules that refused it:"
        lines += ["", heading]
        lines += [f"{n}. {rule.text}".replace("\n", "\n   ") for n, rule in enumerate(self.rules, start=1)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict[str, Any]:
        """The explanation as JSON-ready plain values (dates and times in ISO 8601)."""
        return {
            "decision": self.decision,
            "accepted": self.accepted,
            "command_type": self.command_type,
            "command_id": self.command_id,
            "stream_id": self.stream_id,
            "actor": self.actor,
            "role": self.role,
            "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
            "rulebook": self.rulebook,
            "events": list(self.events),
            "rules": [rule.to_dict() for rule in self.rules],
        }

    def to_rows(self) -> list[Row]:
        """One row per rule verdict (parameters and dates as text)."""
        return [
            {
                "rule_id": r.rule_id,
                "outcome": r.outcome.value,
                "source": r.source,
                "clause": r.clause,
                "rulebook": r.rulebook,
                "message": r.message,
                "parameters": ", ".join(f"{k}={v}" for k, v in r.parameters),
                "dates": "; ".join(str(d) for d in r.dates),
            }
            for r in self.rules
        ]


def _when(moment: dt.datetime) -> str:
    """A moment as the working calendar writes it: ``Thu 24 Dec 2026 16:00 GMT``."""
    return f"{moment:%a %d %b %Y %H:%M %Z}"


def explain(
    subject: Accepted | Refused | RecordedEvent,
    *,
    command: Command | None = None,
    dates: DatesOf | None = None,
    codec: Codec = DEFAULT_CODEC,
) -> Explanation:
    """Explain a decision: a refusal, an accepted command, or one read back from its record.

    Args:
        subject: What ``execute`` or a service returned (:class:`Accepted`), what it
            raised (:class:`~pastoral_core.exceptions.Refused`), or the first record of
            a command's batch (it carries the decision's verdicts).
        command: The command decided, for a refusal (which carries only its verdicts):
            its type, id, actor, role and dates are explained too. Its free text never is.
        dates: The dates that mattered to each verdict, when the caller knows more than
            the verdicts quote (a service re-asks the working calendar).
        codec: Names the command and event types (the one the store uses).

    Returns:
        The :class:`Explanation`.

    Raises:
        InvalidType: If ``subject`` is none of those, or ``command`` is not a command.
        InvalidValue: If the record is not the first of its batch (it has no decision).
    """
    if not isinstance(codec, Codec):
        raise InvalidType("explain", "codec", f"must be a Codec, got {type(codec).__name__}")
    if command is not None and not isinstance(command, Command):
        raise InvalidType("explain", "command", f"must be a Command, got {type(command).__name__}")
    if dates is not None and not callable(dates):
        raise InvalidType("explain", "dates", "must be a function from a verdict to its key dates")
    if isinstance(subject, Refused):
        return _explained(False, subject.verdicts, dates, **_of_command(command, codec))
    if isinstance(subject, Accepted):
        records = subject.records
        verdicts = subject.verdicts
    elif isinstance(subject, RecordedEvent):
        if subject.decision is None:
            raise InvalidValue(
                "explain", "subject", "this record carries no decision: explain the first record of its command's batch"
            )
        records, verdicts = (subject,), subject.decision.verdicts
    else:
        raise InvalidType(
            "explain", "subject", f"must be an Accepted, a Refused or a RecordedEvent, got {type(subject).__name__}"
        )
    if not records:
        return _explained(True, verdicts, dates, **_of_command(command, codec))
    first = records[0]
    meta = first.metadata
    batch = [r for r in records if r.metadata.command_id == meta.command_id and r.stream_id == first.stream_id]
    return _explained(
        True,
        verdicts,
        dates,
        command_type=meta.command_type,
        command_id=meta.command_id,
        stream_id=first.stream_id,
        actor=meta.actor,
        role=meta.role,
        occurred_at=meta.occurred_at or meta.recorded_at,
        recorded_at=meta.recorded_at,
        rulebook=meta.rulebook_version,
        events=tuple(_event_type(codec, r) for r in batch),
    )


def _explained(accepted: bool, verdicts: Iterable[Verdict], dates: DatesOf | None, **header: Any) -> Explanation:
    rules = tuple(RuleExplained.of(v, dates(v) if dates is not None else ()) for v in verdicts)
    return Explanation(accepted, rules, **header)


def _of_command(command: Command | None, codec: Codec) -> dict[str, Any]:
    if command is None:
        return {}
    try:
        command_type: str | None = codec.command_type(command)
    except UnknownType:
        command_type = type(command).__name__
    return {
        "command_type": command_type,
        "command_id": command.command_id,
        "actor": command.actor,
        "role": str(command.role.value),
        "occurred_at": command.occurred,
        "recorded_at": command.at,
    }


def _event_type(codec: Codec, record: RecordedEvent) -> str:
    try:
        return codec.registry.of_class(type(record.event)).name
    except UnknownType:
        return type(record.event).__name__
