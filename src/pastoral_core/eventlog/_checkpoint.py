"""Checkpoints: what a host keeps elsewhere so that a log cut short or rolled back is detected.

Each stream's digest chain proves that no record was changed or removed *within* the
stream, but a stream whose last records were dropped, or a whole stream dropped, still
verifies. A checkpoint taken from a verified log (its record count, its last position,
and each stream's version and last digest) is small and plain data; kept apart from the
log (another database, a signed e-mail, a print-out), it lets
:func:`~pastoral_core.eventlog.verify` detect truncation and rollback later: every record
the checkpoint saw must still be there, unchanged, and none added behind it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from pastoral_core.exceptions import InvalidValue

_DIGEST = re.compile(r"[0-9a-f]{64}")


def _check_digest(value: object, field: str) -> str:
    if not isinstance(value, str) or not _DIGEST.fullmatch(value):
        raise InvalidValue("Checkpoint", field, "must be a 64-character lower-case hex digest")
    return value


def _check_count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue("Checkpoint", field, "must be a whole number >= 0")
    return value


@attrs.frozen
class StreamHead:
    """One stream as a checkpoint saw it: its version and the digest of its last record."""

    stream_id: str
    version: int
    digest: str

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.stream_id, str) or not self.stream_id:
            raise InvalidValue("Checkpoint", "streams.stream_id", "must be a non-empty string")
        if _check_count(self.version, "streams.version") < 1:
            raise InvalidValue("Checkpoint", "streams.version", "must be 1 or more")
        _check_digest(self.digest, "streams.digest")


@attrs.frozen
class Checkpoint:
    """A verified log's extent: how many records, the last position, each stream's head.

    Attributes:
        count: Records in the log when the checkpoint was taken.
        position: Global position of the last of them (0 for an empty log).
        streams: Each stream's version and last digest, sorted by stream id.
    """

    count: int
    position: int
    streams: tuple[StreamHead, ...] = ()

    def __attrs_post_init__(self) -> None:
        _check_count(self.count, "count")
        if _check_count(self.position, "position") < self.count:
            raise InvalidValue("Checkpoint", "position", "cannot be below the count (positions start at 1)")
        if not isinstance(self.streams, tuple) or not all(isinstance(s, StreamHead) for s in self.streams):
            raise InvalidValue("Checkpoint", "streams", "must be a tuple of StreamHead")
        ids = [s.stream_id for s in self.streams]
        if ids != sorted(set(ids)):
            raise InvalidValue("Checkpoint", "streams", "must name each stream once, sorted by id")
        if sum(s.version for s in self.streams) != self.count:
            raise InvalidValue("Checkpoint", "streams", "the streams' versions must add up to the count")

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready data to keep somewhere other than the log."""
        return {
            "count": self.count,
            "position": self.position,
            "streams": {s.stream_id: {"version": s.version, "digest": s.digest} for s in self.streams},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checkpoint:
        """Read back what :meth:`to_dict` wrote.

        Raises:
            InvalidValue: If ``data`` is not a checkpoint.
        """
        if not isinstance(data, Mapping) or set(data) != {"count", "position", "streams"}:
            raise InvalidValue("Checkpoint", "$", "expected an object with count, position and streams")
        streams = data["streams"]
        if not isinstance(streams, Mapping):
            raise InvalidValue("Checkpoint", "streams", "expected an object by stream id")
        heads = []
        for stream_id in sorted(streams, key=str):
            head = streams[stream_id]
            if not isinstance(head, Mapping) or set(head) != {"version", "digest"}:
                raise InvalidValue("Checkpoint", "streams", "each stream needs a version and a digest")
            heads.append(StreamHead(stream_id, head["version"], head["digest"]))
        return cls(data["count"], data["position"], tuple(heads))
