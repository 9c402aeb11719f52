"""Funding read models on hand-built histories: minutes used and left, the day the cap is reached, cost by tariff."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pastoral_core import EventLog, execute
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.peer_groups import (
    PEER_GROUP,
    PHP_GROUP_PEER_SUPPORT,
    AppointFacilitator,
    CancelMeeting,
    CostByTariff,
    EnrolAttendee,
    FacilitatorTariff,
    Frequency,
    GroupMinutes,
    GroupMinutesRow,
    HoldMeeting,
    PeerSupportContext,
    PlanPeerSupportDay,
    PlanSeries,
    Profession,
    ProgrammeMinutes,
    ProgrammeMinutesRow,
    Tariff,
    TariffPeriodRow,
    groups_from,
    series_dates,
)
from pastoral_core.peer_groups._read_models_cadence import meeting_time
from pastoral_core.rules import Rulebooks
from tests.builders import LONDON, at, command
from tests.peer_groups.helpers import BOOKS, PID, SET_UP_DAY, group, programme, set_up

ZERO = Decimal("0.00")
V1 = BOOKS.versions[0]  # NW_GPS v1: £60 an hour from 1 April 2026, £66 from 1 April 2027
V2 = V1.revised(
    2,
    dt.date(2027, 10, 1),
    FacilitatorTariff(
        tariffs=(Tariff(dt.date(2027, 4, 1), Decimal("66.00")), Tariff(dt.date(2028, 1, 1), Decimal("70.00")))
    ),
)
TWO_VERSIONS = Rulebooks((V1, V2))


def context(minutes=None, books=BOOKS, groups=("g1", "g2", "g3")):
    """Programme prog-nw with ``groups`` approved for ``minutes`` each (the rule's 900 by default)."""
    extra = {} if minutes is None else {"minutes_per_group": minutes}
    _, state = programme(groups=groups, **extra)
    return PeerSupportContext(books, {PID: state})


def plan(plan_id, first, count=1, frequency=Frequency.WEEKLY, minutes=90, self_funded=0, when=at(2026, 5, 10)):
    return command(
        PlanSeries, when, plan_id=plan_id, frequency=frequency, first_at=first, count=count, minutes=minutes,
        self_funded_minutes=self_funded,
    )  # fmt: skip


def hold(meeting_id, when, occurred=None, **fields):
    fields.setdefault("attendee_ids", frozenset({"gp-1", "gp-2"}))
    return command(HoldMeeting, when, occurred_at=occurred, meeting_id=meeting_id, **fields)


def group_state(*commands, cap=None):
    """g1 after ``commands`` (set up on 1 May 2026 with fac-1 and gp-1 to gp-10), funded ``cap`` minutes."""
    return group(*commands, ctx=context(cap))[1]


def minutes_of(*commands, cap=None):
    (row,) = GroupMinutes.of({"g1": group_state(*commands, cap=cap)}).rows
    return row


def reached(*commands, cap=None):
    return minutes_of(*commands, cap=cap).cap_reached_on


WEEKLY_SIX = (
    plan("w", at(2026, 6, 3, 18), 6),
    hold("w-1", at(2026, 6, 3, 20)),
    hold("w-2", at(2026, 6, 10, 21), minutes=150, self_funded_minutes=60),
    command(CancelMeeting, at(2026, 6, 11), meeting_id="w-3"),
)


# -- minutes used and left ---------------------------------------------------------------


def test_a_group_with_meetings_held_planned_and_cancelled():
    """Six weekly meetings from Wednesday 3 June 2026: two held (the second for 150 minutes,
    60 self-funded), the third cancelled, three still planned. 180 used and 270 planned make
    450 by 8 July; the weekly series carried on needs five more meetings, to 12 August."""
    assert minutes_of(*WEEKLY_SIX) == GroupMinutesRow(
        PID, "g1", True, 900, 180, 270, 720, 450, 2, Decimal("180.00"), dt.date(2026, 8, 12)
    )


def test_approved_groups_not_yet_set_up_and_the_programme_totals():
    groups = {"g1": group_state(*WEEKLY_SIX)}
    programmes = context().programmes
    rows = GroupMinutes.of(groups, programmes).rows
    assert [r.group_id for r in rows] == ["g1", "g2", "g3"]
    assert rows[1] == GroupMinutesRow(PID, "g2", False, 900, 0, 0, 900, 900, 0, ZERO, None)
    assert ProgrammeMinutes.of(groups, programmes).rows == (
        ProgrammeMinutesRow(PID, 50, 3, 1, 2700, 180, 270, 2520, Decimal("180.00")),
    )
    assert GroupMinutes.of(groups).rows == rows[:1]  # without programmes: the groups set up


def test_a_programme_with_no_group_and_a_group_of_a_programme_not_given():
    empty = context(groups=()).programmes
    assert ProgrammeMinutes.of({}, empty).rows == (ProgrammeMinutesRow(PID, 50, 0, 0, 0, 0, 0, 0, ZERO),)
    only_group = ProgrammeMinutes.of({"g1": group_state(*WEEKLY_SIX)}, {}).rows
    assert only_group == (ProgrammeMinutesRow(PID, None, 1, 1, 900, 180, 270, 720, Decimal("180.00")),)


# -- the day the cap is reached at the planned cadence ----------------------------------------

MONTH_ENDS = at(2028, 1, 31, 18)  # monthly from 31 January 2028: 29 Feb, 31 Mar, 30 Apr, 31 May


@pytest.mark.parametrize(
    ("cap", "day"),
    [
        (180, dt.date(2028, 2, 29)),  # the two meetings planned use the cap exactly: on the leap day
        (181, dt.date(2028, 3, 31)),  # one minute more: one meeting past the plan, a month end
        (270, dt.date(2028, 3, 31)),  # that meeting uses it exactly
        (271, dt.date(2028, 4, 30)),  # and one more
        (450, dt.date(2028, 5, 31)),
    ],
)
def test_a_monthly_series_from_the_31st_keeps_to_month_ends(cap, day):
    assert reached(plan("m", MONTH_ENDS, 2, Frequency.MONTHLY), cap=cap) == day


def test_the_day_is_the_london_date_across_the_clock_change():
    """Weekly at 00:30 from Monday 22 March 2027: the second meeting, 00:30 BST on 29 March, is
    23:30 on 28 March in UTC; the day counted is London's."""
    first = at(2027, 3, 22, 0, 30)
    second = series_dates(Frequency.WEEKLY, first, 2)[1]
    assert second.astimezone(dt.UTC).date() == dt.date(2027, 3, 28)
    assert reached(plan("b", first, 2), cap=180) == dt.date(2027, 3, 29)
    assert reached(plan("b", first, 2), cap=270) == dt.date(2027, 4, 5)
    # 01:30 on 28 March 2027 does not exist (the planning code moves it to 02:30 BST): same day.
    assert reached(plan("c", at(2027, 3, 21, 1, 30), 2), cap=180) == dt.date(2027, 3, 28)


def test_a_fortnightly_series_over_the_new_year():
    assert reached(plan("f", at(2026, 12, 23, 18), 2, Frequency.FORTNIGHTLY), cap=360) == dt.date(2027, 2, 3)


def test_meetings_held_count_on_the_day_held_even_when_entered_late():
    held = (plan("w", at(2026, 6, 3, 18), 2), hold("w-1", at(2026, 6, 3, 20)))
    late = hold("w-2", at(2026, 6, 12, 9), occurred=at(2026, 6, 10, 20))
    row = minutes_of(*held, late, cap=180)
    assert (row.used, row.left, row.planned, row.cap_reached_on) == (180, 0, 0, dt.date(2026, 6, 10))


def test_a_meeting_held_long_takes_the_total_past_the_cap_one_meeting_early():
    """Cap 180: the first of two planned 90-minute meetings runs to 150 funded minutes, so the
    second (90 planned) takes the total to 240: the cap is reached on its day."""
    row = minutes_of(plan("w", at(2026, 6, 3, 18), 2), hold("w-1", at(2026, 6, 3, 21), minutes=150), cap=180)
    assert (row.used, row.planned, row.left, row.unplanned) == (150, 90, 30, -60)
    assert row.cap_reached_on == dt.date(2026, 6, 10)


def test_the_series_carries_on_only_if_the_last_meeting_planned_is_in_one():
    """A series then a later peer support day: no cadence to carry on, and 540 of 900 never reach it."""
    day = command(PlanPeerSupportDay, at(2026, 5, 10), plan_id="day", starts_at=at(2026, 7, 4, 9, 30), blocks=3)
    assert reached(plan("w", at(2026, 6, 3, 18), 3), day) is None
    assert reached(plan("one", at(2026, 6, 3, 18), 1)) is None  # a plan of one meeting has no frequency
    assert reached() is None  # nothing planned


def test_a_series_ends_where_a_meeting_of_another_plan_takes_its_next_number():
    """Plan "x" (weekly from 3 June, 2 meetings) and a peer support day on 6 June whose plan id is "x-3":
    the day is not the series' third meeting; the series goes on weekly from 17 June."""
    day = command(PlanPeerSupportDay, at(2026, 5, 10), plan_id="x-3", starts_at=at(2026, 6, 6, 9, 30), blocks=2)
    assert reached(plan("x", at(2026, 6, 3, 18), 2), day, cap=450) == dt.date(2026, 6, 17)


def test_a_meeting_held_after_the_series_is_counted_on_its_own_day():
    """Cap 450. Weekly from 6 January 2027 (270 planned) and a meeting held on 3 March (90): the
    series goes on on 27 January (360 by then) and 3 February (450), before 3 March."""
    row = minutes_of(
        plan("a", at(2027, 1, 6, 18), 3, when=at(2026, 12, 1)),
        plan("b", at(2027, 3, 3, 18), when=at(2026, 12, 1)),
        hold("b-1", at(2027, 3, 3, 20)),
        cap=450,
    )
    assert (row.used, row.planned, row.cap_reached_on) == (90, 270, dt.date(2027, 2, 3))


def test_cancelled_meetings_keep_their_place_in_the_series():
    """Weekly from 3 June 2026, four meetings, the second cancelled: 270 planned; the series' 5th
    and 6th meetings (1 and 8 July) reach 450."""
    row = minutes_of(
        plan("w", at(2026, 6, 3, 18), 4), command(CancelMeeting, at(2026, 5, 20), meeting_id="w-2"), cap=450
    )
    assert (row.planned, row.cap_reached_on) == (270, dt.date(2026, 7, 8))


@pytest.mark.parametrize(
    ("self_funded", "cap", "day"),
    [
        (90, 900, None),  # wholly self-funded: the series adds nothing
        (30, 180, dt.date(2026, 6, 17)),  # 60 funded each: 120 planned, a third meeting reaches 180
        (30, 181, dt.date(2026, 6, 24)),
    ],
)
def test_self_funded_minutes_do_not_count(self_funded, cap, day):
    assert reached(plan("w", at(2026, 6, 3, 18), 2, self_funded=self_funded), cap=cap) == day


def test_a_cap_beyond_the_calendar():
    # 1 funded minute a week towards a million: after the year 9999.
    assert reached(plan("w", at(2026, 6, 3, 18), 2, minutes=91, self_funded=90), cap=1_000_000) is None


@given(
    first=st.sampled_from(
        [
            *(at(2028, 1, 31, 18), at(2027, 3, 21, 1, 30), at(2026, 10, 18, 1, 30), at(2028, 2, 29, 9)),
            *(at(2026, 8, 30, 23), dt.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)),
        ]
    ),
    frequency=st.sampled_from(Frequency),
    n=st.integers(1, 60),
)
def test_meeting_time_is_the_planning_codes_date(first, frequency, n):
    expected = series_dates(frequency, first, n)[-1]
    found = meeting_time(frequency, first, n)
    assert (found, found.utcoffset(), found.fold) == (expected, expected.utcoffset(), expected.fold)


