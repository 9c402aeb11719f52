"""What the log stores around each event: position, stream version, metadata, digests."""

from __future__ import annotations

import datetime as dt

import attrs

from pastoral_core._time import require_aware
from pastoral_core.eventlog._registry import Event


def _aware(_: object, attribute: attrs.Attribute[dt.datetime], value: dt.datetime) -> None:
    require_aware(value, attribute.name)


def _non_empty(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name} must be a non-empty string, got {value!r}")


@attrs.frozen
class Metadata:
    """Who caused a batch of events, with which command, when, under which rulebook.

    Attributes:
        actor: Opaque id of the person who issued the command (never a name: rule MINIMAL).
        command_id: The command's id; the log is idempotent on it.
        recorded_at: Timezone-aware time of the command.
        rulebook_version: Label of the rulebook that decided, e.g. ``"DEVON_PSN v1"``.
        correlation_id: Optional id tying together commands of one piece of work.

    """

    actor: str = attrs.field(validator=_non_empty)
    command_id: str = attrs.field(validator=_non_empty)
    recorded_at: dt.datetime = attrs.field(validator=_aware)
    rulebook_version: str | None = None
    correlation_id: str | None = None


@attrs.frozen
class RecordedEvent:
    """An event as stored: where it sits, who caused it, and the digests that seal it.

    Attributes:
        stream_id: The aggregate's stream (a case id, a group id, ...).
        stream_version: 1 for the first event of the stream, then 2, 3, ...
        position: Global position in the whole log, from 1.
        event: The domain event.
        metadata: Who, which command, when, under which rulebook.
        payload_digest: SHA-256 over the event's fields (redaction keeps it).
        digest: SHA-256 chaining this record to the previous one in the log.

    """

    stream_id: str
    stream_version: int
    position: int
    event: Event
    metadata: Metadata
    payload_digest: str
    digest: str
