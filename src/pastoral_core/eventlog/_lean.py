"""The lean decode path: a stored record of the usual shape, without cattrs' generic dispatch.

The envelope around every event (:class:`RecordedEvent`, its :class:`Metadata`, its
:class:`DecisionRecord` and the decision's verdicts) has a fixed shape, so it is built
here by hand, with the converter's own hooks for each string, integer and datetime and
the classes' own validators. An event of its current version is structured by a hook
cattrs makes as the converter makes it, but taking the two tags (its keys are checked
here against the fields the hook reads); an event class with a field that hook does not
read (``init=False``, an override) goes through the converter's own hook.

The lean path only ever *accepts*: anything odd (a missing or extra key, a value of the
wrong JSON type, a string the hooks refuse, an old schema version whose upcast fails)
gives ``None``, and the codec then takes its two-pass path on the same data, which
returns the same record or raises the detailed :class:`~pastoral_core.exceptions.CodecError`.
Whatever it accepts, it builds equal to what the fast cattrs pass builds.

Verdicts repeat from record to record (the same rule passing for the same role), so
they are remembered by their exact content: a verdict is immutable, and equal stored
content always structures to an equal verdict.
"""

from __future__ import annotations

import datetime as dt
import sys
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

from pastoral_core.eventlog._converter import moment_of, structure_datetime, structure_str
from pastoral_core.eventlog._decoding import Bad, prepare_tagged
from pastoral_core.eventlog._recorded import DecisionRecord, Fact, Metadata, RecordedEvent, misplaced
from pastoral_core.eventlog._registry import TYPE_KEY, VERSION_KEY, Event, TypeRegistry
from pastoral_core.rules import Verdict

T = TypeVar("T")

#: The fields this module builds by hand, in each class's order (a test keeps them in step).
RECORD_FIELDS = (
    "stream_id",
    "stream_version",
    "position",
    "event",
    "metadata",
    "payload_digest",
    "digest",
    "decision",
    "chain",
    "key_id",
)
METADATA_FIELDS = (
    "actor",
    "command_id",
    "recorded_at",
    "rulebook_version",
    "correlation_id",
    "role",
    "command_type",
    "occurred_at",
    "organisation",
)
DECISION_FIELDS = ("verdicts", "command", "fingerprint")
VERDICT_FIELDS = ("rule_id", "outcome", "message", "citation", "parameters")
CITATION_FIELDS = ("source", "clause")

_RECORD_KEYS = frozenset(RECORD_FIELDS)
_METADATA_KEYS = frozenset(METADATA_FIELDS)
_DECISION_KEYS = frozenset(DECISION_FIELDS)
_TAGS = frozenset((TYPE_KEY, VERSION_KEY))

#: How many distinct verdicts one decoder remembers (then it starts again).
VERDICT_CACHE_SIZE = 4096

VerdictKey = tuple[str, str, str, str, str, tuple[tuple[str, str], ...]]
_Current = tuple[type, int, frozenset[str] | None, Callable[[Any, type], Any]]  # keys None: the hook checks them


class _Odd(Exception):
    """The data is not of the usual shape: the codec's two-pass path will say why, if anything."""


def _text(value: object) -> str:
    return structure_str(value, str)


def _optional_text(value: object) -> str | None:
    return None if value is None else structure_str(value, str)


def _moment(value: object) -> dt.datetime:
    return structure_datetime(value, dt.datetime)


def _optional_moment(value: object) -> dt.datetime | None:
    return None if value is None else structure_datetime(value, dt.datetime)


def _verdict_key(raw: object) -> VerdictKey:
    """The exact content of a stored verdict, or :class:`_Odd` if it is not of the usual shape.

    Only exact ``str`` values are taken, so equal keys always mean equal stored content
    (``1``, ``1.0`` and ``True`` are equal in Python, but never strings).
    """
    if type(raw) is not dict or len(raw) != len(VERDICT_FIELDS):
        raise _Odd
    citation = raw["citation"]
    stored = raw["parameters"]
    if type(citation) is not dict or len(citation) != len(CITATION_FIELDS) or type(stored) is not list:
        raise _Odd
    rule_id, outcome, message = raw["rule_id"], raw["outcome"], raw["message"]
    source, clause = citation["source"], citation["clause"]
    if not (type(rule_id) is type(outcome) is type(message) is type(source) is type(clause) is str):
        raise _Odd
    return rule_id, outcome, message, source, clause, tuple([_parameter(pair) for pair in stored]) if stored else ()


