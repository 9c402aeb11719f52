"""Money per payer and month: session charges (PSN-COST-SHARE) and chargeable referrals (PSN-CHARGE)."""

from __future__ import annotations

import collections
import decimal
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

import attrs

from pastoral_core.eventlog import Fact, RecordedEvent, checked_facts, fact_of
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel import Projection, Tenancy, picked_streams, refuse_mixed
from pastoral_core.rules import Rulebooks, half_up
from pastoral_core.support._aggregates import CASE
from pastoral_core.support._events import Referred, RequestReceived, SessionHeld
from pastoral_core.support._model import Recipient, RecipientKind
from pastoral_core.support._read_model_common import month_of, rulebooks_of
from pastoral_core.support._session_price import session_price
from pastoral_core.tables import RowsTable, columns_of
from pastoral_core.values import london_date

#: The payers of :class:`Payments`, in the order its rows list them.
PAYERS = ("lmc", "practice", "recipient")

_Key = tuple[str, str, str | None]  # month, payer, payer id


@attrs.frozen
class PaymentMonth:
    """What one payer owes for one month.

    Attributes:
        month: ``"YYYY-MM"``: the month the sessions were held and the referrals made
            (Europe/London).
        payer: ``"lmc"``, ``"practice"`` (a practice manager's practice paying for their
            sessions, PSN-COST-SHARE, or the partnership supported as a whole) or
            ``"recipient"`` (a GP or practice manager supported).
        payer_id: The practice or recipient; for the LMC, the organisation the cases
            belong to (``None`` for a host serving one organisation without an id).
        sessions: Sessions held in which this payer has a share above £0.
        amount: The payer's shares of those sessions, GBP half-up to the penny.
        chargeable_referrals: Referrals to a chargeable service charged to this payer
            (PSN-CHARGE: the individual who sought it); the service's price is the
            service's own, not the LMC's, so they are counted, not costed.
    """

    month: str
    payer: str
    payer_id: str | None
    sessions: int
    amount: decimal.Decimal
    chargeable_referrals: int


def _payer_kind(recipients: Mapping[str, Recipient], payer_id: str) -> str:
    """``"recipient"`` for a GP or practice manager supported, ``"practice"`` for the practice.

    A payer who is not a recipient is a practice manager's practice (PSN-COST-SHARE); a
    recipient of kind ``PRACTICE`` is the partnership itself. Judged by who the payer is,
    never by comparing host-chosen ids.
    """
    recipient = recipients.get(payer_id)
    return "recipient" if recipient is not None and recipient.kind is not RecipientKind.PRACTICE else "practice"


def _projection(projection: Any) -> Projection[Any]:
    if not isinstance(projection, Projection):
        raise InvalidType("Payments", "projection", f"must be a Projection of CASE, got {type(projection).__name__}")
    if projection.aggregate is not CASE:
        raise InvalidValue(
            "Payments", "projection", f"must be a Projection of CASE, not of {projection.aggregate.name}"
        )
    return projection


