"""What the log stores around each event: position, stream version, metadata, decision, digests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

import attrs

from pastoral_core.eventlog._registry import Event
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.rules import Verdict
from pastoral_core.values import hidden_text, require_aware


def _aware(_: object, attribute: attrs.Attribute[dt.datetime], value: dt.datetime) -> None:
    require_aware(value, attribute.name)


def _non_empty(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue("Metadata", attribute.name, "must be a non-empty string")


@attrs.frozen
class Metadata:
    """Who caused a batch of events, with which command, when, under which rulebook.

    Every record of a batch carries the same metadata, sealed by its digest. ``execute``
    always records the command's role and type; records written by pastoral_core 0.1 have
    neither, and still load and verify.

    Attributes:
        actor: Opaque id of the person who issued the command (never a name: rule MINIMAL).
        command_id: The command's id; the log is idempotent on it.
        recorded_at: Timezone-aware time the command was recorded (its ``at``).
        rulebook_version: Label of the rulebook that decided, e.g. ``"DEVON_PSN v1"``.
        correlation_id: Optional id tying together commands of one piece of work.
        role: The role the command was issued in, e.g. ``"officer"``.
        command_type: The command's stable type name, e.g. ``"case.record_note"``.
        occurred_at: When the command's fact happened in the world (its business time);
            absent in 0.1 records, where it is taken to be ``recorded_at``.
        organisation: The organisation (LMC or programme) the actor acted for; the
            stream belongs to the organisation of its first record (rule SCOPE). Absent
            for a host that serves one organisation.

    """

    actor: str = attrs.field(validator=_non_empty)
    command_id: str = attrs.field(validator=_non_empty)
    recorded_at: dt.datetime = attrs.field(validator=_aware)
    rulebook_version: str | None = None
    correlation_id: str | None = None
    role: str | None = attrs.field(default=None, validator=attrs.validators.optional(_non_empty))
    command_type: str | None = attrs.field(default=None, validator=attrs.validators.optional(_non_empty))
    occurred_at: dt.datetime | None = attrs.field(default=None, validator=attrs.validators.optional(_aware))
    organisation: str | None = attrs.field(default=None, validator=attrs.validators.optional(_non_empty))


@attrs.frozen
class DecisionRecord:
    """What a command's decision leaves beside its events, on the first record of its batch.

    Attributes:
        verdicts: Every verdict of the accepted decision (passes and flags), so that a
            repeated command returns them and an accepted decision can be explained. Verdict
            messages never hold free text.
        command: The command as canonical JSON text, without the fields its class does not
            keep (such as evaluation answers). Its free-text fields are redacted along with
            the events' text; it is sealed by the digest field by field, like an event.
        fingerprint: Digest of the command's type and content (``at`` left out), compared
            when a command id comes again. Not sealed by the digest chain, so redaction can
            destroy it (it becomes ``None``); a destroyed fingerprint matches nothing.
    """

    verdicts: tuple[Verdict, ...] = ()
    command: str | None = attrs.field(default=None, repr=hidden_text)
    fingerprint: str | None = None


@attrs.frozen
class RecordedEvent:
    """An event as stored: where it sits, who caused it, and the digests that seal it.

    Attributes:
        stream_id: The aggregate's stream, ``"<category>-<id>"`` (e.g. ``"case-17"``).
        stream_version: 1 for the first event of the stream, then 2, 3, ...
        position: Global position in the whole log, from 1.
        event: The domain event.
        metadata: Who, which command, when, under which rulebook.
        payload_digest: Digest over the event's fields (redaction keeps it).
        digest: Digest chaining this record to the one before it (see ``chain``).
        decision: On the first record of each command's batch, what the decision left
            (verdicts, the command, its fingerprint); ``None`` on the others.
        chain: 2 (what stores write): ``digest`` links to the record before it in its
            stream. 1: to the record before it in the whole log (pastoral_core 0.1).
        key_id: The id of the host key whose HMAC made the digests, or ``None`` if they
            are plain SHA-256 (see :class:`~pastoral_core.eventlog.Keyring`).

    """

    stream_id: str
    stream_version: int
    position: int
    event: Event
    metadata: Metadata
    payload_digest: str
    digest: str
    decision: DecisionRecord | None = None
    chain: int = 1
    key_id: str | None = None


class Fact(NamedTuple):
    """What folding a stream needs of one record, and nothing else (no decision, digests or actor).

    Made from a record by :func:`fact_of`, or read straight from JSON lines by
    :meth:`~pastoral_core.eventlog.Codec.iter_facts`.

    Attributes:
        stream_id: The record's stream.
        stream_version: Its version in the stream.
        occurred_at: When its fact happened (business time; its recorded time in 0.1 records).
        recorded_at: When it was recorded.
        organisation: The organisation it was recorded for.
        event: The event.
    """

    stream_id: str
    stream_version: int
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    organisation: str | None
    event: Event


def fact_of(record: RecordedEvent) -> Fact:
    """The :class:`Fact` of ``record``."""
    metadata = record.metadata
    # tuple.__new__ directly: the named tuple's own __new__ is a Python call per record
    return tuple.__new__(
        Fact,
        (
            record.stream_id,
            record.stream_version,
            metadata.occurred_at or metadata.recorded_at,
            metadata.recorded_at,
            metadata.organisation,
            record.event,
        ),
    )


def misplaced(stream_id: str, stream_version: int) -> tuple[str, str] | None:
    """What is wrong with where a record says it stands, as ``(field, reason)``; ``None`` if nothing.

    A record stands in a named stream (not ``""``) at a version from 1.
    """
    if stream_version < 1:
        return "stream_version", "must be 1 or more"
    if not stream_id:
        return "stream_id", "must not be empty"
    return None


#: What a codec shows :class:`ReadFacts` to make one (a host's facts are never taken as read).
CODEC_READ = object()


class ReadFacts(Iterator[Fact]):
    """The facts a codec reads from JSON lines, one at a time: checked as they were read.

    What :meth:`~pastoral_core.eventlog.Codec.iter_facts` returns; :func:`checked_facts`
    does not check its facts again. Only a codec makes one: a host gives its own facts as
    any other iterable, and they are checked.

    Args:
        facts: The codec's reader of checked facts.
        made_by: The codec's token.

    Raises:
        InvalidType: If it is not a codec that makes it.
    """

    __slots__ = ("_facts",)

    def __init__(self, facts: Iterator[Fact], made_by: object) -> None:
        if made_by is not CODEC_READ:
            raise InvalidType("ReadFacts", "made_by", "only a codec reads facts; give your own facts as a list")
        self._facts = facts

    def __iter__(self) -> Iterator[Fact]:
        """The codec's reader itself (read once, whichever way): a loop over it calls no method per fact."""
        return self._facts

    def __next__(self) -> Fact:
        """The next fact (``StopIteration`` at the end, ``CodecError`` at a line that cannot be read)."""
        return next(self._facts)


