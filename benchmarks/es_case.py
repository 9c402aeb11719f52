"""The pastoral support case modelled the way the ``eventsourcing`` library (9.5.6) recommends.

Used by ``benchmarks/performance.py`` to compare pastoral_core with eventsourcing on the
same cases: the same events in the same order, with the same fields and types.

The model follows eventsourcing's documentation ("explicit" style, the faster of its two
aggregate styles): one ``Aggregate`` subclass whose nested event classes derive from
``Aggregate.Created`` / ``Aggregate.Event`` and mutate the aggregate in ``apply``; ids from
a ``create_id`` static method (``uuid5`` of the case id); an ``Application`` with the
default in-memory (POPO) recorder and its ``JSONTranscoder`` with the ``Decimal`` and
``datetime`` transcodings, plus custom transcodings for ``date`` and the case's value
objects (recipients, funding, session charges), as its docs show for custom types.
Enumerations are stored as their string values (plain JSON strings, no transcoding),
which costs eventsourcing slightly less than pastoral_core's typed enums.

Two variants:

- **default**: ``Application.repository.get(id)`` as documented. Its projector,
  ``eventsourcing.application.project_aggregate``, runs
  ``assert isinstance(domain_event, CanMutateProtocol)`` for every event: an
  ``isinstance`` against a ``runtime_checkable`` ``Protocol``, which inspects the
  protocol's members on each call.
- **best**: the same, with ``projector_func=project_without_assert``: the same loop
  (``aggregate = event.mutate(aggregate)``) *without* that one assert; nothing else is
  skipped (each event's ``mutate`` still checks its originator id and version, and the
  mapper still decodes every stored event). For commands, ``best`` also turns on the
  repository's documented aggregate cache (``AGGREGATE_CACHE_MAXSIZE``, fast-forward,
  ``DEEPCOPY_FROM_AGGREGATE_CACHE=n``), so a command does not replay the stream.
  Running Python with ``-O`` would strip the assert too.

A command here (``Cases.record_note``) loads the case, checks what the aggregate can check
(the note id is new, the author leads an engagement, the text is within 1,000 characters)
and saves the new event. pastoral_core's command path does more for each command (roles,
scope, the rulebook in force, screening the text, idempotency by command id, digests).

(Annotations here are real types, not strings: eventsourcing reads them at class creation,
and the suite loads this file from a path.)
"""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from eventsourcing.application import Application, ProjectorFunction, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, StoredEvent, Transcoding

import pastoral_core.support as pc
from pastoral_core import RuleFlagged
from pastoral_core.eventlog import Event as PcEvent

NAMESPACE = uuid.UUID("6f1c2a4e-0b7d-4d8e-9a51-3c2f7b9e1d20")
MAX_NOTE_CHARS = 1000

# -- value objects and their transcodings ------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Recipient:
    """A person or practice the case supports."""

    recipient_id: str
    kind: str


@dataclasses.dataclass(frozen=True)
class Funding:
    """How sessions granted by a review are paid."""

    payer: str
    recipient_percent: Decimal


@dataclasses.dataclass(frozen=True)
class SessionCharge:
    """What a session after the initial allowance costs and who pays."""

    total: Decimal
    lmc_share: Decimal
    payer_id: str
    payer_share: Decimal


@dataclasses.dataclass(frozen=True)
class Tranche:
    """Sessions granted together."""

    allowed_total: int
    window_ends: dt.date | None
    funding: Funding | None = None


