"""The store as it stood at one moment, for steps a spec decides concurrently.

Two people who read a record at the same moment decide on the same version of it; the
store takes the first append and refuses the second, whose expected version is stale
(:class:`~pastoral_core.exceptions.ConcurrencyConflict`). A spec shows it by deciding each
of its ``concurrently:`` steps through a service over :class:`StoreAsItStood`: every read
sees the records up to the moment the steps began, and every append goes to the store
itself, which checks the expected version as it would for a host.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pastoral_core.eventlog import DecisionRecord, Event, EventStore, Metadata, RecordedEvent
from pastoral_core.exceptions import RedactionError


def last_position(store: EventStore) -> int:
    """The global position of the store's newest record (0 when it is empty)."""
    records = store.read_all()
    return records[-1].position if records else 0


class StoreAsItStood:
    """An ``EventStore`` that reads ``store`` as it stood at global position ``position``.

    Reads (``read_stream``, ``stream_version``, ``read_all``, ``recorded_for``) see only
    the records at or before ``position``; ``append`` goes to ``store`` itself, with the
    version the caller read, so a stale one is refused there.

    Args:
        store: The store the spec runs on.
        position: The last global position the readers saw.
    """

    def __init__(self, store: EventStore, position: int) -> None:
        self._store = store
        self._position = position

    def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        metadata: Metadata,
        decision: DecisionRecord | None = None,
    ) -> tuple[RecordedEvent, ...]:
        """Append to the store itself (``ConcurrencyConflict`` if the stream has moved on)."""
        return self._store.append(
            stream_id, events, expected_version=expected_version, metadata=metadata, decision=decision
        )

    def read_stream(self, stream_id: str, from_version: int = 1) -> tuple[RecordedEvent, ...]:
        """The stream's records from ``from_version`` on, as they stood."""
        return tuple(r for r in self._store.read_stream(stream_id, from_version) if r.position <= self._position)

    def stream_version(self, stream_id: str) -> int:
        """The stream's version as it stood (0 if it had no records)."""
        records = self.read_stream(stream_id)
        return records[-1].stream_version if records else 0

    def read_all(self, from_position: int = 1) -> tuple[RecordedEvent, ...]:
        """Every record from ``from_position`` on, as they stood."""
        return tuple(r for r in self._store.read_all(from_position) if r.position <= self._position)

    def recorded_for(self, command_id: str) -> tuple[RecordedEvent, ...] | None:
        """The records a command id had written by then, or ``None``."""
        found = self._store.recorded_for(command_id)
        return found if found and found[0].position <= self._position else None

    def redact(self, position: int, fields: Iterable[str]) -> RecordedEvent:
        """Refused: a spec's concurrent steps only decide and append.

        Raises:
            RedactionError: Always.
        """
        raise RedactionError("a spec's concurrent steps do not redact")