def checked_facts(owner: str, items: Iterable[object]) -> Iterable[Fact]:
    """``items`` as facts, one at a time: a record's :func:`fact_of`, a :class:`Fact` checked.

    The facts of a :class:`ReadFacts` (what a codec reads, each checked as it was read)
    are taken as they are.

    A fact a host builds is checked as a record's fields are when it is built: an id for
    the stream, a whole version from 1, an event, aware times (rule TIME), an organisation
    that is ``None`` or non-empty.

    Raises:
        InvalidType: Naming ``owner``, if ``items`` is not an iterable of records or facts,
            or a fact's field has the wrong type.
        NaiveDatetimeError: If a fact's time has no zone.
        InvalidValue: If a fact's version is below 1 or its organisation empty.
    """
    if type(items) is ReadFacts:
        return items
    if not isinstance(items, Iterable) or isinstance(items, str | bytes | Mapping):
        raise InvalidType(owner, "records", f"must be recorded events or facts, got {type(items).__name__}")
    return _checked_items(owner, items)


def _checked_items(owner: str, items: Iterable[object]) -> Iterator[Fact]:
    times = (f"{owner}: Fact.occurred_at", f"{owner}: Fact.recorded_at")  # named once, not per fact
    for item in items:
        if type(item) is RecordedEvent:
            yield fact_of(item)
        elif type(item) is Fact:
            yield _checked(owner, item, times)
        elif isinstance(item, RecordedEvent):
            yield fact_of(item)
        else:
            raise InvalidType(owner, "records", f"must hold RecordedEvents or Facts, got {type(item).__name__}")


def _checked(owner: str, fact: Fact, times: tuple[str, str]) -> Fact:
    stream_id, version, occurred, recorded, organisation, event = fact
    if type(stream_id) is not str or not stream_id:
        raise InvalidType(owner, "Fact.stream_id", "must be a non-empty string")
    if type(version) is not int:
        raise InvalidType(owner, "Fact.stream_version", f"must be a whole number, got {type(version).__name__}")
    wrong = misplaced(stream_id, version)
    if wrong is not None:
        raise InvalidValue(owner, f"Fact.{wrong[0]}", wrong[1])
    if not isinstance(event, Event):
        raise InvalidType(owner, "Fact.event", f"must be an Event, got {type(event).__name__}")
    require_aware(occurred, times[0])
    if recorded is not occurred:  # most facts are recorded when they happen: one time, checked once
        require_aware(recorded, times[1])
    if organisation is not None and (type(organisation) is not str or not organisation.strip()):
        raise InvalidValue(owner, "Fact.organisation", "must be None or a non-empty string")
    return fact
