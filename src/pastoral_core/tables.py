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
from typing import ClassVar

from pastoral_core.exceptions import InvalidType

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

    columns: ClassVar[tuple[str, ...]] = ()
    caption: ClassVar[str] = ""

    def to_rows(self) -> list[Row]:
        """The table's rows: one ``dict`` of plain values per row, keyed by :attr:`columns`."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return html_table(self.columns, self.to_rows(), self.caption)


__all__ = ["Cell", "Row", "Table", "cell", "html_table", "shown"]
