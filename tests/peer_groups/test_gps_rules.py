"""Every GPS rule shown allowing and refusing (or flagging), with dates that bite."""

import datetime as dt
from decimal import Decimal

import pytest

from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel import RuleFlagged, decide
from pastoral_core.peer_groups import (
    CBI,
    PEER_GROUP,
    PROGRAMME,
    WEMWBS,
    AppointFacilitator,
    ApproveGroup,
    AttendeeEnrolled,
    CancelMeeting,
    ClaimFacilitatorMinutes,
    EnrolAttendee,
    EvaluationResponseRecorded,
    EvaluationRoundOpened,
    FacilitatorAppointed,
    FacilitatorMinutesClaimed,
    Frequency,
    GroupApproved,
    GroupProposed,
    HoldMeeting,
    MeetingHeld,
    MeetingsPlanned,
    OpenEvaluationRound,
    PlannedMeeting,
    PlanPeerSupportDay,
    PlanSeries,
    Profession,
    ProposeGroup,
    RecordEvaluationResponse,
    RoundKind,
    Score,
    StartProgramme,
    WithdrawAttendee,
    funding_of,
    series_dates,
    wellbeing_change,
)
from pastoral_core.testing import Scenario
from tests.builders import LONDON, at, command
from tests.peer_groups.helpers import (
    BOOKS,
    CONTEXT,
    FIRST_MEETING,
    PID,
    START,
    context,
    facilitator,
    group,
    lead,
    programme,
    series,
)


def programme_scenario(*extra, **start):
    events, _ = programme(*extra, **start)
    from pastoral_core.peer_groups import PeerSupportContext

    return Scenario(PROGRAMME, PeerSupportContext(BOOKS)).given(*events)


def group_scenario(*extra, **kw):
    events, _ = group(*extra, **kw)
    return Scenario(PEER_GROUP, CONTEXT).given(*events)


def hold(meeting_id, when, attendees=("gp-1", "gp-2"), **fields):
    return facilitator(HoldMeeting, when, meeting_id=meeting_id, attendee_ids=frozenset(attendees), **fields)


# -- GPS-REMIT ---------------------------------------------------------------------------


def test_GPS_REMIT_a_group_in_an_nhs_england_region_is_proposed():
    programme_scenario(groups=()).when(lead(ProposeGroup, group_id="g9", region="North West")).then(
        GroupProposed("g9", "North West")
    )


@pytest.mark.parametrize("region", ["Wales", "Scotland", "Northern Ireland", "north west"])
def test_GPS_REMIT_a_group_outside_england_is_refused(region):
    refused = (
        programme_scenario(groups=()).when(lead(ProposeGroup, group_id="g9", region=region)).then_refused("GPS-REMIT")
    )
    assert "outside the programme's remit" in str(refused)


def test_GPS_REMIT_a_programme_cannot_include_regions_outside_england():
    from pastoral_core.peer_groups import PeerSupportContext

    Scenario(PROGRAMME, PeerSupportContext(BOOKS)).when(
        lead(StartProgramme, funder="php-gph", starts_on=START, regions=frozenset({"North West", "Wales"}))
    ).then_refused("GPS-REMIT")


# -- GPS-CAPACITY ------------------------------------------------------------------------


def test_GPS_CAPACITY_approval_reserves_the_groups_minutes():
    programme_scenario(lead(ProposeGroup, group_id="g4", region="London"), groups=()).when(
        lead(ApproveGroup, at(2026, 6, 1), group_id="g4")
    ).then(GroupApproved("g4", 900, dt.date(2026, 6, 1)))


def test_GPS_CAPACITY_past_the_number_of_groups_is_refused():
    refused = (
        programme_scenario(lead(ProposeGroup, group_id="g3", region="London"), groups=("g1", "g2"), group_capacity=2)
        .when(lead(ApproveGroup, at(2026, 6, 1), group_id="g3"))
        .then_refused("GPS-CAPACITY")
    )
    assert "2 of 2 groups are already approved" in str(refused)


@pytest.mark.parametrize(
    ("when", "allowed"),
    [
        (at(2031, 3, 31, 23, 30), True),  # 23:30 BST on the last day of year five
        (at(2031, 4, 1, 0, 30), False),
        (dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC), True),  # 00:30 BST on 1 April 2026
        (at(2026, 3, 31, 22, 0), False),  # before the start
    ],
)
def test_GPS_CAPACITY_approvals_only_within_the_programmes_years(when, allowed):
    scenario = programme_scenario(lead(ProposeGroup, group_id="g9", region="London"), groups=()).when(
        lead(ApproveGroup, when, group_id="g9")
    )
    if allowed:
        scenario.then(GroupApproved("g9", 900, when.astimezone(LONDON).date()))
    else:
        assert "approvals run from 2026-04-01 until 2031-04-01" in str(scenario.then_refused("GPS-CAPACITY"))


