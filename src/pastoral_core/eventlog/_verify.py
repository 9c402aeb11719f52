"""Verification of a whole log: every record's digests, every stream's chain, against a checkpoint."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from pastoral_core.eventlog._checkpoint import Checkpoint, StreamHead
from pastoral_core.eventlog._codec import Codec
from pastoral_core.eventlog._decision_lines import with_decisions
from pastoral_core.eventlog._default_codec import DEFAULT_CODEC
from pastoral_core.eventlog._digest import UNKEYED, Seal
from pastoral_core.eventlog._integrity import (
    GENESIS,
    LOG_CHAIN,
    STREAM_CHAIN,
    decision_digest,
    payload_digest,
    record_digest,
)
from pastoral_core.eventlog._jsonlines import is_blank, parse_json_line
from pastoral_core.eventlog._keys import Keyring
from pastoral_core.eventlog._recorded import RecordedEvent
from pastoral_core.exceptions import CodecError

_REQUIRED = frozenset({"stream_id", "stream_version", "position", "metadata", "event", "payload_digest", "digest"})


@attrs.frozen
class Verification:
    """The result of :func:`verify`.

    Attributes:
        ok: True if every record's digests hold and every chain is unbroken.
        checked: How many records were checked (up to and including the broken one).
        broken_position: Global position of the first broken record, if any.
        broken_record: 1-based record number (line number for text) of that record.
        reason: What is wrong with it.
        checkpoint: For a log that verifies, its :class:`Checkpoint`, to keep elsewhere
            and pass to a later ``verify(..., since=...)``.
        gaps: How many global positions the log skips. A store may skip positions (see
            :class:`~pastoral_core.eventlog.EventStore`); the in-memory log never does.

    """

    ok: bool
    checked: int
    broken_position: int | None = None
    broken_record: int | None = None
    reason: str | None = None
    checkpoint: Checkpoint | None = None
    gaps: int = 0

    def __bool__(self) -> bool:
        return self.ok


@attrs.define
class _Walk:
    """What verification has seen so far."""

    keys: Keyring | None
    since: Checkpoint | None
    position: int = 0
    previous: str = GENESIS  # the last record's digest, for a 0.1 record's link
    per_stream_seen: bool = False
    gaps: int = 0
    heads: dict[str, tuple[int, str]] = attrs.Factory(dict)
    seen_before: int = 0  # records at or below the checkpoint's position
    saw: dict[str, StreamHead] = attrs.Factory(dict)  # the checkpoint's heads by stream

    def __attrs_post_init__(self) -> None:
        if self.since is not None:
            self.saw = {head.stream_id: head for head in self.since.streams}

    def check(self, row: Any, number: int) -> str | None:
        """What is wrong with ``row`` (record ``number``), or ``None``; moves on if nothing."""
        if not isinstance(row, Mapping):
            return "record is not an object"
        missing = _REQUIRED - set(row)
        if missing:
            return f"missing {sorted(missing)}"
        position, stream, version = row["position"], row["stream_id"], row["stream_version"]
        if isinstance(position, bool) or not isinstance(position, int) or position <= self.position:
            return f"position {position!r} does not follow {self.position}"
        if not isinstance(stream, str):
            return "stream id is not text"
        head_version, head = self.heads.get(stream, (0, GENESIS))
        if version != head_version + 1:
            return f"stream version {version!r} of {stream!r} out of sequence"
        chain = row.get("chain", LOG_CHAIN)
        if chain not in (LOG_CHAIN, STREAM_CHAIN) or isinstance(chain, bool):
            return f"unknown chain {chain!r}"
        if chain == LOG_CHAIN and (self.per_stream_seen or "key_id" in row):
            return "a 0.1 record (chain 1) cannot follow a per-stream record or carry a key"
        seal, problem = self._seal(row.get("key_id"), position)
        if seal is None:
            return problem
        if not isinstance(row["event"], Mapping):
            return "event is not an object"
        if payload_digest(row["event"], seal) != row["payload_digest"]:
            return "payload does not match its digest"
        decision = row.get("decision")
        if decision is not None and not isinstance(decision, Mapping):
            return "decision is not an object"
        previous = self.previous if chain == LOG_CHAIN else head
        expected = record_digest(
            previous,
            stream,
            version,
            position,
            row["metadata"],
            row["payload_digest"],
            decision_digest(decision, seal),
            chain=chain,
            seal=seal,
        )
        if expected != row["digest"]:
            return "record digest does not match (metadata edited, or chain broken)"
        problem = self._against_checkpoint(stream, version, position, row["digest"], number)
        if problem:
            return problem
        self.gaps += position - self.position - 1
        self.position, self.previous = position, row["digest"]
        self.per_stream_seen = self.per_stream_seen or chain == STREAM_CHAIN
        self.heads[stream] = (version, row["digest"])
        return None

    def _seal(self, key_id: object, position: int) -> tuple[Seal | None, str | None]:
        if key_id is None:
            if self.keys is not None and position >= self.keys.unkeyed_before:
                return (
                    None,
                    f"record is not keyed, but the keyring requires keys from position {self.keys.unkeyed_before}",
                )
            return UNKEYED, None
        if not isinstance(key_id, str):
            return None, "key id is not text"
        if self.keys is None:
            return None, f"record is sealed with key {key_id[:64]!r}: pass keys= to verify it"
        seal = self.keys.seal(key_id)
        if seal is None:
            return None, f"record is sealed with key {key_id[:64]!r}, which the keyring does not hold"
        return seal, None

    def _against_checkpoint(self, stream: str, version: int, position: int, digest: str, number: int) -> str | None:
        since = self.since
        if since is None:
            return None
        if position <= since.position:
            self.seen_before += 1
        head = self.saw.get(stream)
        if head is not None and version == head.version and digest != head.digest:
            return f"stream {stream!r} at version {version} is not what the checkpoint saw (rewritten or rolled back)"
        return None

    def against_checkpoint_at_end(self) -> str | None:
        """What the checkpoint saw that the whole log no longer holds, or ``None``."""
        since = self.since
        if since is None:
            return None
        for head in since.streams:
            version = self.heads.get(head.stream_id, (0, GENESIS))[0]
            if version < head.version:
                seen = head.version
                return f"stream {head.stream_id!r} holds {version} of the {seen} records the checkpoint saw (cut short)"
        if self.seen_before != since.count:
            return (
                f"the log has {self.seen_before} records up to position {since.position}; "
                f"the checkpoint saw {since.count} (cut short, or records added behind it)"
            )
        return None

    def checkpoint(self, count: int) -> Checkpoint:
        """The checkpoint of everything seen."""
        streams = tuple(StreamHead(s, *self.heads[s]) for s in sorted(self.heads))
        return Checkpoint(count, self.position, streams)


def verify(
    source: str | Iterable[RecordedEvent],
    *,
    codec: Codec = DEFAULT_CODEC,
    since: Checkpoint | None = None,
    keys: Keyring | None = None,
) -> Verification:
    """Check a whole log: each record's digests and its link to the one before it.

    Args:
        source: JSON-lines text as stored (checked as written, before any upcasting), or
            recorded events such as ``EventLog.read_all()``, in position order.
        codec: The codec that unstructures recorded events (and whose JSON backend
            reads the text).
        since: A checkpoint taken earlier (kept apart from the log): the log must still
            hold every record it saw, unchanged, so a log cut short (a stream's last
            records, or a whole stream, dropped) or rolled back fails.
        keys: The host's keyring, to verify keyed records (each record names its key).
            Without it a keyed record fails; with it an unkeyed record at or after
            ``keys.unkeyed_before`` fails.

    Returns:
        A :class:`Verification` naming the first broken record, if any, and for a log
        that verifies its :class:`Checkpoint`. Never raises for bad input: it reports.

    """
    if since is not None and not isinstance(since, Checkpoint):
        return Verification(False, 0, None, None, "since must be a Checkpoint")
    if keys is not None and not isinstance(keys, Keyring):
        return Verification(False, 0, None, None, "keys must be a Keyring")
    if isinstance(source, str):
        # Every line is read (with the codec's JSON backend) before any is checked: a
        # line that is not JSON is reported first.
        fast = codec.json_reader if isinstance(codec, Codec) else None
        parsed: list[tuple[int, Any]] = []
        try:
            for line_no, line in enumerate(source.split("\n"), start=1):  # "\n" only, as loads
                if not is_blank(line):
                    parsed.append((line_no, parse_json_line(fast, line_no, line)))
        except ValueError as exc:
            return Verification(False, 0, None, None, str(exc))
        rows: Iterable[tuple[int, Any]] = with_decisions(parsed)
    else:
        try:
            records = iter(source)
        except TypeError:
            return Verification(False, 0, None, None, "expected JSON-lines text or recorded events")
        rows = ((n, _as_row(codec, r)) for n, r in enumerate(records, start=1))
    walk = _Walk(keys, since)
    checked = 0
    try:
        for number, row in rows:
            checked += 1
            problem = _problem(walk, row, number)
            if problem:
                position = row.get("position") if isinstance(row, Mapping) else None
                if isinstance(position, bool) or not isinstance(position, int):
                    position = None
                return Verification(False, checked, position, number, problem)
    except CodecError as exc:  # a decision line without its record
        return Verification(False, checked, None, exc.record, exc.reason)
    problem = walk.against_checkpoint_at_end()
    if problem:
        return Verification(False, checked, None, None, problem)
    return Verification(True, checked, checkpoint=walk.checkpoint(checked), gaps=walk.gaps)


def _problem(walk: _Walk, row: Any, number: int) -> str | None:
    try:
        return walk.check(row, number)
    except (TypeError, ValueError, RecursionError) as exc:
        return f"malformed record ({type(exc).__name__})"


def _as_row(codec: Codec, record: object) -> Any:
    if not isinstance(record, RecordedEvent):
        return None  # reported as "record is not an object" at its number
    try:
        return codec.to_dict(record)
    except Exception:
        return None
