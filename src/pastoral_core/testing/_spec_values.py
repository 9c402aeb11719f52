"""A spec file's values made into the library's types, guided by each field's annotation.

Dates and times are written as people write them (``2026-12-24 16:00``, Europe/London
unless a zone follows), money as ``"66.00"``, enum members by value (``gp``,
``practice manager``), lists for tuples and sets, mappings for nested values. Every
field is then checked by the class it builds, so a bad value gets the library's own
:class:`~pastoral_core.exceptions.InvalidValue` message, at the line it was written on.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import re
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from pastoral_core.exceptions import InvalidValue, PastoralCoreError
from pastoral_core.testing._spec_yaml import Located, SpecError, StepError, nearest, normalise

T = TypeVar("T")

_UTC_NAMES = frozenset({"UTC", "Z"})
_ZONED = re.compile(r"^(?P<moment>.+?)(?:\s+(?P<zone>[A-Za-z][A-Za-z0-9_+\-/]*))?$")
_HAS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}")
_WHOLE = re.compile(r"^[-+]?\d+$")
_HINTS: dict[type, dict[str, Any]] = {}


def hints_of(cls: type) -> dict[str, Any]:
    """The annotations of an attrs class's fields (cached)."""
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls, include_extras=True)
    return found


def fields_of(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """The fields of an attrs class."""
    found: tuple[attrs.Attribute[Any], ...] = attrs.fields(typing.cast(Any, cls))
    return found


def bare(tp: Any) -> Any:
    """An annotation without its ``Annotated`` metadata (``Id`` -> ``str``)."""
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def parse_moment(text: str, zone: dt.tzinfo) -> dt.datetime:
    """``2026-12-24 16:00`` in ``zone``, ``2026-12-24 16:00 Europe/Edinburgh``, or ISO 8601 with an offset.

    Raises:
        ValueError: Saying what is expected.
    """
    match = _ZONED.match(text.strip())
    if match is None or not _HAS_TIME.match(match["moment"]):
        raise ValueError("expected a date and time such as 2026-12-24 16:00")
    try:
        moment = dt.datetime.fromisoformat(match["moment"])
    except ValueError:
        raise ValueError("expected a date and time such as 2026-12-24 16:00") from None
    named = match["zone"]
    if named is not None:
        try:
            zone = dt.UTC if named.upper() in _UTC_NAMES else ZoneInfo(named)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {named!r} (use a name such as Europe/London or UTC)") from None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


@attrs.define
class Where:
    """Where a value is being read: the file, the default zone, and the line of each field path.

    Attributes:
        path: The spec file.
        zone: The zone of times written without one.
        lines: Line of each field path read so far (``"recipients[0].kind"``).
    """

    path: str
    zone: dt.tzinfo
    lines: dict[str, int] = attrs.field(factory=dict)

    def fail(self, line: int, owner: str, field: str, reason: str) -> SpecError:
        """A :class:`SpecError` worded as the library's ``InvalidValue`` (``Owner.field: reason``)."""
        return SpecError(self.path, line, str(InvalidValue(owner, field, reason)))

    def line_of(self, field: str, default: int) -> int:
        """The line of ``field``, or of the nearest enclosing field read, else ``default``."""
        while field:
            if field in self.lines:
                return self.lines[field]
            field = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", field) if re.search(r"[.\[]", field) else ""
        return default


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def convert(loc: Located, tp: Any, where: Where, owner: str, path: str) -> Any:
    """``loc`` as a value of annotation ``tp`` (checked fully when the class holding it is built).

    Raises:
        SpecError: If it cannot be read as that kind of value at all.
    """
    where.lines.setdefault(path, loc.line)
    kind = bare(tp)
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        if loc.value is None and len(options) < len(typing.get_args(kind)):
            return None
        if len(options) == 1:
            return convert(loc, options[0], where, owner, path)
        return loc.plain()
    if kind is Any or kind is object:
        return loc.plain()
    if isinstance(kind, type) and attrs.has(kind):
        return build(kind, loc, where, owner, path)
    if origin in (tuple, frozenset, set, list) or kind in (tuple, frozenset, set, list):
        return _collection(loc, kind, where, owner, path)
    if origin in (dict, Mapping) or kind is dict:
        return _mapping(loc, kind, where, owner, path)
    if not isinstance(kind, type) or loc.is_mapping or loc.is_list:
        return loc.plain()
    if issubclass(kind, enum.Enum):
        return _member(loc, kind, where, owner, path)
    if kind is dt.datetime:
        return convert_time(loc, where, owner, path)
    try:
        return _scalar(loc, kind)
    except ValueError as error:
        raise where.fail(loc.line, owner, path, str(error)) from None


def _scalar(loc: Located, kind: type) -> Any:
    text, value = loc.text, loc.value
    if text is None or value is None:
        return value
    if kind is bool or kind is str:
        return value if kind is bool or isinstance(value, str) else text
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool) and not _WHOLE.match(text):
            raise ValueError(f"expected a whole number such as 90, got {text!r}")
        return value
    if kind is decimal.Decimal:
        return _amount(loc)
    if kind is dt.date:
        if _HAS_TIME.match(text) or not re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()):
            raise ValueError(f"expected a date such as 2026-12-24, got {text!r}")
        return dt.date.fromisoformat(text.strip())
    if kind is dt.time:
        try:
            return dt.time.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"expected a time of day such as 17:00, got {text!r}") from None
    return value


