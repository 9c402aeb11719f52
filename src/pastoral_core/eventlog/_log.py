"""The in-memory event store, the EventLog: the embedded default and the reference for others."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Sequence

from pastoral_core.eventlog._codec import Codec
from pastoral_core.eventlog._default_codec import DEFAULT_CODEC
from pastoral_core.eventlog._keys import Keyring, check_store_keys
from pastoral_core.eventlog._recorded import DecisionRecord, Metadata, RecordedEvent
from pastoral_core.eventlog._redaction import forgotten_record, redacted_record, redaction_fields
from pastoral_core.eventlog._registry import Event
from pastoral_core.eventlog._sealing import check_append, seal_batch
from pastoral_core.eventlog._store import answer_repeat
from pastoral_core.exceptions import ConcurrencyConflict, InvalidType, InvalidValue, RedactionError


class EventLog:
    """In-memory, append-only event store with idempotency and tamper evidence.

    Safe to share between threads: appends and redactions take one lock.

    Appends are O(batch): records go on one list, each stream keeps the indexes of its
    records, and each command id keeps the slice it wrote (so a redaction is seen by the
    idempotency replay too, and no copy of a redacted text survives).

    Args:
        codec: Codec used to encode, check and digest payloads (default: the default
            registries' codec).
        keys: The host's :class:`Keyring`; its active key seals every new record with
            HMAC-SHA256, so that neither a rewritten record nor a guessed note can be
            matched without it. Without keys, digests are plain SHA-256: tamper evidence
            against accidents only, and a destroyed note's tombstone can be matched
            against a guess. A host holding real notes supplies a key.

    """

    def __init__(self, codec: Codec = DEFAULT_CODEC, *, keys: Keyring | None = None) -> None:
        self._codec = codec
        self._keys = check_store_keys(keys, owner="EventLog")
        self._lock = threading.RLock()
        self._records: list[RecordedEvent] = []
        self._streams: dict[str, list[int]] = {}
        self._commands: dict[str, tuple[int, int]] = {}

    @classmethod
    def from_records(
        cls, records: Iterable[RecordedEvent], codec: Codec = DEFAULT_CODEC, *, keys: Keyring | None = None
    ) -> EventLog:
        """Rebuild a log from stored records (e.g. from :func:`loads`), keeping their digests.

        Raises:
            InvalidValue: If positions do not increase, stream versions are not
                consecutive from 1, a command id's records are not one batch, or a
                record is sealed with a key the keyring does not hold.

        """
        log = cls(codec, keys=keys)
        for record in records:
            last = log._records[-1].position if log._records else 0
            if isinstance(record.position, bool) or not isinstance(record.position, int) or record.position <= last:
                raise InvalidValue("EventLog", "records", f"position {record.position!r} does not follow {last}")
            if record.key_id is not None and (keys is None or keys.seal(record.key_id) is None):
                raise InvalidValue("EventLog", "records", f"position {record.position} is sealed with a key not given")
            indexes = log._streams.setdefault(record.stream_id, [])
            if record.stream_version != len(indexes) + 1:
                raise InvalidValue("EventLog", "records", f"a version of {record.stream_id!r} is out of sequence")
            index = len(log._records)
            start, count = log._commands.get(record.metadata.command_id, (index, 0))
            if start + count != index:
                raise InvalidValue("EventLog", "records", f"command id at position {record.position} is used twice")
            indexes.append(index)
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
        decision: DecisionRecord | None = None,
    ) -> tuple[RecordedEvent, ...]:
        """Append one command's batch of events to one stream, all or nothing.

        Args:
            stream_id: The stream (``"<category>-<id>"``).
            events: The events, in order: at least one (an accepted command always leaves
                a record, so its id survives a reload).
            expected_version: The stream version the caller decided on (0 for a new stream).
            metadata: Actor, role, command id and type, time, rulebook version, correlation id.
            decision: What the decision leaves beside the events (verdicts, the command,
                its fingerprint), kept on the batch's first record.

        Returns:
            The new recorded events; for the same command sent again (same id, stream,
            command type and fingerprint), the records it wrote then (rule IDEMPOTENT).

        Raises:
            CommandIdReused: If the command id was already used by another command.
            ConcurrencyConflict: If the stream is not at ``expected_version``.
            CodecError: If an event, the metadata or the decision record is not registered,
                cannot be written as UTF-8 JSON, or does not decode back to itself.
            InvalidValue: If the stream id, events, version or metadata are malformed.

        """
        check_append(stream_id, events, expected_version, metadata, decision)
        with self._lock:
            return self._append(stream_id, events, expected_version, metadata, decision)

    def _append(
        self,
        stream_id: str,
        events: Sequence[Event],
        expected_version: int,
        metadata: Metadata,
        decision: DecisionRecord | None,
    ) -> tuple[RecordedEvent, ...]:
        earlier = answer_repeat(self.recorded_for(metadata.command_id), stream_id, metadata, decision)
        if earlier is not None:
            return earlier
        indexes = self._streams.get(stream_id)
        actual = len(indexes) if indexes else 0
        if actual != expected_version:
            raise ConcurrencyConflict(stream_id, expected_version, actual)
        # Build every record before touching the log, so a failure writes nothing.
        last_position = self._records[-1].position if self._records else 0
        batch = seal_batch(
            stream_id,
            events,
            metadata=metadata,
            decision=decision,
            last=self._records[indexes[-1]] if indexes else None,
            positions=range(last_position + 1, last_position + 1 + len(events)),
            codec=self._codec,
            keys=self._keys,
        )
        start = len(self._records)
        if indexes is None:
            indexes = self._streams[stream_id] = []
        self._records.extend(batch)
        indexes.extend(range(start, start + len(batch)))
        self._commands[metadata.command_id] = (start, len(batch))
        return batch

    def read_stream(self, stream_id: str, from_version: int = 1) -> tuple[RecordedEvent, ...]:
        """The records of one stream from ``from_version`` (1-based; below 1 reads from 1) on; empty if unknown."""
        indexes = self._streams.get(stream_id, ()) if isinstance(stream_id, str) else ()
        records = self._records
        return tuple(records[i] for i in indexes[max(from_version, 1) - 1 :])

    def stream_version(self, stream_id: str) -> int:
        """The current version of a stream: how many events it has (0 if none)."""
        return len(self._streams.get(stream_id, ())) if isinstance(stream_id, str) else 0

    def read_all(self, from_position: int = 1) -> tuple[RecordedEvent, ...]:
        """Every record from global position ``from_position`` (1-based) on, in position order."""
        start = bisect.bisect_left(self._records, from_position, key=lambda record: record.position)
        return tuple(self._records[start:])

    @property
    def keys(self) -> Keyring | None:
        """The keyring that seals new records, if any."""
        return self._keys

    def rotate_keys(self, keys: Keyring) -> None:
        """Seal new records with ``keys.active`` from now on; nothing written changes.

        Raises:
            InvalidValue: If ``keys`` has no active key, or lacks a key some record was
                sealed with (it is still needed to verify, and to redact, that record).
        """
        if keys is None:
            raise InvalidType("EventLog", "keys", "must be a Keyring")
        with self._lock:
            self._keys = check_store_keys(keys, {r.key_id for r in self._records}, owner="EventLog")

    def recorded_for(self, command_id: str) -> tuple[RecordedEvent, ...] | None:
        """The records a command id wrote, or ``None`` if it was never applied."""
        found = self._commands.get(command_id) if isinstance(command_id, str) else None
        if found is None:
            return None
        start, count = found
        return tuple(self._records[start : start + count])

    def redact(self, position: int, fields: Iterable[str]) -> RecordedEvent:
        """Replace text fields of the record at ``position`` with tombstones.

        The tombstone keeps the field's digest, so :func:`verify` still passes, while the
        text itself is gone from the log, from :meth:`recorded_for` replays and from any
        serialisation made afterwards. The command that wrote the record loses its
        free-text fields and its fingerprint the same way (so neither can be used to guess
        the text). Redacting an already redacted field changes nothing.

        Args:
            position: Global position of the record.
            fields: Names of free-text fields of its event (annotated ``FreeText`` or
                ``Reason``). Empty: only the free text of the command kept with the
                record's batch goes (an override's reason that no event field holds).

        Returns:
            The redacted record.

        Raises:
            RedactionError: If the position is unknown, or a field does not exist or is
                not free text: ids and dates are what the stream is folded from, and
                redacting them would leave it unreadable (nothing is changed).

        """
        with self._lock:
            return self._redact(position, fields)

    def _redact(self, position: int, fields: Iterable[str]) -> RecordedEvent:
        index = self._index_of(position)
        if index is None:
            raise RedactionError(f"no record at position {position!r}")
        names = redaction_fields(fields)
        record = self._records[index]
        redacted = redacted_record(record, names, self._keys)
        if redacted is record and names:  # every named field was already destroyed
            return record
        self._records[index] = redacted
        start, _ = self._commands[record.metadata.command_id]
        self._records[start] = forgotten_record(self._records[start], self._codec, self._keys)
        return self._records[index]

    def _index_of(self, position: object) -> int | None:
        if isinstance(position, bool) or not isinstance(position, int):
            return None
        index = bisect.bisect_left(self._records, position, key=lambda record: record.position)
        found = index < len(self._records) and self._records[index].position == position
        return index if found else None

    def __len__(self) -> int:
        return len(self._records)
