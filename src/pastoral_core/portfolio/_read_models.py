"""What every Portfolio Plus read model shares: a table of typed rows, and checks of its inputs.

Each read model is a frozen attrs class holding ``rows`` (frozen attrs rows of plain
values: ``str``, ``int``, ``bool``, ``Decimal``, ``date`` or ``None``), made by a
classmethod ``of`` from the states a :class:`~pastoral_core.kernel.Projection` holds (or
``members_from`` gives) and the query's date. The states alone decide it, so it is the
same whether they were folded from a whole history or a record at a time.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import attrs

from pastoral_core.exceptions import InvalidType
from pastoral_core.rules import half_up
from pastoral_core.tables import Row, Table, cell
from pastoral_core.values import london_date

R = TypeVar("R")
T = TypeVar("T")
HUNDRED = decimal.Decimal(100)


def columns_of(row: type) -> tuple[str, ...]:
    """The names of a row class's fields, in order: a table's columns."""
    return tuple(f.name for f in attrs.fields(row))


class RowsTable(Table, Generic[R]):
    """A :class:`~pastoral_core.tables.Table` whose rows are frozen attrs rows named by its columns."""

    rows: tuple[R, ...]

    def to_rows(self) -> list[Row]:
        """One ``dict`` of plain values per row, keyed by the table's columns."""
        return [{column: cell(getattr(row, column)) for column in self.columns} for row in self.rows]


def states(owner: str, field: str, value: Any, kind: type[T]) -> Mapping[str, T]:
    """``value`` if it maps ids to ``kind`` states.

    Raises:
        InvalidType: Naming ``owner`` and ``field`` otherwise.
    """
    if not isinstance(value, Mapping):
        raise InvalidType(owner, field, f"expected a mapping of ids to {kind.__name__} states")
    for key, item in value.items():
        if type(key) is not str or type(item) is not kind:
            raise InvalidType(owner, field, f"expected ids mapped to {kind.__name__} states")
    return value


def day(owner: str, value: Any) -> dt.date:
    """The query's day: a date, or the London date of an aware datetime.

    Raises:
        InvalidType: If ``value`` is neither.
        NaiveDatetimeError: If it is a datetime without a zone.
    """
    if not isinstance(value, dt.date):
        raise InvalidType(owner, "on", f"expected a date or an aware datetime, got {type(value).__name__}")
    return london_date(value)


def percent(part: int, whole: int) -> decimal.Decimal | None:
    """``part / whole`` as a percentage, half-up to 2 places; ``None`` when ``whole`` is 0."""
    return half_up(HUNDRED * part / whole) if whole else None
