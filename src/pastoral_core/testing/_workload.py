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
import functools
from collections.abc import Callable, Iterator
from decimal import Decimal
from random import Random
from typing import Any

import attrs

from pastoral_core.eventlog import DEFAULT_CODEC, EventLog, RecordedEvent
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel import Accepted, Command
from pastoral_core.rules import Rulebooks
from pastoral_core.support import (
    CASE,
    DEVON_PSN_V1,
    AllocateOfficer,
    AnswerReferral,
    CancelSession,
    ChargeableServices,
    CloseCase,
    ClosureOutcome,
    CostShare,
    DifficultyKind,
    EnrolOfficer,
    Funding,
    HoldSession,
    NoteRecorded,
    PastoralSupport,
    Payer,
    ReceiveRequest,
    Recipient,
    RecipientKind,
    RecordNote,
    ReferralAnswer,
    ReferToService,
    RequestReceived,
    RespondToRequest,
    ReviewCommitment,
    ReviewDecision,
    ScheduleSession,
    SendMou,
    SupportRole,
)
from pastoral_core.testing._synthetic_engagement import event_of
from pastoral_core.testing._synthetic_kit import (
    EXTERNAL_BODIES,
    NOTES,
    Issuer,
    at_london,
    moment_between,
    pick,
    whole_number,
    working_moment,
)
from pastoral_core.testing._synthetic_support import NATIONS, SupportWorld, plan_officers

COORDINATOR, OFFICER, RECIPIENT = SupportRole.COORDINATOR, SupportRole.OFFICER, SupportRole.RECIPIENT

#: How many distinct template cases a workload is copied from, by default.
DEFAULT_TEMPLATES = 40
#: The network every workload's cases consult (its stream is ``network-bench-lmc``).
WORKLOAD_NETWORK_ID = "bench-lmc"
#: The first day a template case can arrive on.
WORKLOAD_START = dt.date(2026, 4, 1)
#: The most cases a workload holds.
MAX_CASES = 10_000_000
#: The most events a long case holds.
MAX_LONG_EVENTS = 10_000_000
#: The records a long case begins with before its notes: request, response, MoU, allocation.
LONG_PREFIX = 4

#: Written in place of a template record's position, then replaced in each copy's line.
_POSITION_MARK = 9_876_543_210_123


def workload_rulebooks() -> Rulebooks:
    """The rulebooks every workload is decided under: Devon's, with a session rate of £80.

    The rate prices the sessions after a review (PSN-COST-SHARE); legal and career
    counselling referrals are chargeable (PSN-CHARGE).

    Returns:
        One rulebook version, ``BENCH_LMC_PSN``.
    """
    return Rulebooks(
        (
            DEVON_PSN_V1.adapted(
                "BENCH_LMC_PSN",
                CostShare(session_rate=Decimal("80.00")),
                ChargeableServices(chargeable=("legal", "career_counselling")),
            ),
        )
    )


@attrs.frozen
class CaseTemplate:
    """One template case as the service recorded it.

    Attributes:
        case_id: The template's own case id (``template-007``); copies replace it.
        records: Its stream's records, as recorded.
        open_length: How many of them come before the closure.
        lead: The officer leading the engagement until the closure.
        recipient_id: Who is supported.
    """

    case_id: str
    records: tuple[RecordedEvent, ...]
    open_length: int
    lead: str
    recipient_id: str


@attrs.frozen
class _World:
    """What the templates were written with: the network's records and the rulebooks."""

    network: tuple[RecordedEvent, ...]
    templates: tuple[CaseTemplate, ...]
    rulebooks: Rulebooks


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

    def __init__(self, seed: int, cases: int, closed: bool, network: tuple[RecordedEvent, ...], world: _World) -> None:
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
            relabel = _relabeller()
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

    def __init__(self, seed: int, events: int, case_id: str, prefix: _LongPrefix) -> None:
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
            relabel = _relabeller()
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


def _notes(note: RecordedEvent, prefix: _LongPrefix, count: int, after: int) -> list[RecordedEvent]:
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


def _relabeller() -> Callable[[RecordedEvent, str, str, int], RecordedEvent]:
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


def _line_pieces(record: RecordedEvent, case_id: str) -> tuple[list[str], list[str]]:
    """The codec's line for ``record``, cut at its position and at each occurrence of its case id."""
    line = DEFAULT_CODEC.dumps((attrs.evolve(record, position=_POSITION_MARK),))
    before, mark, after = line.partition(str(_POSITION_MARK))
    if not mark or str(_POSITION_MARK) in after:  # pragma: no cover - the codec writes positions as numbers
        raise RuntimeError("case_workload: cannot find the position in the codec's line")
    return before.split(case_id), after.split(case_id)


# -- templates, through the real service ------------------------------------------------------


