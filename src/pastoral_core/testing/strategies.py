"""Hypothesis strategies for pastoral_core's types, shared by our tests and hosts' tests."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import types
import typing
from typing import Any

import attrs
from hypothesis import strategies as st

from pastoral_core.values import LONDON
from pastoral_core.eventlog import EVENTS, Event, EventRegistry, Metadata
from pastoral_core.rules import NATIONS, Citation, Outcome, Verdict

__all__ = [
    "aware_datetimes",
    "citations",
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
    """Any text that JSON can carry (no lone surrogates)."""
    return st.text(st.characters(codec="utf-8"), max_size=max_size)


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


def values_of(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy for values of the annotated type ``tp`` as used in events and state.

    Knows aware datetimes, finite decimals, JSON-safe text, enums, tuples, frozensets,
    optionals, literals and (recursively) attrs classes; anything else falls back to
    ``st.from_type``.
    """
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is dt.datetime:
        return aware_datetimes()
    if tp is str:
        return text()
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(2**40), 2**40)
    if tp is decimal.Decimal:
        return st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**9, min_value=-(10**9))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(values_of(args[0]), max_size=4).map(tuple)
        return st.tuples(*(values_of(a) for a in args))
    if origin is frozenset:
        return st.frozensets(values_of(args[0]), max_size=4)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(values_of(a) for a in args))
    if origin is typing.Literal:
        return st.sampled_from(args)
    if tp is type(None):
        return st.none()
    if isinstance(tp, type) and attrs.has(tp):
        hints = typing.get_type_hints(tp)
        return st.builds(tp, **{f.name: values_of(hints[f.name]) for f in attrs.fields(tp) if f.init})
    return st.from_type(tp)


def events(registry: EventRegistry = EVENTS) -> st.SearchStrategy[Event]:
    """Any event of any type registered in ``registry`` (discovered, not listed by hand)."""
    classes = [entry.cls for entry in registry]
    if not classes:
        return st.nothing()
    return st.sampled_from(classes).flatmap(values_of)
