"""The EventStore protocol and its in-memory implementation, the EventLog."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs

from pastoral_core.eventlog._codec import DEFAULT_CODEC, Codec
from pastoral_core.eventlog._integrity import (
    GENESIS,
    field_digest,
    is_tombstone,
    payload_digest,
    record_digest,
    tombstone,
)
from pastoral_core.eventlog._recorded import Metadata, RecordedEvent
from pastoral_core.eventlog._registry import Event


class ConcurrencyConflict(Exception):
    """Append refused: the stream moved on since the caller read it (rule CONCURRENCY).

    Attributes:
        stream_id: The stream appended to.
        expected: The version the caller expected.
        actual: The stream's version now.

    """

    def __init__(self, stream_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"stream {stream_id!r} is at version {actual}, not the expected {expected}; "
            "reload it and decide again (nothing was written)"
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class RedactionError(ValueError):
    """A redaction was asked for a record or field that cannot be redacted."""


class EventStore(Protocol):
    """Where a host keeps events. :class:`EventLog` is the in-memory default."""

    def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        metadata: Metadata,
    ) -> tuple[RecordedEvent, ...]:
        """Append a batch atomically; see :meth:`EventLog.append`."""
        ...

    def read_stream(self, stream_id: str, from_version: int = 1) -> tuple[RecordedEvent, ...]:
        """The stream's records from ``from_version`` on."""
        ...

    def stream_version(self, stream_id: str) -> int:
        """The stream's current version (0 if it has no events)."""
        ...

    def read_all(self, from_position: int = 1) -> tuple[RecordedEvent, ...]:
        """Every record from global ``from_position`` on."""
        ...

    def recorded_for(self, command_id: str) -> tuple[RecordedEvent, ...] | None:
        """The records written for a command id, or ``None`` if it was never applied."""
        ...

    def redact(self, position: int, fields: Iterable[str]) -> RecordedEvent:
        """Replace text fields of one record by tombstones; see :meth:`EventLog.redact`."""
        ...


