"""The codec: events, commands and recorded events to plain dicts / JSON lines and back."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

import cattrs

from pastoral_core.eventlog._command_codec import CommandCodec
from pastoral_core.eventlog._converter import build_converter
from pastoral_core.eventlog._decoding import Bad, prepare_tagged, structure
from pastoral_core.eventlog._digest import canonical
from pastoral_core.eventlog._jsonlines import is_blank, json_parser, numbered_lines, parse_json_line
from pastoral_core.eventlog._lean import LeanDecoder
from pastoral_core.eventlog._recorded import DecisionRecord, Fact, Metadata, RecordedEvent, fact_of
from pastoral_core.eventlog._registry import (
    COMMANDS,
    EVENTS,
    TYPE_KEY,
    VERSION_KEY,
    Event,
    TypeRegistry,
)
from pastoral_core.exceptions import CodecError, UnknownType

T = TypeVar("T")


class Codec(CommandCodec):
    """Turns events, commands and recorded events into plain dicts / JSON lines and back.

    One cattrs converter per registry state. Events are a tagged union on our own type
    tag (``event_type``) plus ``schema_version``; commands likewise on ``command_type``.
    Old versions are upcast on the raw dict before structuring. A stored record of the
    usual shape is built by a lean path (the envelope by hand, the event by the fast
    converter); anything else takes a fast cattrs pass (no detailed validation) and, only
    if that fails, a second detailed pass whose error names the record and field path.
    Every path gives the same records and the same errors.

    JSON lines are read with the standard library's ``json`` or with orjson (the optional
    ``[fast]`` extra); both give the same records and the same errors, line for line (see
    :data:`JSON_BACKENDS`). :meth:`dumps` always writes with ``json``: the stored text is
    the same whichever backend reads it.

    Args:
        registry: The event registry (default: :data:`EVENTS`).
        commands: The command registry (default: :data:`COMMANDS`).
        json_backend: ``"auto"`` (orjson when installed, else ``json``), ``"stdlib"`` or
            ``"orjson"``.

    Raises:
        InvalidType: If ``json_backend`` is not a string.
        InvalidValue: If ``json_backend`` names no backend, or ``"orjson"`` is not installed.

    """

    def __init__(
        self, registry: TypeRegistry = EVENTS, commands: TypeRegistry = COMMANDS, *, json_backend: str = "auto"
    ) -> None:
        self._json_backend, self._fast_json = json_parser(json_backend)
        self._registry = registry
        self._commands = commands
        self._built_at = (-1, -1)
        self._fast: cattrs.Converter = cattrs.Converter()
        self._detailed: cattrs.Converter = cattrs.Converter()
        self._lean: LeanDecoder | None = None  # built with the converters

    @property
    def registry(self) -> TypeRegistry:
        """The registry this codec reads event type names and versions from."""
        return self._registry

    @property
    def commands(self) -> TypeRegistry:
        """The registry this codec reads command type names and versions from."""
        return self._commands

    @property
    def json_backend(self) -> str:
        """The JSON backend this codec reads with: ``"stdlib"`` or ``"orjson"``."""
        return self._json_backend

    def _converters(self) -> tuple[cattrs.Converter, cattrs.Converter]:
        generation = (self._registry.generation, self._commands.generation)
        if self._built_at != generation:
            fast = build_converter(self._registry, self._commands, detailed=False)
            self._detailed = build_converter(self._registry, self._commands, detailed=True)
            self._lean = LeanDecoder(self._registry, fast)
            self._fast = fast
            self._built_at = generation
        return self._fast, self._detailed

    # -- events -----------------------------------------------------------------------

    def event_to_dict(self, event: Event) -> dict[str, Any]:
        """Unstructure an event: its fields plus ``event_type`` and ``schema_version``.

        Raises:
            UnknownType: If the event's class is not registered.

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
        self._converters()
        lean = self._lean.event(data) if self._lean is not None else None
        return lean if lean is not None else self._decode(None, data, Event, self._prepare_event)

    def encode_event(self, event: Event) -> dict[str, Any]:
        """Unstructure ``event`` and make sure it decodes back to an equal event.

        The log's last line of defence: nothing it cannot read back is ever written.

        Raises:
            CodecError: If the event is not registered, cannot be encoded, or does not
                decode back to an equal event (nothing is written).
        """
        try:
            self._registry.of_class(type(event))
        except UnknownType as exc:
            raise CodecError(None, "$", str(exc)) from None
        return self._round_trip(lambda: self.event_to_dict(event), event, self.event_from_dict, "$.event")

    def encode_metadata(self, metadata: Metadata) -> dict[str, Any]:
        """Unstructure ``metadata`` and make sure it decodes back equal (see :meth:`encode_event`).

        Raises:
            CodecError: If it cannot be written as UTF-8 JSON or does not decode back equal.
        """
        return self._round_trip(
            lambda: self.metadata_to_dict(metadata), metadata, self._metadata_from_dict, "$.metadata"
        )

    def encode_decision(self, decision: DecisionRecord) -> dict[str, Any]:
        """Unstructure a decision record and make sure it decodes back equal (see :meth:`encode_event`).

        Its kept command must be the canonical JSON of an object (as ``execute`` writes it).

        Raises:
            CodecError: If it cannot be written as UTF-8 JSON or does not decode back equal.
        """
        data = self._round_trip(
            lambda: self.decision_to_dict(decision), decision, self._decision_from_dict, "$.decision"
        )
        command = data.get("command")
        if command is not None:
            try:
                kept = json.loads(command)
            except ValueError:
                kept = None
            if not isinstance(kept, dict) or canonical(kept) != command:
                raise CodecError(None, "$.decision.command", "the kept command is not the canonical JSON of an object")
        return data

    def _metadata_from_dict(self, data: Mapping[str, Any]) -> Metadata:
        self._converters()
        lean = self._lean.metadata(data) if self._lean is not None else None
        return lean if lean is not None else self._structure(None, data, Metadata)

    def _decision_from_dict(self, data: Mapping[str, Any]) -> DecisionRecord:
        self._converters()
        lean = self._lean.decision(data) if self._lean is not None else None
        return lean if lean is not None else self._structure(None, data, DecisionRecord)

    def _round_trip(
        self, encode: Callable[[], dict[str, Any]], value: object, decode: Callable[[Any], object], path: str
    ) -> dict[str, Any]:
        name = type(value).__name__
        try:
            data = encode()
            text = json.dumps(data, ensure_ascii=False)
            text.encode("utf-8")
            again = decode(json.loads(text))
        except CodecError:
            raise CodecError(None, path, f"{name} does not decode back from what it encodes to") from None
        except Exception as exc:
            raise CodecError(None, path, f"{name} cannot be written as UTF-8 JSON ({type(exc).__name__})") from None
        if again != value:
            raise CodecError(None, path, f"{name} does not decode back to the same value")
        return data

    def _prepare_event(self, data: Any, path: str) -> dict[str, Any]:
        return prepare_tagged(self._registry, data, path, TYPE_KEY)

    # -- recorded events --------------------------------------------------------------

    def to_dict(self, record: RecordedEvent) -> dict[str, Any]:
        """Unstructure a recorded event into JSON-ready plain data."""
        data = {
            "stream_id": record.stream_id,
            "stream_version": record.stream_version,
            "position": record.position,
            "metadata": self.metadata_to_dict(record.metadata),
            "event": self.event_to_dict(record.event),
            "payload_digest": record.payload_digest,
            "digest": record.digest,
        }
        if record.decision is not None:
            data["decision"] = self.decision_to_dict(record.decision)
        if record.chain != 1:  # a 0.1 record is stored exactly as it was written
            data["chain"] = record.chain
        if record.key_id is not None:
            data["key_id"] = record.key_id
        return data

    def metadata_to_dict(self, metadata: Metadata) -> dict[str, Any]:
        """Unstructure metadata (used by the integrity digests).

        ``role``, ``command_type``, ``occurred_at`` and ``organisation`` are left out when
        absent, so a record written before they existed unstructures exactly as it was sealed.
        """
        fast, _ = self._converters()
        result: dict[str, Any] = fast.unstructure(metadata, Metadata)
        for optional in ("role", "command_type", "occurred_at", "organisation"):
            if result[optional] is None:
                del result[optional]
        return result

    def decision_to_dict(self, decision: DecisionRecord) -> dict[str, Any]:
        """Unstructure a decision record (used by the integrity digests)."""
        fast, _ = self._converters()
        result: dict[str, Any] = fast.unstructure(decision, DecisionRecord)
        return result

    def from_dict(self, data: Mapping[str, Any], *, record: int | None = None) -> RecordedEvent:
        """Structure one recorded event, upcasting its event if needed.

        Args:
            data: The plain dict, as produced by :meth:`to_dict`.
            record: Record number to name in errors.

        Raises:
            CodecError: Naming the record and field path of the first problem.

        """
        self._converters()
        lean = self._lean.record(data) if self._lean is not None else None
        if lean is not None:
            return lean
        return self._decode(record, data, RecordedEvent, self._prepare_record)

    def _prepare_record(self, data: Any, path: str) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise Bad(path, f"expected an object, got {type(data).__name__}")
        prepared = dict(data)
        if "event" not in prepared:
            raise Bad(f"{path}.event", "required field missing")
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
        except Bad as bad:
            raise CodecError(record, bad.path, bad.reason) from None
        return self._structure(record, prepared, cls)

    def _structure(self, record: int | None, prepared: Any, cls: type[T]) -> T:
        return structure(*self._converters(), record, prepared, cls)

    # -- JSON lines -------------------------------------------------------------------

    def dumps(self, records: Iterable[RecordedEvent]) -> str:
        """Serialise recorded events as JSON lines (one record per line, UTF-8 text)."""
        return "".join(json.dumps(self.to_dict(r), ensure_ascii=False, sort_keys=True) + "\n" for r in records)

    def loads(self, text: str) -> tuple[RecordedEvent, ...]:
        """Parse JSON lines into recorded events; all or nothing.

        Blank lines are ignored. The record number in errors is the line number. A line
        that is not JSON is named before any line that is JSON but not a valid record,
        wherever the two are in the text (:meth:`iter_loads` names whichever comes first).

        Raises:
            CodecError: On the first malformed line; no partial result is returned.

        """
        if not isinstance(text, str):
            raise CodecError(None, "$", f"expected text, got {type(text).__name__}")
        # Each line is structured as soon as it is read, so the plain data of the whole
        # log is never held at once; after a line that cannot be structured the rest are
        # still read, since a later line that is not JSON is the one to name.
        fast = self._fast_json
        records = []
        lines = enumerate(text.split("\n"), start=1)
        for line_no, line in lines:
            if not is_blank(line):
                raw = parse_json_line(fast, line_no, line)
                try:
                    records.append(self.from_dict(raw, record=line_no))
                except Exception:
                    for later_no, later in lines:
                        if not is_blank(later):
                            parse_json_line(fast, later_no, later)
                    raise
        return tuple(records)

    def iter_loads(self, lines: Iterable[str]) -> Iterator[RecordedEvent]:
        r"""Parse JSON lines one record at a time, so a long log is never held whole.

        ``lines`` is the text in pieces: the lines of a file the host opened (with
        ``newline="\n"``, so that a stray carriage return stays what it is in the text),
        chunks of any size, or the whole text as one string. Their concatenation is read
        exactly as :meth:`loads` reads text: split on ``"\n"`` only, blank lines skipped,
        each record numbered by its line. Pieces are joined, never separated: bare lines
        need their ``"\n"`` (``(line + "\n" for line in lines)``).

        Example::

            # stored: the log's file, opened by the host as UTF-8 text with newline="\n"
            for record in codec.iter_loads(stored):
                ...

        Args:
            lines: Text in pieces (any iterable of ``str``), or one ``str``.

        Returns:
            An iterator of recorded events, read as it is consumed.

        Raises:
            CodecError: At once if ``lines`` is not text or an iterable; while iterating,
                at the first malformed line (naming it: the same error :meth:`loads` gives
                when that line is the first bad one), or a piece that is not text. The
                records before it have been yielded.

        """
        return self._iter_loads(_pieces(lines))

    def _iter_loads(self, lines: Iterable[str]) -> Iterator[RecordedEvent]:
        fast = self._fast_json
        for line_no, line in numbered_lines(lines):
            yield self.from_dict(parse_json_line(fast, line_no, line), record=line_no)

    def iter_facts(self, lines: Iterable[str]) -> Iterator[Fact]:
        """Read from JSON lines only what folding needs: one :class:`Fact` per record, as it is consumed.

        Each line is parsed as :meth:`iter_loads` parses it, but of a record of the usual
        shape only its stream, version, times, organisation and event are built and
        checked; its actor, decision and digests are not (check whole records with
        :meth:`loads` or :meth:`iter_loads`, and the chain with ``verify``). Give the
        facts to ``states_from`` or ``Aggregate.replay_facts`` for the states, to
        ``Payments.of`` for the money: a log's states without building its records.

        Args:
            lines: Text in pieces (any iterable of ``str``), or one ``str`` (see :meth:`iter_loads`).

        Raises:
            CodecError: As :meth:`iter_loads` raises it: at once for what is not text,
                while iterating at a line that is not JSON or whose record cannot be read.
        """
        return self._iter_facts(_pieces(lines))

    def _iter_facts(self, lines: Iterable[str]) -> Iterator[Fact]:
        fast = self._fast_json
        for line_no, line in numbered_lines(lines):
            raw = parse_json_line(fast, line_no, line)
            self._converters()
            lean = self._lean.fact(raw) if self._lean is not None else None
            yield lean if lean is not None else fact_of(self.from_dict(raw, record=line_no))


def _pieces(lines: Iterable[str]) -> Iterable[str]:
    if isinstance(lines, str):
        return (lines,)
    if isinstance(lines, bytes | bytearray | memoryview) or not isinstance(lines, Iterable):
        raise CodecError(None, "$", f"expected text or an iterable of text, got {type(lines).__name__}")
    return lines


#: The codec over the default registries.
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


def iter_facts(lines: Iterable[str]) -> Iterator[Fact]:
    """Read facts from JSON lines with the default codec (see :meth:`Codec.iter_facts`).

    Raises:
        CodecError: Naming the line and field path of the first problem.

    """
    return DEFAULT_CODEC.iter_facts(lines)


def iter_loads(lines: Iterable[str]) -> Iterator[RecordedEvent]:
    """Parse JSON lines with the default codec, one record at a time (see :meth:`Codec.iter_loads`).

    Raises:
        CodecError: Naming the line and field path of the first problem.

    """
    return DEFAULT_CODEC.iter_loads(lines)
