"""Citations, verdicts and overrides: how every rule explains itself."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from pastoral_core.values import Id, Reason, Validated, redacting_repr


@attrs.frozen
class Citation:
    """Where a rule comes from: a source document and a clause in it.

    Attributes:
        source: ``MOU``, ``GPS``, ``PP`` or ``DERIVED`` (see the rules register, ``docs/rules-register.md``).
        clause: The clause, e.g. ``"LMC 4"``; for DERIVED, what it is derived from.

    """

    source: str
    clause: str

    def __str__(self) -> str:
        return f"{self.source} {self.clause}"


class Outcome(enum.Enum):
    """What a rule concluded: pass, flag (accepted but recorded) or deny (refused)."""

    PASS = "pass"
    FLAG = "flag"
    DENY = "deny"


def render_parameter(value: Any) -> str:
    """A parameter value as a coordinator reads it: enum values, joined lists, 17:00."""
    if isinstance(value, str):
        return value
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, tuple | list | frozenset | set):
        items = [render_parameter(v) for v in value]
        return "(" + ", ".join(sorted(items) if isinstance(value, frozenset | set) else items) + ")"
    if attrs.has(type(value)):  # a dated value such as a tariff: "2027-04-01 66.00"
        return " ".join(render_parameter(getattr(value, f.name)) for f in attrs.fields(type(value)))
    return str(value)


def _freeze_parameters(
    value: Mapping[str, Any] | Iterable[tuple[str, Any]],
) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), render_parameter(v)) for k, v in items))


@attrs.frozen
class Verdict:
    """One rule's conclusion about one command, with the parameters it used.

    Attributes:
        rule_id: The rule's ID in the rules register (:data:`pastoral_core.rules.REGISTER`), e.g. ``"PSN-RESPONSE"``.
        outcome: :class:`Outcome`.
        message: A sentence for a coordinator saying what was found.
        citation: The source clause.
        parameters: The parameter values the rule used, as sorted ``(name, text)`` pairs.

    """

    rule_id: str
    outcome: Outcome
    message: str
    citation: Citation
    parameters: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_freeze_parameters)

    @property
    def denied(self) -> bool:
        """True if this verdict refuses the command."""
        return self.outcome is Outcome.DENY

    def __str__(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in self.parameters)
        suffix = f" [{params}]" if params else ""
        return f"{self.rule_id} ({self.citation}) {self.outcome.value}: {self.message}{suffix}"


@attrs.frozen
class Override(Validated):
    """Permission to pass an overridable rule, with the reason recorded in the event.

    Attributes:
        rule_id: The rule overridden, e.g. ``"PSN-SKILLS"``.
        reason: Why (required, recorded; not blank).
        by: Opaque id of the coordinator who decided.

    """

    rule_id: Id
    reason: Reason
    by: Id

    __repr__ = redacting_repr
