"""One cattrs converter for every event and record; JSON-lines on strings (no files)."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.strategies import configure_tagged_union, include_subclasses

from pastoral_core._time import require_aware
from pastoral_core.eventlog._recorded import Metadata, RecordedEvent
from pastoral_core.eventlog._registry import (
    EVENTS,
    TYPE_KEY,
    VERSION_KEY,
    Event,
    EventRegistry,
    UnknownEventType,
)

T = TypeVar("T")


class CodecError(ValueError):
    """Input could not be decoded; names the record and the field path.

    Attributes:
        record: 1-based line / record number in the input, or ``None`` for a single dict.
        path: Field path such as ``$.event.text`` (``$`` is the whole record).
        reason: What was wrong.

    """

    def __init__(self, record: int | None, path: str, reason: str) -> None:
        where = f"record {record}" if record is not None else "record"
        super().__init__(f"{where}: {reason} @ {path}")
        self.record = record
        self.path = path
        self.reason = reason


def _strict(kind: type[T], label: str) -> Callable[[object, type], T]:
    def structure(value: object, _: type) -> T:
        if type(value) is not kind:
            raise TypeError(f"expected {label}, got {type(value).__name__}")
        return value

    return structure


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


def _structure_datetime(value: object, _: type) -> dt.datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    match = _ZONED.match(value)
    if not match:
        raise ValueError(f"{value!r} is not an ISO 8601 datetime")
    moment = require_aware(dt.datetime.fromisoformat(match["iso"]), "datetime")
    if match["zone"]:
        try:
            zone = ZoneInfo(match["zone"])
        except Exception:
            raise ValueError(f"unknown time zone {match['zone']!r}") from None
        moment = moment.astimezone(zone)
    return moment


def _structure_date(value: object, _: type) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 date string, got {type(value).__name__}")
    return dt.date.fromisoformat(value)


def _structure_time(value: object, _: type) -> dt.time:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 time string, got {type(value).__name__}")
    return dt.time.fromisoformat(value)


def _structure_decimal(value: object, _: type) -> decimal.Decimal:
    if not isinstance(value, str):
        raise TypeError(f"expected a decimal string, got {type(value).__name__}")
    result = decimal.Decimal(value)
    if not result.is_finite():
        raise ValueError(f"expected a finite decimal, got {value!r}")
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


def _build_converter(registry: EventRegistry, detailed: bool) -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=detailed, forbid_extra_keys=True)
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(int, _structure_int)
    conv.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.time, dt.time.isoformat)
    conv.register_structure_hook(dt.time, _structure_time)
    conv.register_unstructure_hook(decimal.Decimal, str)
    conv.register_structure_hook(decimal.Decimal, _structure_decimal)

    # Sets serialise sorted, so the same value always gives the same bytes (digests).
    def unstructure_set(value: frozenset[Any]) -> list[Any]:
        return sorted((conv.unstructure(v) for v in value), key=_sort_key)

    conv.register_unstructure_hook_factory(_is_set_type, lambda _: unstructure_set)

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
        def structure(value: object, _: type) -> enum.Enum:
            return cls(value)

        return structure

    conv.register_structure_hook_factory(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), enum_by_value)
    tags = {entry.cls: entry.name for entry in registry}
    tags[Event] = "event"
    include_subclasses(
        Event,
        conv,
        subclasses=tuple(entry.cls for entry in registry),
        union_strategy=partial(configure_tagged_union, tag_generator=tags.__getitem__, tag_name=TYPE_KEY),
    )
    return conv


def _format_exception(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unexpected field(s) {sorted(exc.extra_fields)}"
    name = getattr(type_, "__name__", repr(type_))
    return f"invalid value for {name}: {exc}"


class Codec:
    """Turns events and recorded events into plain dicts / JSON lines and back.

    One cattrs converter per registry state. Events are a tagged union on our own type
    tag (``event_type``) plus ``schema_version``; old versions are upcast on the raw dict
    before structuring. Decoding takes a fast path (no detailed validation) and, only if
    that fails, a second detailed pass whose error names the record and field path.

    Args:
        registry: The event registry to use (default: :data:`EVENTS`).

    """

    def __init__(self, registry: EventRegistry = EVENTS) -> None:
        self._registry = registry
        self._built_at = -1
        self._fast: cattrs.Converter = cattrs.Converter()
        self._detailed: cattrs.Converter = cattrs.Converter()

    @property
    def registry(self) -> EventRegistry:
        """The registry this codec reads type names and versions from."""
        return self._registry

    def _converters(self) -> tuple[cattrs.Converter, cattrs.Converter]:
        if self._built_at != self._registry.generation:
            self._fast = _build_converter(self._registry, detailed=False)
            self._detailed = _build_converter(self._registry, detailed=True)
            self._built_at = self._registry.generation
        return self._fast, self._detailed

    # -- events -----------------------------------------------------------------------

    def event_to_dict(self, event: Event) -> dict[str, Any]:
        """Unstructure an event: its fields plus ``event_type`` and ``schema_version``.

        Raises:
            UnknownEventType: If the event's class is not registered.

        """
        entry = self._registry.of_class(type(event))
        fast, _ = self._converters()
        data: dict[str, Any] = fast.unstructure(event, Event)
        data[VERSION_KEY] = entry.version
        return data

    def event_from_dict(self, data: Mapping[str, Any]) -> Event:
        """Structure one event dict (upcasting old versions first).

        Raises:
            CodecError: If the dict is not a valid event.

        """
        return self._decode(None, data, Event, self._prepare_event)

    def _prepare_event(self, data: Any, path: str) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise _Bad(path, f"expected an object, got {type(data).__name__}")
        fields = dict(data)
        if TYPE_KEY not in fields:
            raise _Bad(f"{path}.{TYPE_KEY}", "required field missing")
        if VERSION_KEY not in fields:
            raise _Bad(f"{path}.{VERSION_KEY}", "required field missing")
        name = fields.pop(TYPE_KEY)
        version = fields.pop(VERSION_KEY)
        try:
            upcast = self._registry.upcast(name, version, fields)
        except UnknownEventType as exc:
            raise _Bad(f"{path}.{TYPE_KEY}", str(exc)) from None
        upcast[TYPE_KEY] = name
        return upcast

    # -- recorded events --------------------------------------------------------------

    def to_dict(self, record: RecordedEvent) -> dict[str, Any]:
        """Unstructure a recorded event into JSON-ready plain data."""
        fast, _ = self._converters()
        return {
            "stream_id": record.stream_id,
            "stream_version": record.stream_version,
            "position": record.position,
            "metadata": fast.unstructure(record.metadata, Metadata),
            "event": self.event_to_dict(record.event),
            "payload_digest": record.payload_digest,
            "digest": record.digest,
        }

    def metadata_to_dict(self, metadata: Metadata) -> dict[str, Any]:
        """Unstructure metadata (used by the integrity digests)."""
        fast, _ = self._converters()
        result: dict[str, Any] = fast.unstructure(metadata, Metadata)
        return result

    def from_dict(self, data: Mapping[str, Any], *, record: int | None = None) -> RecordedEvent:
        """Structure one recorded event, upcasting its event if needed.

        Args:
            data: The plain dict, as produced by :meth:`to_dict`.
            record: Record number to name in errors.

        Raises:
            CodecError: Naming the record and field path of the first problem.

        """
        return self._decode(record, data, RecordedEvent, self._prepare_record)

    def _prepare_record(self, data: Any, path: str) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise _Bad(path, f"expected an object, got {type(data).__name__}")
        prepared = dict(data)
        if "event" not in prepared:
            raise _Bad(f"{path}.event", "required field missing")
        prepared["event"] = self._prepare_event(prepared["event"], f"{path}.event")
        return prepared

    def _decode(
        self,
        record: int | None,
        data: Any,
        cls: type[T],
        prepare: Callable[[Any, str], dict[str, Any]],
    ) -> T:
        try:
            prepared = prepare(data, "$")
        except _Bad as bad:
            raise CodecError(record, bad.path, bad.reason) from None
        fast, detailed = self._converters()
        try:
            return fast.structure(prepared, cls)
        except Exception:
            pass
        try:
            detailed.structure(prepared, cls)
        except cattrs.BaseValidationError as exc:
            message = cattrs.transform_error(exc, path="$", format_exception=_format_exception)[0]
            reason, _, path = message.rpartition(" @ ")
            raise CodecError(record, path, reason) from None
        except Exception as exc:
            raise CodecError(record, "$", f"{type(exc).__name__}: {exc}") from None
        raise CodecError(record, "$", "could not be decoded")  # pragma: no cover

    # -- JSON lines -------------------------------------------------------------------

    def dumps(self, records: Iterable[RecordedEvent]) -> str:
        """Serialise recorded events as JSON lines (one record per line, UTF-8 text)."""
        return "".join(json.dumps(self.to_dict(r), ensure_ascii=False, sort_keys=True) + "\n" for r in records)

    def loads(self, text: str) -> tuple[RecordedEvent, ...]:
        """Parse JSON lines into recorded events; all or nothing.

        Blank lines are ignored. The record number in errors is the line number.

        Raises:
            CodecError: On the first malformed line; no partial result is returned.

        """
        if not isinstance(text, str):
            raise CodecError(None, "$", f"expected text, got {type(text).__name__}")
        return tuple(self.from_dict(raw, record=line_no) for line_no, raw in parse_json_lines(text))


def parse_json_lines(text: str) -> list[tuple[int, Any]]:
    """Parse JSON lines into ``(line number, value)`` pairs, skipping blank lines.

    Raises:
        CodecError: If a line is not valid JSON.

    """
    parsed: list[tuple[int, Any]] = []
    # Split on "\n" only: str.splitlines() would also split inside JSON strings holding
    # U+0085, U+2028 and other separators (dumps writes them raw).
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            parsed.append((line_no, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise CodecError(line_no, "$", f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    return parsed


class _Bad(Exception):
    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason


#: The codec over the default registry.
DEFAULT_CODEC = Codec()


def to_dict(record: RecordedEvent) -> dict[str, Any]:
    """Unstructure a recorded event with the default codec."""
    return DEFAULT_CODEC.to_dict(record)


def from_dict(data: Mapping[str, Any]) -> RecordedEvent:
    """Structure a recorded event with the default codec.

    Raises:
        CodecError: If the dict is malformed.

    """
    return DEFAULT_CODEC.from_dict(data)


def dumps(records: Iterable[RecordedEvent]) -> str:
    """Serialise recorded events as JSON lines with the default codec."""
    return DEFAULT_CODEC.dumps(records)


def loads(text: str) -> tuple[RecordedEvent, ...]:
    """Parse JSON lines with the default codec (all or nothing).

    Raises:
        CodecError: Naming the line and field path of the first problem.

    """
    return DEFAULT_CODEC.loads(text)
