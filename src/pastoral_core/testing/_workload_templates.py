"""The workload's template cases, written through the real service (see ``_workload``)."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from random import Random
from typing import Any

import attrs

from pastoral_core.eventlog import EventLog, RecordedEvent
from pastoral_core.kernel import Accepted, Command
from pastoral_core.rules import Rulebooks
from pastoral_core.support import (
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
class TemplateWorld:
    """What the templates were written with: the network's records and the rulebooks."""

    network: tuple[RecordedEvent, ...]
    templates: tuple[CaseTemplate, ...]
    rulebooks: Rulebooks


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
def template_world(seed: int, templates: int) -> TemplateWorld:
    world, support, log = _network(seed, max(8, templates // 4))
    made = tuple(_template(world, Random(f"{seed}:workload:template:{t}"), t) for t in range(templates))
    network = log.read_stream(f"network-{WORKLOAD_NETWORK_ID}")
    return TemplateWorld(network, made, support.rulebooks)


@attrs.frozen
class LongPrefix:
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
def long_prefix(seed: int) -> LongPrefix:
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
    return LongPrefix(
        case_id=case_id,
        network=log.read_stream(f"network-{WORKLOAD_NETWORK_ID}"),
        records=records[:LONG_PREFIX],
        note=records[-1],
        lead=lead,
        rulebooks=support.rulebooks,
        note_id_text='"n-template"',
        at_text=f'"{noted.isoformat()}"',
    )
