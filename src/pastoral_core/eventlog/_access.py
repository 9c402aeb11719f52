"""Subject access (UK GDPR article 15): everything a log holds about one person id.

The library stores people as opaque ids (rule MINIMAL), so a request for "everything
about gp-17" is answered from the log alone: every stream in which the id appears in an
event (their case, their membership, their group) in full, and any other record naming
them (as its actor, or anywhere in its event or kept command). Text destroyed under the
retention rule shows as destroyed, never as its tombstone. What a host must still do
before handing it over (withholding third parties' data, exemptions) is the host's to
decide; the report keeps each record's stream and position so the host can.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from pastoral_core.eventlog._codec import Codec
from pastoral_core.eventlog._default_codec import DEFAULT_CODEC
from pastoral_core.eventlog._integrity import is_tombstone
from pastoral_core.eventlog._recorded import RecordedEvent
from pastoral_core.exceptions import InvalidType, InvalidValue

#: What a destroyed text field reads as in a subject access report.
DESTROYED = "[destroyed under the retention rule]"


@attrs.frozen
class AccessEntry:
    """One record a subject access report holds.

    Attributes:
        position: Global position in the log.
        stream_id: The stream it belongs to.
        why: ``"their stream"`` (a stream naming them), ``"actor"`` (they issued the
            command) or ``"named"`` (they appear in it).
        data: The record as plain data: metadata, event and kept command, destroyed text
            shown as destroyed, digests left out.
    """

    position: int
    stream_id: str
    why: str
    data: dict[str, Any] = attrs.field(repr=False)


@attrs.frozen
class SubjectAccess:
    """Everything a log holds about one person id, in log order."""

    person_id: str
    entries: tuple[AccessEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data a host can hand over (or filter first)."""
        return {
            "person_id": self.person_id,
            "records": [
                {"position": e.position, "stream_id": e.stream_id, "why": e.why, **e.data} for e in self.entries
            ],
        }


def subject_access(records: Iterable[RecordedEvent], person_id: str, *, codec: Codec = DEFAULT_CODEC) -> SubjectAccess:
    """Everything ``records`` hold about ``person_id``.

    Args:
        records: The whole log (e.g. ``EventLog.read_all()`` or ``loads(text)``).
        person_id: The opaque id of the person asking.
        codec: The codec that reads the records.

    Raises:
        InvalidValue: If ``person_id`` is blank.
        InvalidType: If ``person_id`` is not a string.
    """
    if not isinstance(person_id, str):
        raise InvalidType("subject_access", "person_id", f"must be a string, got {type(person_id).__name__}")
    if not person_id.strip():
        raise InvalidValue("subject_access", "person_id", "must not be blank")
    rows = [(record, _plain(codec, record)) for record in records]
    theirs = {record.stream_id for record, row in rows if _names(row["event"], person_id)}
    entries = []
    for record, row in rows:
        if record.stream_id in theirs:
            why = "their stream"
        elif record.metadata.actor == person_id:
            why = "actor"
        elif _names(row, person_id):
            why = "named"
        else:
            continue
        entries.append(AccessEntry(record.position, record.stream_id, why, row))
    return SubjectAccess(person_id, tuple(entries))


def _plain(codec: Codec, record: RecordedEvent) -> dict[str, Any]:
    data = codec.to_dict(record)
    row: dict[str, Any] = {"metadata": data["metadata"], "event": _shown(data["event"])}
    decision = data.get("decision")
    if decision is not None and decision.get("command") is not None:
        row["command"] = _shown(json.loads(decision["command"]))
    return row


def _shown(value: Any) -> Any:
    if isinstance(value, str):
        return DESTROYED if is_tombstone(value) else value
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value


def _names(value: Any, person_id: str) -> bool:
    return any(leaf == person_id for leaf in _strings(value))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
