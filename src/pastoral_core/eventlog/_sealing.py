"""What every store does to append a batch: check it, then seal each record to its stream.

A store (the in-memory log, or a host's own over a database) calls :func:`check_append`
before anything else, answers a repeated command id from what it holds
(:func:`~pastoral_core.eventlog.is_same_command`), compares the expected version under a
lock of that one stream, and then :func:`seal_batch` builds the records to write, from the
stream's last record and the next global position. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from pastoral_core.eventlog._codec import Codec
from pastoral_core.eventlog._digest import UNKEYED, Seal
from pastoral_core.eventlog._integrity import GENESIS, STREAM_CHAIN, decision_digest, payload_digest, record_digest
from pastoral_core.eventlog._keys import Keyring
from pastoral_core.eventlog._recorded import DecisionRecord, Metadata, RecordedEvent
from pastoral_core.eventlog._registry import Event
from pastoral_core.eventlog._store import check_stream_id
from pastoral_core.exceptions import InvalidType, InvalidValue


def check_append(
    stream_id: object, events: object, expected_version: object, metadata: object, decision: object
) -> None:
    """Refuse an append whose arguments are malformed, before anything is read or written.

    Raises:
        InvalidType: If the metadata, the decision record or an event is of the wrong type.
        InvalidValue: If the stream id, the events or the expected version are malformed.
    """
    if not isinstance(metadata, Metadata):
        raise InvalidType("EventStore.append", "metadata", "must be a Metadata")
    if decision is not None and not isinstance(decision, DecisionRecord):
        raise InvalidType("EventStore.append", "decision", "must be a DecisionRecord or None")
    check_stream_id(stream_id)
    if isinstance(expected_version, bool) or not isinstance(expected_version, int) or expected_version < 0:
        raise InvalidValue("EventStore.append", "expected_version", "must be a whole number >= 0")
    if isinstance(events, str | bytes) or not isinstance(events, Sequence) or not events:
        raise InvalidValue("EventStore.append", "events", "must be a non-empty sequence of events")
    for offset, event in enumerate(events):
        if not isinstance(event, Event):
            raise InvalidType("EventStore.append", f"events[{offset}]", "must be an Event")


def seal_batch(
    stream_id: str,
    events: Sequence[Event],
    *,
    metadata: Metadata,
    decision: DecisionRecord | None,
    last: RecordedEvent | None,
    positions: Sequence[int],
    codec: Codec,
    keys: Keyring | None = None,
) -> tuple[RecordedEvent, ...]:
    """The records of one batch, each sealed to the one before it in its stream.

    Args:
        stream_id: The stream.
        events: The batch's events (checked by :func:`check_append`).
        metadata: The batch's metadata.
        decision: The decision record, kept on the first record.
        last: The stream's last record (``None`` for a new stream).
        positions: The global position of each record: increasing, and above the
            stream's last record's (a store taking them from a database sequence may
            leave gaps; the in-memory log passes consecutive ones).
        codec: Encodes (and round-trip checks) each event, the metadata and the decision.
        keys: The store's keyring: its active key seals the records (``None``: unkeyed).

    Raises:
        CodecError: If something cannot be stored exactly.
    """
    floor = last.position if last is not None else 0
    wanted = list(positions) if isinstance(positions, Sequence) else []
    if len(wanted) != len(events) or not all(
        isinstance(p, int) and not isinstance(p, bool) and p > before
        for p, before in zip(wanted, [floor, *wanted[:-1]], strict=True)
    ):
        raise InvalidValue(
            "EventStore.append", "positions", "must be one increasing position per event, after the stream's last"
        )
    seal = keys.sealing if keys is not None else UNKEYED
    meta = codec.encode_metadata(metadata)
    decided = decision_digest(codec.encode_decision(decision), seal) if decision else None
    previous = last.digest if last is not None else GENESIS
    version = last.stream_version if last is not None else 0
    batch: list[RecordedEvent] = []
    for offset, (event, position) in enumerate(zip(events, wanted, strict=True)):
        first = offset == 0
        payload = payload_digest(codec.encode_event(event), seal)
        digest = record_digest(
            previous,
            stream_id,
            version + offset + 1,
            position,
            meta,
            payload,
            decided if first else None,
            seal=seal,
        )
        batch.append(
            RecordedEvent(
                stream_id,
                version + offset + 1,
                position,
                event,
                metadata,
                payload,
                digest,
                decision if first else None,
                chain=STREAM_CHAIN,
                key_id=seal.key_id,
            )
        )
        previous = digest
    return tuple(batch)


def seal_of(record: RecordedEvent, keys: Keyring | None) -> Seal | None:
    """The seal ``record`` was made with, from ``keys``; ``None`` if its key is not held."""
    if keys is not None:
        return keys.seal(record.key_id)
    return UNKEYED if record.key_id is None else None
