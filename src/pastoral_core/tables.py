"""Read models and aggregates as tables: plain rows for pandas, HTML for notebooks.

Everything a notebook shows (a read model, an aggregate) is a :class:`Table`: its
:meth:`~Table.to_rows` gives one ``dict`` per row holding only plain Python values
(``str``, ``int``, ``bool``, ``Decimal``, ``date``, ``datetime`` or ``None``), so
``pandas.DataFrame(model.to_rows())`` has proper columns, and its ``_repr_html_`` renders
the same rows as an HTML table (Jupyter calls it). The library depends on no plotting or
data-frame package.

>>> import decimal
>>> class Sessions(Table):
...     columns = ("officer_id", "sessions", "cost")
...     caption = "Sessions by officer"
...
...     def to_rows(self):
...         return [{"officer_id": "o1", "sessions": 3, "cost": decimal.Decimal("150.00")}]
>>> print(Sessions()._repr_html_())  # doctest: +ELLIPSIS
<table class="pastoral-table"><caption>Sessions by officer</caption><thead><tr><th>officer_id</th>...
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

import attrs

from pastoral_core.exceptions import InvalidType
from pastoral_core.rules import half_up

R = TypeVar("R")
T = TypeVar("T")
_HUNDRED = decimal.Decimal(100)

Cell = str | int | bool | decimal.Decimal | dt.date | dt.datetime | None
"""What a row's value may be: plain Python, so a data frame gets proper dtypes."""

Row = dict[str, Cell]
"""One row of a table, by column name."""


def cell(value: object) -> Cell:
    """A value as a table cell: enums by their value, sets and tuples as sorted, comma-separated text.

    Raises:
        InvalidType: If the value has no plain form (an attrs object, a mapping).
    """
    if value is None or isinstance(value, str | int | decimal.Decimal | dt.date):  # bool is an int, datetime a date
        return value
    if isinstance(value, enum.Enum):
        return cell(value.value)
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(str(cell(v)) for v in value))
    if isinstance(value, tuple | list):
        return ", ".join(str(cell(v)) for v in value)
    raise InvalidType("cell", "value", f"has no plain form: {type(value).__name__}")


def shown(value: Cell) -> str:
    """How a cell reads in HTML: dates as ISO, datetimes to the minute, ``None`` as blank."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, decimal.Decimal):
        return f"{value:,}"
    return str(value)


def html_table(columns: Sequence[str], rows: Iterable[Mapping[str, Cell]], caption: str = "") -> str:
    """An HTML table of ``rows`` under ``columns`` (every value escaped; numbers right-aligned).

    A column a row does not have is left blank.
    """
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            numeric = isinstance(value, int | decimal.Decimal) and not isinstance(value, bool)
            style = ' style="text-align:right"' if numeric else ""
            cells.append(f"<td{style}>{html.escape(shown(value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="pastoral-table">{title}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


class Table:
    """Anything that reads as a table: rows of plain values, rendered as HTML in a notebook.

    Subclasses name their ``columns`` (every row has exactly these keys, so an empty table
    still has its headers) and a ``caption``, and implement :meth:`to_rows`.
    """

    __slots__ = ()  # the slotted attrs states and read models that are tables stay slotted

    columns: ClassVar[tuple[str, ...]] = ()
    caption: ClassVar[str] = ""

    def to_rows(self) -> list[Row]:
        """The table's rows: one ``dict`` of plain values per row, keyed by :attr:`columns`."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return html_table(self.columns, self.to_rows(), self.caption)


def columns_of(row: type) -> tuple[str, ...]:
    """The names of an attrs row class's fields, in order: the columns of a :class:`RowsTable`."""
    return tuple(f.name for f in attrs.fields(row))


class RowsTable(Table, Generic[R]):
    """A :class:`Table` holding ``rows``: frozen attrs rows whose fields are its columns.

    Every read model of the domains is one: a frozen attrs class with ``rows`` and
    ``columns = columns_of(TheRow)``, made by a classmethod ``of(...)`` from the states a
    :class:`~pastoral_core.kernel.Projection` holds and the query's arguments.
    """

    rows: tuple[R, ...]

    def to_rows(self) -> list[Row]:
        """One ``dict`` of plain values per row, keyed by the table's columns."""
        return [{column: cell(getattr(row, column)) for column in self.columns} for row in self.rows]


def states_of(owner: str, field: str, value: Any, kind: type[T]) -> Mapping[str, T]:
    """``value``, checked to map ids to ``kind`` states (what a read model is made from).

    Raises:
        InvalidType: Naming ``owner`` and ``field``, if it does not.
    """
    if not isinstance(value, Mapping):
        raise InvalidType(owner, field, f"expected a mapping of ids to {kind.__name__} states")
    for key, item in value.items():
        if type(key) is not str or type(item) is not kind:
            raise InvalidType(owner, field, f"expected ids mapped to {kind.__name__} states")
    return value


def percent(part: int, whole: int) -> decimal.Decimal | None:
    """``part / whole`` as a percentage, half-up to 2 places; ``None`` when ``whole`` is 0."""
    return half_up(_HUNDRED * part / whole) if whole else None


def mean(total: int, count: int) -> decimal.Decimal | None:
    """``total / count``, half-up to 2 places; ``None`` when ``count`` is 0."""
    return half_up(decimal.Decimal(total) / count) if count else None


__all__ = [
    "Cell",
    "Row",
    "RowsTable",
    "Table",
    "cell",
    "columns_of",
    "html_table",
    "mean",
    "percent",
    "shown",
    "states_of",
]
