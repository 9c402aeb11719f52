"""Tables: plain cells for pandas, escaped HTML for notebooks."""

import datetime as dt
import decimal
import enum
from html.parser import HTMLParser

import attrs
import pytest

from pastoral_core.exceptions import InvalidType
from pastoral_core.tables import RowsTable, Table, cell, columns_of, html_table, mean, percent, shown, states_of


class Colour(enum.Enum):
    RED = "red"


class Cells(HTMLParser):
    """The table's caption, header cells and body rows, as text."""

    def __init__(self, html: str):
        super().__init__()
        self.caption, self.headers, self.rows, self._where, self._row = "", [], [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        if tag == "td":
            self._row.append("")
        self._where = tag

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            if self._row and self._where != "th":
                self.rows.append(self._row)
            self._row = None
        self._where = None

    def handle_data(self, data):
        if self._where == "caption":
            self.caption += data
        elif self._where == "th":
            self.headers.append(data)
        elif self._where == "td":
            self._row[-1] += data


def test_cells_are_plain_python_values():
    assert cell(Colour.RED) == "red"
    assert cell(frozenset({"b", "a"})) == "a, b"
    assert cell(("x", Colour.RED)) == "x, red"
    assert cell(True) is True
    assert cell(3) == 3
    assert cell(decimal.Decimal("1.50")) == decimal.Decimal("1.50")
    assert cell(dt.date(2028, 2, 29)) == dt.date(2028, 2, 29)
    assert cell(None) is None


def test_a_value_with_no_plain_form_is_refused():
    @attrs.frozen
    class Thing:
        x: int

    with pytest.raises(InvalidType, match="Thing"):
        cell(Thing(1))
    with pytest.raises(InvalidType, match="dict"):
        cell({"a": 1})


def test_cells_read_as_people_expect():
    assert shown(None) == ""
    assert shown(True) == "yes"
    assert shown(decimal.Decimal("1920.00")) == "1,920.00"
    assert shown(dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)) == "2026-03-29 01:30+00:00"


def test_html_escapes_every_value_and_right_aligns_numbers():
    page = html_table(("who", "n"), [{"who": "<script>alert(1)</script>", "n": 2}], caption="A & B")
    assert "<script>" not in page
    parsed = Cells(page)
    assert parsed.caption == "A & B"
    assert parsed.headers == ["who", "n"]
    assert parsed.rows == [["<script>alert(1)</script>", "2"]]
    assert '<td style="text-align:right">2</td>' in page


class Officers(Table):
    columns = ("officer_id", "open")
    caption = "Caseload"

    def __init__(self, rows):
        self.rows = rows

    def to_rows(self):
        return self.rows


def test_an_empty_table_still_has_its_headers():
    parsed = Cells(Officers([])._repr_html_())
    assert parsed.headers == ["officer_id", "open"]
    assert parsed.rows == []


def test_a_table_renders_its_rows_and_blanks_a_missing_column():
    parsed = Cells(Officers([{"officer_id": "o1", "open": 3}, {"officer_id": "o2"}])._repr_html_())
    assert parsed.caption == "Caseload"
    assert parsed.rows == [["o1", "3"], ["o2", ""]]


@attrs.frozen
class Load:
    officer_id: str
    colour: Colour
    share: decimal.Decimal | None


@attrs.frozen
class Loads(RowsTable[Load]):
    columns = columns_of(Load)
    caption = "Loads"

    rows: tuple[Load, ...] = ()


def test_a_rows_table_takes_its_columns_from_its_row_class_and_gives_plain_values():
    table = Loads((Load("o1", Colour.RED, decimal.Decimal("1.50")), Load("o2", Colour.RED, None)))
    assert table.columns == ("officer_id", "colour", "share")
    assert table.to_rows() == [
        {"officer_id": "o1", "colour": "red", "share": decimal.Decimal("1.50")},
        {"officer_id": "o2", "colour": "red", "share": None},
    ]
    assert Cells(table._repr_html_()).rows == [["o1", "red", "1.50"], ["o2", "red", ""]]


def test_percent_and_mean_round_half_up_to_two_places_and_have_no_value_over_nothing():
    assert percent(1, 3) == decimal.Decimal("33.33")
    assert percent(2, 3) == decimal.Decimal("66.67")
    assert percent(1, 8) == decimal.Decimal("12.50")
    assert percent(0, 5) == decimal.Decimal("0.00")
    assert percent(3, 0) is None
    assert mean(5, 2) == decimal.Decimal("2.50")
    assert mean(1, 8) == decimal.Decimal("0.13")  # 0.125 rounds half up
    assert mean(0, 0) is None


def test_states_of_accepts_ids_mapped_to_states_of_the_kind_and_refuses_anything_else():
    good = {"o1": Load("o1", Colour.RED, None)}
    assert states_of("Loads", "loads", good, Load) is good
    for bad in ([Load("o1", Colour.RED, None)], {1: Load("o1", Colour.RED, None)}, {"o1": "a load"}):
        with pytest.raises(InvalidType, match="Loads"):
            states_of("Loads", "loads", bad, Load)
