"""A spec's ``then:`` about what was recorded: ``recorded:`` (events, with the fields that matter), ``costs:``."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from pastoral_core.eventlog import Event
from pastoral_core.exceptions import PastoralCoreError
from pastoral_core.testing._spec_outcome import Outcome
from pastoral_core.testing._spec_services import snake
from pastoral_core.testing._spec_values import Where, convert, hints_of
from pastoral_core.testing._spec_yaml import Located, SpecError, nearest, normalise


def recorded(loc: Located, events: tuple[Event, ...], outcome: Outcome) -> list[tuple[int, str]]:
    """Each event of ``recorded:`` that ``events`` lack (in order), or whose fields differ.

    Raises:
        SpecError: If ``recorded:`` is not a list of events with their fields, or is empty
            (it would check nothing: ``written: nothing`` says the command added nothing).
    """
    path, kind = outcome.where.path, outcome.kind
    if not loc.is_list:
        raise SpecError(path, loc.line, "recorded: is a list of events, each '- event_name: {field: value}'")
    if not loc.value:
        reason = "recorded: [] would check nothing; to say the command added nothing, write 'written: nothing'"
        raise SpecError(path, loc.line, reason)
    names = ", ".join(snake(type(e).__name__) for e in events) or "nothing"
    found: list[tuple[int, str]] = []
    position = 0
    for item in loc.value:
        if not item.is_mapping or len(item.value) != 1:
            raise SpecError(
                path, item.line, "each recorded event is '- event_name:' with the fields that matter under it"
            )
        name, fields = next(iter(item.items()))
        cls = kind.event(name)
        if cls is None:
            raise SpecError(
                path, fields.key_line, f"unknown event {name!r}{nearest(normalise(name), kind.event_names())}"
            )
        at = next((n for n in range(position, len(events)) if type(events[n]) is cls), None)
        if at is None:
            found.append((fields.key_line, f"expected a {snake(cls.__name__)} event, recorded: {names}"))
            continue
        position = at + 1
        if fields.value is not None:
            found += _fields(events[at], fields, snake(cls.__name__), outcome.where)
    return found


def _fields(actual: Any, loc: Located, path: str, where: Where) -> list[tuple[int, str]]:
    """The fields of ``actual`` (an attrs value) that differ from those written in ``loc``."""
    if not loc.is_mapping:
        raise SpecError(where.path, loc.line, f"expected the fields of {path} that matter, as a mapping")
    cls = type(actual)
    names, hints = [f.name for f in attrs.fields(cls)], hints_of(cls)
    found: list[tuple[int, str]] = []
    for key, item in loc.items():
        field = normalise(key)
        if field not in names:
            reason = f"{path} has no field {key!r}{nearest(field, names)} (its fields: {', '.join(names)})"
            raise SpecError(where.path, item.key_line, reason)
        value, here = getattr(actual, field), f"{path}.{field}"
        if item.is_mapping and attrs.has(type(value)):
            found += _fields(value, item, here, where)
            continue
        expected = convert(item, hints[field], where, type(actual).__name__, field)
        if _comparable(expected) != _comparable(value):
            found.append((item.line, f"{here}: expected {show(expected, where.zone)}, got {show(value, where.zone)}"))
    return found


def costs(loc: Located, events: tuple[Event, ...], outcome: Outcome) -> list[tuple[int, str]]:
    """``costs:`` (by payer) if the events cost otherwise, as one mismatch.

    Raises:
        SpecError: If the service records no money, or ``costs:`` is not a mapping.
    """
    path = outcome.where.path
    pricing = outcome.service.what_if_pricing()
    if pricing is None:
        raise SpecError(path, loc.key_line, f"{outcome.kind.name} records no money: leave out costs:")
    if not loc.is_mapping:
        raise SpecError(path, loc.line, 'costs: is a mapping of payer to amount, e.g. {LMC: "66.00"}')
    expected = {key: convert(item, decimal.Decimal, outcome.where, "costs", key) for key, item in loc.items()}
    try:
        book = outcome.service.rulebooks.in_force(outcome.command.occurred) if outcome.command else None
    except PastoralCoreError:  # pragma: no cover - the command was accepted under it
        book = None
    got = pricing(events, book)
    if got == expected:
        return []
    return [(loc.line, f"costs: expected {_money(expected)}, got {_money(got)}")]


def _money(costs: Mapping[str, decimal.Decimal]) -> str:
    return ", ".join(f"{payer} £{amount}" for payer, amount in sorted(costs.items())) or "nothing"


def _comparable(value: Any) -> Any:
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value


def show(value: Any, zone: dt.tzinfo) -> str:
    """A value as a spec would write it (``2026-12-30 17:00``, ``66.00``, ``gp``, ``yes``)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        local = value.astimezone(zone)
        return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, frozenset | set):
        return "[" + ", ".join(sorted(show(v, zone) for v in value)) + "]"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(show(v, zone) for v in value) + "]"
    if attrs.has(type(value)):
        fields = ", ".join(f"{f.name}: {show(getattr(value, f.name), zone)}" for f in attrs.fields(type(value)))
        return "{" + fields + "}"
    return str(value)
