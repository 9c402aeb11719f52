"""A spec's ``then:``: the outcome expected, checked against what the service did.

- ``accepted: yes`` or ``refused_by: [RULE-ID, ...]`` (exactly those rules refused);
- ``flagged: [RULE-ID, ...]``: exactly those rules flagged (left out: none);
- ``passed: [RULE-ID, ...]``: those rules were checked and passed;
- ``recorded:``: events recorded, in order, each with the fields that matter;
- ``costs:``: what the recorded events cost, by payer.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from pastoral_core.eventlog import Event
from pastoral_core.exceptions import PastoralCoreError, Refused
from pastoral_core.kernel import Accepted, Command, Service
from pastoral_core.rules import Outcome as VerdictOutcome
from pastoral_core.testing._spec_load import Spec
from pastoral_core.testing._spec_services import ServiceKind, snake
from pastoral_core.testing._spec_values import Where, convert, hints_of
from pastoral_core.testing._spec_yaml import Located, SpecError, nearest, normalise

THEN_KEYS = ("accepted", "refused_by", "flagged", "passed", "recorded", "costs")
_ONLY_IF_ACCEPTED = ("flagged", "passed", "recorded", "costs")


@attrs.frozen
class Outcome:
    """What the command under test did, and what checking it needs."""

    command: Command
    accepted: Accepted | None
    refused: Refused | None
    service: Service[Any]
    where: Where
    kind: ServiceKind


def check_then(spec: Spec, outcome: Outcome) -> tuple[str, ...]:
    """Every expectation of ``spec.then`` that ``outcome`` does not meet, as ``"<path>:<line>: <what>"``.

    Raises:
        SpecError: If ``then:`` is not written as expectations can be.
    """
    then, path = {normalise(k): v for k, v in spec.then.items()}, spec.path
    for key, loc in then.items():
        if key not in THEN_KEYS:
            raise SpecError(
                path, loc.key_line, f"then: has no {key!r}{nearest(key, THEN_KEYS)} (it has: {', '.join(THEN_KEYS)})"
            )
    accepted_loc, refused_loc = then.get("accepted"), then.get("refused_by")
    if (accepted_loc is None) == (refused_loc is None):
        raise SpecError(path, spec.then.key_line, "then: says either 'accepted: yes' or 'refused_by: [RULE-ID]'")
    if accepted_loc is not None and accepted_loc.value is not True:
        raise SpecError(path, accepted_loc.line, "write 'accepted: yes', or 'refused_by: [RULE-ID]' for a refusal")
    if refused_loc is not None:
        extra = [k for k in _ONLY_IF_ACCEPTED if k in then]
        if extra:
            raise SpecError(
                path,
                then[extra[0]].key_line,
                f"{extra[0]}: goes with 'accepted: yes' (nothing is recorded when refused)",
            )
    known = outcome.kind.rule_ids(outcome.service.rulebooks)
    found: list[tuple[int, str]] = []
    if refused_loc is not None:
        found += _refusal(_rule_ids(refused_loc, path, known), refused_loc.line, outcome)
    elif outcome.accepted is None:
        got = ", ".join(outcome.refused.rule_ids) if outcome.refused else "nothing"
        found.append((accepted_loc.line if accepted_loc else 1, f"expected accepted, got refused by {got}"))
    else:
        accepted = outcome.accepted
        flagged_loc = then.get("flagged")
        flagged = _rule_ids(flagged_loc, path, known) if flagged_loc is not None else ()
        flags_line = flagged_loc.line if flagged_loc else accepted_loc.line if accepted_loc else spec.then.line
        found += _flags(flagged, flags_line, accepted)
        if "passed" in then:
            found += _passes(_rule_ids(then["passed"], path, known), then["passed"].line, accepted)
        if "recorded" in then:
            found += _recorded(then["recorded"], accepted.events, outcome)
        if "costs" in then:
            found += _costs(then["costs"], accepted.events, outcome)
    return tuple(f"{path}:{line}: {message}" for line, message in found)


def _rule_ids(loc: Located, path: str, known: frozenset[str]) -> tuple[str, ...]:
    items = loc.value if loc.is_list else ([] if loc.value is None else [loc])
    ids = []
    for item in items:
        if item.text is None or item.value is None:
            raise SpecError(path, item.line, f"expected a rule id such as PSN-ALLOWANCE, got {item.describe()}")
        rule_id = item.text.strip()
        if rule_id not in known:
            raise SpecError(path, item.line, f"unknown rule id {rule_id!r}{nearest(rule_id.upper(), known)}")
        ids.append(rule_id)
    return tuple(ids)


def _by(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids))


def _refusal(expected: tuple[str, ...], line: int, outcome: Outcome) -> list[tuple[int, str]]:
    if outcome.refused is None:
        return [(line, f"expected refused by {_by(expected)}, got accepted")]
    got = outcome.refused.rule_ids
    if sorted(set(got)) != sorted(set(expected)):
        return [(line, f"expected refused by {_by(expected)}, got refused by {_by(set(got))}")]
    return []


def _flags(expected: tuple[str, ...], line: int, accepted: Accepted) -> list[tuple[int, str]]:
    got = {v.rule_id for v in accepted.verdicts if v.outcome is VerdictOutcome.FLAG}
    if got == set(expected):
        return []
    want = f"flagged by {_by(expected)}" if expected else "no flags"
    have = f"flagged by {_by(got)}" if got else "no flags"
    return [(line, f"expected accepted with {want}, got accepted with {have}")]


def _passes(expected: tuple[str, ...], line: int, accepted: Accepted) -> list[tuple[int, str]]:
    found = []
    for rule_id in expected:
        outcomes = {v.outcome for v in accepted.verdicts if v.rule_id == rule_id}
        if VerdictOutcome.PASS not in outcomes:
            got = ", ".join(sorted(o.value for o in outcomes)) if outcomes else "was not checked"
            found.append((line, f"expected {rule_id} to pass, got {got}"))
    return found


def _recorded(loc: Located, events: tuple[Event, ...], outcome: Outcome) -> list[tuple[int, str]]:
    path, kind = outcome.where.path, outcome.kind
    if not loc.is_list:
        raise SpecError(path, loc.line, "recorded: is a list of events, each '- event_name: {field: value}'")
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


def _costs(loc: Located, events: tuple[Event, ...], outcome: Outcome) -> list[tuple[int, str]]:
    path = outcome.where.path
    pricing = outcome.service.what_if_pricing()
    if pricing is None:
        raise SpecError(path, loc.key_line, f"{outcome.kind.name} records no money: leave out costs:")
    if not loc.is_mapping:
        raise SpecError(path, loc.line, 'costs: is a mapping of payer to amount, e.g. {LMC: "66.00"}')
    expected = {key: convert(item, decimal.Decimal, outcome.where, "costs", key) for key, item in loc.items()}
    try:
        book = outcome.service.rulebooks.in_force(outcome.command.occurred)
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