# -- cost by tariff period ------------------------------------------------------------------


def tariff_log():
    """g1 priced under NW_GPS v1 (£60, then £66 from 1 April 2027) and v2 (from 1 October
    2027: £66, then £70 from 1 January 2028). The meeting of 31 March 2027 is entered on
    2 April, after the one of 1 April."""
    log, ctx = EventLog(), context(books=TWO_VERSIONS)
    days = [(2027, 3, 31), (2027, 4, 1), (2027, 9, 30), (2027, 10, 1), (2028, 2, 29)]
    commands = [
        set_up(),
        command(AppointFacilitator, SET_UP_DAY, facilitator_id="fac-1"),
        *[command(EnrolAttendee, at(2026, 5, 2), attendee_id=a, profession=Profession.GP) for a in ("gp-1", "gp-2")],
        *[plan(f"p{n}", at(*d, 19), minutes=120 if d == (2028, 2, 29) else 90) for n, d in enumerate(days)],
        hold("p1-1", at(2027, 4, 1, 21)),
        hold("p0-1", at(2027, 4, 2, 9), occurred=at(2027, 3, 31, 20, 30)),
        *[hold(f"p{n}-1", at(*days[n], 21)) for n in (2, 3, 4)],
    ]
    for c in commands:
        execute(log, PEER_GROUP, "g1", c, ctx)
    return groups_from(log.read_all())