class EventLog:
    """In-memory, append-only event store with idempotency and tamper evidence.

    Appends are O(batch): records go on one list, each stream keeps the indexes of its
    records, and each command id keeps the slice it wrote (so a redaction is seen by the
    idempotency replay too, and no copy of a redacted text survives).

    Args:
        codec: Codec used to digest payloads (default: the default registry's codec).

    """

    def __init__(self, codec: Codec = DEFAULT_CODEC) -> None:
        self._codec = codec
        self._records: list[RecordedEvent] = []
        self._streams: dict[str, list[int]] = {}
        self._commands: dict[str, tuple[int, int]] = {}

    @classmethod
    def from_records(cls, records: Iterable[RecordedEvent], codec: Codec = DEFAULT_CODEC) -> EventLog:
        """Rebuild a log from stored records (e.g. from :func:`loads`), keeping their digests.

        Raises:
            ValueError: If positions or stream versions are not consecutive from 1.

        """
        log = cls(codec)
        for record in records:
            expected = len(log._records) + 1
            if record.position != expected:
                raise ValueError(f"record at position {record.position} out of sequence (expected {expected})")
            indexes = log._streams.setdefault(record.stream_id, [])
            if record.stream_version != len(indexes) + 1:
                raise ValueError(f"stream {record.stream_id!r} version {record.stream_version} out of sequence")
            indexes.append(len(log._records))
            start, count = log._commands.get(record.metadata.command_id, (len(log._records), 0))
            log._commands[record.metadata.command_id] = (start, count + 1)
            log._records.append(record)
        return log

    def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        metadata: Metadata,
    ) -> tuple[RecordedEvent, ...]:
        """Append a batch of events to one stream, all or nothing.

        Args:
            stream_id: The stream (aggregate id).
            events: The events, in order.
            expected_version: The stream version the caller decided on (0 for a new stream).
            metadata: Actor, command id, time, rulebook version, correlation id.

        Returns:
            The new recorded events; for a command id already applied, the records it
            wrote then (nothing is written again; rule IDEMPOTENT).

        Raises:
            ConcurrencyConflict: If the stream is not at ``expected_version``.
            UnknownEventType: If an event's class is not registered (nothing written).
            ValueError: If the stream id or expected version is malformed.

        """
        earlier = self.recorded_for(metadata.command_id)
        if earlier is not None:
            return earlier
        if not isinstance(stream_id, str) or not stream_id:
            raise ValueError(f"stream_id must be a non-empty string, got {stream_id!r}")
        if isinstance(expected_version, bool) or not isinstance(expected_version, int) or expected_version < 0:
            raise ValueError(f"expected_version must be an int >= 0, got {expected_version!r}")
        indexes = self._streams.get(stream_id)
        actual = len(indexes) if indexes else 0
        if actual != expected_version:
            raise ConcurrencyConflict(stream_id, expected_version, actual)
        # Build every record before touching the log, so a failure writes nothing.
        meta = self._codec.metadata_to_dict(metadata)
        previous = self._records[-1].digest if self._records else GENESIS
        start = len(self._records)
        batch: list[RecordedEvent] = []
        for offset, event in enumerate(events):
            payload = payload_digest(self._codec.event_to_dict(event))
            version = actual + offset + 1
            position = start + offset + 1
            digest = record_digest(previous, stream_id, version, position, meta, payload)
            batch.append(RecordedEvent(stream_id, version, position, event, metadata, payload, digest))
            previous = digest
        if indexes is None:
            indexes = self._streams[stream_id] = []
        self._records.extend(batch)
        indexes.extend(range(start, start + len(batch)))
        self._commands[metadata.command_id] = (start, len(batch))
        return tuple(batch)

    def read_stream(self, stream_id: str, from_version: int = 1) -> tuple[RecordedEvent, ...]:
        """The records of one stream from ``from_version`` (1-based) on; empty if unknown."""
        indexes = self._streams.get(stream_id, ())
        records = self._records
        return tuple(records[i] for i in indexes[max(from_version, 1) - 1 :])

    def stream_version(self, stream_id: str) -> int:
        """The current version of a stream: how many events it has (0 if none)."""
        return len(self._streams.get(stream_id, ()))

    def read_all(self, from_position: int = 1) -> tuple[RecordedEvent, ...]:
        """Every record from global position ``from_position`` (1-based) on."""
        return tuple(self._records[max(from_position, 1) - 1 :])

    def recorded_for(self, command_id: str) -> tuple[RecordedEvent, ...] | None:
        """The records a command id wrote, or ``None`` if it was never applied."""
        found = self._commands.get(command_id)
        if found is None:
            return None
        start, count = found
        return tuple(self._records[start : start + count])

    def redact(self, position: int, fields: Iterable[str]) -> RecordedEvent:
        """Replace text fields of the record at ``position`` with tombstones.

        The tombstone keeps the field's digest, so :func:`verify` still passes, while the
        text itself is gone from the log, from :meth:`recorded_for` replays and from any
        serialisation made afterwards. Redacting an already redacted field changes nothing.

        Args:
            position: Global position of the record.
            fields: Names of string fields of its event.

        Returns:
            The redacted record.

        Raises:
            RedactionError: If the position is unknown, or a field does not exist or is
                not text (nothing is changed).

        """
        if isinstance(position, bool) or not isinstance(position, int) or not 1 <= position <= len(self._records):
            raise RedactionError(f"no record at position {position!r}")
        record = self._records[position - 1]
        event = record.event
        names = {f.name for f in attrs.fields(type(event))}
        changes: dict[str, str] = {}
        for name in fields:
            if name not in names:
                raise RedactionError(f"{type(event).__name__} has no field {name!r}")
            value = getattr(event, name)
            if not isinstance(value, str):
                raise RedactionError(f"field {name!r} is not text and cannot be redacted")
            if not is_tombstone(value):
                changes[name] = tombstone(field_digest(value))
        if not changes:
            return record
        redacted = attrs.evolve(record, event=attrs.evolve(event, **changes))
        self._records[position - 1] = redacted
        return redacted

    def __len__(self) -> int:
        return len(self._records)
