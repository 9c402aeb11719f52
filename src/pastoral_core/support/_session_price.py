"""What a session held costs and who pays (PSN-COST-SHARE, MOU LMC 4): one answer for reports and what-if."""

from __future__ import annotations

import decimal

import attrs

from pastoral_core.exceptions import UnknownRule
from pastoral_core.rules import Rulebook, gbp
from pastoral_core.support._events import SessionHeld
from pastoral_core.support._policies import CostShare

_NOTHING = decimal.Decimal("0.00")


@attrs.frozen
class SessionPrice:
    """The shares of one session held.

    Attributes:
        lmc_share: What the LMC pays, GBP.
        payer_id: Who pays the rest (the recipient, or a practice manager's practice);
            ``None`` for a session of the initial allowance, which the LMC funds.
        payer_share: What ``payer_id`` pays, GBP (``0.00`` without a payer).
    """

    lmc_share: decimal.Decimal
    payer_id: str | None = None
    payer_share: decimal.Decimal = _NOTHING


def session_price(event: SessionHeld, book: Rulebook | None) -> SessionPrice | None:
    """What ``event``'s session costs, by payer.

    A session after the initial allowance costs what the charge recorded with it says
    (decided when it was held). One of the initial allowance is the LMC's, at the session
    rate of ``book`` (the version in force on the day it was held).

    Returns:
        ``None`` for a session of the initial allowance while no rate is set (or no book given).
    """
    if event.charge is not None:
        return SessionPrice(event.charge.lmc_share, event.charge.payer_id, event.charge.payer_share)
    try:
        rate = book.rule(CostShare).session_rate if book is not None else None
    except UnknownRule:
        rate = None
    return SessionPrice(gbp(rate)) if rate is not None else None
