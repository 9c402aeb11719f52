"""Domain-agnostic event log: event registry, recorded events, store, codec, integrity."""

from pastoral_core.eventlog._codec import (
    DEFAULT_CODEC,
    Codec,
    CodecError,
    dumps,
    from_dict,
    loads,
    to_dict,
)
from pastoral_core.eventlog._integrity import Verification, verify
from pastoral_core.eventlog._log import ConcurrencyConflict, EventLog, EventStore, RedactionError
from pastoral_core.eventlog._recorded import Metadata, RecordedEvent
from pastoral_core.eventlog._registry import (
    EVENTS,
    DuplicateEventType,
    Event,
    EventRegistry,
    EventType,
    UnknownEventType,
    event_type,
)

__all__ = [
    "DEFAULT_CODEC",
    "EVENTS",
    "Codec",
    "CodecError",
    "ConcurrencyConflict",
    "DuplicateEventType",
    "Event",
    "EventLog",
    "EventRegistry",
    "EventStore",
    "EventType",
    "Metadata",
    "RecordedEvent",
    "RedactionError",
    "UnknownEventType",
    "Verification",
    "dumps",
    "event_type",
    "from_dict",
    "loads",
    "to_dict",
    "verify",
]
