"""Retention 6 and 12 months after sign-up, on hand-built members with known answers."""

import datetime as dt
from decimal import Decimal

import pytest

from pastoral_core.exceptions import InvalidType, InvalidValue, NaiveDatetimeError
from pastoral_core.portfolio import (
    MEMBER,
    CareerOutcome,
    Intent,
    Member,
    MemberMarkRow,
    MembersAtMarks,
    Profile,
    RecordOutcome,
    RetentionAfterSignUp,
    RetentionRow,
    SignUpMember,
)
from tests.builders import at, command
from tests.portfolio.helpers import run

PORTFOLIO, REDUCED, STAYED, LEFT = (
    CareerOutcome.PORTFOLIO_CAREER,
    CareerOutcome.REDUCED_HOURS,
    CareerOutcome.STAYED_IN_PRACTICE,
    CareerOutcome.LEFT_GENERAL_PRACTICE,
)


def member(member_id, signed_up, intent, *outcomes):
    """A member signed up on ``signed_up``; each outcome ``(outcome, as of)`` is recorded the next day."""
    profile = Profile(intent, frozenset({"teaching"}), "Mansfield", 2)
    commands = [command(SignUpMember, at(*signed_up), member_id=member_id, profile=profile)]
    for outcome, as_of in outcomes:
        recorded = at(as_of.year, as_of.month, as_of.day) + dt.timedelta(days=1)
        commands.append(command(RecordOutcome, recorded, outcome=outcome, as_of=as_of))
    return run(MEMBER, commands)[1]


MEMBERS = {
    # 31 August: its 6-month mark is the last day of February; an outcome as of that day counts.
    "m-aug": member("m-aug", (2026, 8, 31), Intent.CONSIDERING_LEAVING, (PORTFOLIO, dt.date(2027, 2, 28)),
                    (LEFT, dt.date(2027, 6, 30))),
    # 29 February 2028: 6 months is 29 August, 12 months 28 February 2029. Its first outcome is
    # as of 30 August, a day after the 6-month mark: unknown then.
    "m-leap": member("m-leap", (2028, 2, 29), Intent.FLEXIBLE_WORK, (STAYED, dt.date(2028, 8, 30)),
                     (REDUCED, dt.date(2029, 2, 28))),
    "m-new": member("m-new", (2028, 9, 15), Intent.NEWLY_QUALIFIED, (LEFT, dt.date(2029, 1, 10))),
    "m-none": member("m-none", (2028, 10, 1), Intent.RETURNING),
}  # fmt: skip
ON = dt.date(2029, 3, 15)  # m-new's 6-month mark


def test_each_member_at_each_mark():
    d = dt.date
    assert MembersAtMarks.of(MEMBERS, ON).rows == (
        MemberMarkRow("m-aug", "considering_leaving", d(2026, 8, 31), 6, d(2027, 2, 28), True, "portfolio_career", True),
        MemberMarkRow("m-aug", "considering_leaving", d(2026, 8, 31), 12, d(2027, 8, 31), True, "left_general_practice", False),
        MemberMarkRow("m-leap", "flexible_work", d(2028, 2, 29), 6, d(2028, 8, 29), True, None, None),
        MemberMarkRow("m-leap", "flexible_work", d(2028, 2, 29), 12, d(2029, 2, 28), True, "reduced_hours", True),
        MemberMarkRow("m-new", "newly_qualified", d(2028, 9, 15), 6, d(2029, 3, 15), True, "left_general_practice", False),
        MemberMarkRow("m-new", "newly_qualified", d(2028, 9, 15), 12, d(2029, 9, 15), False, None, None),
        MemberMarkRow("m-none", "returning", d(2028, 10, 1), 6, d(2029, 4, 1), False, None, None),
        MemberMarkRow("m-none", "returning", d(2028, 10, 1), 12, d(2029, 10, 1), False, None, None),
    )  # fmt: skip


def test_retention_at_6_and_12_months_over_every_member_and_by_intent():
    """At 6 months 3 are due: m-aug in (portfolio career), m-new out, m-leap unknown: 1 of 3.
    At 12 months 2 are due: m-aug left, m-leap in (reduced hours): 1 of 2."""
    table = RetentionAfterSignUp.of(MEMBERS, ON)
    assert (table.on, table.months) == (ON, (6, 12))
    assert table.rows == (
        RetentionRow(6, None, 4, 3, 1, 1, 1, Decimal("33.33")),
        RetentionRow(6, "considering_leaving", 1, 1, 1, 0, 0, Decimal("100.00")),
        RetentionRow(6, "flexible_work", 1, 1, 0, 0, 1, Decimal("0.00")),
        RetentionRow(6, "newly_qualified", 1, 1, 0, 1, 0, Decimal("0.00")),
        RetentionRow(6, "returning", 1, 0, 0, 0, 0, None),
        RetentionRow(12, None, 4, 2, 1, 1, 0, Decimal("50.00")),
        RetentionRow(12, "considering_leaving", 1, 1, 0, 1, 0, Decimal("0.00")),
        RetentionRow(12, "flexible_work", 1, 1, 1, 0, 0, Decimal("100.00")),
        RetentionRow(12, "newly_qualified", 1, 0, 0, 0, 0, None),
        RetentionRow(12, "returning", 1, 0, 0, 0, 0, None),
    )


