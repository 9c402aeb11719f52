"""The cattrs converter's type hooks: strict JSON types, datetimes with zones, tagged events."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import json
import re
import typing
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union, include_subclasses

from pastoral_core.eventlog._registry import TYPE_KEY, Event, TypeRegistry, added_fields
from pastoral_core.exceptions import PastoralCoreError
from pastoral_core.values import STORED_EARLIEST, STORED_LATEST, require_aware

T = TypeVar("T")


class Unreadable(ValueError):
    """A value the hooks refuse; its message is safe to show (it never quotes the value)."""


def _strict(kind: type[T], label: str) -> Callable[[object, type], T]:
    def structure(value: object, _: type) -> T:
        if type(value) is not kind:
            raise TypeError(f"expected {label}, got {type(value).__name__}")
        return value

    return structure


# C0 and C1 controls and DEL but tab, newline and carriage return: never in stored text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def structure_str(value: object, _: type) -> str:
    """A stored string: no lone surrogate (it cannot be written as UTF-8) and no control character."""
    if type(value) is not str:
        raise TypeError(f"expected a string, got {type(value).__name__}")
    if value.isprintable():  # the usual case, in C: no control character, no surrogate
        return value
    if not value.isascii():
        surrogate = _SURROGATE.search(value)
        if surrogate:
            raise Unreadable(f"a lone surrogate at character {surrogate.start() + 1}")
    control = _CONTROL.search(value)
    if control:
        raise Unreadable(f"a control character at character {control.start() + 1}")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return value


_ZONED = re.compile(r"^(?P<iso>[^\[\]]+)(?:\[(?P<zone>[A-Za-z0-9_+\-/]+)\])?$")


def _unstructure_datetime(value: dt.datetime) -> str:
    """ISO 8601 with offset, plus the IANA zone in brackets when there is one (RFC 9557).

    Keeping the zone makes the round trip exact: by PEP 495 an ambiguous wall time in
    Europe/London never equals the same instant in a fixed-offset zone.
    """
    text = value.isoformat()
    if isinstance(value.tzinfo, ZoneInfo) and value.tzinfo.key:
        text += f"[{value.tzinfo.key}]"
    return text


def structure_datetime(value: object, _: type) -> dt.datetime:
    """A stored datetime: ISO 8601 with an offset, optionally its IANA zone in brackets."""
    if type(value) is str:
        return moment_of(value)
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    return _parse_datetime(value)


#: How many distinct datetime texts the decoder remembers. A log repeats them (a record's
#: ``recorded_at`` and ``occurred_at``, a batch's metadata); datetimes are immutable, so
#: the same text may give the same object. A text that fails is never remembered.
DATETIME_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=DATETIME_CACHE_SIZE)
def moment_of(value: str) -> dt.datetime:
    """A stored datetime's text (a ``str``) as the datetime :func:`structure_datetime` makes of it.

    Raises:
        Unreadable: If it is not ISO 8601 with an offset, or its zone is unknown or contradicts it.
    """
    return _parse_datetime(value)


def _parse_datetime(value: str) -> dt.datetime:
    match = _ZONED.match(value)
    if not match:
        raise Unreadable("not an ISO 8601 datetime")
    moment = require_aware(dt.datetime.fromisoformat(match["iso"]), "datetime")
    if match["zone"]:
        try:
            zone = ZoneInfo(match["zone"])
        except Exception:
            raise Unreadable("unknown time zone") from None
        zoned = moment.astimezone(zone)
        if zoned.utcoffset() != moment.utcoffset():
            raise Unreadable("the offset contradicts the time zone in brackets")
        moment = zoned
    return moment


def _structure_date(value: object, _: type) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 date string, got {type(value).__name__}")
    day = dt.date.fromisoformat(value)
    if not STORED_EARLIEST <= day <= STORED_LATEST:
        raise Unreadable(f"a date outside {STORED_EARLIEST.year}-{STORED_LATEST.year}")
    return day


def _structure_time(value: object, _: type) -> dt.time:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 time string, got {type(value).__name__}")
    return dt.time.fromisoformat(value)


def _structure_decimal(value: object, _: type) -> decimal.Decimal:
    if not isinstance(value, str):
        raise TypeError(f"expected a decimal string, got {type(value).__name__}")
    result = decimal.Decimal(value)
    if not result.is_finite():
        raise Unreadable("expected a finite decimal")
    return result


def _is_set_type(tp: Any) -> bool:
    return tp in (frozenset, set) or typing.get_origin(tp) in (frozenset, set)


def _is_homogeneous_collection(tp: Any) -> bool:
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if origin is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return origin is frozenset and len(args) == 1


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True)


def build_converter(events: TypeRegistry, commands: TypeRegistry, detailed: bool) -> cattrs.Converter:
    """One converter for events (a tagged union on ``event_type``), commands and records.

    Strict about JSON types (no string where a number goes, no string split into a tuple
    of characters); sets written sorted so the same value always gives the same bytes.

    Args:
        events: The event registry (its classes form the tagged union).
        commands: The command registry (each command class is structured by its own hook).
        detailed: Whether to collect detailed validation errors (the slow, second pass).
    """
    conv = cattrs.Converter(detailed_validation=detailed, forbid_extra_keys=True)
    conv.register_structure_hook(str, structure_str)
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(int, _structure_int)
    conv.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    conv.register_structure_hook(dt.datetime, structure_datetime)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.time, dt.time.isoformat)
    conv.register_structure_hook(dt.time, _structure_time)
    conv.register_unstructure_hook(decimal.Decimal, str)
    conv.register_structure_hook(decimal.Decimal, _structure_decimal)

    def unstructure_set(value: frozenset[Any]) -> list[Any]:
        return sorted((conv.unstructure(v) for v in value), key=_sort_key)

    conv.register_unstructure_hook_factory(_is_set_type, lambda _: unstructure_set)

    def omitting_added_defaults(tp: type) -> Callable[[Any], dict[str, Any]]:
        overrides: dict[str, Any] = {name: override(omit_if_default=True) for name in added_fields(tp)}
        return make_dict_unstructure_fn(tp, conv, **overrides)

    conv.register_unstructure_hook_factory(
        lambda tp: isinstance(tp, type) and bool(added_fields(tp)), omitting_added_defaults
    )

    # Collections come as JSON arrays only: cattrs alone would turn "gp-1" into a tuple
    # of characters. cattrs' own tuple factory does the element work.
    def structure_collection(tp: Any) -> Callable[[object, type], Any]:
        element = typing.get_args(tp)[0]
        as_tuple = homogenous_tuple_structure_factory(tuple[element, ...], conv)  # type: ignore[valid-type]
        build = frozenset if typing.get_origin(tp) is frozenset else tuple

        def structure(value: object, _: type) -> Any:
            if not isinstance(value, list | tuple):
                raise TypeError(f"expected an array, got {type(value).__name__}")
            return build(as_tuple(value, tp))

        return structure

    conv.register_structure_hook_factory(_is_homogeneous_collection, structure_collection)

    def enum_by_value(cls: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
        allowed = ", ".join(repr(m.value) for m in cls)
        # the usual value found in a dict by its exact type and value; anything else (a
        # flag's combination, a value the enum's _missing_ reads) by the enum's own call
        members = {(type(m.value), m.value): m for m in cls}

        def structure(value: object, _: type) -> enum.Enum:
            try:
                return members[type(value), value]
            except (KeyError, TypeError):
                pass
            try:
                return cls(value)
            except (ValueError, TypeError):
                raise Unreadable(f"not a {cls.__name__} (one of {allowed})") from None

        return structure

    conv.register_structure_hook_factory(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), enum_by_value)
    tags = {entry.cls: entry.name for entry in events}
    tags[Event] = "event"
    include_subclasses(
        Event,
        conv,
        subclasses=tuple(entry.cls for entry in events),
        union_strategy=partial(configure_tagged_union, tag_generator=tags.__getitem__, tag_name=TYPE_KEY),
    )
    return conv


def format_exception(exc: BaseException, type_: type | None) -> str:
    """How a structuring error reads in a ``CodecError`` (never quoting the value)."""
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        names = sorted(exc.extra_fields)
        if all(len(n) <= 40 and n.isidentifier() for n in names):
            return f"unexpected field(s) {names}"
        return f"{len(names)} unexpected field(s)"
    name = getattr(type_, "__name__", repr(type_))
    if isinstance(exc, TypeError | Unreadable | PastoralCoreError):
        return f"invalid value for {name}: {exc}"
    return f"invalid value for {name}"
