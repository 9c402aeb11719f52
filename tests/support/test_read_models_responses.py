"""ResponseTimes: first responses per month and nation, with dates that bite (Easter, 15 June in Scotland, BST, month ends)."""

import datetime as dt
import decimal

import pytest

from pastoral_core import Rulebooks
from pastoral_core.kernel import Timeline, as_of
from pastoral_core.support import (
    DEVON_PSN_V1,
    RespondToRequest,
    ResponseMonth,
    ResponseStatus,
    ResponseTime,
    ResponseTimes,
    cases_from,
    response_report,
)
from tests.builders import at
from tests.support.test_read_models import BOOKS, Network

D = decimal.Decimal
UTC = dt.UTC


@pytest.fixture(scope="module")
def spring():
    """Requests around the clocks going forward (29 March 2026) and Easter (3 and 6 April 2026)."""
    network = Network()
    # Friday 27 March 16:59 GMT: counting starts that day, due Tuesday 31 March 17:00 *BST* (16:00 UTC).
    network.request("m1", at(2026, 3, 27, 16, 59))
    network.run("m1", RespondToRequest, dt.datetime(2026, 3, 31, 16, 30, tzinfo=UTC))  # 17:30 BST: late
    # Monday 2 March 09:00, answered the same morning: 0 working days.
    network.request("m2", at(2026, 3, 2, 9))
    network.run("m2", RespondToRequest, at(2026, 3, 2, 12))
    # Tuesday 31 March 23:30 BST: a March request, counted from Wednesday 1 April; Good Friday
    # and Easter Monday push it to Tuesday 7 April 17:00. Never answered.
    network.request("m3", at(2026, 3, 31, 23, 30))
    # Wednesday 1 April 00:30 BST (31 March 23:30 UTC): an April request, due Tuesday 7 April.
    network.request("a1", dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    network.run("a1", RespondToRequest, at(2026, 4, 8, 9))  # late, 3 working days (2, 7, 8 April)
    # Thursday 2 April 10:00: England due Wednesday 8 April (Good Friday, Easter Monday);
    # Scotland, where Easter Monday is no bank holiday, due Tuesday 7 April.
    network.request("e1", at(2026, 4, 2, 10))
    network.run("e1", RespondToRequest, at(2026, 4, 8, 16, 59))
    network.request("s1", at(2026, 4, 2, 10), nation="SCT")
    network.run("s1", RespondToRequest, at(2026, 4, 8, 10))
    return network


def test_the_due_times_recorded_are_the_ones_the_working_calendars_give(spring):
    due = {case_id: case.request.response_due_at for case_id, case in spring.cases().items()}
    assert due == {
        "m1": at(2026, 3, 31, 17),
        "m2": at(2026, 3, 4, 17),
        "m3": at(2026, 4, 7, 17),
        "a1": at(2026, 4, 7, 17),
        "e1": at(2026, 4, 8, 17),
        "s1": at(2026, 4, 7, 17),
    }
    assert due["m1"] == dt.datetime(2026, 3, 31, 16, tzinfo=UTC)  # BST


def test_per_month_and_nation_with_bank_holidays_and_the_clocks_going_forward(spring):
    times = ResponseTimes.of(spring.cases(), at(2026, 4, 9, 9), BOOKS)
    assert times.rows == (
        # m1 late (17:30 BST is after 17:00 BST, though 16:30 UTC is before 17:00), m2 in time,
        # m3 overdue; median of 2 and 0 working days.
        ResponseMonth("2026-03", "ENG", 3, 1, 1, 0, 1, D("1.00")),
        # a1 late after 3 working days, e1 in time after 2: the median of two is their mean.
        ResponseMonth("2026-04", "ENG", 2, 1, 1, 0, 0, D("2.50")),
        # s1 late: Easter Monday is a working day in Scotland (6, 7, 8 April).
        ResponseMonth("2026-04", "SCT", 1, 0, 1, 0, 0, D("3.00")),
    )


def test_an_unanswered_request_is_open_until_its_due_time_and_overdue_one_minute_after(spring):
    def march(now):
        return ResponseTimes.of(spring.cases(), now, BOOKS).rows[0]

    assert (march(at(2026, 4, 7, 17)).open, march(at(2026, 4, 7, 17)).overdue) == (1, 0)
    assert (march(at(2026, 4, 7, 17, 1)).open, march(at(2026, 4, 7, 17, 1)).overdue) == (0, 1)
    # the same instant given in another zone reads the same
    assert march(dt.datetime(2026, 4, 7, 16, tzinfo=UTC)).open == 1
    assert march(dt.datetime(2026, 4, 7, 16, 1, tzinfo=UTC)).overdue == 1


def test_scotland_15_june_2026_moves_a_due_date_that_england_keeps():
    network = Network()
    network.request("sct", at(2026, 6, 12, 10), nation="SCT")  # Friday; Monday 15 June a bank holiday
    network.request("eng", at(2026, 6, 12, 10), nation="ENG")
    cases = network.cases()
    assert cases["sct"].request.response_due_at == at(2026, 6, 17, 17)
    assert cases["eng"].request.response_due_at == at(2026, 6, 16, 17)
    rows = {r.nation: (r.open, r.overdue) for r in ResponseTimes.of(cases, at(2026, 6, 17, 9), BOOKS).rows}
    assert rows == {"ENG": (0, 1), "SCT": (1, 0)}
    network.run("sct", RespondToRequest, at(2026, 6, 17, 16))
    network.run("eng", RespondToRequest, at(2026, 6, 17, 16))
    rows = {r.nation: r for r in ResponseTimes.of(network.cases(), at(2026, 6, 30), BOOKS).rows}
    # Scotland: 16 and 17 June (the 15th was a holiday); England: 15, 16 and 17 June.
    assert (rows["SCT"].in_time, rows["SCT"].median_working_days) == (1, D("2.00"))
    assert (rows["ENG"].late, rows["ENG"].median_working_days) == (1, D("3.00"))


def test_working_days_count_by_the_cut_off_of_the_version_in_force_when_the_request_came():
    """Version 2 (from 1 April 2026) moves the cut-off to 16:00: a request at 16:30 counts from the next working day."""
    v2 = DEVON_PSN_V1.revised(2, dt.date(2026, 4, 1), ResponseTime(cutoff=dt.time(16, 0)))
    books = Rulebooks((DEVON_PSN_V1, v2))
    network = Network(books)
    network.request("v1", at(2026, 3, 26, 16, 30))  # Thursday, under v1: counts from Thursday
    network.request("v2", at(2026, 4, 2, 16, 30))  # Thursday, under v2: counts from Tuesday 7 April
    network.run("v1", RespondToRequest, at(2026, 3, 30, 10))
    network.run("v2", RespondToRequest, at(2026, 4, 8, 10))
    assert network.cases()["v2"].request.response_due_at == at(2026, 4, 9, 16)
    rows = ResponseTimes.of(network.cases(), at(2026, 4, 30), books).rows
    assert [(r.month, r.in_time, r.median_working_days) for r in rows] == [
        ("2026-03", 1, D("2.00")),  # Friday 27 and Monday 30 March
        ("2026-04", 1, D("1.00")),  # Wednesday 8 April, counting from Tuesday 7
    ]


def test_a_response_before_counting_starts_took_no_working_days():
    network = Network()
    network.request("sat", at(2026, 2, 28, 10))  # Saturday 28 February: counting starts Monday 2 March
    network.run("sat", RespondToRequest, at(2026, 2, 28, 11))
    (row,) = ResponseTimes.of(network.cases(), at(2026, 3, 1), BOOKS).rows
    assert (row.month, row.in_time, row.median_working_days) == ("2026-02", 1, D("0.00"))


def test_the_months_follow_the_lines_of_the_per_case_report(spring):
    now = at(2026, 4, 9, 9)
    lines = response_report(spring.cases(), now)
    assert [(line.case_id, line.status) for line in lines] == [
        ("m2", ResponseStatus.ON_TIME),
        ("m1", ResponseStatus.LATE),
        ("m3", ResponseStatus.OVERDUE),
        ("a1", ResponseStatus.LATE),
        ("e1", ResponseStatus.ON_TIME),
        ("s1", ResponseStatus.LATE),
    ]
    rows = ResponseTimes.of(spring.cases(), now, BOOKS).rows
    assert sum(r.requests for r in rows) == len(lines)
    for r in rows:
        assert r.in_time + r.late + r.open + r.overdue == r.requests


def test_as_it_stood_at_a_moment_from_the_history_cut_on_the_business_clock(spring):
    """Before the 8 April answers, Easter's requests were still open or overdue."""
    moment = at(2026, 4, 7, 18)
    cases = cases_from(as_of(spring.log.read_all(), moment, Timeline.BUSINESS))
    rows = {(r.month, r.nation): r for r in ResponseTimes.of(cases, moment, BOOKS).rows}
    assert (rows["2026-04", "ENG"].open, rows["2026-04", "ENG"].overdue) == (1, 1)  # e1 due 8 April, a1 7 April
    assert (rows["2026-04", "SCT"].overdue, rows["2026-04", "SCT"].median_working_days) == (1, None)
