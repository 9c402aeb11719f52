"""Hypothesis strategies for pastoral_core's types, shared by our tests and hosts' tests."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import types
import typing
from collections.abc import Iterable
from typing import Annotated, Any

import attrs
from hypothesis import strategies as st

from pastoral_core.eventlog import COMMANDS, EVENTS, Event, EventRegistry, Metadata
from pastoral_core.rules import NATIONS, Citation, Outcome, Verdict
from pastoral_core.values import DECIMAL_RANGE, EARLIEST, ID, INT_RANGE, LONDON, Range, TextKind

__all__ = [
    "aware_datetimes",
    "citations",
    "commands",
    "events",
    "ids",
    "metadata",
    "nations",
    "text",
    "values_of",
    "verdicts",
]

_ZONES = (dt.UTC, LONDON, dt.timezone(dt.timedelta(hours=-5)))


def aware_datetimes(
    min_value: dt.datetime = dt.datetime(2015, 1, 1),
    max_value: dt.datetime = dt.datetime(2040, 12, 31),
) -> st.SearchStrategy[dt.datetime]:
    """Timezone-aware datetimes (UTC, Europe/London, a fixed offset), never imaginary."""
    return st.datetimes(min_value, max_value, timezones=st.sampled_from(_ZONES), allow_imaginary=False)


def text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text the log stores: no lone surrogates, no control characters but tab and newline."""
    allowed = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), include_characters="\t\n")
    return st.text(allowed, max_size=max_size)


def ids(prefix: str = "id") -> st.SearchStrategy[str]:
    """Opaque ids such as ``case-3fa1`` (rule MINIMAL: never a name)."""
    return st.from_regex(r"[0-9a-f]{1,8}", fullmatch=True).map(lambda s: f"{prefix}-{s}")


def nations() -> st.SearchStrategy[str]:
    """The nations a :class:`~pastoral_core.rules.WorkingCalendar` follows."""
    return st.sampled_from(NATIONS)


def citations() -> st.SearchStrategy[Citation]:
    """Citations to the three sources or DERIVED."""
    return st.builds(Citation, st.sampled_from(("MOU", "GPS", "PP", "DERIVED")), text(12))


def verdicts() -> st.SearchStrategy[Verdict]:
    """Verdicts with any outcome and a few parameters."""
    return st.builds(
        Verdict,
        st.from_regex(r"[A-Z]{2,3}-[A-Z]{3,10}", fullmatch=True),
        st.sampled_from(Outcome),
        text(),
        citations(),
        st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), st.integers(), max_size=3),
    )


def metadata() -> st.SearchStrategy[Metadata]:
    """Metadata with opaque actor and command ids and an aware time."""
    return st.builds(
        Metadata,
        actor=ids("actor"),
        role=st.sampled_from(("coordinator", "officer", "facilitator")),
        command_id=ids("cmd"),
        command_type=st.sampled_from(("case.record_note", "group.hold_meeting")),
        recorded_at=aware_datetimes(),
        rulebook_version=st.none() | st.just("DEVON_PSN v1"),
        correlation_id=st.none() | ids("corr"),
    )


def _text_of(kind: TextKind, ids: st.SearchStrategy[str] | None) -> st.SearchStrategy[str]:
    if kind is ID:
        return ids if ids is not None else st.from_regex(r"[a-z]{1,4}-[0-9a-f]{1,6}", fullmatch=True)
    # What str.isprintable() accepts: no control, format, private-use or unassigned code
    # point, no separator but the ASCII space.
    allowed = st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Cf", "Co", "Cn", "Zl", "Zp", "Zs"),
        include_characters=" ",
    )
    if kind.multiline:
        allowed = st.one_of(allowed, st.sampled_from("\n\t"))
    strategy = st.text(allowed, min_size=1 if kind.required else 0, max_size=min(kind.max_chars, 60))
    return strategy.filter(lambda t: bool(t.strip())) if kind.required else strategy


def _in_range(base: Any, bounds: Range) -> st.SearchStrategy[Any]:
    if base is int:
        return st.integers(int(bounds.low), int(bounds.high))
    return st.decimals(min_value=bounds.low, max_value=bounds.high, places=2, allow_nan=False, allow_infinity=False)


