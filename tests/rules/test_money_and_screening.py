from decimal import Decimal

import pytest

from pastoral_core.exceptions import InvalidValue
from pastoral_core.rules._money import gbp, split_by_percent
from pastoral_core.rules._screening import nhs_number_is_valid, screen


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("28.225", "28.23"), ("28.215", "28.22"), ("0.005", "0.01"), ("-0.005", "-0.01"), (7, "7.00")],
)
def test_gbp_rounds_half_up_to_the_penny(amount, expected):
    assert gbp(amount) == Decimal(expected)


@pytest.mark.parametrize("bad", [0.1, "NaN", "Infinity", "ten pounds", None, [1], "1e999999"])
def test_gbp_refuses_floats_non_numbers_and_amounts_too_large_to_round(bad):
    with pytest.raises(InvalidValue, match="gbp.amount"):
        gbp(bad)


def test_split_by_percent_refuses_out_of_range():
    with pytest.raises(InvalidValue, match="between 0 and 100"):
        split_by_percent(Decimal("10.00"), Decimal(101))


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),  # the classic test number: check digit 9
        ("9434765918", False),
        ("4010232137", True),
        ("0000000000", True),  # sum 0 -> check 11 -> 0
        ("1234567881", True),
        ("0123456789", True),  # passes the check; the screen reads a leading 0 as a phone number
        ("1234567890", False),  # check digit would be 10: never valid
        ("943476591", False),
        ("94347659ab", False),
    ],
)
def test_nhs_modulus_11(number, valid):
    assert nhs_number_is_valid(number) is valid


def test_screen_terms_match_whole_words_case_insensitively():
    assert [f.kind for f in screen("Dr SMITH and Smithson", ["smith"])] == ["listed term"]
    assert screen("anything", ["", "  "]) == ()