def test_a_mark_is_due_on_its_day_not_the_day_before():
    everyone = {r.months: r for r in RetentionAfterSignUp.of(MEMBERS, ON).rows if r.intent is None}
    day_before = {
        r.months: r for r in RetentionAfterSignUp.of(MEMBERS, ON - dt.timedelta(days=1)).rows if r.intent is None
    }
    assert (everyone[6].due, everyone[6].left) == (3, 1)
    assert (day_before[6].due, day_before[6].left, day_before[6].rate) == (2, 0, Decimal("50.00"))


def test_the_query_day_of_a_moment_is_its_london_date():
    """23:30 UTC on 31 March 2029 is 00:30 BST on 1 April, m-none's 6-month mark."""
    moment = dt.datetime(2029, 3, 31, 23, 30, tzinfo=dt.UTC)
    table = MembersAtMarks.of(MEMBERS, moment)
    assert table.on == dt.date(2029, 4, 1)
    assert [r.due for r in table.rows if r.member_id == "m-none"] == [True, False]
    with pytest.raises(NaiveDatetimeError):
        MembersAtMarks.of(MEMBERS, dt.datetime(2029, 3, 31, 23, 30))


def test_other_marks_in_order_and_members_not_signed_up():
    table = RetentionAfterSignUp.of({**MEMBERS, "m-0": Member()}, ON, months=[3, 1])
    assert table.months == (1, 3)
    assert [(r.months, r.members, r.due) for r in table.rows if r.intent is None] == [(1, 4, 4), (3, 4, 4)]
    assert RetentionAfterSignUp.of({}, ON).rows == (
        RetentionRow(6, None, 0, 0, 0, 0, 0, None),
        RetentionRow(12, None, 0, 0, 0, 0, 0, None),
    )


def test_outcomes_after_the_mark_say_nothing_of_it():
    late_news = {"m": member("m", (2027, 1, 1), Intent.FLEXIBLE_WORK, (LEFT, dt.date(2027, 7, 2)))}
    rows = MembersAtMarks.of(late_news, dt.date(2028, 1, 1)).rows
    assert [(r.months, r.in_practice) for r in rows] == [(6, None), (12, False)]


@pytest.mark.parametrize(
    ("months", "error", "message"),
    [
        ((), InvalidValue, "needs one or more different marks"),
        ((6, 6), InvalidValue, "needs one or more different marks"),
        ((0,), InvalidValue, "each mark is 1 to 1,200 months"),
        ((1201,), InvalidValue, "each mark is 1 to 1,200 months"),
        ((1200,), None, None),
        ((6.0,), InvalidType, "whole numbers of months"),
        ((True,), InvalidType, "whole numbers of months"),
        ("6", InvalidType, "whole numbers of months"),
    ],
)
@pytest.mark.parametrize("model", [MembersAtMarks, RetentionAfterSignUp])
def test_bad_marks_are_refused(model, months, error, message):
    if error is None:
        assert model.of(MEMBERS, ON, months).months == months
        return
    with pytest.raises(error, match=rf"{model.__name__}.months: .*{message}"):
        model.of(MEMBERS, ON, months)


@pytest.mark.parametrize("model", [MembersAtMarks, RetentionAfterSignUp])
def test_bad_members_and_days_are_refused_and_rows_are_plain(model):
    with pytest.raises(InvalidType, match=rf"{model.__name__}.members"):
        model.of(list(MEMBERS.values()), ON)
    with pytest.raises(InvalidType, match=rf"{model.__name__}.members"):
        model.of({"m": object()}, ON)
    with pytest.raises(InvalidType, match=rf"{model.__name__}.on"):
        model.of(MEMBERS, "2029-03-15")
    table = model.of(MEMBERS, ON)
    rows = table.to_rows()
    assert rows and all(tuple(r) == table.columns for r in rows)
    assert {type(v) for r in rows for v in r.values()} <= {str, int, bool, Decimal, dt.date, type(None)}
    assert table.caption in table._repr_html_()
