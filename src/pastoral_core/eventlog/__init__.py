"""Domain-agnostic event log: type registries, recorded events, store, codec, integrity.

Events and commands have stable type names (:data:`EVENTS`, :data:`COMMANDS`); the
:class:`Codec` turns them and :class:`RecordedEvent` into plain data and JSON lines; the
in-memory :class:`EventLog` implements the :class:`EventStore` protocol with optimistic
appends, idempotency by command id, and tamper evidence that survives redaction: each
stream's records are chained, keyed when the host supplies a :class:`Keyring`.
"""

from pastoral_core.eventlog._access import DESTROYED, AccessEntry, SubjectAccess, subject_access
from pastoral_core.eventlog._checkpoint import Checkpoint, StreamHead
from pastoral_core.eventlog._codec import Codec
from pastoral_core.eventlog._default_codec import (
    DEFAULT_CODEC,
    dumps,
    from_dict,
    iter_facts,
    iter_loads,
    loads,
    to_dict,
)
from pastoral_core.eventlog._jsonlines import JSON_BACKENDS
from pastoral_core.eventlog._keys import MIN_KEY_BYTES, Keyring, check_store_keys
from pastoral_core.eventlog._log import EventLog
from pastoral_core.eventlog._recorded import (
    DecisionRecord,
    Fact,
    Metadata,
    ReadFacts,
    RecordedEvent,
    checked_facts,
    fact_of,
)
from pastoral_core.eventlog._redaction import forgotten_record, redacted_record, redaction_fields
from pastoral_core.eventlog._registry import (
    COMMAND_TYPE_KEY,
    COMMANDS,
    EVENTS,
    TYPE_KEY,
    VERSION_KEY,
    Event,
    EventRegistry,
    RegisteredType,
    TypeRegistry,
    added_field,
    event_type,
)
from pastoral_core.eventlog._sealing import check_append, seal_batch
from pastoral_core.eventlog._store import MAX_STREAM_ID, EventStore, answer_repeat, is_same_command
from pastoral_core.eventlog._verify import Verification, verify
from pastoral_core.exceptions import (
    CodecError,
    CommandIdReused,
    ConcurrencyConflict,
    DuplicateType,
    RedactionError,
    UnknownType,
)

__all__ = [
    "DESTROYED",
    "AccessEntry",
    "SubjectAccess",
    "subject_access",
    "Checkpoint",
    "Keyring",
    "MAX_STREAM_ID",
    "answer_repeat",
    "check_append",
    "check_store_keys",
    "redaction_fields",
    "forgotten_record",
    "redacted_record",
    "seal_batch",
    "MIN_KEY_BYTES",
    "StreamHead",
    "COMMANDS",
    "COMMAND_TYPE_KEY",
    "DEFAULT_CODEC",
    "EVENTS",
    "JSON_BACKENDS",
    "TYPE_KEY",
    "VERSION_KEY",
    "added_field",
    "Codec",
    "CodecError",
    "CommandIdReused",
    "ConcurrencyConflict",
    "DecisionRecord",
    "DuplicateType",
    "Event",
    "EventLog",
    "EventRegistry",
    "EventStore",
    "Metadata",
    "RecordedEvent",
    "Fact",
    "ReadFacts",
    "fact_of",
    "checked_facts",
    "RedactionError",
    "RegisteredType",
    "TypeRegistry",
    "UnknownType",
    "Verification",
    "dumps",
    "event_type",
    "from_dict",
    "is_same_command",
    "iter_facts",
    "iter_loads",
    "loads",
    "to_dict",
    "verify",
]
