"""Money in GBP: ``Decimal``, rounded half-up to the penny; splits that always add up."""

from __future__ import annotations

import decimal

from pastoral_core.exceptions import InvalidType, InvalidValue

PENNY = decimal.Decimal("0.01")
HUNDRED = decimal.Decimal(100)


def half_up(value: decimal.Decimal) -> decimal.Decimal:
    """``value`` rounded half-up to two decimal places (pennies, mean scores, percentages)."""
    return value.quantize(PENNY, rounding=decimal.ROUND_HALF_UP)


def gbp(amount: decimal.Decimal | int | str) -> decimal.Decimal:
    """``amount`` as GBP rounded half-up to the penny.

    Raises:
        InvalidValue: If ``amount`` is a float (inexact) or not a finite number.
    """
    if isinstance(amount, float):
        raise InvalidType("gbp", "amount", "money must be a Decimal, int or str, never a float")
    try:
        value = decimal.Decimal(amount)
    except (decimal.InvalidOperation, TypeError, ValueError):
        raise InvalidValue("gbp", "amount", "is not an amount of money") from None
    if not value.is_finite():
        raise InvalidValue("gbp", "amount", "is not a finite amount of money")
    try:
        return half_up(value)
    except decimal.InvalidOperation:
        raise InvalidValue("gbp", "amount", "is too large an amount of money") from None


def split_by_percent(total: decimal.Decimal, percent: decimal.Decimal) -> tuple[decimal.Decimal, decimal.Decimal]:
    """Split ``total`` into (``percent`` per cent of it, the rest), each to the penny.

    The first share is rounded half-up; the second is what remains, so the two always sum
    to the (rounded) total.

    Raises:
        InvalidValue: If ``percent`` is outside 0-100.
    """
    if not decimal.Decimal(0) <= percent <= HUNDRED:
        raise InvalidValue("split_by_percent", "percent", "a percentage must be between 0 and 100")
    whole = gbp(total)
    share = gbp(whole * percent / HUNDRED)
    return share, whole - share
