"""The codec: events, commands and recorded events to plain dicts / JSON lines and back."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import cattrs

from pastoral_core.eventlog._codec_lines import TRUSTED_READERS, JsonLines
from pastoral_core.eventlog._command_codec import CommandCodec
from pastoral_core.eventlog._converter import build_converter
from pastoral_core.eventlog._decoding import Bad, prepare_tagged, structure
from pastoral_core.eventlog._digest import canonical
from pastoral_core.eventlog._jsonlines import FastLoads, json_parser
from pastoral_core.eventlog._lean import LeanDecoder
from pastoral_core.eventlog._recorded import DecisionRecord, Fact, Metadata, RecordedEvent, fact_of, misplaced
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


class Codec(JsonLines, CommandCodec):
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
        made = self._lean.record(data) if self._lean is not None else None
        if made is None:
            made = self._decode(record, data, RecordedEvent, self._prepare_record)
        wrong = misplaced(made.stream_id, made.stream_version)
        if wrong is not None:
            raise CodecError(record, f"$.{wrong[0]}", wrong[1])
        return made

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

    # -- what reading JSON lines needs (see JsonLines) ------------------------------

    @property
    def json_reader(self) -> FastLoads | None:
        """Orjson's reader where this codec uses it, else ``None`` (the standard library's ``json``)."""
        return self._fast_json

    def fact_from_dict(self, data: Any, *, record: int | None = None) -> Fact:
        """What folding needs of one stored record's plain data (see :meth:`iter_facts`).

        Raises:
            CodecError: Naming ``record`` and the field path, if the record cannot be read.
        """
        self._converters()
        lean = self._lean.fact(data) if self._lean is not None else None
        return lean if lean is not None else fact_of(self.from_dict(data, record=record))

    def fact_builder(self) -> Callable[[Any], Fact]:
        """The lean way from a record's plain data to its fact, for a reader of many records.

        It raises for any record not of the usual shape (without saying why): the reader
        then gives that record to :meth:`fact_from_dict`, which takes the codec's other
        paths (and sees any event type registered since) and says why, if anything.
        """
        self._converters()
        if self._lean is None:  # pragma: no cover - _converters always builds it
            raise CodecError(None, "$", "the codec has no converters")
        return self._lean.build_fact


TRUSTED_READERS.add(Codec)