def _parameter(pair: object) -> tuple[str, str]:
    if type(pair) is not list or len(pair) != 2:
        raise _Odd
    name, value = pair
    if not (type(name) is type(value) is str):
        raise _Odd
    return name, value


def _or_none(build: Callable[[object], T], data: object) -> T | None:
    """What ``build`` makes of ``data``, or ``None`` where it fails (the two-pass path says why, if anything)."""
    try:
        return build(data)
    except Exception:
        return None


class LeanDecoder:
    """Builds recorded events of the usual shape; ``None`` for anything else.

    One per codec and converter generation (the event registry and the fast converter
    it was built from are fixed).

    Args:
        registry: The event registry (type names and current schema versions).
        fast: The codec's fast converter (no detailed validation).
    """

    def __init__(self, registry: TypeRegistry, fast: cattrs.Converter) -> None:
        self._registry = registry
        self._fast = fast
        self._current: dict[str, _Current] = {}  # by type name: class, version, keys, structuring
        self._structure_event: Callable[[Any, type], Event] = fast.get_structure_hook(Event)
        self._structure_verdict: Callable[[Any, type], Verdict] = fast.get_structure_hook(Verdict)
        self._verdicts: dict[VerdictKey, Verdict] = {}

    def record(self, data: object) -> RecordedEvent | None:
        """``data`` as a recorded event, or ``None`` if it is not of the usual shape or not valid."""
        return _or_none(self._record, data)

    def event(self, data: object) -> Event | None:
        """``data`` as an event (an old version upcast), or ``None`` if it is not of the usual shape or not valid."""
        return _or_none(self._event, data)

    def metadata(self, data: object) -> Metadata | None:
        """``data`` as metadata, or ``None`` if it is not of the usual shape or not valid."""
        return _or_none(self._metadata, data)

    def decision(self, data: object) -> DecisionRecord | None:
        """``data`` as a decision record, or ``None`` if it is not of the usual shape or not valid."""
        return _or_none(self._decision, data)

    def fact(self, data: object) -> Fact | None:
        """What folding needs of ``data`` (its stream, version, times, organisation, event), or ``None``.

        Only those fields are built and checked; the rest of the record (actor, decision,
        digests) is not looked at. ``None`` if it is not of the usual shape or not valid.
        """
        return _or_none(self.build_fact, data)

    def build_fact(self, data: object) -> Fact:
        """:meth:`fact`, raising where that gives ``None`` (for a reader with its own fallback)."""
        if type(data) is not dict or not data.keys() <= _RECORD_KEYS:
            raise _Odd
        stream_id, stream_version, raw = data["stream_id"], data["stream_version"], data["metadata"]
        if type(stream_version) is not int or type(raw) is not dict or not raw.keys() <= _METADATA_KEYS:
            raise _Odd
        recorded_at, occurred_at, organisation = raw["recorded_at"], raw.get("occurred_at"), raw.get("organisation")
        if type(stream_id) is not str or not stream_id.isprintable() or type(recorded_at) is not str:
            raise _Odd  # the hooks' own checks, where their usual case does not hold
        if misplaced(stream_id, stream_version) is not None:
            raise _Odd  # the codec refuses it: its own path says so
        if occurred_at is not None and type(occurred_at) is not str:
            raise _Odd
        if organisation is not None and (type(organisation) is not str or not organisation.isprintable()):
            raise _Odd
        if organisation is not None and not organisation.strip():
            raise _Odd  # Metadata refuses it: the two-pass path says so
        recorded = moment_of(recorded_at)
        # tuple.__new__ directly: the named tuple's own __new__ is a Python call per fact
        return tuple.__new__(
            Fact,
            (
                sys.intern(stream_id),  # one string per stream, however many facts
                stream_version,
                recorded if occurred_at is None else moment_of(occurred_at),
                recorded,
                organisation,
                self._event(data["event"]),
            ),
        )

    def _record(self, data: object) -> RecordedEvent:
        if type(data) is not dict or not data.keys() <= _RECORD_KEYS:
            raise _Odd
        stream_version = data["stream_version"]
        position = data["position"]
        chain = data.get("chain", 1)
        if type(stream_version) is not int or type(position) is not int or type(chain) is not int:
            raise _Odd
        decision = data.get("decision")
        return RecordedEvent(
            _text(data["stream_id"]),
            stream_version,
            position,
            self._event(data["event"]),
            self._metadata(data["metadata"]),
            _text(data["payload_digest"]),
            _text(data["digest"]),
            None if decision is None else self._decision(decision),
            chain,
            _optional_text(data.get("key_id")),
        )

    def _event(self, raw: object) -> Event:
        if type(raw) is not dict:
            raise _Odd
        known = self._current.get(raw.get(TYPE_KEY))  # type: ignore[arg-type]
        if known is None:
            known = self._current_of(raw.get(TYPE_KEY))
        cls, version, keys, structure = known
        if raw.get(VERSION_KEY) == version and type(raw[VERSION_KEY]) is int and (keys is None or raw.keys() <= keys):
            # straight to the class's own fields: the tagged union would look the class up again
            return structure(raw, cls)  # type: ignore[no-any-return]
        try:  # an old version: upcast exactly as the two-pass path does
            prepared = prepare_tagged(self._registry, raw, "$", TYPE_KEY)
        except Bad:
            raise _Odd from None
        return self._structure_event(prepared, Event)

    def _current_of(self, name: object) -> _Current:
        """How an event of type ``name`` at its current version is structured (:class:`_Odd` if unknown)."""
        if type(name) is not str or name not in self._registry:
            raise _Odd
        entry = self._registry.of_name(name)
        cls = entry.cls
        fields = attrs.fields(cls)
        try:  # the types as cattrs reads them (a module with postponed annotations holds text)
            hints: dict[str, Any] | None = typing.get_type_hints(cls, include_extras=True)
        except Exception:
            hints = None
        if hints is not None and all(
            field.init and typing.get_origin(hints.get(field.name, field.type)) is not typing.Annotated
            for field in fields
        ):
            # a hook made as the converter makes it but not refusing the two tags: the keys
            # are checked here instead, each one a field the hook reads or a tag
            structure: Callable[[Any, type], Any] = make_dict_structure_fn(
                cls, self._fast, _cattrs_forbid_extra_keys=False
            )
            keys = frozenset(field.name for field in fields) | _TAGS
        else:  # a field the hook does not read (init=False, an override): the converter's own hook
            structure, keys = self._without_tags(self._fast.get_structure_hook(cls)), None
        known = self._current[name] = (cls, entry.version, keys, structure)
        return known

    @staticmethod
    def _without_tags(structure: Callable[[Any, type], Any]) -> Callable[[Any, type], Any]:
        """``structure`` given the event's fields without its two tags (what the converter's hook takes)."""
        return lambda raw, cls: structure({key: value for key, value in raw.items() if key not in _TAGS}, cls)

    @staticmethod
    def _metadata(raw: object) -> Metadata:
        if type(raw) is not dict or not raw.keys() <= _METADATA_KEYS:
            raise _Odd
        get = raw.get
        return Metadata(
            _text(raw["actor"]),
            _text(raw["command_id"]),
            _moment(raw["recorded_at"]),
            _optional_text(get("rulebook_version")),
            _optional_text(get("correlation_id")),
            _optional_text(get("role")),
            _optional_text(get("command_type")),
            _optional_moment(get("occurred_at")),
            _optional_text(get("organisation")),
        )

    def _decision(self, raw: object) -> DecisionRecord:
        if type(raw) is not dict or not raw.keys() <= _DECISION_KEYS:
            raise _Odd
        verdicts: tuple[Verdict, ...] = ()
        if "verdicts" in raw:
            stored = raw["verdicts"]
            if type(stored) is not list:
                raise _Odd
            verdicts = tuple([self._verdict(v) for v in stored])
        return DecisionRecord(verdicts, _optional_text(raw.get("command")), _optional_text(raw.get("fingerprint")))

    def _verdict(self, raw: object) -> Verdict:
        key = _verdict_key(raw)
        known = self._verdicts.get(key)
        if known is None:
            known = self._structure_verdict(raw, Verdict)
            if len(self._verdicts) >= VERDICT_CACHE_SIZE:
                self._verdicts.clear()
            self._verdicts[key] = known
        return known
