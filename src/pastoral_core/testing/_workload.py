"""A deterministic workload of cases for benchmarks and tests: realistic templates, copied cheaply.

Every template case is written through the real service
(:class:`~pastoral_core.support.PastoralSupport` over an
:class:`~pastoral_core.eventlog.EventLog`): a request, the first response, the MoU, an
officer allocated, six sessions booked and held with a note after each, now and then a
booking cancelled with notice, a commitment review (extending with charged sessions, or
concluding), sometimes a referral and its answer, and the closure. A workload of any size
is then made by *relabelling* the template streams: each copy gets its own case id
(stream id), global positions and command ids, and keeps its template's events, so a
million events cost seconds to make rather than the minutes the service would take.

Relabelled records keep their template's digests: they load, fold and serve as a store
(``EventLog.from_records``), but ``verify`` does not pass on them. Benchmark data only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import attrs

from pastoral_core.eventlog import DEFAULT_CODEC, EventLog, RecordedEvent
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.testing._synthetic_kit import (
    whole_number,
)
from pastoral_core.testing._workload_templates import (
    DEFAULT_TEMPLATES,
    MAX_CASES,
    WORKLOAD_NETWORK_ID,
    CaseTemplate,
    TemplateWorld,
    template_world,
)


class CaseWorkload:
    """``cases`` cases copied from a few templates, as decoded records and as JSON lines.

    Case ``n`` (from 1) has id ``c000001`` ... (stream ``case-c000001``) and is a copy of
    template ``(n - 1) % len(templates)``. The network's records come first (positions
    from 1), then each case's records in turn. Made by :func:`case_workload`.

    Attributes:
        seed: The seed the templates were made from.
        cases: How many cases.
        closed: Whether each case ends with its closure (``False``: every case is still
            open, as before its closure was recorded).
        network_id: The network whose officers the cases consult.
        network: The network stream's records (officers enrolled).
        templates: The template cases.
        rulebooks: The rulebooks the templates were decided under.
        case_ids: Every case id, in order.
    """

    def __init__(
        self, seed: int, cases: int, closed: bool, network: tuple[RecordedEvent, ...], world: TemplateWorld
    ) -> None:
        self.seed, self.cases, self.closed = seed, cases, closed
        self.network_id = WORKLOAD_NETWORK_ID
        self.network = network
        self.templates = world.templates
        self.rulebooks = world.rulebooks
        self.case_ids: tuple[str, ...] = tuple(f"c{n:06d}" for n in range(1, cases + 1))
        self._records: tuple[RecordedEvent, ...] | None = None
        self._text: str | None = None

    def template_of(self, case_id: str) -> CaseTemplate:
        """The template case ``case_id`` is a copy of.

        Raises:
            InvalidValue: If ``case_id`` is not one of the workload's.
        """
        return self.templates[(self._number(case_id) - 1) % len(self.templates)]

    def lead_of(self, case_id: str) -> str:
        """The officer leading case ``case_id`` (allocated to it while it is open)."""
        return self.template_of(case_id).lead

    def _number(self, case_id: str) -> int:
        number = int(case_id[1:]) if case_id[:1] == "c" and case_id[1:].isdigit() else 0
        if not 1 <= number <= self.cases:
            raise InvalidValue("CaseWorkload", "case_id", f"{case_id!r} is not a case of this workload")
        return number

    def _length(self, template: CaseTemplate) -> int:
        return len(template.records) if self.closed else template.open_length

    @property
    def case_events(self) -> int:
        """How many records the cases hold (the network's left out)."""
        lengths = [self._length(t) for t in self.templates]
        whole, part = divmod(self.cases, len(lengths))
        return whole * sum(lengths) + sum(lengths[:part])

    @property
    def events(self) -> int:
        """How many records the workload holds: the network's and the cases'."""
        return len(self.network) + self.case_events

    @property
    def last_recorded_at(self) -> dt.datetime:
        """When the latest record of any case was recorded (commands after it keep to rule TIME)."""
        return max(
            (r.metadata.recorded_at for t in self.templates for r in t.records[: self._length(t)]),
            key=lambda moment: moment.timestamp(),
        )

    def records(self) -> tuple[RecordedEvent, ...]:
        """Every record, decoded: the network's, then each case's (made once, then kept)."""
        if self._records is None:
            out = list(self.network)
            position = len(out)
            relabel = relabeller()
            for case_id, template in zip(self.case_ids, self._cycle(), strict=True):
                for record in template.records[: self._length(template)]:
                    position += 1
                    out.append(relabel(record, template.case_id, case_id, position))
            self._records = tuple(out)
        return self._records

    def jsonl(self) -> str:
        """Every record as JSON lines, exactly as ``dumps(self.records())`` writes them (made once, then kept).

        Each template record's line is written once by the codec and copied with its case
        id and position replaced, so this costs far less than encoding every record.
        """
        if self._text is None:
            self._text = "".join(self.jsonl_lines())
        return self._text

    def jsonl_lines(self) -> Iterator[str]:
        """The lines of :meth:`jsonl`, each ending in a newline, made one at a time and not kept (for a file)."""
        yield DEFAULT_CODEC.dumps(self.network)
        position = len(self.network)
        lines = {t.case_id: [_line_pieces(r, t.case_id) for r in t.records[: self._length(t)]] for t in self.templates}
        for case_id, template in zip(self.case_ids, self._cycle(), strict=True):
            for before, after in lines[template.case_id]:
                position += 1
                yield f"{case_id.join(before)}{position}{case_id.join(after)}"

    def store(self) -> EventLog:
        """A new in-memory store holding every record (``EventLog.from_records``)."""
        return EventLog.from_records(self.records())

    def _cycle(self) -> list[CaseTemplate]:
        count = len(self.templates)
        return [self.templates[n % count] for n in range(self.cases)]


def relabeller() -> Callable[[RecordedEvent, str, str, int], RecordedEvent]:
    """Copy a template record as case ``new`` at ``position`` (stream, command id and kept command relabelled)."""

    def relabel(record: RecordedEvent, old: str, new: str, position: int) -> RecordedEvent:
        meta = attrs.evolve(record.metadata, command_id=record.metadata.command_id.replace(old, new))
        decision = record.decision
        if decision is not None and decision.command is not None:
            decision = attrs.evolve(decision, command=decision.command.replace(old, new))
        return attrs.evolve(
            record,
            stream_id=record.stream_id.replace(old, new),
            position=position,
            metadata=meta,
            decision=decision,
        )

    return relabel


#: A position no real record has: where the codec's line is cut to put each copy's own.
_POSITION_MARK = 9_876_543_210_123


def _line_pieces(record: RecordedEvent, case_id: str) -> tuple[list[str], list[str]]:
    """The codec's line for ``record``, cut at its position and at each occurrence of its case id."""
    line = DEFAULT_CODEC.dumps((attrs.evolve(record, position=_POSITION_MARK),))
    before, mark, after = line.partition(str(_POSITION_MARK))
    if not mark or str(_POSITION_MARK) in after:  # pragma: no cover - the codec writes positions as numbers
        raise RuntimeError("case_workload: cannot find the position in the codec's line")
    return before.split(case_id), after.split(case_id)


def case_workload(
    cases: int, *, seed: int = 0, templates: int = DEFAULT_TEMPLATES, closed: bool = True
) -> CaseWorkload:
    """A workload of ``cases`` realistic cases (about 27 events each), the same for the same arguments.

    ``templates`` distinct cases are written through the real service (made once per
    seed and count, then kept); the workload copies them, relabelled, in turn. Its
    records load back with ``loads``, fold with ``CASE`` to their template's state, and
    ``jsonl()`` is byte for byte the same for the same arguments.

    Example::

        workload = case_workload(1_000, seed=7)
        text = workload.jsonl()            # JSON lines, as dumps(workload.records())
        states = states_from(CASE, loads(text))

    Args:
        cases: How many cases (0 to 10,000,000).
        seed: Any whole number; picks the templates' recipients, times and paths.
        templates: How many distinct template cases (1 to 999).
        closed: ``False`` to leave every case open: its closure is not copied.

    Returns:
        The :class:`CaseWorkload`.

    Raises:
        InvalidType: If an argument has the wrong type.
        InvalidValue: If an argument is out of range.
    """
    whole_number("case_workload", seed, "seed", -(2**63), 2**63)
    whole_number("case_workload", cases, "cases", 0, MAX_CASES)
    whole_number("case_workload", templates, "templates", 1, 999)
    if not isinstance(closed, bool):
        raise InvalidType("case_workload", "closed", f"must be True or False, got {type(closed).__name__}")
    world = template_world(seed, templates)
    return CaseWorkload(seed, cases, closed, world.network, world)
