"""A spec's setup: its time zone, who acts by default, the rulebooks with their parameters, the officers.

An LMC whose MoU differs from the default only in parameters is specified by naming them
under ``parameters:``: by rule (``PSN-COST-SHARE: {session_rate: "66.00"}``) or, when one
rule alone has a parameter of that name, by the parameter alone (``session_rate:
"66.00"``). Every version of the service's rulebook is adapted under the name given as
``rulebook:`` (``SPEC`` after the rulebook's own name if none is given).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from pastoral_core.exceptions import InvalidValue, PastoralCoreError, UnknownRule
from pastoral_core.rules import Rule, Rulebook, Rulebooks
from pastoral_core.testing._spec_load import Spec, Step
from pastoral_core.testing._spec_services import ServiceKind
from pastoral_core.testing._spec_values import Where, convert, fields_of, hints_of
from pastoral_core.testing._spec_yaml import Located, SpecError, nearest, normalise
from pastoral_core.values import LONDON, check_fields

#: Who acts when a step does not say (``by:``), unless the setup names its ``coordinator``.
DEFAULT_COORDINATOR = "coordinator"

#: The LMC's network when the setup does not name one (``lmc:`` or ``network:``).
DEFAULT_NETWORK = "devon"


@attrs.frozen
class Setup:
    """What a spec's setup resolves to.

    Attributes:
        where: The file and the zone of times written without one.
        coordinator: Who acts when a step does not say.
        organisation: Put on every command that does not give its own, if set.
        network: The LMC's network (pastoral support).
        nation: The UK nation of requests that do not give theirs (pastoral support).
        rulebooks: The rulebooks the service decides with.
        officers: Steps enrolling the setup's officers (pastoral support), run first.
    """

    where: Where
    coordinator: str
    organisation: str | None
    network: str
    nation: str | None
    rulebooks: Rulebooks
    officers: tuple[Step, ...]


def resolve(spec: Spec, kind: ServiceKind) -> Setup:
    """The setup of ``spec``, made into values.

    Raises:
        SpecError: At the line of a setting that cannot be used.
    """
    entries = spec.setup
    zone_loc = entries.get("timezone")
    zone: dt.tzinfo = LONDON
    if zone_loc is not None:
        try:
            zone = ZoneInfo(str(zone_loc.text))
        except (ZoneInfoNotFoundError, ValueError):
            raise SpecError(spec.path, zone_loc.line, f"unknown time zone {zone_loc.text!r}") from None
    where = Where(spec.path, zone)
    rulebooks = _rulebooks(kind, entries, where)
    officers = entries.get("officers")
    lmc, network = entries.get("lmc"), entries.get("network")
    if lmc is not None and network is not None:
        raise SpecError(spec.path, network.key_line, "lmc: and network: name the same thing: give one")
    return Setup(
        where=where,
        coordinator=_id(entries.get("coordinator"), DEFAULT_COORDINATOR, spec.path),
        organisation=_id(entries.get("organisation"), None, spec.path),
        network=_id(lmc or network, DEFAULT_NETWORK, spec.path),
        nation=_id(entries.get("nation"), None, spec.path),
        rulebooks=rulebooks,
        officers=_officers(officers, rulebooks, spec.path) if officers is not None else (),
    )


def _id(loc: Located | None, default: Any, path: str) -> Any:
    if loc is None:
        return default
    if loc.text is None or loc.value is None:
        raise SpecError(path, loc.line, f"expected an id, got {loc.describe()}")
    return loc.text


def _officers(loc: Located, rulebooks: Rulebooks, path: str) -> tuple[Step, ...]:
    """Each officer listed as an ``enrol_officer`` step, recorded when the first rulebook came into force."""
    if not loc.is_list:
        raise SpecError(path, loc.line, "officers: is a list, each with officer_id, background and practice_id")
    first_day = rulebooks.versions[0].effective_from.isoformat()
    steps = []
    for item in loc.value:
        if not item.is_mapping:
            raise SpecError(
                path, item.line, f"an officer is a mapping (officer_id: ..., background: ...), got {item.describe()}"
            )
        fields = dict(item.items())
        fields.setdefault("at", Located(f"{first_day} 09:00", item.line, f"{first_day} 09:00", item.line))
        steps.append(Step("enrol_officer", item.line, Located(fields, item.line, None, item.key_line)))
    return tuple(steps)


def _rulebooks(kind: ServiceKind, entries: Mapping[str, Located], where: Where) -> Rulebooks:
    base = kind.rulebooks
    parameters, name_loc = entries.get("parameters"), entries.get("rulebook")
    if parameters is None and name_loc is None:
        return base
    changes = _changes(base, parameters, where) if parameters is not None else {}
    name = str(name_loc.text) if name_loc is not None else f"{base.versions[0].name}_SPEC"
    versions = []
    for book in base:
        rules = [_changed(book, rule_id, fields, where) for rule_id, fields in changes.items()]
        try:
            versions.append(book.adapted(name, *(r for r in rules if r is not None)))
        except PastoralCoreError as error:
            line = name_loc.line if name_loc is not None else 1
            raise SpecError(where.path, line, f"rulebook: {error}") from None
    return Rulebooks(tuple(versions))


def _rule_fields(base: Rulebooks) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for book in base:
        for rule in book.rules:
            if attrs.has(type(rule)):
                found.setdefault(rule.rule_id, tuple(f.name for f in fields_of(type(rule))))
    return found


def _changes(base: Rulebooks, loc: Located, where: Where) -> dict[str, dict[str, Located]]:
    """The parameters to change, by rule id then parameter name."""
    if not loc.is_mapping:
        raise SpecError(where.path, loc.line, 'parameters: is a mapping, e.g. session_rate: "66.00"')
    rules = _rule_fields(base)
    changes: dict[str, dict[str, Located]] = {}
    for key, item in loc.items():
        if key.upper() in rules:
            if not item.is_mapping:
                raise SpecError(
                    where.path,
                    item.line,
                    f"under {key.upper()} give its parameters, e.g. {key.upper()}: {{name: value}}",
                )
            for field, value in item.items():
                changes.setdefault(key.upper(), {})[normalise(field)] = value
            continue
        field = normalise(key)
        owners = [rule_id for rule_id, fields in rules.items() if field in fields]
        if len(owners) > 1:
            example = f"{owners[0]}: {{{field}: ...}}"
            reason = f"parameter {key!r} belongs to {' and '.join(owners)}: write it under one, e.g. {example}"
            raise SpecError(where.path, item.key_line, reason)
        if not owners:
            known = sorted({*rules, *(f for fields in rules.values() for f in fields)})
            raise SpecError(where.path, item.key_line, f"no rule has a parameter {key!r}{nearest(field, known)}")
        changes.setdefault(owners[0], {})[field] = item
    return changes


def _changed(book: Rulebook, rule_id: str, fields: Mapping[str, Located], where: Where) -> Rule | None:
    """The rule ``rule_id`` of ``book`` with ``fields`` changed (``None`` if this version has no such rule)."""
    try:
        rule = book.rule_by_id(rule_id)
    except UnknownRule:
        return None
    cls = type(rule)
    names, hints = [f.name for f in fields_of(cls)], hints_of(cls)
    rule_where = Where(where.path, where.zone)
    kwargs: dict[str, Any] = {}
    for field, loc in fields.items():
        if field not in names:
            known = ", ".join(names) or "none"
            reason = f"{rule_id} has no parameter {field!r}{nearest(field, names)} (its parameters: {known})"
            raise SpecError(where.path, loc.key_line, reason)
        kwargs[field] = convert(loc, hints[field], rule_where, cls.__name__, field)
    try:
        changed: Rule = attrs.evolve(rule, **kwargs)  # type: ignore[misc]
        check_fields(changed)
    except InvalidValue as error:
        line = rule_where.line_of(error.field, next(iter(fields.values())).line)
        raise SpecError(where.path, line, f"{rule_id}: {error}") from None
    except (PastoralCoreError, TypeError, ValueError) as error:
        raise SpecError(where.path, next(iter(fields.values())).line, f"{rule_id}: {error}") from None
    return changed