def test_GPS_CAPACITY_a_programme_starting_on_a_leap_day_runs_to_28_february():
    from pastoral_core.peer_groups import PeerSupportContext

    started = decide(
        PROGRAMME,
        PROGRAMME.fold(()),
        lead(StartProgramme, funder="php-gph", starts_on=dt.date(2028, 2, 29)),
        PeerSupportContext(BOOKS),
    ).events[0]
    assert started.ends_before == dt.date(2033, 2, 28)
    assert (started.group_capacity, started.minutes_per_group, len(started.regions)) == (50, 900, 7)


# -- GPS-ELIGIBLE ------------------------------------------------------------------------


@pytest.mark.parametrize("profession", [Profession.GP, Profession.GP_TRAINEE])
def test_GPS_ELIGIBLE_gps_and_gp_trainees_enrol(profession):
    group_scenario().when(command(EnrolAttendee, attendee_id="gp-new", profession=profession)).then(
        AttendeeEnrolled("gp-new", profession)
    )


def test_GPS_ELIGIBLE_others_are_refused_and_only_enrolled_attendees_attend():
    group_scenario().when(command(EnrolAttendee, attendee_id="pn-1", profession=Profession.OTHER)).then_refused(
        "GPS-ELIGIBLE"
    )
    refused = (
        group_scenario(series())
        .when(hold("s-1", at(2026, 6, 3, 19, 30), ("gp-1", "gp-99")))
        .then_refused("GPS-ELIGIBLE")
    )
    assert "not enrolled in the group: gp-99" in str(refused)


# -- GPS-SIZE ----------------------------------------------------------------------------


def test_GPS_SIZE_twelve_is_fine_thirteen_and_fourteen_are_flagged_fifteen_refused():
    eleven = [f"gp-{n}" for n in range(1, 12)]
    group_scenario(attendees=eleven).when(command(EnrolAttendee, attendee_id="gp-12", profession=Profession.GP)).then(
        AttendeeEnrolled("gp-12", Profession.GP)
    )
    twelve = [*eleven, "gp-12"]
    when = at(2026, 5, 3)
    group_scenario(attendees=twelve).when(
        command(EnrolAttendee, when, attendee_id="gp-13", profession=Profession.GP)
    ).then(AttendeeEnrolled("gp-13", Profession.GP), RuleFlagged("GPS-SIZE", "13 attendees is above circa 12", when))
    fourteen = [*twelve, "gp-13", "gp-14"]
    refused = (
        group_scenario(attendees=fourteen)
        .when(command(EnrolAttendee, attendee_id="gp-15", profession=Profession.GP))
        .then_refused("GPS-SIZE")
    )
    assert "15 attendees; a group is circa 12 and at most 14" in str(refused)


def test_GPS_SIZE_a_withdrawal_makes_room():
    fourteen = [f"gp-{n}" for n in range(1, 15)]
    group_scenario(command(WithdrawAttendee, attendee_id="gp-3"), attendees=fourteen).when(
        command(EnrolAttendee, at(2026, 5, 3), attendee_id="gp-15", profession=Profession.GP)
    ).then(
        AttendeeEnrolled("gp-15", Profession.GP),
        RuleFlagged("GPS-SIZE", "14 attendees is above circa 12", at(2026, 5, 3)),
    )


# -- GPS-LENGTH --------------------------------------------------------------------------


def test_GPS_LENGTH_meetings_shorter_than_90_minutes_are_refused():
    group_scenario().when(series(minutes=60)).then_refused("GPS-LENGTH")
    group_scenario(series()).when(hold("s-1", at(2026, 6, 3, 19, 30), minutes=85)).then_refused("GPS-LENGTH")


