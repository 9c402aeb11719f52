"""Tamper evidence that survives redaction: per-field digests chained record to record."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from pastoral_core.eventlog._checkpoint import Checkpoint, StreamHead
from pastoral_core.eventlog._codec import DEFAULT_CODEC, Codec
from pastoral_core.eventlog._digest import sha256 as _sha256
from pastoral_core.eventlog._jsonlines import parse_json_lines
from pastoral_core.eventlog._recorded import RecordedEvent
from pastoral_core.eventlog._registry import TYPE_KEY, VERSION_KEY

#: The "previous digest" of the first record in a log.
GENESIS = "0" * 64

_TOMBSTONE = re.compile(r"^<redacted sha256=([0-9a-f]{64})>$")  # the shape of values.TOMBSTONE


def tombstone(field_digest: str) -> str:
    """The text that replaces a redacted field: it keeps only the field's digest."""
    return f"<redacted sha256={field_digest}>"


def is_tombstone(value: object) -> bool:
    """Whether ``value`` is a redaction tombstone."""
    return isinstance(value, str) and _TOMBSTONE.match(value) is not None


def field_digest(value: Any) -> str:
    """SHA-256 of one unstructured field value; a tombstone yields the digest it keeps."""
    if isinstance(value, str):
        match = _TOMBSTONE.match(value)
        if match:
            return match.group(1)
    return _sha256(value)


def payload_digest(event_data: Mapping[str, Any]) -> str:
    """Digest of an unstructured event: its type, version and the digest of each field.

    Because each field is digested on its own, replacing a field by its tombstone leaves
    this digest unchanged.
    """
    fields = {k: field_digest(v) for k, v in event_data.items() if k not in (TYPE_KEY, VERSION_KEY)}
    return _sha256([event_data.get(TYPE_KEY), event_data.get(VERSION_KEY), fields])


def decision_digest(decision: Mapping[str, Any] | None) -> str | None:
    """Digest of a decision record: its verdicts and every text value of its kept command.

    The fingerprint is left out (redaction destroys it), and each text value of the
    command, at any depth, is digested on its own, so replacing free text by its
    tombstone leaves this digest unchanged.
    """
    if decision is None:
        return None
    command = decision.get("command")
    content: Any = command
    if isinstance(command, str):
        try:
            content = _leaf_digests(json.loads(command))
        except ValueError:
            content = command
    return _sha256([decision.get("verdicts"), content])