def _network(seed: int, officers: int) -> tuple[SupportWorld, PastoralSupport, EventLog]:
    """A new log whose network enrols ``officers`` officers (two thirds GPs) before anything else."""
    log = EventLog()
    support = PastoralSupport(log, workload_rulebooks(), network_id=WORKLOAD_NETWORK_ID)
    practices = tuple(f"P-{n:04d}" for n in range(1, 41))
    world = SupportWorld(support, practices=practices)
    issue = Issuer("network")
    enrolled = at_london(WORKLOAD_START - dt.timedelta(days=7), 8 * 60)
    for officer in plan_officers(Random(f"{seed}:workload:network"), officers, practices):
        world.officers[officer.officer_id] = officer
        world.load[officer.officer_id] = 0
        command = issue(
            EnrolOfficer,
            enrolled,
            COORDINATOR,
            world.coordinator,
            officer_id=officer.officer_id,
            background=officer.background,
            practice_id=officer.practice_id,
        )
        support.handle(command)
    return world, support, log


class _Case:
    """Issues one template case's commands through the service, in time order."""

    def __init__(self, world: SupportWorld, case_id: str) -> None:
        self.world, self.case_id, self.issue = world, case_id, Issuer(case_id)

    def __call__(
        self,
        cls: type[Command],
        at: dt.datetime,
        role: SupportRole = COORDINATOR,
        actor: str | None = None,
        **fields: Any,
    ) -> Accepted:
        command = self.issue(cls, at, role, actor or self.world.coordinator, **fields)
        return self.world.support.handle(command, self.case_id)


def _template(world: SupportWorld, rng: Random, number: int) -> CaseTemplate:
    """One case from request to closure; every choice from ``rng``, every command accepted."""
    case_id = f"template-{number:03d}"
    do = _Case(world, case_id)
    kind = pick(rng, ((RecipientKind.GP, 0.8), (RecipientKind.PRACTICE_MANAGER, 0.2)))
    recipient = f"{'gp' if kind is RecipientKind.GP else 'pm'}-{number:03d}"
    practice = rng.choice(world.practices)
    external = rng.random() < 0.3
    arrives = at_london(WORKLOAD_START + dt.timedelta(days=3 * number), 8 * 60)
    now = working_moment(rng, arrives, days=(0, 2), hours=(8, 16))
    accepted = do(
        ReceiveRequest,
        now,
        kind=kind,
        recipients=(Recipient(recipient, kind),),
        practice_id=practice,
        nation=pick(rng, NATIONS),
        difficulty=DifficultyKind.EXTERNAL if external else DifficultyKind.INTERNAL,
        external_body=rng.choice(EXTERNAL_BODIES) if external else None,
    )
    due = event_of(accepted, RequestReceived).response_due_at
    answered = moment_between(rng, now, due - dt.timedelta(minutes=15)) if rng.random() < 0.9 else None
    now = answered or max(now, due) + dt.timedelta(hours=2)  # about one in ten answered late (flagged)
    do(RespondToRequest, now)
    now = working_moment(rng, now, days=(0, 2))
    do(SendMou, now, terms_version="LMC-MOU-2019")
    chosen = world.choose(rng, kind, practice, set())
    if chosen is None:  # pragma: no cover - the network has an officer for every background
        raise RuntimeError("case_workload: no officer is free")
    lead, overrides = chosen
    do(AllocateOfficer, now, recipient_id=recipient, officer_id=lead, overrides=overrides)
    cancelled_before = rng.randint(1, 6) if rng.random() < 0.3 else 0
    now, booked = _sessions(do, rng, now, recipient, lead, 6, cancelled_before, booked=0)
    now = working_moment(rng, now, days=(1, 7))
    if rng.random() < 0.55:
        funding = pick(
            rng,
            (
                (Funding(Payer.LMC), 0.3),
                (Funding(Payer.SHARED, Decimal(50)), 0.5),
                (Funding(Payer.RECIPIENT), 0.2),
            ),
        )
        do(
            ReviewCommitment,
            now,
            recipient_id=recipient,
            decision=ReviewDecision.EXTEND,
            sessions=2,
            months=2,
            funding=funding,
        )
        now, _ = _sessions(do, rng, now, recipient, lead, rng.choice((1, 2)), 0, booked=booked)
    else:
        do(ReviewCommitment, now, recipient_id=recipient, decision=ReviewDecision.CONCLUDE)
    outcome = ClosureOutcome.RESOLVED
    if rng.random() < 0.3:
        now = working_moment(rng, now, days=(0, 3))
        service = rng.choice(("occupational_health", "career_counselling", "legal", "mediation"))
        do(ReferToService, now, OFFICER, lead, referral_id="r1", recipient_id=recipient, service=service)
        now = working_moment(rng, now, days=(2, 10))
        answer = ReferralAnswer.ACCEPTED if rng.random() < 0.7 else ReferralAnswer.DECLINED
        do(AnswerReferral, now, RECIPIENT, recipient, referral_id="r1", answer=answer)
        if answer is ReferralAnswer.ACCEPTED and rng.random() < 0.5:
            outcome = ClosureOutcome.REFERRED_ON
    open_length = world.support.store.stream_version(f"case-{case_id}")
    now = working_moment(rng, now, days=(3, 21))
    do(CloseCase, now, outcome=outcome)
    world.release(lead)
    records = world.support.store.read_stream(f"case-{case_id}")
    return CaseTemplate(case_id, records, open_length, lead, recipient)


