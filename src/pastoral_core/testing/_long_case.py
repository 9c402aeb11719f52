"""One open case of any length for benchmarks and tests: its first records written, then copies of its note.

The first five records go through the real service
(:class:`~pastoral_core.support.PastoralSupport`); the rest copy its note, each with its
own note id, command id, time and kept command, so a stream of a million records costs
seconds. Like the workload's copies, they load, fold and serve as a store, but ``verify``
does not pass on them. Benchmark data only.
"""

from __future__ import annotations

import datetime as dt

import attrs

from pastoral_core.eventlog import DEFAULT_CODEC, EventLog, RecordedEvent
from pastoral_core.exceptions import InvalidType
from pastoral_core.support import CASE, NoteRecorded
from pastoral_core.testing._synthetic_kit import whole_number
from pastoral_core.testing._workload import relabeller
from pastoral_core.testing._workload_templates import (
    LONG_PREFIX,
    MAX_LONG_EVENTS,
    WORKLOAD_NETWORK_ID,
    LongPrefix,
    long_prefix,
)


class LongCase:
    """One open case with ``events`` records, all but the first four of them notes.

    The case (``case-<case_id>``) is received, answered, sent the MoU and allocated an
    officer through the real service; then its officer records one note a minute. The
    notes are copies of one note the service recorded, each with its own note id, command
    id, time and kept command. Made by :func:`long_case`.

    Attributes:
        seed: The seed the network was made from.
        events: How many records the case holds.
        case_id: The case's id.
        network_id: The network whose officers the case consults.
        network: The network stream's records.
        lead: The officer allocated to the case (the notes' author).
        rulebooks: The rulebooks the case was decided under.
    """

    def __init__(self, seed: int, events: int, case_id: str, prefix: LongPrefix) -> None:
        self.seed, self.events, self.case_id = seed, events, case_id
        self.network_id = WORKLOAD_NETWORK_ID
        self.network = prefix.network
        self.lead = prefix.lead
        self.rulebooks = prefix.rulebooks
        self._prefix = prefix
        self._records: tuple[RecordedEvent, ...] | None = None

    @property
    def stream_id(self) -> str:
        """The case's stream id."""
        return f"case-{self.case_id}"

    @property
    def last_recorded_at(self) -> dt.datetime:
        """When the case's last record was recorded."""
        return self.records()[-1].metadata.recorded_at

    def records(self) -> tuple[RecordedEvent, ...]:
        """The case's records, positions following the network's (made once, then kept)."""
        if self._records is None:
            prefix = self._prefix
            relabel = relabeller()
            out = [
                relabel(r, prefix.case_id, self.case_id, len(self.network) + n)
                for n, r in enumerate(prefix.records, start=1)
            ]
            note = relabel(prefix.note, prefix.case_id, self.case_id, 0)
            out.extend(_notes(note, prefix, self.events - LONG_PREFIX, len(self.network) + LONG_PREFIX))
            self._records = tuple(out)
        return self._records

    def jsonl(self) -> str:
        """The case's records as JSON lines (``dumps``; costs what encoding every record costs)."""
        return DEFAULT_CODEC.dumps(self.records())

    def store(self) -> EventLog:
        """A new in-memory store holding the network's records and the case's."""
        return EventLog.from_records((*self.network, *self.records()))


def _notes(note: RecordedEvent, prefix: LongPrefix, count: int, after: int) -> list[RecordedEvent]:
    """``count`` copies of the template note, one a minute, at positions after ``after``."""
    meta, decision, template = note.metadata, note.decision, note.event
    if not isinstance(template, NoteRecorded):  # pragma: no cover - the template's last record is its note
        raise RuntimeError("long_case: the template note is not a note")
    kept = decision.command if decision is not None else None
    start = meta.recorded_at
    out = []
    for k in range(1, count + 1):
        version = LONG_PREFIX + k
        note_id, command_id = f"n{k}", f"{note.stream_id[5:]}-note-{k}"
        moment = start + dt.timedelta(minutes=k - 1)
        metadata = attrs.evolve(
            meta,
            command_id=command_id,
            recorded_at=moment,
            occurred_at=moment if meta.occurred_at is not None else None,
        )
        record_decision = decision
        if decision is not None and kept is not None:
            text = kept.replace(f'"{meta.command_id}"', f'"{command_id}"').replace(prefix.note_id_text, f'"{note_id}"')
            record_decision = attrs.evolve(decision, command=text.replace(prefix.at_text, f'"{moment.isoformat()}"'))
        out.append(
            attrs.evolve(
                note,
                stream_version=version,
                position=after + k,
                event=attrs.evolve(template, note_id=note_id),
                metadata=metadata,
                decision=record_decision,
            )
        )
    return out


def long_case(events: int, *, seed: int = 0, case_id: str = "long") -> LongCase:
    """One open case with ``events`` records: received, answered, MoU, an officer, then notes.

    The first five records are written through the real service (made once per seed,
    then kept); the rest are copies of its note, so a stream of a million records costs
    seconds. It loads with ``loads`` and folds with ``CASE`` like any stream; its
    ``store()`` takes commands through :class:`~pastoral_core.support.PastoralSupport`
    (``network_id=WORKLOAD_NETWORK_ID``, ``rulebooks=workload_rulebooks()``).

    Args:
        events: How many records the case holds (5 to 10,000,000).
        seed: Any whole number; picks the network's officers.
        case_id: The case's id (stream ``case-<case_id>``).

    Returns:
        The :class:`LongCase`.

    Raises:
        InvalidType: If an argument has the wrong type.
        InvalidValue: If an argument is out of range or ``case_id`` is not an id.
    """
    whole_number("long_case", seed, "seed", -(2**63), 2**63)
    whole_number("long_case", events, "events", LONG_PREFIX + 1, MAX_LONG_EVENTS)
    if not isinstance(case_id, str):
        raise InvalidType("long_case", "case_id", f"must be an id, got {type(case_id).__name__}")
    CASE.stream_id(case_id)  # refuses what is not an id
    return LongCase(seed, events, case_id, long_prefix(seed))
