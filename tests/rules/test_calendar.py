"""Working days per PSN-RESPONSE (MOU LMC 4), with dates that bite.

Expected dates are worked out by hand from the UK bank holiday lists, not by the code.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pastoral_core.exceptions import InvalidType, InvalidValue, NaiveDatetimeError
from pastoral_core.rules import WorkingCalendar
from pastoral_core.rules._calendar import _bank_holidays
from pastoral_core.testing import strategies as pst

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def due(nation: str, received: dt.datetime, days: int = 2) -> dt.datetime:
    return WorkingCalendar(nation=nation).due_by(received, days)


def test_christmas_2026_boxing_day_observed_on_monday_28th():
    answer = WorkingCalendar().explain_due(london(2026, 12, 24, 16, 0), 2)
    assert answer.counts_from == dt.date(2026, 12, 24)
    assert answer.due_at == london(2026, 12, 30, 17, 0)
    assert answer.bank_holidays == (
        (dt.date(2026, 12, 25), "Christmas Day"),
        (dt.date(2026, 12, 26), "Boxing Day"),
        (dt.date(2026, 12, 28), "Boxing Day (observed)"),
    )
    assert str(answer).startswith("due by Wed 30 Dec 2026 17:00 GMT (bank holidays: Fri 25 Dec 2026 Christmas Day;")


@pytest.mark.parametrize(
    ("received", "counts_from", "due_day"),
    [
        (london(2026, 12, 24, 16, 59), dt.date(2026, 12, 24), dt.date(2026, 12, 30)),
        (london(2026, 12, 24, 17, 0), dt.date(2026, 12, 29), dt.date(2026, 12, 31)),
        (london(2026, 12, 24, 23, 59), dt.date(2026, 12, 29), dt.date(2026, 12, 31)),
        (london(2026, 12, 26, 10, 0), dt.date(2026, 12, 29), dt.date(2026, 12, 31)),
    ],
)
def test_cutoff_at_17_00_and_non_working_days_count_from_the_next_working_day(received, counts_from, due_day):
    calendar = WorkingCalendar()
    assert calendar.counts_from(received) == counts_from
    assert calendar.due_by(received, 2) == dt.datetime.combine(due_day, dt.time(17), LONDON)


def test_easter_2027_in_england_and_scotland():
    received = london(2027, 3, 25, 10, 0)  # Thursday before Good Friday
    # England: Good Friday 26 and Easter Monday 29 March are holidays.
    assert due("ENG", received) == london(2027, 3, 31, 17, 0)
    assert due("WLS", received) == london(2027, 3, 31, 17, 0)
    # Scotland has Good Friday but not Easter Monday.
    assert due("SCT", received) == london(2027, 3, 30, 17, 0)
    # The clocks went forward on 28 March: 17:00 BST is 16:00 UTC.
    assert due("ENG", received).astimezone(UTC) == dt.datetime(2027, 3, 31, 16, 0, tzinfo=UTC)


def test_second_of_january_is_a_holiday_in_scotland_only():
    received = london(2026, 12, 31, 10, 0)
    assert due("ENG", received) == london(2027, 1, 5, 17, 0)
    # 2 January 2027 is a Saturday: Scotland observes it on Monday 4 January.
    assert due("SCT", received) == london(2027, 1, 6, 17, 0)
    assert WorkingCalendar(nation="SCT").bank_holidays(dt.date(2027, 1, 1), dt.date(2027, 1, 4))[-1] == (
        dt.date(2027, 1, 4),
        "New Year Holiday (observed)",
    )


def test_st_patricks_day_in_northern_ireland_and_uk_any():
    received = london(2027, 3, 16, 10, 0)  # Tuesday; 17 March is a Wednesday
    assert due("ENG", received) == london(2027, 3, 18, 17, 0)
    assert due("NIR", received) == london(2027, 3, 19, 17, 0)
    assert due("UK-ANY", received) == london(2027, 3, 19, 17, 0)


def test_twelfth_of_july_in_northern_ireland():
    received = london(2027, 7, 9, 10, 0)  # Friday; 12 July 2027 is a Monday
    assert due("ENG", received) == london(2027, 7, 13, 17, 0)
    assert due("NIR", received) == london(2027, 7, 14, 17, 0)


def test_uk_any_counts_every_nations_holidays():
    calendar = WorkingCalendar(nation="UK-ANY")
    for day in (
        dt.date(2027, 1, 4),
        dt.date(2027, 3, 17),
        dt.date(2027, 3, 29),
        dt.date(2027, 7, 12),
    ):
        assert not calendar.is_working_day(day), day
    assert calendar.is_working_day(dt.date(2027, 3, 18))


@pytest.mark.parametrize(
    ("received_utc", "due_local"),
    [
        # Spring: clocks go forward Sunday 28 March 2027. Saturday receipt counts from
        # Tuesday 30th (Easter Monday 29th), due Thursday 1 April 17:00 BST.
        (dt.datetime(2027, 3, 27, 12, 0, tzinfo=UTC), london(2027, 4, 1, 17, 0)),
        # Friday 2 April 2027 15:59 UTC is 16:59 BST: before the cut-off.
        (dt.datetime(2027, 4, 2, 15, 59, tzinfo=UTC), london(2027, 4, 6, 17, 0)),
        # 16:30 UTC is 17:30 BST: after the cut-off, counts from Monday 5 April.
        (dt.datetime(2027, 4, 2, 16, 30, tzinfo=UTC), london(2027, 4, 7, 17, 0)),
        # Autumn: clocks go back Sunday 31 October 2027. Friday 29th 16:30 UTC is 17:30 BST.
        (dt.datetime(2027, 10, 29, 16, 30, tzinfo=UTC), london(2027, 11, 3, 17, 0)),
        (dt.datetime(2027, 10, 29, 15, 59, tzinfo=UTC), london(2027, 11, 2, 17, 0)),
        # The Monday after, 16:30 UTC is 16:30 GMT: before the cut-off.
        (dt.datetime(2027, 11, 1, 16, 30, tzinfo=UTC), london(2027, 11, 3, 17, 0)),
        # The Monday before, 16:30 UTC was 17:30 BST: after it.
        (dt.datetime(2027, 10, 25, 16, 30, tzinfo=UTC), london(2027, 10, 28, 17, 0)),
    ],
)
def test_days_around_both_2027_clock_changes(received_utc, due_local):
    assert due("ENG", received_utc) == due_local


def test_due_moment_carries_the_right_offset_either_side_of_the_clock_change():
    assert due("ENG", london(2027, 3, 25, 10)).utcoffset() == dt.timedelta(hours=1)
    assert due("ENG", london(2027, 10, 29, 10)).utcoffset() == dt.timedelta(0)


def test_leap_day_and_month_ends():
    assert due("ENG", london(2028, 2, 28, 10)) == london(2028, 3, 1, 17, 0)  # via 29 Feb
    assert due("ENG", london(2027, 4, 30, 10)) == london(2027, 5, 5, 17, 0)  # early May bank holiday
    assert due("ENG", london(2027, 8, 27, 10)) == london(2027, 9, 1, 17, 0)  # summer bank holiday


def test_zero_working_days_means_by_the_cutoff_of_the_counting_day():
    assert due("ENG", london(2026, 12, 24, 16, 0), 0) == london(2026, 12, 24, 17, 0)
    assert due("ENG", london(2026, 12, 24, 17, 0), 0) == london(2026, 12, 29, 17, 0)


def test_a_naive_receipt_time_is_refused_with_a_clear_error():
    with pytest.raises(NaiveDatetimeError, match=r"received_at: must be timezone-aware \(rule TIME\)"):
        WorkingCalendar().due_by(dt.datetime(2026, 12, 24, 16, 0), 2)


@pytest.mark.parametrize("days", [-1, True, "2", 1.5, 10_001])
def test_bad_working_day_counts_are_refused(days):
    with pytest.raises(InvalidValue, match="working_days: must be a whole number from 0 to 10,000"):
        WorkingCalendar().due_by(london(2026, 12, 24, 16), days)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"nation": "GB"}, "nation: must be one of ENG, WLS, SCT, NIR, UK-ANY"),
        ({"cutoff": dt.time(17, tzinfo=UTC)}, "cutoff: must be a local wall-clock time"),
        ({"tz": "Europe/Atlantis"}, "not a known IANA time zone"),
    ],
)
def test_bad_calendar_settings_are_refused(kwargs, message):
    with pytest.raises(InvalidValue, match=message):
        WorkingCalendar(**kwargs)


def test_dates_must_be_dates_not_datetimes():
    with pytest.raises(InvalidType, match="expected a date, got a datetime"):
        WorkingCalendar().is_working_day(london(2026, 12, 24, 16))


def test_working_days_between():
    calendar = WorkingCalendar()
    assert calendar.working_days_between(dt.date(2026, 12, 24), dt.date(2026, 12, 30)) == 2
    assert calendar.working_days_between(dt.date(2026, 12, 24), dt.date(2026, 12, 31)) == 3
    assert calendar.working_days_between(dt.date(2026, 12, 30), dt.date(2026, 12, 24)) == -2
    assert calendar.working_days_between(dt.date(2026, 12, 24), dt.date(2026, 12, 24)) == 0
    assert calendar.next_working_day(dt.date(2026, 12, 24)) == dt.date(2026, 12, 29)


def test_holiday_sets_are_built_once_per_nation():
    calendar = WorkingCalendar(nation="WLS")
    calendar.due_by(london(2026, 12, 24, 16), 2)
    before = _bank_holidays.cache_info()
    for day in range(1, 29):
        WorkingCalendar(nation="WLS").due_by(london(2027, 2, day, 12), 2)
    after = _bank_holidays.cache_info()
    assert after.misses == before.misses
    assert after.hits > before.hits


@given(pst.nations(), pst.aware_datetimes(), st.integers(0, 15))
def test_due_date_is_n_working_days_after_the_counting_day(nation, received, days):
    calendar = WorkingCalendar(nation=nation)
    answer = calendar.explain_due(received, days)
    assert calendar.is_working_day(answer.counts_from)
    assert calendar.is_working_day(answer.due_at.date())
    assert answer.due_at.timetz().replace(tzinfo=None) == dt.time(17)
    assert calendar.working_days_between(answer.counts_from, answer.due_at.date()) == days
    assert answer.due_at > received or (days == 0 and answer.due_at >= received)


@given(pst.nations(), pst.aware_datetimes(), st.integers(0, 600))
def test_a_later_receipt_is_never_due_earlier(nation, received, minutes_later):
    calendar = WorkingCalendar(nation=nation)
    later = received + dt.timedelta(minutes=minutes_later)
    assert calendar.due_by(later, 2) >= calendar.due_by(received, 2)


@given(
    pst.nations(),
    pst.aware_datetimes(),
    st.integers(0, 15),
    st.sampled_from(["Europe/London", "UTC", "America/New_York"]),
)
def test_the_kept_due_by_answer_is_always_the_explained_one(nation, received, days, tz):
    calendar = WorkingCalendar(nation=nation, tz=tz)
    assert calendar.due_by(received, days) == calendar.explain_due(received, days).due_at
    assert calendar.due_by(received, days) == calendar.explain_due(received, days).due_at  # kept, same


def test_both_half_past_ones_of_the_autumn_night_get_their_own_answer():
    # 01:30 BST and 01:30 GMT on 25 October 2026 compare equal as wall times; an hour apart
    # they fall either side of a 01:00 UTC cut-off
    first = london(2026, 10, 25, 1, 30)
    second = first.replace(fold=1)
    calendar = WorkingCalendar(nation="ENG", tz="UTC", cutoff=dt.time(1, 0))
    for moment in (first, second, first):
        assert calendar.due_by(moment, 0) == calendar.explain_due(moment, 0).due_at
    assert calendar.counts_from(first) == calendar.counts_from(second)  # a Sunday: both count from Monday


@pytest.mark.parametrize("bad", [[1], "2", 2.0, True, None])
def test_due_by_refuses_a_day_count_that_is_not_a_whole_number_before_looking_anything_up(bad):
    with pytest.raises(InvalidValue, match="working_days"):
        WorkingCalendar().due_by(london(2026, 12, 24, 16), bad)


@pytest.mark.parametrize("bad", [[1], "2026-12-24", dt.date(2026, 12, 24)])
def test_due_by_refuses_a_moment_that_is_not_a_datetime(bad):
    with pytest.raises(InvalidType):
        WorkingCalendar().due_by(bad, 2)