def _amount(loc: Located) -> Any:
    text, value = loc.text or "", loc.value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return value
    cleaned = text.strip().removeprefix("£").replace(",", "")
    try:
        amount = decimal.Decimal(cleaned)
    except decimal.InvalidOperation:
        raise ValueError(f'expected an amount such as "66.00", got {text!r}') from None
    if not amount.is_finite():
        raise ValueError(f'expected an amount such as "66.00", got {text!r}')
    return amount


def convert_time(loc: Located, where: Where, owner: str, path: str) -> dt.datetime:
    """A date and time (``2026-12-24 16:00``, in the spec's zone unless one is written).

    Raises:
        SpecError: If it is not one.
    """
    where.lines.setdefault(path, loc.line)
    if not isinstance(loc.value, str):
        raise where.fail(
            loc.line, owner, path, f"expected a date and time such as 2026-12-24 16:00, got {loc.describe()}"
        )
    try:
        return parse_moment(loc.value, where.zone)
    except ValueError as error:
        raise where.fail(loc.line, owner, path, f"{error}, got {loc.value!r}") from None


def _member(loc: Located, kind: type[enum.Enum], where: Where, owner: str, path: str) -> enum.Enum:
    text = loc.text if loc.text is not None else str(loc.value)
    key = normalise(text)
    for member in kind:
        if normalise(str(member.value)) == key or member.name.lower() == key:
            return member
    values = [str(m.value) for m in kind]
    reason = f"{text!r} is not a {kind.__name__} (one of {', '.join(values)}){nearest(key, values)}"
    raise where.fail(loc.line, owner, path, reason)


def _collection(loc: Located, kind: Any, where: Where, owner: str, path: str) -> Any:
    if not loc.is_list:
        raise where.fail(loc.line, owner, path, f"expected a list such as [a, b], got {loc.describe()}")
    args = typing.get_args(kind)
    origin = typing.get_origin(kind) or kind
    items: list[Located] = loc.value
    if origin is tuple and args and args[-1] is not Ellipsis:
        if len(items) != len(args):
            raise where.fail(loc.line, owner, path, f"expected a list of {len(args)} items, got {len(items)}")
        return tuple(
            convert(i, a, where, owner, f"{path}[{n}]") for n, (i, a) in enumerate(zip(items, args, strict=True))
        )
    element = args[0] if args else Any
    values = [convert(item, element, where, owner, f"{path}[{n}]") for n, item in enumerate(items)]
    return origin(values) if origin in (tuple, frozenset, set) else values


def _mapping(loc: Located, kind: Any, where: Where, owner: str, path: str) -> dict[Any, Any]:
    if not loc.is_mapping:
        raise where.fail(loc.line, owner, path, f"expected a mapping, got {loc.describe()}")
    args = typing.get_args(kind)
    value_type = args[1] if len(args) == 2 else Any
    return {key: convert(item, value_type, where, owner, _join(path, key)) for key, item in loc.items()}


def build(
    cls: type[T],
    loc: Located,
    where: Where,
    owner: str,
    path: str = "",
    defaults: Mapping[str, Any] | None = None,
    label: str | None = None,
) -> T:
    """An instance of attrs class ``cls`` from a mapping of its fields.

    Args:
        cls: The class to build.
        loc: A mapping of field names (spaces allowed for underscores) to values.
        where: The file and lines.
        owner: Whose field this is, in messages (the outermost class built).
        path: The field path of this value within ``owner``.
        defaults: Values, already made, for fields the mapping leaves out (a command's
            id, actor and role).
        label: What to call it in messages (``hold_session``).

    Raises:
        SpecError: At the line of the field at fault.
    """
    name = label or cls.__name__
    if not loc.is_mapping:
        raise where.fail(loc.line, owner, path, f"expected the fields of {name} as a mapping, got {loc.describe()}")
    fields = {f.name: f.alias or f.name for f in fields_of(cls) if f.init}
    required = [f.name for f in fields_of(cls) if f.init and f.default is attrs.NOTHING]
    hints = hints_of(cls)
    kwargs: dict[str, Any] = {}
    for key, item in loc.items():
        field = normalise(key)
        if field not in fields:
            known = sorted(fields)
            reason = f"{name} has no field {key!r}{nearest(field, known)} (its fields: {', '.join(known) or 'none'})"
            raise where.fail(item.key_line, owner, _join(path, key), reason)
        kwargs[fields[field]] = convert(item, hints[field], where, owner, _join(path, field))
    for field, value in (defaults or {}).items():
        kwargs.setdefault(fields[field], value)
    missing = [f for f in required if fields[f] not in kwargs]
    if missing:
        raise where.fail(loc.line, owner, path, f"{name} needs {', '.join(missing)}")
    return construct(cls, kwargs, where, owner, path, loc.line)


def construct(cls: type[T], kwargs: Mapping[str, Any], where: Where, owner: str, path: str, line: int) -> T:
    """``cls(**kwargs)``, its own checks' errors pointed at the line of the field at fault.

    Raises:
        StepError: If the class refuses a value (``InvalidValue``: its full field path).
        SpecError: If it fails otherwise.
    """
    try:
        return cls(**kwargs)
    except InvalidValue as error:  # a spec may expect this refusal of its input (then: invalid:)
        full = InvalidValue(owner, _join(path, error.field), error.reason)
        raise StepError(where.path, where.line_of(full.field, line), str(full), full) from None
    except (PastoralCoreError, TypeError, ValueError) as error:
        raise where.fail(line, owner, path, str(error)) from None