class DateAsISO(Transcoding):
    """``date`` as ISO text (eventsourcing ships transcodings for ``datetime`` only)."""

    type = dt.date
    name = "date_iso"

    def encode(self, obj: dt.date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> dt.date:
        return dt.date.fromisoformat(data)


class RecipientAsDict(Transcoding):
    type = Recipient
    name = "recipient"

    def encode(self, obj: Recipient) -> dict[str, str]:
        return {"recipient_id": obj.recipient_id, "kind": obj.kind}

    def decode(self, data: dict[str, str]) -> Recipient:
        return Recipient(**data)


class FundingAsDict(Transcoding):
    type = Funding
    name = "funding"

    def encode(self, obj: Funding) -> dict[str, Any]:
        return {"payer": obj.payer, "recipient_percent": obj.recipient_percent}

    def decode(self, data: dict[str, Any]) -> Funding:
        return Funding(**data)


class SessionChargeAsDict(Transcoding):
    type = SessionCharge
    name = "session_charge"

    def encode(self, obj: SessionCharge) -> dict[str, Any]:
        return dataclasses.asdict(obj)

    def decode(self, data: dict[str, Any]) -> SessionCharge:
        return SessionCharge(**data)


# -- the aggregate -----------------------------------------------------------------------------


class Engagement:
    """Support for one recipient (mutable, as eventsourcing aggregates are)."""

    __slots__ = ("concluded", "first_session_on", "lead", "officers", "recipient", "switched_from", "tranches", "used")

    def __init__(self, recipient: Recipient) -> None:
        self.recipient = recipient
        self.lead: str | None = None
        self.officers: list[str] = []
        self.switched_from: set[str] = set()
        self.used = 0
        self.tranches: list[Tranche] = []
        self.first_session_on: dt.date | None = None
        self.concluded = False


class Session:
    """A support session."""

    __slots__ = ("officer_id", "recipient_id", "session_id", "starts_at", "status")

    def __init__(self, session_id: str, recipient_id: str, officer_id: str, starts_at: dt.datetime) -> None:
        self.session_id, self.recipient_id, self.officer_id = session_id, recipient_id, officer_id
        self.starts_at, self.status = starts_at, "scheduled"


class Case(Aggregate):
    """One request for support, from receipt to closure."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        self.request: Case.RequestReceived | None = None
        self.response: Case.Responded | None = None
        self.mou_sent_at: dt.datetime | None = None
        self.engagements: dict[str, Engagement] = {}
        self.sessions: dict[str, Session] = {}
        self.referrals: dict[str, Case.Referred] = {}
        self.answers: dict[str, str] = {}
        self.note_ids: list[str] = []
        self.flagged: set[str] = set()
        self.closure: Case.Closed | None = None

    @staticmethod
    def create_id(case_id: str) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"/cases/{case_id}")

    def _engagement(self, recipient_id: str) -> Engagement:
        engagement = self.engagements.get(recipient_id)
        if engagement is None:
            assert self.request is not None
            recipient = next(r for r in self.request.recipients if r.recipient_id == recipient_id)
            engagement = self.engagements[recipient_id] = Engagement(recipient)
        return engagement

    # events, each applying itself to the aggregate

    class RequestReceived(Aggregate.Created):
        case_id: str
        received_at: dt.datetime
        kind: str
        recipients: Sequence[Recipient]
        practice_id: str | None
        nation: str
        difficulty: str
        external_body: str | None
        complex: bool
        response_due_at: dt.datetime

        def apply(self, aggregate: "Case") -> None:
            aggregate.request = self

    class Responded(Aggregate.Event):
        responded_at: dt.datetime
        due_at: dt.datetime
        on_time: bool

        def apply(self, aggregate: "Case") -> None:
            aggregate.response = self

    class MouSent(Aggregate.Event):
        terms_version: str
        sent_at: dt.datetime

        def apply(self, aggregate: "Case") -> None:
            if aggregate.mou_sent_at is None or self.sent_at < aggregate.mou_sent_at:
                aggregate.mou_sent_at = self.sent_at

    class OfficerAllocated(Aggregate.Event):
        recipient_id: str
        officer_id: str
        initial_allowance: int | None
        override_rule: str | None
        override_reason: str | None
        override_by: str | None

        def apply(self, aggregate: "Case") -> None:
            engagement = aggregate._engagement(self.recipient_id)
            if self.initial_allowance is not None:
                engagement.tranches = [Tranche(self.initial_allowance, None, None)]
            engagement.lead = self.officer_id
            engagement.officers.append(self.officer_id)

    class SessionScheduled(Aggregate.Event):
        session_id: str
        recipient_id: str
        officer_id: str
        starts_at: dt.datetime

        def apply(self, aggregate: "Case") -> None:
            aggregate.sessions[self.session_id] = Session(
                self.session_id, self.recipient_id, self.officer_id, self.starts_at
            )

    class SessionHeld(Aggregate.Event):
        session_id: str
        held_on: dt.date
        window_ends: dt.date | None
        charge: SessionCharge | None

        def apply(self, aggregate: "Case") -> None:
            session = aggregate.sessions[self.session_id]
            session.status = "held"
            engagement = aggregate._engagement(session.recipient_id)
            if self.window_ends is not None and engagement.tranches:
                engagement.tranches[-1] = dataclasses.replace(engagement.tranches[-1], window_ends=self.window_ends)
            if engagement.first_session_on is None:
                engagement.first_session_on = self.held_on
            engagement.used += 1

    class SessionCancelled(Aggregate.Event):
        session_id: str
        with_notice: bool
        counts: bool
        on: dt.date

        def apply(self, aggregate: "Case") -> None:
            session = aggregate.sessions[self.session_id]
            session.status = "cancelled_with_notice" if self.with_notice else "cancelled_late"
            if self.counts:
                aggregate._engagement(session.recipient_id).used += 1

    class CommitmentReviewed(Aggregate.Event):
        recipient_id: str
        decision: str
        reviewed_on: dt.date
        sessions: int
        window_ends: dt.date | None
        funding: Funding | None

        def apply(self, aggregate: "Case") -> None:
            engagement = aggregate._engagement(self.recipient_id)
            if self.decision == "conclude":
                engagement.concluded = True
            else:
                engagement.tranches.append(Tranche(engagement.used + self.sessions, self.window_ends, self.funding))

    class Referred(Aggregate.Event):
        referral_id: str
        recipient_id: str
        service: str
        charged_to: str | None

        def apply(self, aggregate: "Case") -> None:
            aggregate.referrals[self.referral_id] = self

    class ReferralAnswered(Aggregate.Event):
        referral_id: str
        answer: str

        def apply(self, aggregate: "Case") -> None:
            aggregate.answers[self.referral_id] = self.answer

    class NoteRecorded(Aggregate.Event):
        note_id: str
        author_id: str
        text: str

        def apply(self, aggregate: "Case") -> None:
            aggregate.note_ids.append(self.note_id)

    class RuleFlagged(Aggregate.Event):
        rule_id: str
        message: str
        flagged_at: dt.datetime

        def apply(self, aggregate: "Case") -> None:
            aggregate.flagged.add(self.rule_id)

    class Closed(Aggregate.Event):
        outcome: str
        closed_on: dt.date
        retain_until: dt.date

        def apply(self, aggregate: "Case") -> None:
            aggregate.closure = self
            for engagement in aggregate.engagements.values():
                engagement.lead = None

    # commands

    def record_note(self, note_id: str, author_id: str, text: str) -> None:
        """Record a note: what the aggregate itself can check, then the event."""
        if self.closure is not None:
            raise ValueError("the case is closed")
        if note_id in self.note_ids:
            raise ValueError(f"note {note_id} already exists")
        if author_id not in {e.lead for e in self.engagements.values()}:
            raise ValueError("only an officer allocated to the case records its notes")
        if not text.strip() or len(text) > MAX_NOTE_CHARS:
            raise ValueError("a note needs some text, up to 1,000 characters")
        self.trigger_event(self.NoteRecorded, note_id=note_id, author_id=author_id, text=text)

    @property
    def held_sessions(self) -> int:
        """How many sessions were held."""
        return sum(1 for s in self.sessions.values() if s.status == "held")


def project_without_assert(aggregate: Any, domain_events: Iterable[Any]) -> Any:
    """``project_aggregate`` without its per-event ``assert isinstance(event, CanMutateProtocol)``."""
    for domain_event in domain_events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


class Cases(Application[uuid.UUID]):
    """The cases, as an eventsourcing application (the default variant)."""

    name = "Cases"
    projector: ProjectorFunction[Any, Any] = staticmethod(project_aggregate)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(RecipientAsDict())
        transcoder.register(FundingAsDict())
        transcoder.register(SessionChargeAsDict())

    def get_case(self, case_id: str) -> Case:
        """The case, replayed from the store."""
        return self.repository.get(Case.create_id(case_id), projector_func=self.projector)

    def record_note(self, case_id: str, note_id: str, author_id: str, text: str) -> None:
        """A command: load the case, decide, save the new event."""
        case = self.get_case(case_id)
        case.record_note(note_id, author_id, text)
        self.save(case)

    def copy_case(self, template_id: str, case_id: str) -> None:
        """Store a copy of case ``template_id`` as case ``case_id`` (stored events relabelled, not re-encoded)."""
        old, new = Case.create_id(template_id), Case.create_id(case_id)
        stored = self.recorder.select_events(old)
        label, relabel = f'"{template_id}"'.encode(), f'"{case_id}"'.encode()
        self.recorder.insert_events(
            [
                StoredEvent(
                    originator_id=new,
                    originator_version=s.originator_version,
                    topic=s.topic,
                    state=s.state.replace(label, relabel) if s.originator_version == 1 else s.state,
                )
                for s in stored
            ]
        )


class BestCases(Cases):
    """The best variant: the projector without the per-event Protocol assert."""

    projector: ProjectorFunction[Any, Any] = staticmethod(project_without_assert)


#: In-memory (POPO) recorder, nothing taken from the process environment.
POPO = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
#: The repository's documented aggregate cache, fast-forwarded, not deep-copied.
CACHED = {**POPO, "AGGREGATE_CACHE_MAXSIZE": "1000000", "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"}


def make_app(variant: str, *, cached: bool = False) -> Cases:
    """A new application: ``"default"`` or ``"best"``; ``cached`` turns on the aggregate cache."""
    cls = {"default": Cases, "best": BestCases}[variant]
    return cls(env=CACHED if cached else POPO)


# -- the same events as pastoral_core's --------------------------------------------------------


def _recipient(value: Any) -> Recipient:
    return Recipient(value.recipient_id, value.kind.value)


def _funding(value: Any) -> Funding | None:
    return None if value is None else Funding(value.payer.value, value.recipient_percent)


def _charge(value: Any) -> SessionCharge | None:
    if value is None:
        return None
    return SessionCharge(value.total, value.lmc_share, value.payer_id, value.payer_share)


def case_from(case_id: str, events: Sequence[PcEvent]) -> Case:
    """An eventsourcing case with the same events as a pastoral_core case's, field for field.

    Raises:
        TypeError: If an event is of a kind this model does not mirror.
    """
    first = events[0]
    if not isinstance(first, pc.RequestReceived):
        raise TypeError("a case begins with its request")
    case = Case._create(
        Case.RequestReceived,
        case_id=case_id,
        received_at=first.received_at,
        kind=first.kind.value,
        recipients=tuple(_recipient(r) for r in first.recipients),
        practice_id=first.practice_id,
        nation=first.nation,
        difficulty=first.difficulty.value,
        external_body=first.external_body,
        complex=first.complex,
        response_due_at=first.response_due_at,
    )
    for event in events[1:]:
        cls, fields = _mirror(event)
        case.trigger_event(cls, **fields)
    return case


def _mirror(e: PcEvent) -> tuple[type[Aggregate.Event], dict[str, Any]]:
    match e:
        case pc.Responded():
            return Case.Responded, {"responded_at": e.responded_at, "due_at": e.due_at, "on_time": e.on_time}
        case pc.MouSent():
            return Case.MouSent, {"terms_version": e.terms_version, "sent_at": e.sent_at}
        case pc.OfficerAllocated():
            return Case.OfficerAllocated, {
                "recipient_id": e.recipient_id,
                "officer_id": e.officer_id,
                "initial_allowance": e.initial_allowance,
                "override_rule": e.override_rule,
                "override_reason": e.override_reason,
                "override_by": e.override_by,
            }
        case pc.SessionScheduled():
            return Case.SessionScheduled, {
                "session_id": e.session_id,
                "recipient_id": e.recipient_id,
                "officer_id": e.officer_id,
                "starts_at": e.starts_at,
            }
        case pc.SessionHeld():
            return Case.SessionHeld, {
                "session_id": e.session_id,
                "held_on": e.held_on,
                "window_ends": e.window_ends,
                "charge": _charge(e.charge),
            }
        case pc.SessionCancelled():
            return Case.SessionCancelled, {
                "session_id": e.session_id,
                "with_notice": e.with_notice,
                "counts": e.counts,
                "on": e.on,
            }
        case pc.CommitmentReviewed():
            return Case.CommitmentReviewed, {
                "recipient_id": e.recipient_id,
                "decision": e.decision.value,
                "reviewed_on": e.reviewed_on,
                "sessions": e.sessions,
                "window_ends": e.window_ends,
                "funding": _funding(e.funding),
            }
        case pc.Referred():
            return Case.Referred, {
                "referral_id": e.referral_id,
                "recipient_id": e.recipient_id,
                "service": e.service,
                "charged_to": e.charged_to,
            }
        case pc.ReferralAnswered():
            return Case.ReferralAnswered, {"referral_id": e.referral_id, "answer": e.answer.value}
        case pc.NoteRecorded():
            return Case.NoteRecorded, {"note_id": e.note_id, "author_id": e.author_id, "text": e.text}
        case RuleFlagged():
            return Case.RuleFlagged, {"rule_id": e.rule_id, "message": e.message, "flagged_at": e.flagged_at}
        case pc.CaseClosed():
            return Case.Closed, {"outcome": e.outcome.value, "closed_on": e.closed_on, "retain_until": e.retain_until}
    raise TypeError(f"the eventsourcing model has no mirror of {type(e).__name__}")