def test_GPS_LENGTH_a_peer_support_day_is_several_full_blocks():
    day = at(2026, 9, 12, 9, 30)
    group_scenario().when(command(PlanPeerSupportDay, plan_id="day-1", starts_at=day, blocks=3)).then(
        MeetingsPlanned("day-1", (PlannedMeeting("day-1", day, 270, 3),))
    )
    group_scenario().when(command(PlanPeerSupportDay, plan_id="d", starts_at=day, blocks=1)).then_refused("GPS-LENGTH")
    group_scenario().when(
        command(PlanPeerSupportDay, plan_id="d", starts_at=day, blocks=2, minutes_per_block=80)
    ).then_refused("GPS-LENGTH")
    planned_day = command(PlanPeerSupportDay, plan_id="day-1", starts_at=day, blocks=3)
    group_scenario(planned_day).when(hold("day-1", day, minutes=200)).then_refused("GPS-LENGTH")


# -- GPS-FUNDING-CAP and GPS-TARIFF -------------------------------------------------------


def nine_held():
    """Nine monthly meetings held: 810 of 900 minutes used."""
    first = at(2026, 6, 3, 18)
    dates = series_dates(Frequency.MONTHLY, first, 10)
    return [series(count=10), *[hold(f"s-{n}", d + dt.timedelta(hours=1)) for n, d in enumerate(dates[:9], start=1)]]


def test_GPS_FUNDING_CAP_the_900th_minute_is_funded():
    events, state = group(*nine_held())
    assert funding_of(state).used == 810
    when = at(2027, 3, 3, 19)
    Scenario(PEER_GROUP, CONTEXT).given(*events).when(hold("s-10", when)).then(
        MeetingHeld(
            "s-10", dt.date(2027, 3, 3), 90, 90, 0, frozenset({"gp-1", "gp-2"}), Decimal("60.00"), Decimal("90.00")
        )
    )


def test_GPS_FUNDING_CAP_a_meeting_that_would_pass_the_cap_is_refused():
    refused = (
        group_scenario(*nine_held()).when(hold("s-10", at(2027, 3, 3, 20), minutes=120)).then_refused("GPS-FUNDING-CAP")
    )
    assert "this meeting would take funded minutes to 930 of 900; mark at least 30 minutes as self-funded" in str(
        refused
    )


def test_GPS_FUNDING_CAP_unless_the_excess_is_self_funded():
    group_scenario(*nine_held()).when(hold("s-10", at(2027, 3, 3, 20), minutes=120, self_funded_minutes=30)).then(
        MeetingHeld(
            "s-10", dt.date(2027, 3, 3), 120, 90, 30, frozenset({"gp-1", "gp-2"}), Decimal("60.00"), Decimal("90.00")
        )
    )


@pytest.mark.parametrize(
    ("when", "rate", "cost"),
    [
        (at(2027, 3, 31, 23, 30), "60.00", "90.00"),  # 23:30 BST on 31 March: the old tariff
        (at(2027, 4, 1, 0, 30), "66.00", "99.00"),
    ],
)
def test_GPS_TARIFF_cost_uses_the_tariff_in_force_on_the_meeting_date(when, rate, cost):
    plan = command(
        PlanSeries, at(2027, 3, 1), plan_id="late", frequency=Frequency.WEEKLY, first_at=at(2027, 3, 31, 22), count=1
    )
    group_scenario(plan).when(hold("late-1", when)).then(
        MeetingHeld("late-1", when.date(), 90, 90, 0, frozenset({"gp-1", "gp-2"}), Decimal(rate), Decimal(cost))
    )


def test_GPS_TARIFF_rounds_half_up_to_the_penny():
    from pastoral_core.peer_groups import PHP_GROUP_PEER_SUPPORT_V1, FacilitatorTariff, PeerSupportContext, Tariff
    from pastoral_core.rules import Rulebooks

    odd = FacilitatorTariff(tariffs=(Tariff(dt.date(2026, 1, 1), Decimal("61.11")),))
    books = Rulebooks((PHP_GROUP_PEER_SUPPORT_V1.adapted("TEST_GPS", odd),))
    ctx = PeerSupportContext(books, context().programmes)
    events, _ = group(series(), ctx=ctx)
    decision = (
        Scenario(PEER_GROUP, ctx)
        .given(*events)
        .when(hold("s-1", at(2026, 6, 3, 19, 30)))
        .then(
            MeetingHeld(
                "s-1", dt.date(2026, 6, 3), 90, 90, 0, frozenset({"gp-1", "gp-2"}), Decimal("61.11"), Decimal("91.67")
            )
        )
    )
    assert any(v.rule_id == "GPS-TARIFF" for v in decision.verdicts)


