"""Money per payer and month: session charges (PSN-COST-SHARE) and chargeable referrals (PSN-CHARGE)."""

from __future__ import annotations

import collections
import decimal
from typing import Any, ClassVar

import attrs

from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel import Projection, occurred_at
from pastoral_core.rules import Rulebooks, half_up
from pastoral_core.support._aggregates import CASE
from pastoral_core.support._events import Referred, SessionHeld
from pastoral_core.support._model import RecipientKind
from pastoral_core.support._read_model_common import month_of, rulebooks_of
from pastoral_core.support._session_price import session_price
from pastoral_core.support._state import Case
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


def _payer_kind(case: Case, payer_id: str) -> str:
    """``"recipient"`` for a GP or practice manager supported, ``"practice"`` for the practice.

    A payer who is not a recipient is a practice manager's practice (PSN-COST-SHARE); a
    recipient of kind ``PRACTICE`` is the partnership itself. Judged by who the payer is,
    never by comparing host-chosen ids.
    """
    recipient = case.recipients.get(payer_id)
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
    def of(cls, projection: Projection[Any], rulebooks: Rulebooks | None = None) -> Payments:
        """The money of the cases a projection of ``CASE`` holds.

        The charges are the facts recorded (``SessionHeld.charge``, ``Referred.charged_to``),
        which the case state does not keep, so this reads the projection's records:
        ``Payments.of(Projection.build(CASE, store.read_all()))``, or the projection a
        host keeps current with ``apply``.

        Args:
            projection: A projection of ``CASE``.
            rulebooks: The network's rulebooks, to price the sessions of the initial
                allowance at the rate in force on the day each was held.

        Raises:
            InvalidType: If ``projection`` is not a ``Projection`` or ``rulebooks`` not ``Rulebooks``.
            InvalidValue: If it is a projection of another aggregate.
            NoRulebookInForce: If a session was held before every version of ``rulebooks``.
        """
        projection = _projection(projection)
        books = None if rulebooks is None else rulebooks_of("Payments", rulebooks)
        sessions: collections.Counter[_Key] = collections.Counter()
        amounts: dict[_Key, decimal.Decimal] = {}
        referrals: collections.Counter[_Key] = collections.Counter()

        def share(key: _Key, amount: decimal.Decimal) -> None:
            if amount > 0:
                sessions[key] += 1
                amounts[key] = amounts.get(key, decimal.Decimal(0)) + amount

        for case_id, records in projection.records.items():
            folded = projection.folded[case_id]
            case = folded.state
            for record in records:
                event = record.event
                if isinstance(event, SessionHeld):
                    in_force = books.in_force(event.held_on) if books is not None and event.charge is None else None
                    price, month = session_price(event, in_force), month_of(event.held_on)
                    if price is None:
                        continue
                    share((month, "lmc", folded.organisation), price.lmc_share)
                    if price.payer_id is not None:
                        kind = _payer_kind(case, price.payer_id)
                        share((month, kind, price.payer_id), price.payer_share)
                elif isinstance(event, Referred) and event.charged_to is not None:
                    kind = _payer_kind(case, event.charged_to)
                    referrals[(month_of(london_date(occurred_at(record))), kind, event.charged_to)] += 1
        rows = [
            PaymentMonth(*key, sessions[key], half_up(amounts.get(key, decimal.Decimal(0))), referrals[key])
            for key in set(sessions) | set(referrals)
        ]
        order = {payer: n for n, payer in enumerate(PAYERS)}
        rows.sort(key=lambda r: (r.month, order[r.payer], r.payer_id or ""))
        return cls(tuple(rows))
