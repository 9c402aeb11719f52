"""What every peer-group read model shares: a table of typed rows, and checks of its inputs.

Each read model is a frozen attrs class holding ``rows`` (frozen attrs rows of plain
values: ``str``, ``int``, ``bool``, ``Decimal``, ``date`` or ``None``), made by a
classmethod ``of`` from the states a :class:`~pastoral_core.kernel.Projection` holds (or
``groups_from`` / ``programmes_from`` give). The states alone decide it, so it is the same
whether they were folded from a whole history or a record at a time.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import attrs

from pastoral_core.exceptions import InvalidType
from pastoral_core.peer_groups._state import PeerGroup, Programme
from pastoral_core.rules import half_up
from pastoral_core.tables import Row, Table, cell

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


def groups_and_programmes(
    owner: str, groups: Any, programmes: Any
) -> tuple[Mapping[str, PeerGroup], Mapping[str, Programme]]:
    """Both inputs checked (see :func:`states`)."""
    return states(owner, "groups", groups, PeerGroup), states(owner, "programmes", programmes, Programme)


def programme_of(group: PeerGroup) -> str | None:
    """The programme the group was set up in (``None`` before set-up)."""
    return group.setup.programme_id if group.setup else None


def percent(part: int, whole: int) -> decimal.Decimal | None:
    """``part / whole`` as a percentage, half-up to 2 places; ``None`` when ``whole`` is 0."""
    return half_up(HUNDRED * part / whole) if whole else None


def mean(total: int, count: int) -> decimal.Decimal | None:
    """``total / count``, half-up to 2 places; ``None`` when ``count`` is 0."""
    return half_up(decimal.Decimal(total) / count) if count else None