def test_GPS_TARIFF_no_tariff_in_force_is_refused():
    from pastoral_core.peer_groups import PeerSupportContext

    bare = PeerSupportContext(programmes=CONTEXT.programmes)
    events, _ = group(series(), ctx=bare)
    refused = (
        Scenario(PEER_GROUP, bare).given(*events).when(hold("s-1", at(2026, 6, 3, 19, 30))).then_refused("GPS-TARIFF")
    )
    assert "no facilitator tariff is in force on 2026-06-03" in str(refused)


def test_claiming_facilitator_minutes_sums_held_meetings_once():
    events, _ = group(*nine_held()[:3])
    when = at(2026, 8, 10)
    Scenario(PEER_GROUP, CONTEXT).given(*events).when(
        facilitator(ClaimFacilitatorMinutes, when, claim_id="c1", meeting_ids=frozenset({"s-1", "s-2"}))
    ).then(FacilitatorMinutesClaimed("c1", "fac-1", frozenset({"s-1", "s-2"}), 180, Decimal("180.00")))
    claimed = facilitator(ClaimFacilitatorMinutes, when, claim_id="c1", meeting_ids=frozenset({"s-1"}))
    group_scenario(*nine_held()[:3], claimed).when(
        facilitator(ClaimFacilitatorMinutes, when, claim_id="c2", meeting_ids=frozenset({"s-1"}))
    ).then_refused("STATE")
    group_scenario(*nine_held()[:3]).when(
        facilitator(ClaimFacilitatorMinutes, when, claim_id="c3", meeting_ids=frozenset({"s-5"}))
    ).then_refused("STATE")


# -- GPS-INDEPENDENT ---------------------------------------------------------------------


def test_GPS_INDEPENDENT_an_independent_facilitator_is_appointed():
    group_scenario().when(command(AppointFacilitator, facilitator_id="fac-2")).then(FacilitatorAppointed("fac-2"))


def test_GPS_INDEPENDENT_an_attendee_past_or_present_cannot_facilitate():
    group_scenario().when(command(AppointFacilitator, facilitator_id="gp-1")).then_refused("GPS-INDEPENDENT")
    group_scenario(command(WithdrawAttendee, attendee_id="gp-2")).when(
        command(AppointFacilitator, facilitator_id="gp-2")
    ).then_refused("GPS-INDEPENDENT")


def test_GPS_INDEPENDENT_the_facilitator_cannot_enrol():
    group_scenario().when(command(EnrolAttendee, attendee_id="fac-1", profession=Profession.GP)).then_refused(
        "GPS-INDEPENDENT"
    )


# -- GPS-SCHEDULE ------------------------------------------------------------------------


def test_GPS_SCHEDULE_weekly_series_keeps_its_local_time_across_the_clock_change():
    dates = series_dates(Frequency.WEEKLY, at(2027, 3, 17, 18, 30), 3)
    assert dates == [at(2027, 3, 17, 18, 30), at(2027, 3, 24, 18, 30), at(2027, 3, 31, 18, 30)]
    assert [d.utcoffset() for d in dates] == [dt.timedelta(0), dt.timedelta(0), dt.timedelta(hours=1)]


def test_GPS_SCHEDULE_monthly_series_from_the_31st_falls_on_month_ends():
    assert [d.date() for d in series_dates(Frequency.MONTHLY, at(2028, 1, 31, 18), 4)] == [
        dt.date(2028, 1, 31),
        dt.date(2028, 2, 29),
        dt.date(2028, 3, 31),
        dt.date(2028, 4, 30),
    ]
    assert [d.date() for d in series_dates(Frequency.MONTHLY, at(2027, 1, 30, 18), 2)] == [
        dt.date(2027, 1, 30),
        dt.date(2027, 2, 28),
    ]
    assert [d.date() for d in series_dates(Frequency.FORTNIGHTLY, at(2027, 12, 22, 18), 3)] == [
        dt.date(2027, 12, 22),
        dt.date(2028, 1, 5),
        dt.date(2028, 1, 19),
    ]


def test_GPS_SCHEDULE_a_series_that_fits_the_remaining_minutes_is_planned():
    first = at(2026, 6, 3, 18)
    planned = tuple(
        PlannedMeeting(f"s-{n}", d, 90) for n, d in enumerate(series_dates(Frequency.MONTHLY, first, 10), start=1)
    )
    group_scenario().when(series(count=10)).then(MeetingsPlanned("s", planned))


def test_GPS_SCHEDULE_a_series_beyond_the_remaining_minutes_is_refused():
    refused = group_scenario().when(series(count=11)).then_refused("GPS-SCHEDULE")
    assert "the plan needs 990 funded minutes; 900 remain unplanned" in str(refused)
    group_scenario(series(count=6)).when(series(plan_id="t", count=5)).then_refused("GPS-SCHEDULE")