def _sessions(
    do: _Case, rng: Random, now: dt.datetime, recipient: str, lead: str, count: int, cancelled_before: int, booked: int
) -> tuple[dt.datetime, int]:
    """Book and hold ``count`` more sessions, a note after each; one booking cancelled if asked.

    Returns:
        The moment of the last note, and how many sessions were booked in all.
    """
    held = 0
    while held < count:
        book = working_moment(rng, now, days=(0, 3))
        starts = working_moment(rng, book, days=(3, 9), hours=(8, 18))
        booked += 1
        session = f"s{booked}"
        by = (OFFICER, lead) if rng.random() < 0.6 else (COORDINATOR, None)
        do(ScheduleSession, book, *by, session_id=session, recipient_id=recipient, starts_at=starts)
        if held + 1 == cancelled_before:
            cancelled_before = 0
            notice = moment_between(rng, book, starts - dt.timedelta(hours=24)) or book + dt.timedelta(minutes=15)
            do(CancelSession, notice, RECIPIENT, recipient, session_id=session, with_notice=True)
            now = notice
            continue
        now = starts + dt.timedelta(minutes=rng.choice((50, 60, 75)))
        do(HoldSession, now, OFFICER, lead, session_id=session)
        held += 1
        now += dt.timedelta(minutes=rng.choice((10, 20, 30)))
        do(RecordNote, now, OFFICER, lead, note_id=f"n{booked}", text=rng.choice(NOTES))
    return now, booked


@functools.lru_cache(maxsize=8)
def _world(seed: int, templates: int) -> _World:
    world, support, log = _network(seed, max(8, templates // 4))
    made = tuple(_template(world, Random(f"{seed}:workload:template:{t}"), t) for t in range(templates))
    network = log.read_stream(f"network-{WORKLOAD_NETWORK_ID}")
    return _World(network, made, support.rulebooks)


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
        text = workload.jsonl()            # JSON lines, as ``dumps(workload.records())``
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
    world = _world(seed, templates)
    return CaseWorkload(seed, cases, closed, world.network, world)


@attrs.frozen
class _LongPrefix:
    """A long case's beginning as the service recorded it, and the note every later one copies."""

    case_id: str
    network: tuple[RecordedEvent, ...]
    records: tuple[RecordedEvent, ...]
    note: RecordedEvent
    lead: str
    rulebooks: Rulebooks
    note_id_text: str
    at_text: str


@functools.lru_cache(maxsize=4)
def _long_prefix(seed: int) -> _LongPrefix:
    world, support, log = _network(seed, 8)
    case_id = "long-template"
    do = _Case(world, case_id)
    rng = Random(f"{seed}:workload:long")
    received = working_moment(rng, at_london(WORKLOAD_START, 8 * 60), hours=(9, 11))
    recipient = "gp-long"
    do(
        ReceiveRequest,
        received,
        kind=RecipientKind.GP,
        recipients=(Recipient(recipient, RecipientKind.GP),),
        practice_id="P-0001",
    )
    do(RespondToRequest, received + dt.timedelta(minutes=30))
    do(SendMou, received + dt.timedelta(minutes=45), terms_version="LMC-MOU-2019")
    chosen = world.choose(rng, RecipientKind.GP, "P-0001", set())
    if chosen is None:  # pragma: no cover - the network has GPs
        raise RuntimeError("long_case: no officer is free")
    lead, overrides = chosen
    do(AllocateOfficer, received + dt.timedelta(hours=1), recipient_id=recipient, officer_id=lead, overrides=overrides)
    # The note is recorded at a UTC time: the copies' kept commands take their times as ISO text.
    noted = (received + dt.timedelta(hours=2)).astimezone(dt.UTC)
    accepted = do(RecordNote, noted, OFFICER, lead, note_id="n-template", text=NOTES[0])
    records = log.read_stream(f"case-{case_id}")
    if len(records) != LONG_PREFIX + 1 or accepted.records[0] is not records[-1]:  # pragma: no cover
        raise RuntimeError("long_case: the template case did not record what was expected")
    return _LongPrefix(
        case_id=case_id,
        network=log.read_stream(f"network-{WORKLOAD_NETWORK_ID}"),
        records=records[:LONG_PREFIX],
        note=records[-1],
        lead=lead,
        rulebooks=support.rulebooks,
        note_id_text='"n-template"',
        at_text=f'"{noted.isoformat()}"',
    )


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
    return LongCase(seed, events, case_id, _long_prefix(seed))