def test_cost_by_tariff_period_and_rulebook_version():
    groups = tariff_log()
    v1, v2 = "NW_GPS v1", "NW_GPS v2"
    assert CostByTariff.of(groups, TWO_VERSIONS).rows == (
        TariffPeriodRow(PID, "g1", v1, dt.date(2026, 4, 1), dt.date(2027, 3, 31), Decimal("60.00"), 1, 90, Decimal("90.00")),
        TariffPeriodRow(PID, "g1", v1, dt.date(2027, 4, 1), dt.date(2027, 9, 30), Decimal("66.00"), 2, 180, Decimal("198.00")),
        TariffPeriodRow(PID, "g1", v2, dt.date(2027, 10, 1), dt.date(2027, 12, 31), Decimal("66.00"), 1, 90, Decimal("99.00")),
        TariffPeriodRow(PID, "g1", v2, dt.date(2028, 1, 1), None, Decimal("70.00"), 1, 120, Decimal("140.00")),
    )  # fmt: skip
    (row,) = GroupMinutes.of(groups).rows
    assert row.cost == Decimal("527.00") == sum(r.cost for r in CostByTariff.of(groups, TWO_VERSIONS).rows)


def test_cost_by_tariff_refuses_rulebooks_that_did_not_price_the_meetings():
    groups = tariff_log()
    with pytest.raises(InvalidValue, match=r"put £66.00 an hour in force for meeting p4-1 of group g1 on 2028-02-29, "):
        CostByTariff.of(groups, BOOKS)
    with pytest.raises(
        InvalidValue, match="have no facilitator tariff in force for meeting p0-1 of group g1 on 2027-03-31"
    ):
        CostByTariff.of(groups, PHP_GROUP_PEER_SUPPORT)
    from_2028 = Rulebooks((V1.revised(3, dt.date(2028, 1, 1)),))  # nothing in force in 2027
    with pytest.raises(InvalidValue, match="have no facilitator tariff in force for meeting p0-1"):
        CostByTariff.of(groups, from_2028)
    with pytest.raises(InvalidType, match="CostByTariff.rulebooks"):
        CostByTariff.of(groups, V1)
    assert CostByTariff.of({}, PHP_GROUP_PEER_SUPPORT).rows == ()