def test_GPS_SCHEDULE_cancelling_frees_planned_minutes():
    group_scenario(series(count=10), command(CancelMeeting, meeting_id="s-10")).when(
        series(plan_id="t", count=1, first=at(2027, 6, 2, 18))
    ).then(MeetingsPlanned("t", (PlannedMeeting("t-1", at(2027, 6, 2, 18), 90),)))


# -- GPS-EVALUATION ----------------------------------------------------------------------


def baseline(instrument="WEMWBS"):
    return command(OpenEvaluationRound, round_id="base", kind=RoundKind.BASELINE, instrument=instrument)


def respond(answers, attendee="gp-1", round_id="base", actor=None):
    """The attendee's own response (or one ``actor`` records for them)."""
    return command(
        RecordEvaluationResponse,
        role="attendee",
        actor=actor or attendee,
        round_id=round_id,
        attendee_id=attendee,
        answers=tuple(answers),
    )


WEMWBS_ANSWERS = (3, 4, 3, 3, 4, 2, 3, 4, 3, 3, 4, 3, 3, 4)  # total 46


def test_GPS_EVALUATION_an_enrolled_attendee_responds_once_and_is_scored():
    group_scenario().when(baseline()).then(EvaluationRoundOpened("base", RoundKind.BASELINE, "WEMWBS"))
    group_scenario(baseline()).when(respond(WEMWBS_ANSWERS)).then(
        EvaluationResponseRecorded("base", "gp-1", (Score("total", Decimal(46)),))
    )


def test_GPS_EVALUATION_refusals():
    group_scenario(baseline(), respond(WEMWBS_ANSWERS)).when(respond(WEMWBS_ANSWERS)).then_refused("GPS-EVALUATION")
    group_scenario(baseline()).when(respond(WEMWBS_ANSWERS, attendee="gp-77")).then_refused("GPS-EVALUATION")
    refused = group_scenario(baseline()).when(respond((3, 4, 6, *WEMWBS_ANSWERS[3:]))).then_refused("GPS-EVALUATION")
    assert "item 3 is 6; WEMWBS items take 1, 2, 3, 4, 5" in str(refused)
    group_scenario(baseline()).when(respond(WEMWBS_ANSWERS[:13])).then_refused("GPS-EVALUATION")
    group_scenario().when(baseline("PHQ-9")).then_refused("GPS-EVALUATION")
    group_scenario(baseline("CBI")).when(
        command(OpenEvaluationRound, round_id="fu", kind=RoundKind.FOLLOW_UP, instrument="WEMWBS")
    ).then_refused("GPS-EVALUATION")
    # An attendee answers only for themselves: rule SCOPE, checked by the kernel (was INPUT in the handler).
    refused = (
        group_scenario(baseline()).when(respond(WEMWBS_ANSWERS, attendee="gp-1", actor="gp-2")).then_refused("SCOPE")
    )
    assert "an attendee acts only for themselves" in str(refused)


def test_GPS_EVALUATION_wemwbs_totals_run_14_to_70():
    assert WEMWBS.score([1] * 14) == (Score("total", Decimal(14)),)
    assert WEMWBS.score([5] * 14) == (Score("total", Decimal(70)),)
    with pytest.raises(ValueError, match="item 1 is 0"):
        WEMWBS.score([0] + [1] * 13)


def test_GPS_EVALUATION_cbi_subscales_with_the_reversed_item():
    answers = [50] * 6 + [75] * 6 + [100] + [25] * 6
    assert CBI.score(answers) == (
        Score("personal", Decimal("50.00")),
        Score("work", Decimal("64.29")),  # (6 x 75 + (100 - 100)) / 7 = 64.2857...
        Score("client", Decimal("25.00")),
    )
    assert CBI.problems([60] * 19)[0] == "item 1 is 60; CBI items take 0, 25, 50, 75, 100"


def test_wellbeing_change_over_paired_attendees():
    follow = command(OpenEvaluationRound, round_id="fu", kind=RoundKind.FOLLOW_UP, instrument="WEMWBS")
    _, state = group(
        baseline(),
        respond(WEMWBS_ANSWERS, "gp-1"),
        respond([4] * 14, "gp-2"),
        respond([2] * 14, "gp-3"),
        follow,
        respond([4] * 14, "gp-1", round_id="fu"),
        respond([5] * 14, "gp-2", round_id="fu"),
    )
    change = wellbeing_change(state)
    assert (change.paired, change.baseline_mean, change.follow_up_mean, change.change) == (
        2,
        Decimal("51.00"),
        Decimal("63.00"),
        Decimal("12.00"),
    )
    assert wellbeing_change(group()[1]) is None


