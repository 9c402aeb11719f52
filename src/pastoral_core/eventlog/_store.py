"""The EventStore protocol every store implements, and the checks every store shares."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from pastoral_core.eventlog._recorded import DecisionRecord, Metadata, RecordedEvent
from pastoral_core.eventlog._registry import Event
from pastoral_core.exceptions import CommandIdReused, InvalidValue

#: The longest stream id a store accepts.
MAX_STREAM_ID = 256


class EventStore(Protocol):
    """Where a host keeps events. :class:`EventLog` is the in-memory default.

    See :class:`EventLog` for what each method promises. What every store promises about
    global positions, so that a catch-up reader (a projection that remembers the last
    position it handled and asks ``read_all(last + 1)``) never misses a committed record
    and never sees one twice:

    - positions are unique, never reused, and increase along each stream;
    - ``read_all`` returns records in increasing position, and once it has returned a
      record at position *p*, no record at a position below *p* ever appears later
      (a store whose appends take positions from a database sequence in concurrent
      transactions must hold back what it returns: e.g. each append reserves its
      positions in a small table, committed at once, and deletes the reservation in
      the transaction that writes its records; ``read_all`` returns only positions below
      the lowest reservation left, and a reservation older than any append can take is
      an abandoned append's gap);
    - positions may have gaps (a store may burn positions for a batch that failed);
      the in-memory log has none. :func:`~pastoral_core.eventlog.verify` counts gaps.

    Each record is chained to the record before it in its own stream, so appends to
    different streams never need one global lock: a store locks the stream it appends
    to (to check ``expected_version`` and read the stream's last digest), and keeps
    command ids unique across streams (a unique index), so that two writers sending one
    id to two streams at once cannot both write.
    """

    def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        metadata: Metadata,
        decision: DecisionRecord | None = None,
    ) -> tuple[RecordedEvent, ...]:
        """Append one command's batch atomically; see :meth:`EventLog.append`."""
        ...

    def read_stream(self, stream_id: str, from_version: int = 1) -> tuple[RecordedEvent, ...]:
        """The stream's records from ``from_version`` on (a version below 1 reads from 1)."""
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


def is_same_command(
    records: Sequence[RecordedEvent], stream_id: str, command_type: str | None, fingerprint: str | None
) -> bool:
    """Whether ``records`` (one command's batch) were written by this very command.

    The same command means the same stream, the same command type and the same
    fingerprint. A destroyed fingerprint (after redaction) matches nothing.
    """
    if not records:
        return False
    first = records[0]
    kept = first.decision.fingerprint if first.decision else None
    return (
        first.stream_id == stream_id
        and first.metadata.command_type == command_type
        and kept is not None
        and kept == fingerprint
    )


def answer_repeat(
    earlier: Sequence[RecordedEvent] | None, stream_id: str, metadata: Metadata, decision: DecisionRecord | None
) -> tuple[RecordedEvent, ...] | None:
    """What a store answers when ``metadata.command_id`` already wrote ``earlier`` (rule IDEMPOTENT).

    Returns:
        ``None`` if the id wrote nothing yet (append as usual); ``earlier`` if this is the
        same command sent again (see :func:`is_same_command`).

    Raises:
        CommandIdReused: If the id was used by another command (it says nothing of it).
    """
    if not earlier:
        return None
    fingerprint = decision.fingerprint if decision else None
    if is_same_command(earlier, stream_id, metadata.command_type, fingerprint):
        return tuple(earlier)
    raise CommandIdReused(metadata.command_id)


def check_stream_id(stream_id: object) -> None:
    """Refuse a stream id that is not printable text of 1 to MAX_STREAM_ID characters."""
    if not isinstance(stream_id, str) or not stream_id.strip():
        raise InvalidValue("EventStore.append", "stream_id", "must be a non-empty string")
    if len(stream_id) > MAX_STREAM_ID or not stream_id.isprintable():
        raise InvalidValue(
            "EventStore.append", "stream_id", f"must be printable and at most {MAX_STREAM_ID} characters"
        )
