"""Checking a value against its annotation, field by field, with errors that name the field."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import re
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import attrs

from pastoral_core.exceptions import InvalidType, InvalidValue, NaiveDatetimeError
from pastoral_core.values._vocabulary import (
    DECIMAL_RANGE,
    EARLIEST,
    ID,
    INT_RANGE,
    LABEL,
    LATEST,
    MAX_ITEMS,
    Range,
    TextKind,
)

_MIN_EXPONENT = -20

#: What the log writes in place of redacted text; no text may look like one, or it would
#: pass for destroyed text (and carry a digest of the writer's choosing).
TOMBSTONE = re.compile(r"<redacted (?:hmac-)?sha256=[0-9a-f]{64}>")

# C0 and C1 controls and DEL, but tab and newline: what free text may not hold.
_CONTROL_IN_FREE_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: The only time zones a command may carry: an IANA zone, or a fixed offset.
_ZONES = (ZoneInfo, dt.timezone)


class _Problem(Exception):
    def __init__(self, path: str, reason: str, wrong_type: bool = False, naive: bool = False) -> None:
        self.path = path
        self.reason = reason
        self.error = InvalidType if wrong_type else NaiveDatetimeError if naive else InvalidValue


# -- the checks ------------------------------------------------------------------------------

Check = Callable[[Any, str], None]
_CHECKS: dict[Any, Check] = {}
_HINTS: dict[type, tuple[tuple[str, Check], ...]] = {}


def _kind_of(value: object) -> str:
    return type(value).__name__


def _check_text(kind: TextKind) -> Check:
    def check(value: Any, path: str) -> None:
        if type(value) is not str:
            raise _Problem(path, f"expected {kind.name} (a string), got {_kind_of(value)}", wrong_type=True)
        if len(value) > kind.max_chars:
            raise _Problem(path, f"{kind.name} is limited to {kind.max_chars:,} characters, got {len(value):,}")
        if kind.required and not value.strip():
            raise _Problem(path, f"{kind.name} must not be empty or blank")
        if kind is ID and value != value.strip():
            raise _Problem(path, "an id must not start or end with spaces")
        if TOMBSTONE.fullmatch(value):
            raise _Problem(path, "looks like redacted text (a tombstone); it cannot be entered")
        if not kind.multiline:
            # One line: printable characters only (no control, format, private-use,
            # unassigned or surrogate code point; no space but the ASCII one).
            if not value.isprintable():
                where = next(n for n, ch in enumerate(value, start=1) if not ch.isprintable())
                raise _Problem(path, f"holds a character that is not printable at character {where}")
            return
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise _Problem(path, f"holds a lone surrogate at character {exc.start + 1}") from None
        control = _CONTROL_IN_FREE_TEXT.search(value)
        if control:
            raise _Problem(
                path, f"holds a control character at character {control.start() + 1} (only newline and tab are allowed)"
            )

    return check


def _check_int(bounds: Range) -> Check:
    def check(value: Any, path: str) -> None:
        if type(value) is not int:
            raise _Problem(path, f"expected a whole number, got {_kind_of(value)}", wrong_type=True)
        if not bounds.low <= value <= bounds.high:
            raise _Problem(path, f"must be between {bounds.low:,} and {bounds.high:,}")

    return check


def _check_decimal(bounds: Range) -> Check:
    def check(value: Any, path: str) -> None:
        if type(value) is not decimal.Decimal:
            raise _Problem(path, f"expected a Decimal, got {_kind_of(value)}", wrong_type=True)
        if not value.is_finite():
            raise _Problem(path, "must be a finite number (not NaN or infinity)")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < _MIN_EXPONENT:
            raise _Problem(path, f"has more than {-_MIN_EXPONENT} decimal places")
        if not bounds.low <= value <= bounds.high:
            raise _Problem(path, f"must be between {bounds.low:,} and {bounds.high:,}")

    return check


def _check_bool(value: Any, path: str) -> None:
    if type(value) is not bool:
        raise _Problem(path, f"expected true or false, got {_kind_of(value)}", wrong_type=True)


def _in_range(day: dt.date, path: str) -> None:
    if not EARLIEST <= day <= LATEST:
        raise _Problem(path, f"must fall between {EARLIEST.isoformat()} and {LATEST.isoformat()}")


def _check_datetime(value: Any, path: str) -> None:
    if type(value) is not dt.datetime:
        raise _Problem(path, f"expected a timezone-aware datetime, got {_kind_of(value)}", wrong_type=True)
    _in_range(value.date(), path)
    if value.tzinfo is not None and type(value.tzinfo) not in _ZONES:
        raise _Problem(path, "must carry a ZoneInfo or a fixed offset (datetime.timezone) as its zone", wrong_type=True)
    if value.tzinfo is None or value.utcoffset() is None:
        raise _Problem(
            path, "must be timezone-aware (rule TIME); attach a zone such as ZoneInfo('Europe/London')", naive=True
        )
    wall = value.replace(tzinfo=None, fold=0)
    if value.astimezone(dt.UTC).astimezone(value.tzinfo).replace(tzinfo=None, fold=0) != wall:
        raise _Problem(path, "is a wall-clock time that does not exist in its zone (the clocks went forward)")


def _check_date(value: Any, path: str) -> None:
    if type(value) is not dt.date:
        raise _Problem(path, f"expected a date, got {_kind_of(value)}", wrong_type=True)
    _in_range(value, path)


def _check_time(value: Any, path: str) -> None:
    if type(value) is not dt.time:
        raise _Problem(path, f"expected a time of day, got {_kind_of(value)}", wrong_type=True)
    if value.tzinfo is not None:
        raise _Problem(path, "must be a wall-clock time such as time(17, 0), without a zone")


def _check_enum(cls: type[enum.Enum]) -> Check:
    def check(value: Any, path: str) -> None:
        if type(value) is not cls:
            raise _Problem(path, f"expected a {cls.__name__}, got {_kind_of(value)}", wrong_type=True)

    return check


def _check_items(kind: type[tuple[Any, ...]] | type[frozenset[Any]], element: Check) -> Check:
    noun = "tuple" if kind is tuple else "frozenset"

    def check(value: Any, path: str) -> None:
        items: Any = value
        if type(items) is not kind:
            raise _Problem(path, f"expected a {noun}, got {_kind_of(value)}", wrong_type=True)
        if len(items) > MAX_ITEMS:
            raise _Problem(path, f"holds more than {MAX_ITEMS:,} items")
        for n, item in enumerate(items):
            element(item, f"{path}[{n}]")

    return check


def _check_fixed_tuple(elements: tuple[Check, ...]) -> Check:
    def check(value: Any, path: str) -> None:
        if type(value) is not tuple or len(value) != len(elements):
            raise _Problem(path, f"expected a tuple of {len(elements)} items, got {_kind_of(value)}", wrong_type=True)
        for n, (item, element) in enumerate(zip(value, elements, strict=True)):
            element(item, f"{path}[{n}]")

    return check


def _check_optional(inner: Check) -> Check:
    def check(value: Any, path: str) -> None:
        if value is not None:
            inner(value, path)

    return check


def _check_union(options: tuple[Check, ...]) -> Check:
    def check(value: Any, path: str) -> None:
        problems = []
        for option in options:
            try:
                option(value, path)
                return
            except _Problem as problem:
                problems.append(problem)
        raise problems[0]

    return check


def _check_attrs(cls: type) -> Check:
    def check(value: Any, path: str) -> None:
        if type(value) is not cls:
            raise _Problem(path, f"expected a {cls.__name__}, got {_kind_of(value)}", wrong_type=True)
        for name, field_check in _field_checks(cls):
            field_check(getattr(value, name), f"{path}.{name}")

    return check


def _build_check(tp: Any) -> Check:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        base, *extras = args
        for extra in extras:
            if isinstance(extra, TextKind):
                return _check_text(extra)
            if isinstance(extra, Range):
                return _check_int(extra) if base is int else _check_decimal(extra)
        return _check_for(base)
    if tp is str:
        return _check_text(LABEL)
    if tp is bool:
        return _check_bool
    if tp is int:
        return _check_int(INT_RANGE)
    if tp is decimal.Decimal:
        return _check_decimal(DECIMAL_RANGE)
    if tp is dt.datetime:
        return _check_datetime
    if tp is dt.date:
        return _check_date
    if tp is dt.time:
        return _check_time
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _check_enum(tp)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _check_items(tuple, _check_for(args[0]))
    if origin is tuple:
        return _check_fixed_tuple(tuple(_check_for(a) for a in args))
    if origin is frozenset:
        return _check_items(frozenset, _check_for(args[0]))
    if origin in (typing.Union, types.UnionType):
        options = tuple(a for a in args if a is not type(None))
        inner = _check_for(options[0]) if len(options) == 1 else _check_union(tuple(_check_for(a) for a in options))
        return _check_optional(inner) if len(options) < len(args) else inner
    if isinstance(tp, type) and attrs.has(tp):
        return _check_attrs(tp)
    raise TypeError(f"pastoral_core.values cannot check values of type {tp!r}")


def _check_for(tp: Any) -> Check:
    try:
        return _CHECKS[tp]
    except KeyError:
        check = _CHECKS[tp] = _build_check(tp)
        return check
    except TypeError:  # an unhashable annotation
        return _build_check(tp)


def _field_checks(cls: type) -> tuple[tuple[str, Check], ...]:
    found = _HINTS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls, include_extras=True)
        found = _HINTS[cls] = tuple((f.name, _check_for(hints[f.name])) for f in attrs.fields(cls))
    return found


def _raise(owner: str, problem: _Problem) -> typing.NoReturn:
    raise problem.error(owner, problem.path, problem.reason) from None


def check_fields(instance: Any) -> None:
    """Check every field of an attrs instance against its annotation.

    Raises:
        InvalidValue: Naming the class and the field path of the first problem.
        InvalidType: If that problem is a value of the wrong type.
    """
    cls = type(instance)
    for name, check in _field_checks(cls):
        try:
            check(getattr(instance, name), name)
        except _Problem as problem:
            _raise(cls.__name__, problem)
        except Exception as exc:  # a value whose own methods fail is refused, not let through
            raise InvalidType(cls.__name__, name, f"could not be checked ({type(exc).__name__})") from None


def check_value(value: Any, annotation: Any, owner: str, field: str) -> None:
    """Check one value against an annotation such as :data:`Id` or ``tuple[Label, ...]``.

    Raises:
        InvalidValue: Naming ``owner`` and ``field`` if the value does not fit.
        InvalidType: If it is of the wrong type.
    """
    try:
        _check_for(annotation)(value, field)
    except _Problem as problem:
        _raise(owner, problem)
    except Exception as exc:
        raise InvalidType(owner, field, f"could not be checked ({type(exc).__name__})") from None