def values_of(
    tp: Any,
    ids: st.SearchStrategy[str] | None = None,
    times: st.SearchStrategy[dt.datetime] | None = None,
) -> st.SearchStrategy[Any]:
    """A strategy for values of the annotated type ``tp`` as used in events, commands and state.

    Knows aware datetimes, finite decimals, JSON-safe text, enums, tuples, frozensets,
    optionals, literals, (recursively) attrs classes, and the value vocabulary of
    :mod:`pastoral_core.values` (``Id``, ``Label``, ``FreeText``, ``Reason``, ranges), so
    that what it builds for a command passes the command's own checks. Anything else falls
    back to ``st.from_type``.

    Args:
        tp: The annotation.
        ids: Where opaque ids come from (e.g. a small pool, so commands meet each other).
        times: Where aware datetimes come from.
    """

    def of(inner: Any) -> st.SearchStrategy[Any]:
        return values_of(inner, ids, times)

    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Annotated:
        base, *extras = args
        for extra in extras:
            if isinstance(extra, TextKind):
                return _text_of(extra, ids)
            if isinstance(extra, Range):
                return _in_range(base, extra)
        return of(base)
    if tp is dt.datetime:
        return times if times is not None else aware_datetimes()
    if tp is dt.date:
        return st.dates(dt.date(2015, 1, 1), dt.date(2040, 12, 31))
    if tp is str:
        return text()
    if tp is bool:
        return st.booleans()
    if tp is int:
        return _in_range(int, INT_RANGE)
    if tp is decimal.Decimal:
        return _in_range(decimal.Decimal, DECIMAL_RANGE)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(of(args[0]), max_size=4).map(tuple)
        return st.tuples(*(of(a) for a in args))
    if origin is frozenset:
        return st.frozensets(of(args[0]), max_size=4)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(of(a) for a in args))
    if origin is typing.Literal:
        return st.sampled_from(args)
    if tp is type(None):
        return st.none()
    if isinstance(tp, type) and attrs.has(tp):
        hints = typing.get_type_hints(tp, include_extras=True)
        return st.builds(tp, **{f.name: of(hints[f.name]) for f in attrs.fields(tp) if f.init})
    return st.from_type(tp)


def commands(
    classes: Iterable[type] | None = None,
    ids: st.SearchStrategy[str] | None = None,
    times: st.SearchStrategy[dt.datetime] | None = None,
) -> st.SearchStrategy[Any]:
    """Valid commands of the given classes (default: every registered command type).

    Every field fits its annotation, so each command builds; whether a rule accepts it is
    another matter. Draw ids from a small pool to make commands meet each other's records.
    The business time, when there is one, is up to 60 days before ``at`` (never after it),
    and no rule is overridden.

    Args:
        classes: Command classes, e.g. ``CASE.commands``; default every class in ``COMMANDS``.
        ids: Where opaque ids (command ids, actors, case and session ids) come from.
        times: Where aware datetimes (``at``, session starts) come from.
    """
    chosen = sorted(classes if classes is not None else (e.cls for e in COMMANDS), key=lambda c: c.__name__)
    if not chosen:
        return st.nothing()

    @st.composite
    def build(draw: st.DrawFn, cls: type) -> Any:
        hints = typing.get_type_hints(cls, include_extras=True)
        fields = {
            f.name: draw(values_of(hints[f.name], ids, times))
            for f in attrs.fields(cls)
            if f.init and f.name not in ("occurred_at", "overrides")
        }
        at: dt.datetime = fields["at"]
        days = draw(st.none() | st.integers(0, 60))
        occurred = None
        if days is not None:  # counted on the UTC clock, so the time exists where ``at`` is
            earlier = at.astimezone(dt.UTC) - dt.timedelta(days=days, minutes=draw(st.integers(0, 600)))
            occurred = earlier.astimezone(at.tzinfo) if earlier.date() >= EARLIEST else None
        return cls(**fields, occurred_at=occurred)

    return st.sampled_from(chosen).flatmap(build)


def events(registry: EventRegistry = EVENTS) -> st.SearchStrategy[Event]:
    """Any event of any type registered in ``registry`` (discovered, not listed by hand)."""
    classes = [entry.cls for entry in registry]
    if not classes:
        return st.nothing()
    return st.sampled_from(classes).flatmap(values_of)