def _leaf_digests(value: Any) -> Any:
    if isinstance(value, str):
        return field_digest(value)
    if isinstance(value, dict):
        return {k: _leaf_digests(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_leaf_digests(v) for v in value]
    return value


def record_digest(
    previous: str,
    stream_id: str,
    stream_version: int,
    position: int,
    metadata: Mapping[str, Any],
    payload: str,
    decision: str | None = None,
) -> str:
    """Digest sealing one record (and its decision digest, if any) to the record before it."""
    parts: list[Any] = [previous, stream_id, stream_version, position, metadata, payload]
    if decision is not None:
        parts.append(decision)
    return _sha256(parts)


@attrs.frozen
class Verification:
    """The result of :func:`verify`.

    Attributes:
        ok: True if every record's digests hold and the chain is unbroken.
        checked: How many records were checked (up to and including the broken one).
        broken_position: Global position of the first broken record, if any.
        broken_record: 1-based record number (line number for text) of that record.
        reason: What is wrong with it.
        checkpoint: For a log that verifies, its :class:`Checkpoint`, to keep elsewhere
            and pass to a later ``verify(..., since=...)``.

    """

    ok: bool
    checked: int
    broken_position: int | None = None
    broken_record: int | None = None
    reason: str | None = None
    checkpoint: Checkpoint | None = None

    def __bool__(self) -> bool:
        return self.ok


def verify(
    source: str | Iterable[RecordedEvent], *, codec: Codec = DEFAULT_CODEC, since: Checkpoint | None = None
) -> Verification:
    """Check a whole log: each record's payload digest and its link to the previous record.

    Args:
        source: JSON-lines text as stored (checked as written, before any upcasting), or
            recorded events such as ``EventLog.read_all()``.
        codec: The codec that unstructures recorded events.
        since: A checkpoint taken earlier (kept apart from the log): the log must still
            hold every record it saw, unchanged, so a log cut short or rolled back fails.

    Returns:
        A :class:`Verification` naming the first broken record, if any, and for a log
        that verifies its :class:`Checkpoint`. Never raises for bad input: it reports.

    """
    if since is not None and not isinstance(since, Checkpoint):
        return Verification(False, 0, None, None, "since must be a Checkpoint")
    if isinstance(source, str):
        try:
            rows: Iterable[tuple[int, Any]] = parse_json_lines(source)
        except ValueError as exc:
            return Verification(False, 0, None, None, str(exc))
    else:
        try:
            records = iter(source)
        except TypeError:
            return Verification(False, 0, None, None, "expected JSON-lines text or recorded events")
        rows = ((n, _as_row(codec, r)) for n, r in enumerate(records, start=1))
    previous = GENESIS
    stream_versions: dict[str, int] = {}
    heads: dict[str, str] = {}
    seen = {s.stream_id: (s.version, s.digest) for s in since.streams} if since else {}
    checked = 0
    for number, row in rows:
        checked += 1
        position = row.get("position") if isinstance(row, Mapping) else None
        try:
            problem = _check_row(row, number, previous, stream_versions)
            if not problem and since is not None:
                problem = _against(since, seen, row, number)
        except (TypeError, ValueError, RecursionError) as exc:
            problem = f"malformed record ({type(exc).__name__})"
        if problem:
            return Verification(False, checked, position, number, problem)
        previous = row["digest"]
        heads[row["stream_id"]] = previous
    if since is not None and checked < since.count:
        return Verification(
            False, checked, None, None, f"the log has {checked} records; the checkpoint saw {since.count} (cut short)"
        )
    streams = tuple(StreamHead(stream, stream_versions[stream], heads[stream]) for stream in sorted(heads))
    return Verification(True, checked, checkpoint=Checkpoint(checked, previous, streams))


def _against(since: Checkpoint, seen: Mapping[str, tuple[int, str]], row: Mapping[str, Any], number: int) -> str | None:
    """Whether a record the checkpoint saw is still the one it saw."""
    if number == since.count and row["digest"] != since.head:
        return f"record {number} is not the one the checkpoint saw (rewritten or rolled back)"
    head = seen.get(row["stream_id"])
    if head is not None and row["stream_version"] == head[0] and row["digest"] != head[1]:
        return f"stream {row['stream_id']!r} at version {head[0]} is not what the checkpoint saw"
    return None


def _as_row(codec: Codec, record: object) -> Any:
    if not isinstance(record, RecordedEvent):
        return None  # reported as "record is not an object" at its number
    try:
        return codec.to_dict(record)
    except Exception:
        return None


def _check_row(row: Any, number: int, previous: str, stream_versions: dict[str, int]) -> str | None:
    if not isinstance(row, Mapping):
        return "record is not an object"
    missing = {
        "stream_id",
        "stream_version",
        "position",
        "metadata",
        "event",
        "payload_digest",
        "digest",
    } - set(row)
    if missing:
        return f"missing {sorted(missing)}"
    if row["position"] != number:
        return f"position {row['position']!r} out of sequence (expected {number})"
    stream = row["stream_id"]
    expected_version = stream_versions.get(stream, 0) + 1
    if row["stream_version"] != expected_version:
        return f"stream version {row['stream_version']!r} of {stream!r} out of sequence"
    stream_versions[stream] = expected_version
    if not isinstance(row["event"], Mapping):
        return "event is not an object"
    if payload_digest(row["event"]) != row["payload_digest"]:
        return "payload does not match its digest"
    decision = row.get("decision")
    if decision is not None and not isinstance(decision, Mapping):
        return "decision is not an object"
    expected = record_digest(
        previous,
        stream,
        row["stream_version"],
        row["position"],
        row["metadata"],
        row["payload_digest"],
        decision_digest(decision),
    )
    if expected != row["digest"]:
        return "record digest does not match (metadata edited, or chain broken)"
    return None