@attrs.frozen
class Payments(RowsTable[PaymentMonth]):
    """Money per payer per month: the shares of charged sessions, and chargeable referrals.

    Each session is priced as :func:`~pastoral_core.support.session_price` prices it
    (what-if prices money the same way): a session after the initial allowance carries
    the ``SessionCharge`` decided when it was held, the LMC's share and the payer's (the
    recipient, or a practice manager's practice); one of the initial allowance is the
    LMC's, at the session rate of the rulebook version in force on the day it was held
    (left out when no rulebooks are given or no rate is set). A referral to a service the
    rulebook in force lists as chargeable is charged to the recipient who sought it.

    Attributes:
        rows: One line per month, payer and payer id, in that order (payers as in
            :data:`PAYERS`).
    """

    columns: ClassVar[tuple[str, ...]] = columns_of(PaymentMonth)
    caption: ClassVar[str] = "Money per payer and month (PSN-COST-SHARE, PSN-CHARGE)"

    rows: tuple[PaymentMonth, ...] = ()

    @classmethod
    def of(
        cls,
        source: Projection[Any] | Iterable[RecordedEvent | Fact],
        rulebooks: Rulebooks | None = None,
        organisation: str | Tenancy | None = Tenancy.ONE,
    ) -> Payments:
        """The money of the cases a projection of ``CASE`` holds, or of records read once.

        The charges are the facts recorded (``SessionHeld.charge``, ``Referred.charged_to``),
        which the case state does not keep, so this reads records: a projection's
        (``Payments.of(Projection.build(CASE, store.read_all()))``, or one a host keeps
        current with ``apply``), or records given in the order they were written (a
        generator over a file of JSON lines will do: each case's request, which names its
        recipients, comes first; nothing but the recipients is kept; a record given again
        counts once).

        Args:
            source: A projection of ``CASE``, or recorded events (or their facts, as
                ``Codec.iter_facts`` reads them) in position order.
            rulebooks: The network's rulebooks, to price the sessions of the initial
                allowance at the rate in force on the day each was held.
            organisation: Which organisations' cases, as ``states_from`` picks them
                (within what a projection holds).

        Raises:
            InvalidType: If ``source`` is neither a projection nor records or facts,
                ``rulebooks`` not ``Rulebooks``, or ``organisation`` not an id, ``None``
                or a ``Tenancy``.
            InvalidValue: If it is a projection of another aggregate; if records hold a
                case's session or referral before its request, or (``Tenancy.ONE``) the
                cases of several organisations.
            NoRulebookInForce: If a session was held before every version of ``rulebooks``.
        """
        books = None if rulebooks is None else rulebooks_of("Payments", rulebooks)
        if organisation is not None and not isinstance(organisation, str | Tenancy):
            raise InvalidType("Payments", "organisation", "must be an organisation id, None or a Tenancy")
        charged: Iterable[tuple[Fact, Mapping[str, Recipient], str | None]]
        if isinstance(source, Projection):
            projection = _projection(source)
            picked = picked_streams("Payments", projection.folded, organisation, "the projection")
            charged = (
                (fact_of(record), picked[case_id].state.recipients, picked[case_id].organisation)
                for case_id, records in projection.records.items()
                if case_id in picked
                for record in records
            )
        else:
            charged = _charged_records(source, organisation)
        return cls(_rows(charged, books))


def _charged_records(
    records: Iterable[RecordedEvent | Fact], organisation: str | Tenancy | None
) -> Iterator[tuple[Fact, Mapping[str, Recipient], str | None]]:
    """Each charge of a case with its case's recipients and organisation, read once in position order."""
    cases: dict[str, tuple[Mapping[str, Recipient], str | None]] = {}
    owners: set[str | None] = set()
    versions: dict[str, int] = {}
    for fact in checked_facts("Payments", records):
        if not CASE.owns(fact.stream_id) or fact.stream_version <= versions.get(fact.stream_id, 0):
            continue  # another aggregate's, or a record given again: counted once
        versions[fact.stream_id] = fact.stream_version
        event = fact.event
        if isinstance(event, RequestReceived):
            if organisation is Tenancy.ONE:
                owners.add(fact.organisation)
                refuse_mixed("Payments", owners)
            cases[fact.stream_id] = ({r.recipient_id: r for r in event.recipients}, fact.organisation)
        elif isinstance(event, SessionHeld | Referred):
            known = cases.get(fact.stream_id)
            if known is None:
                raise InvalidValue("Payments", "records", f"{fact.stream_id!r} has a charge before its request")
            recipients, owner = known
            if isinstance(organisation, Tenancy) or owner == organisation:
                yield fact, recipients, owner


def _rows(
    charged: Iterable[tuple[Fact, Mapping[str, Recipient], str | None]], books: Rulebooks | None
) -> tuple[PaymentMonth, ...]:
    sessions: collections.Counter[_Key] = collections.Counter()
    amounts: dict[_Key, decimal.Decimal] = {}
    referrals: collections.Counter[_Key] = collections.Counter()

    def share(key: _Key, amount: decimal.Decimal) -> None:
        if amount > 0:
            sessions[key] += 1
            amounts[key] = amounts.get(key, decimal.Decimal(0)) + amount

    for fact, recipients, owner in charged:
        event = fact.event
        if isinstance(event, SessionHeld):
            in_force = books.in_force(event.held_on) if books is not None and event.charge is None else None
            price, month = session_price(event, in_force), month_of(event.held_on)
            if price is None:
                continue
            share((month, "lmc", owner), price.lmc_share)
            if price.payer_id is not None:
                share((month, _payer_kind(recipients, price.payer_id), price.payer_id), price.payer_share)
        elif isinstance(event, Referred) and event.charged_to is not None:
            kind = _payer_kind(recipients, event.charged_to)
            referrals[(month_of(london_date(fact.occurred_at)), kind, event.charged_to)] += 1
    rows = [
        PaymentMonth(*key, sessions[key], half_up(amounts.get(key, decimal.Decimal(0))), referrals[key])
        for key in set(sessions) | set(referrals)
    ]
    order = {payer: n for n, payer in enumerate(PAYERS)}
    rows.sort(key=lambda r: (r.month, order[r.payer], r.payer_id or ""))
    return tuple(rows)
