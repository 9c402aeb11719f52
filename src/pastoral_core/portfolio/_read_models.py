"""What the Portfolio Plus read models share beyond :mod:`pastoral_core.tables`: the query's day.

Each read model is a frozen attrs class holding ``rows`` (frozen attrs rows of plain
values: ``str``, ``int``, ``bool``, ``Decimal``, ``date`` or ``None``), made by a
classmethod ``of`` from the states a :class:`~pastoral_core.kernel.Projection` holds (or
``members_from`` gives) and the query's date. The states alone decide it, so it is the
same whether they were folded from a whole history or a record at a time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pastoral_core.exceptions import InvalidType
from pastoral_core.values import london_date


def day(owner: str, value: Any) -> dt.date:
    """The query's day: a date, or the London date of an aware datetime.

    Raises:
        InvalidType: If ``value`` is neither.
        NaiveDatetimeError: If it is a datetime without a zone.
    """
    if not isinstance(value, dt.date):
        raise InvalidType(owner, "on", f"expected a date or an aware datetime, got {type(value).__name__}")
    return london_date(value)