# -- bad input and plain rows ---------------------------------------------------------------


@pytest.mark.parametrize("model", [GroupMinutes, ProgrammeMinutes])
@pytest.mark.parametrize("groups", [None, [("g1", None)], {"g1": "state"}, {1: group_state()}])
def test_bad_states_are_refused_with_the_field_named(model, groups):
    with pytest.raises(InvalidType, match=rf"{model.__name__}.groups"):
        model.of(groups, {})
    with pytest.raises(InvalidType, match=rf"{model.__name__}.programmes"):
        model.of({}, {"p": group_state()})


def test_rows_are_plain_values_and_render_as_html():
    groups = tariff_log()
    for table in (GroupMinutes.of(groups, context().programmes), ProgrammeMinutes.of(groups, context().programmes),
                  CostByTariff.of(groups, TWO_VERSIONS)):  # fmt: skip
        rows = table.to_rows()
        assert rows and all(list(r) == list(table.columns) for r in rows)
        kinds = {type(v) for r in rows for v in r.values()}
        assert kinds <= {str, int, bool, Decimal, dt.date, type(None)}
        html = table._repr_html_()
        assert html.startswith('<table class="pastoral-table"><caption>') and table.caption in html
    assert GroupMinutes.of({}).to_rows() == [] and "<th>cap_reached_on</th>" in GroupMinutes.of({})._repr_html_()