# -- set-up ------------------------------------------------------------------------------


def test_a_group_must_be_approved_before_it_is_set_up():
    from pastoral_core.peer_groups import Modality, SetUpGroup

    Scenario(PEER_GROUP, CONTEXT).when(
        command(SetUpGroup, group_id="g-unknown", programme_id=PID, modality=Modality.BALINT)
    ).then_refused("STATE")
    Scenario(PEER_GROUP, CONTEXT).when(
        command(EnrolAttendee, attendee_id="gp-1", profession=Profession.GP)
    ).then_refused("STATE")


# -- INPUT: what a command's type refuses as it is built, and what the rules refuse -------


@pytest.mark.parametrize(("count", "refused_by"), [(0, "INPUT"), (1, None), (60, "GPS-SCHEDULE"), (61, "INPUT")])
def test_a_series_has_1_to_60_meetings(count, refused_by):
    """0 and 61 are whole numbers the type takes and the rule refuses; 60 passes INPUT (but not the cap)."""
    scenario = group_scenario().when(series(count=count))
    if refused_by is None:
        scenario.then(MeetingsPlanned("s", (PlannedMeeting("s-1", FIRST_MEETING, 90),)))
    else:
        scenario.then_refused(refused_by)


def test_a_negative_count_is_refused_as_the_command_is_built():
    with pytest.raises(InvalidValue, match=r"^PlanSeries\.count: must be between 0 and 10,000$"):
        series(count=-1)
    with pytest.raises(InvalidValue, match=r"^PlanPeerSupportDay\.blocks: must be between 0 and 10,000$"):
        command(PlanPeerSupportDay, plan_id="d", starts_at=at(2026, 9, 12, 9), blocks=-1)


def test_self_funded_minutes_run_from_0_to_the_meetings_length():
    when = at(2026, 6, 3, 19, 30)
    group_scenario(series()).when(hold("s-1", when, self_funded_minutes=90)).then(
        MeetingHeld(
            "s-1", dt.date(2026, 6, 3), 90, 0, 90, frozenset({"gp-1", "gp-2"}), Decimal("60.00"), Decimal("0.00")
        )
    )
    group_scenario(series()).when(hold("s-1", when, self_funded_minutes=91)).then_refused("INPUT")
    with pytest.raises(InvalidValue, match=r"^HoldMeeting\.self_funded_minutes: must be between 0 and 1,000,000$"):
        hold("s-1", when, self_funded_minutes=-1)


def test_a_claim_names_at_least_one_meeting():
    group_scenario(*nine_held()[:2]).when(
        facilitator(ClaimFacilitatorMinutes, at(2026, 8, 10), claim_id="c1", meeting_ids=frozenset())
    ).then_refused("INPUT")


def test_a_programme_runs_at_least_one_year():
    from pastoral_core.peer_groups import ENGLAND_REGIONS, PeerSupportContext, ProgrammeStarted

    start = Scenario(PROGRAMME, PeerSupportContext(BOOKS))
    start.when(lead(StartProgramme, funder="php-gph", starts_on=START, years=0)).then_refused("INPUT")
    start.when(lead(StartProgramme, funder="php-gph", starts_on=START, years=1)).then(
        ProgrammeStarted("php-gph", START, dt.date(2027, 4, 1), 50, 900, frozenset(ENGLAND_REGIONS))
    )
    with pytest.raises(InvalidValue, match=r"^StartProgramme\.years: must be between 0 and 100$"):
        lead(StartProgramme, funder="php-gph", starts_on=START, years=-1)


def test_answers_the_type_takes_but_the_instrument_does_not_are_refused_by_GPS_EVALUATION():
    refused = group_scenario(baseline()).when(respond((0, *WEMWBS_ANSWERS[1:]))).then_refused("GPS-EVALUATION")
    assert "item 1 is 0; WEMWBS items take 1, 2, 3, 4, 5" in str(refused)
    with pytest.raises(InvalidValue, match=r"^RecordEvaluationResponse\.answers\[0\]: must be between 0"):
        respond((-1, *WEMWBS_ANSWERS[1:]))
    with pytest.raises(InvalidType, match=r"^RecordEvaluationResponse\.answers\[0\]: expected a whole number"):
        respond((True, *WEMWBS_ANSWERS[1:]))
