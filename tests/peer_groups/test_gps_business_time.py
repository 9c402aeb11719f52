"""Group peer support decides by the date a fact happened, with the rulebook version in force then.

Every GPS rule that involves a date is shown where the recorded time (``at``) would decide
differently from the business time (``occurred_at``): the tariff and held date of a
meeting entered the day after, an approval entered after the programme's last day, a
meeting dated before its plan, the 31-day lag of rule TIME and its override. Then the
funded-minutes cap at its limits both ways (GPS-FUNDING-CAP, GPS-SCHEDULE), with minutes
marked self-funded and a group's own cap; one approval giving one group, ever; and a
version 2 of the rulebook taking effect on 1 April 2027: the day before, on and after.

Late entries that land before facts already recorded go through ``execute`` on an
``EventLog``, the only path that decides the later facts again.
"""

import datetime as dt
import json
from decimal import Decimal

import attrs
import pytest

from pastoral_core import EventLog, Refused, execute
from pastoral_core.exceptions import InvalidValue
from pastoral_core.kernel import decide
from pastoral_core.peer_groups import (
    PEER_GROUP,
    PROGRAMME,
    AppointFacilitator,
    ApproveGroup,
    EnrolAttendee,
    Frequency,
    FundingCap,
    GroupApproved,
    GroupSetUp,
    HoldMeeting,
    MeetingHeld,
    MeetingLength,
    MeetingsPlanned,
    Modality,
    PeerSupportContext,
    PlannedMeeting,
    PlanPeerSupportDay,
    PlanSeries,
    Profession,
    ProposeGroup,
    SetUpGroup,
    StartProgramme,
    funding_of,
    groups_from,
    programmes_from,
    series_dates,
)
from pastoral_core.rules import Override, Rulebooks
from pastoral_core.testing import Scenario
from tests.builders import at, command
from tests.peer_groups.helpers import (
    BOOKS,
    CONTEXT,
    FIRST_MEETING,
    PID,
    SET_UP_DAY,
    facilitator,
    group,
    lead,
    programme,
    series,
    set_up,
)

V1 = BOOKS.versions[0]  # "NW_GPS v1": the library's rules with the North West tariff table
V2_FROM = dt.date(2027, 4, 1)  # the tariff table changes on the same day: £60.00 -> £66.00 an hour
PAIR = frozenset({"gp-1", "gp-2"})


def books_with(*revised):
    """NW_GPS v1 and a version 2 from 1 April 2027 with ``revised`` rules."""
    return Rulebooks((V1, V1.revised(2, V2_FROM, *revised)))


def context_with(rulebooks):
    """The helpers' programme (groups g1-g3 approved, 900 minutes each) under ``rulebooks``."""
    return PeerSupportContext(rulebooks, CONTEXT.programmes)


def in_group(*history, ctx=CONTEXT):
    """A Scenario on group g1 (set up, fac-1 appointed, ten GPs enrolled) after ``history``."""
    events, _ = group(*history, ctx=ctx)
    return Scenario(PEER_GROUP, ctx).given(*events)


def hold(meeting_id, when, happened=None, attendees=PAIR, **fields):
    """The facilitator records ``meeting_id`` at ``when``, held at ``happened`` (default: then)."""
    return facilitator(
        HoldMeeting, when, occurred_at=happened, meeting_id=meeting_id, attendee_ids=frozenset(attendees), **fields
    )


def one_meeting(on=at(2027, 3, 31, 18), minutes=90):
    """Plan one meeting ``m-1`` (planned on 1 March 2027) at ``on``."""
    return command(
        PlanSeries,
        at(2027, 3, 1),
        plan_id="m",
        frequency=Frequency.WEEKLY,
        first_at=on,
        count=1,
        minutes=minutes,
    )


def all_held(count):
    """A monthly series of ``count`` 90-minute meetings from 3 June 2026, every one held an hour in."""
    dates = series_dates(Frequency.MONTHLY, FIRST_MEETING, count)
    return [series(count=count), *[hold(f"s-{n}", d + dt.timedelta(hours=1)) for n, d in enumerate(dates, start=1)]]


def verdict_of(result, rule_id):
    """The message and parameters of ``rule_id``'s verdict in a Decision or a Refused."""
    (found,) = [v for v in result.verdicts if v.rule_id == rule_id]
    return found.message, dict(found.parameters)


def programme_scenario(*extra, **start):
    events, _ = programme(*extra, **start)
    return Scenario(PROGRAMME, PeerSupportContext(BOOKS)).given(*events)


# -- GPS-TARIFF and the held date: the day the meeting was held, not the day it is entered --


@pytest.mark.parametrize(
    "entered",
    [
        at(2027, 4, 1, 0, 30),  # an hour later, after midnight (BST)
        at(2027, 4, 1, 9),  # the next morning
    ],
)
def test_GPS_TARIFF_a_meeting_held_on_31_march_and_entered_on_1_april_is_priced_at_the_old_tariff(entered):
    late = hold("m-1", entered, at(2027, 3, 31, 23, 30))
    decision = (
        in_group(one_meeting())
        .when(late)
        .then(MeetingHeld("m-1", dt.date(2027, 3, 31), 90, 90, 0, PAIR, Decimal("60.00"), Decimal("90.00")))
    )
    assert verdict_of(decision, "GPS-TARIFF")[0] == "£60.00/hour from 2026-04-01"
    # Dated by when it was entered, the same meeting would be held on 1 April at £66.00.
    in_group(one_meeting()).when(hold("m-1", entered)).then(
        MeetingHeld("m-1", dt.date(2027, 4, 1), 90, 90, 0, PAIR, Decimal("66.00"), Decimal("99.00"))
    )


def test_the_held_date_is_the_london_date_of_the_business_time():
    """00:30 BST on 3 June is 23:30 UTC on 2 June: held on 3 June, the day it was planned for."""
    happened = dt.datetime(2026, 6, 2, 23, 30, tzinfo=dt.UTC)
    in_group(series()).when(hold("s-1", at(2026, 6, 4), happened)).then(
        MeetingHeld("s-1", dt.date(2026, 6, 3), 90, 90, 0, PAIR, Decimal("60.00"), Decimal("90.00"))
    )


def test_a_meeting_dated_before_its_planned_day_is_refused_even_when_entered_after_it():
    refused = in_group(series()).when(hold("s-1", at(2026, 6, 4), at(2026, 6, 2, 23, 30))).then_refused("STATE")
    assert "meeting s-1 is planned for 2026-06-03, not held on 2026-06-02" in str(refused)


# -- GPS-CAPACITY: an approval is dated by the day it was given --------------------------


@pytest.mark.parametrize(
    ("happened", "refused_on"),
    [
        (at(2031, 3, 31, 23, 30), None),  # the programme's last day, entered two days later
        (at(2031, 4, 1, 0, 30), "2031-04-01"),  # the day after the end
        (None, "2031-04-02"),  # dated by the day it is entered
    ],
)
def test_GPS_CAPACITY_an_approval_given_on_the_last_day_and_entered_after_it_stands(happened, refused_on):
    approval = lead(ApproveGroup, at(2031, 4, 2, 9), occurred_at=happened, group_id="g9")
    scenario = programme_scenario(lead(ProposeGroup, group_id="g9", region="London"), groups=()).when(approval)
    if refused_on is None:
        decision = scenario.then(GroupApproved("g9", 900, dt.date(2031, 3, 31)))
        assert "2031-03-31 is within the programme's years" in [v.message for v in decision.verdicts]
    else:
        refused = scenario.then_refused("GPS-CAPACITY")
        assert f"approvals run from 2026-04-01 until 2031-04-01 (not inclusive), not {refused_on}" in str(refused)


# -- TIME: how far back, at the limit and one past it ------------------------------------


@pytest.mark.parametrize(
    ("entered", "days"),
    [
        (at(2026, 7, 4, 19, 30), None),  # exactly 31 days after (all BST: no clock change between)
        (at(2026, 7, 4, 19, 31), "31 days 1 minute"),
        (at(2026, 7, 5, 19, 30), "32 days"),
    ],
)
def test_TIME_a_meeting_may_be_entered_up_to_31_days_after_it_was_held(entered, days):
    late = hold("s-1", entered, at(2026, 6, 3, 19, 30))
    scenario = in_group(series()).when(late)
    if days is None:
        decision = scenario.then(
            MeetingHeld("s-1", dt.date(2026, 6, 3), 90, 90, 0, PAIR, Decimal("60.00"), Decimal("90.00"))
        )
        assert verdict_of(decision, "TIME") == (
            "entered 31 days after it happened (up to 31 days)",
            {"max_days": "31", "rulebook": "NW_GPS v1"},
        )
    else:
        refused = scenario.then_refused("TIME")
        assert (
            f"entered {days} after it happened; facts more than 31 days old need a coordinator's override "
            "with a reason" in str(refused)
        )


def test_TIME_an_older_meeting_needs_the_coordinators_own_override_with_a_reason():
    happened, entered = at(2026, 6, 3, 19, 30), at(2026, 7, 13, 19, 30)  # 40 days later
    reason = Override("TIME", "attendance sheet found in the July audit", "coord-1")
    by_coordinator = command(
        HoldMeeting,
        entered,
        occurred_at=happened,
        overrides=(reason,),
        meeting_id="s-1",
        attendee_ids=PAIR,
    )
    decision = (
        in_group(series())
        .when(by_coordinator)
        .then(MeetingHeld("s-1", dt.date(2026, 6, 3), 90, 90, 0, PAIR, Decimal("60.00"), Decimal("90.00")))
    )
    assert (
        verdict_of(decision, "TIME")[0]
        == "entered 40 days after it happened, overridden by coord-1 with a recorded reason"
    )
    # The facilitator may record the meeting but not pass TIME, even naming themselves.
    own = Override("TIME", "attendance sheet found", "fac-1")
    in_group(series()).when(hold("s-1", entered, happened, overrides=(own,))).then_refused("TIME")
    # A coordinator's override must be their own.
    someone_else = Override("TIME", "attendance sheet found", "coord-2")
    in_group(series()).when(
        command(
            HoldMeeting, entered, occurred_at=happened, overrides=(someone_else,), meeting_id="s-1", attendee_ids=PAIR
        )
    ).then_refused("TIME")


def test_TIME_the_override_and_its_reason_are_kept_with_the_recorded_command():
    log, _ = group_log()
    reason = Override("TIME", "attendance sheet found in the July audit", "coord-1")
    late = command(
        HoldMeeting,
        at(2026, 7, 13, 19, 30),
        occurred_at=at(2026, 6, 3, 19, 30),
        overrides=(reason,),
        meeting_id="s-1",
        attendee_ids=PAIR,
    )
    accepted = execute(log, PEER_GROUP, "g1", late, CONTEXT)
    kept = json.loads(accepted.records[0].decision.command)
    assert "attendance sheet found in the July audit" in json.dumps(kept["overrides"])
    assert accepted.records[0].metadata.occurred_at == at(2026, 6, 3, 19, 30)
    assert accepted.records[0].metadata.recorded_at == at(2026, 7, 13, 19, 30)


def test_TIME_only_the_coordinator_role_overrides_so_a_leads_approval_entered_40_days_late_is_refused():
    """Rule TIME: "unless a coordinator overrides". Approving is the programme lead's alone,
    and the lead's override does not pass TIME: an approval older than 31 days cannot be entered."""
    happened = at(2026, 7, 3)
    own = Override("TIME", "approval letter found", "lead-1")
    late = lead(ApproveGroup, at(2026, 8, 12), occurred_at=happened, overrides=(own,), group_id="g9")
    scenario = programme_scenario(lead(ProposeGroup, group_id="g9", region="London"), groups=())
    assert "entered 40 days after it happened" in str(scenario.when(late).then_refused("TIME"))
    within = lead(ApproveGroup, at(2026, 8, 3), occurred_at=happened, group_id="g9")
    scenario.when(within).then(GroupApproved("g9", 900, dt.date(2026, 7, 3)))


def test_TIME_a_fact_is_never_dated_after_it_is_recorded():
    with pytest.raises(InvalidValue, match=r"^HoldMeeting\.occurred_at: is after the command is recorded"):
        hold("s-1", at(2026, 6, 3, 19, 30), at(2026, 6, 3, 19, 31))
    with pytest.raises(InvalidValue, match=r"^ApproveGroup\.occurred_at: is after the command is recorded"):
        lead(ApproveGroup, at(2031, 3, 31, 23, 30), occurred_at=at(2031, 4, 1, 0, 30), group_id="g9")


# -- A late entry across a version's effective date and a tariff change ------------------


def test_a_meeting_held_on_31_march_and_entered_on_2_april_is_judged_by_version_1_and_its_tariff():
    """Version 2 wants 120-minute meetings from 1 April; the tariff rises the same day."""
    ctx = context_with(books_with(MeetingLength(minimum_minutes=120)))
    late = hold("m-1", at(2027, 4, 2, 9), at(2027, 3, 31, 19, 30))
    decision = (
        in_group(one_meeting(), ctx=ctx)
        .when(late)
        .then(MeetingHeld("m-1", dt.date(2027, 3, 31), 90, 90, 0, PAIR, Decimal("60.00"), Decimal("90.00")))
    )
    assert decision.rulebook == "NW_GPS v1"
    assert verdict_of(decision, "GPS-LENGTH") == (
        "90 minutes",
        {"minimum_minutes": "90", "day_minimum_blocks": "2", "rulebook": "NW_GPS v1"},
    )
    assert verdict_of(decision, "GPS-TARIFF")[1]["rulebook"] == "NW_GPS v1"
    # Dated 2 April, the day it is entered, version 2 decides and refuses it.
    refused = in_group(one_meeting(), ctx=ctx).when(hold("m-1", at(2027, 4, 2, 9))).then_refused("GPS-LENGTH")
    assert verdict_of(refused, "GPS-LENGTH") == (
        "the meeting lasted 90 minutes; at least 120 are needed",
        {"minimum_minutes": "120", "day_minimum_blocks": "2", "rulebook": "NW_GPS v2"},
    )


# -- Late entries among facts already recorded (execute on an EventLog) --------------------


def group_log(*extra, ctx=CONTEXT):
    """An EventLog holding group g1 (set up on 1 May 2026, fac-1, gp-1 and gp-2), then ``extra``."""
    log = EventLog()
    commands = [
        set_up(),
        command(AppointFacilitator, SET_UP_DAY, facilitator_id="fac-1"),
        *[command(EnrolAttendee, at(2026, 5, 2), attendee_id=a, profession=Profession.GP) for a in sorted(PAIR)],
        series(count=10),
        *extra,
    ]
    for c in commands:
        execute(log, PEER_GROUP, "g1", c, ctx)
    return log, series_dates(Frequency.MONTHLY, FIRST_MEETING, 10)


def held_but(skipped, dates):
    """Hold every meeting of the series on its day, on time, except meeting number ``skipped``."""
    return [hold(f"s-{n}", d + dt.timedelta(hours=2)) for n, d in enumerate(dates, start=1) if n != skipped]


def test_a_late_meeting_takes_its_place_before_one_already_recorded_and_the_cap_is_checked_again():
    """Meetings 1-8 and 10 are held on time (810 minutes); meeting 9, held on 3 February 2027,
    is entered on 4 March, after meeting 10. At 120 minutes it would have taken meeting 10,
    already recorded as funded, past 900: refused. With its 30 extra minutes self-funded the
    cap holds: accepted, and since meeting 10 was recorded as "810 of 900 funded minutes" and
    is now 900 of 900, the late entry's decision keeps that verdict as it now reads. Entered
    before meeting 10 is recorded, it fits the same way."""
    dates = series_dates(Frequency.MONTHLY, FIRST_MEETING, 10)
    log, _ = group_log(*held_but(9, dates))
    assert groups_from(log.read_all())["g1"].funded_used == 810
    on_the_day = dates[8] + dt.timedelta(hours=2)
    too_long = hold("s-9", at(2027, 3, 4), on_the_day, minutes=120)
    with pytest.raises(Refused) as refused:
        execute(log, PEER_GROUP, "g1", too_long, CONTEXT)
    assert refused.value.rule_ids == ("TIME",)
    assert "it would change what was decided for group.hold_meeting dated 2027-03-03" in str(refused.value)
    assert groups_from(log.read_all())["g1"].funded_used == 810  # nothing was written
    fits = hold("s-9", at(2027, 3, 4), on_the_day, minutes=120, self_funded_minutes=30)
    late = execute(log, PEER_GROUP, "g1", fits, CONTEXT)
    redecided = [v.message for v in late.verdicts if v.message.startswith("re-decided")]
    assert len(redecided) == 1 and redecided[0].startswith(
        "re-decided for group.hold_meeting dated 2027-03-03T20:00:00+00:00: 900 of 900 funded minutes"
    )
    assert groups_from(log.read_all())["g1"].funded_used == 900
    log, _ = group_log(*held_but(9, dates)[:8])  # meetings 1-8 only: meeting 9 is not late
    accepted = execute(log, PEER_GROUP, "g1", attrs.evolve(fits, at=at(2027, 3, 2)), CONTEXT)
    execute(log, PEER_GROUP, "g1", held_but(9, dates)[8], CONTEXT)
    assert accepted.events == (
        MeetingHeld("s-9", dt.date(2027, 2, 3), 120, 90, 30, PAIR, Decimal("60.00"), Decimal("90.00")),
    )
    assert verdict_of(accepted, "GPS-FUNDING-CAP")[0] == "810 of 900 funded minutes, 30 self-funded"  # as of 3 Feb
    funding = funding_of(groups_from(log.read_all())["g1"])
    assert (funding.used, funding.remaining, funding.cost) == (900, 0, Decimal("900.00"))


def test_a_meeting_dated_before_the_group_was_set_up_is_refused():
    log, _ = group_log()
    early = command(
        PlanSeries,
        at(2026, 5, 28),
        occurred_at=at(2026, 4, 30),
        plan_id="e",
        frequency=Frequency.WEEKLY,
        first_at=at(2026, 5, 6, 18),
        count=1,
    )
    with pytest.raises(Refused) as refused:
        execute(log, PEER_GROUP, "g1", early, CONTEXT)
    assert refused.value.rule_ids == ("TIME",)
    assert "before this group began (2026-05-01T10:00:00+01:00)" in str(refused.value)


def test_a_group_is_not_set_up_before_the_day_it_was_approved():
    log = EventLog()
    ctx = PeerSupportContext(BOOKS)
    for c in (
        lead(StartProgramme, funder="php-gph", starts_on=dt.date(2026, 4, 1)),
        lead(ProposeGroup, at(2026, 4, 2), group_id="g1", region="London"),
        lead(ApproveGroup, at(2026, 6, 1), group_id="g1"),
    ):
        execute(log, PROGRAMME, PID, c, ctx)
    approved = PeerSupportContext(BOOKS, programmes_from(log.read_all()))
    before = command(
        SetUpGroup,
        at(2026, 6, 2),
        occurred_at=at(2026, 5, 20),
        group_id="g1",
        programme_id=PID,
        modality=Modality.BALINT,
    )
    with pytest.raises(Refused, match="was approved on 2026-06-01; it cannot be set up on 2026-05-20"):
        execute(log, PEER_GROUP, "g1", before, approved)
    on_the_day = attrs.evolve(before, command_id="setup-2", occurred_at=at(2026, 6, 1, 18))
    assert execute(log, PEER_GROUP, "g1", on_the_day, approved).events[0].group_id == "g1"


# -- GPS-SCHEDULE and GPS-FUNDING-CAP at the limit, both ways --------------------------------

AFTER_NINE = at(2027, 3, 10, 18)  # a plan after nine meetings (810 minutes) were held


@pytest.mark.parametrize(
    ("minutes", "self_funded", "success"),
    [
        (90, 0, "90 of 90 unplanned funded minutes"),
        (91, 0, None),
        (91, 1, "90 of 90 unplanned funded minutes (1 more marked self-funded)"),
    ],
)
def test_GPS_SCHEDULE_after_810_minutes_a_90_minute_meeting_fits_and_a_91st_minute_must_be_self_funded(
    minutes, self_funded, success
):
    plan = series("t", AFTER_NINE, count=1, minutes=minutes, self_funded=self_funded)
    scenario = in_group(*all_held(9)).when(plan)
    if success is None:
        refused = scenario.then_refused("GPS-SCHEDULE")
        assert verdict_of(refused, "GPS-SCHEDULE") == (
            "the plan needs 91 funded minutes; 90 remain unplanned (810 used and 0 planned of 900); "
            "mark the excess self-funded",
            {"cap": "900", "rulebook": "NW_GPS v1"},
        )
    else:
        decision = scenario.then(MeetingsPlanned("t", (PlannedMeeting("t-1", AFTER_NINE, minutes, 1, self_funded),)))
        assert verdict_of(decision, "GPS-SCHEDULE")[0] == success


def test_GPS_FUNDING_CAP_a_held_meeting_inherits_its_plans_self_funded_minutes_and_a_number_overrides_them():
    plan = series("t", AFTER_NINE, count=1, minutes=120, self_funded=30)
    held_at = AFTER_NINE + dt.timedelta(hours=2)
    _, state = group(*all_held(9), plan)
    assert state.meetings["t-1"].planned.funded_minutes == 90
    decision = (
        in_group(*all_held(9), plan)
        .when(hold("t-1", held_at))
        .then(MeetingHeld("t-1", dt.date(2027, 3, 10), 120, 90, 30, PAIR, Decimal("60.00"), Decimal("90.00")))
    )
    assert verdict_of(decision, "GPS-FUNDING-CAP")[0] == "900 of 900 funded minutes, 30 self-funded"
    # None self-funded: 930 funded minutes. Held for 150 as planned: a quarter self-funded, 112 funded: 922.
    for changed, after in (({"self_funded_minutes": 0}, 930), ({"minutes": 150}, 922)):
        refused = in_group(*all_held(9), plan).when(hold("t-1", held_at, **changed)).then_refused("GPS-FUNDING-CAP")
        assert (
            f"this meeting would take funded minutes to {after} of 900; mark at least {after - 900} minutes "
            "as self-funded"
        ) in str(refused)
    in_group(*all_held(9), plan).when(hold("t-1", held_at, minutes=150, self_funded_minutes=60)).then(
        MeetingHeld("t-1", dt.date(2027, 3, 10), 150, 90, 60, PAIR, Decimal("60.00"), Decimal("90.00"))
    )


@pytest.mark.parametrize(
    ("minutes", "funded", "self_funded"),
    [
        (120, 90, 30),  # as planned
        (121, 90, 31),  # 90.75 funded minutes, rounded down: 900 of 900, the limit
        (122, 91, 31),  # 91.5, rounded down to 91: 901 of 900, one past it
        (100, 75, 25),  # shorter: a quarter is still self-funded, not the plan's 30 minutes
    ],
)
def test_GPS_FUNDING_CAP_held_as_planned_a_longer_or_shorter_meeting_keeps_the_plans_self_funded_share(
    minutes, funded, self_funded
):
    """810 minutes used; meeting t-1 planned for 120 minutes with 30 self-funded (90 funded, all that is left)."""
    plan = series("t", AFTER_NINE, count=1, minutes=120, self_funded=30)
    scenario = in_group(*all_held(9), plan).when(hold("t-1", AFTER_NINE + dt.timedelta(hours=2), minutes=minutes))
    if 810 + funded > 900:
        refused = scenario.then_refused("GPS-FUNDING-CAP")
        assert verdict_of(refused, "GPS-FUNDING-CAP")[0] == (
            "this meeting would take funded minutes to 901 of 900; mark at least 1 minutes as self-funded"
        )
        return
    cost = Decimal(funded)  # £60.00 an hour: £1.00 a funded minute
    decision = scenario.then(
        MeetingHeld("t-1", dt.date(2027, 3, 10), minutes, funded, self_funded, PAIR, Decimal("60.00"), cost)
    )
    share = "" if minutes == 120 else f" (the plan's 30 of 120, for {minutes} minutes held)"
    assert verdict_of(decision, "GPS-FUNDING-CAP")[0] == (
        f"{810 + funded} of 900 funded minutes, {self_funded} self-funded{share}"
    )


@pytest.mark.parametrize("minutes", [90, 91, 150])
def test_GPS_FUNDING_CAP_a_wholly_self_funded_meeting_held_longer_as_planned_stays_wholly_self_funded(minutes):
    """Once the 900 minutes are used, a meeting planned wholly self-funded costs the funder nothing, however long."""
    when = at(2027, 4, 7, 18)
    plan = series("t", when, count=1, minutes=90, self_funded=90)
    in_group(*all_held(10), plan).when(hold("t-1", when + dt.timedelta(hours=3), minutes=minutes)).then(
        MeetingHeld("t-1", dt.date(2027, 4, 7), minutes, 0, minutes, PAIR, Decimal("66.00"), Decimal("0.00"))
    )


def test_GPS_FUNDING_CAP_a_meeting_planned_with_nothing_self_funded_and_held_longer_is_all_funded():
    """Before the cap is near, the extra minutes of a long meeting are funded: nothing was marked self-funded."""
    in_group(series(count=1)).when(hold("s-1", at(2026, 6, 3, 21), minutes=150)).then(
        MeetingHeld("s-1", dt.date(2026, 6, 3), 150, 150, 0, PAIR, Decimal("60.00"), Decimal("150.00"))
    )


def test_GPS_FUNDING_CAP_once_900_minutes_are_used_a_wholly_self_funded_meeting_is_planned_and_held_at_no_cost():
    when = at(2027, 4, 7, 18)  # under the £66.00 tariff: the rate is recorded, the cost is nil
    plan = series("t", when, count=1, minutes=90, self_funded=90)
    _, full = group(*all_held(10))
    assert (funding_of(full).used, funding_of(full).unplanned, funding_of(full).cost) == (900, 0, Decimal("900.00"))
    planned = in_group(*all_held(10)).when(plan).then(MeetingsPlanned("t", (PlannedMeeting("t-1", when, 90, 1, 90),)))
    assert verdict_of(planned, "GPS-SCHEDULE")[0] == "0 of 0 unplanned funded minutes (90 more marked self-funded)"
    held = (
        in_group(*all_held(10), plan)
        .when(hold("t-1", when + dt.timedelta(hours=1)))
        .then(MeetingHeld("t-1", dt.date(2027, 4, 7), 90, 0, 90, PAIR, Decimal("66.00"), Decimal("0.00")))
    )
    assert verdict_of(held, "GPS-FUNDING-CAP")[0] == "900 of 900 funded minutes, 90 self-funded"
    _, after = group(*all_held(10), plan, hold("t-1", when + dt.timedelta(hours=1)))
    assert (funding_of(after).used, funding_of(after).cost) == (900, Decimal("900.00"))


def test_GPS_FUNDING_CAP_a_wholly_self_funded_peer_support_day_after_the_cap():
    day = at(2027, 5, 8, 9, 30)
    plan = command(PlanPeerSupportDay, at(2027, 4, 20), plan_id="d", starts_at=day, blocks=2, self_funded_minutes=180)
    in_group(*all_held(10)).when(plan).then(MeetingsPlanned("d", (PlannedMeeting("d", day, 180, 2, 180),)))
    in_group(*all_held(10), plan).when(hold("d", at(2027, 5, 8, 17))).then(
        MeetingHeld("d", dt.date(2027, 5, 8), 180, 0, 180, PAIR, Decimal("66.00"), Decimal("0.00"))
    )
    short = command(PlanPeerSupportDay, at(2027, 4, 20), plan_id="d", starts_at=day, blocks=2, self_funded_minutes=179)
    assert "the plan needs 1 funded minutes; 0 remain unplanned (900 used and 0 planned of 900)" in str(
        in_group(*all_held(10)).when(short).then_refused("GPS-SCHEDULE")
    )


def test_GPS_FUNDING_CAP_after_the_cap_a_meeting_one_minute_short_of_self_funded_is_refused():
    when = at(2027, 4, 7, 18)
    short = series("t", when, count=1, minutes=90, self_funded=89)
    refused = in_group(*all_held(10)).when(short).then_refused("GPS-SCHEDULE")
    assert "the plan needs 1 funded minutes; 0 remain unplanned (900 used and 0 planned of 900)" in str(refused)
    whole = series("t", when, count=1, minutes=90, self_funded=90)
    refused = (
        in_group(*all_held(10), whole)
        .when(hold("t-1", when + dt.timedelta(hours=1), self_funded_minutes=89))
        .then_refused("GPS-FUNDING-CAP")
    )
    assert "this meeting would take funded minutes to 901 of 900; mark at least 1 minutes as self-funded" in str(
        refused
    )


def test_the_cap_verdicts_quote_the_groups_own_cap_not_the_rules():
    """A programme funding 600 minutes a group: every cap verdict says 600, while the rule says 900."""
    _, six_hundred = programme(minutes_per_group=600)
    ctx = PeerSupportContext(BOOKS, {PID: six_hundred})
    assert V1.rule(FundingCap).minutes == 900
    events, _ = group(ctx=ctx)
    assert events[0] == GroupSetUp("g1", PID, Modality.BALINT, 600)
    too_many = Scenario(PEER_GROUP, ctx).given(*events).when(series(count=7)).then_refused("GPS-SCHEDULE")
    assert verdict_of(too_many, "GPS-SCHEDULE") == (
        "the plan needs 630 funded minutes; 600 remain unplanned (0 used and 0 planned of 600); "
        "mark the excess self-funded",
        {"cap": "600", "rulebook": "NW_GPS v1"},
    )
    plan = series("t", at(2026, 12, 9, 18), count=1, self_funded=30)  # 540 used + 60 funded = 600
    past = in_group(*all_held(6), plan, ctx=ctx).when(hold("t-1", at(2026, 12, 9, 20), self_funded_minutes=0))
    assert verdict_of(past.then_refused("GPS-FUNDING-CAP"), "GPS-FUNDING-CAP") == (
        "this meeting would take funded minutes to 630 of 600; mark at least 30 minutes as self-funded",
        {"minutes": "600", "rulebook": "NW_GPS v1"},
    )
    held = (
        in_group(*all_held(6), plan, ctx=ctx)
        .when(hold("t-1", at(2026, 12, 9, 20)))
        .then(MeetingHeld("t-1", dt.date(2026, 12, 9), 90, 60, 30, PAIR, Decimal("60.00"), Decimal("60.00")))
    )
    assert verdict_of(held, "GPS-FUNDING-CAP") == (
        "600 of 600 funded minutes, 30 self-funded",
        {"minutes": "600", "rulebook": "NW_GPS v1"},
    )


def test_self_funded_minutes_beyond_the_meetings_length_are_refused_as_input():
    refused = in_group().when(series(minutes=90, self_funded=91)).then_refused("INPUT")
    assert "self-funded minutes are between 0 and the meeting's length" in str(refused)
    day = command(PlanPeerSupportDay, plan_id="d", starts_at=at(2026, 9, 12, 9), blocks=2, self_funded_minutes=181)
    in_group().when(day).then_refused("INPUT")
    when = at(2026, 6, 3, 20)
    refused = in_group(series()).when(hold("s-1", when, minutes=100, self_funded_minutes=101)).then_refused("INPUT")
    assert "self-funded minutes are between 0 and the meeting's length (100), not 101" in str(refused)
    in_group(series()).when(hold("s-1", when, minutes=100, self_funded_minutes=100)).then(
        MeetingHeld("s-1", dt.date(2026, 6, 3), 100, 0, 100, PAIR, Decimal("60.00"), Decimal("0.00"))
    )


# -- One approval gives one group, ever -----------------------------------------------------


def test_a_group_is_set_up_once_on_its_own_stream():
    refused = in_group().when(set_up(at(2026, 6, 1))).then_refused("STATE")
    assert "the group is already set up" in str(refused)


def test_one_approval_gives_one_group_ever_so_its_minutes_are_used_once():
    log = EventLog()
    first = set_up()
    assert execute(log, PEER_GROUP, "g1", first, CONTEXT).events == (GroupSetUp("g1", PID, Modality.BALINT, 900),)
    # The same command again: nothing new is written.
    assert execute(log, PEER_GROUP, "g1", first, CONTEXT).replayed
    # A second set-up of g1, on its own stream or on another one, is refused; nothing is written.
    with pytest.raises(Refused) as again:
        execute(log, PEER_GROUP, "g1", set_up(at(2026, 6, 1)), CONTEXT)
    assert again.value.rule_ids == ("STATE",)
    with pytest.raises(Refused) as elsewhere:
        execute(log, PEER_GROUP, "g1-copy", set_up(at(2026, 6, 1)), CONTEXT)
    assert elsewhere.value.rule_ids == ("INPUT",)
    assert "SetUpGroup.group_id names another PeerGroup than the one it was sent to" in str(elsewhere.value)
    # Named after its own stream, the copy has no approval of its own.
    with pytest.raises(Refused) as unapproved:
        execute(log, PEER_GROUP, "g1-copy", set_up(at(2026, 6, 1), group_id="g1-copy"), CONTEXT)
    assert "group g1-copy is not approved in programme prog-nw" in str(unapproved.value)
    assert log.read_stream("group-g1-copy") == ()
    groups = groups_from(log.read_all())
    assert list(groups) == ["g1"] and sum(g.cap for g in groups.values()) == 900
    # The programme will not approve g1 a second time either.
    programme_scenario().when(lead(ApproveGroup, at(2026, 6, 1), group_id="g1")).then_refused("STATE")
    # The approval's 900 minutes, planned once, leave nothing for a further funded meeting.
    for c in (
        command(AppointFacilitator, SET_UP_DAY, facilitator_id="fac-1"),
        command(EnrolAttendee, at(2026, 5, 2), attendee_id="gp-1", profession=Profession.GP),
        series(count=10),
    ):
        execute(log, PEER_GROUP, "g1", c, CONTEXT)
    with pytest.raises(Refused) as eleventh:
        execute(log, PEER_GROUP, "g1", series("x", at(2027, 4, 7, 18), count=1), CONTEXT)
    assert "the plan needs 90 funded minutes; 0 remain unplanned (0 used and 900 planned of 900)" in str(eleventh.value)


# -- A version 2 from 1 April 2027: the day before, on and after --------------------------


@pytest.mark.parametrize(
    ("entered", "happened", "label"),
    [
        (at(2027, 3, 31, 23, 30), None, "NW_GPS v1"),  # the day before: refused
        (at(2027, 4, 2, 9), at(2027, 3, 31, 23, 30), "NW_GPS v1"),  # entered after, still the day before
        (at(2027, 4, 1, 0, 30), None, "NW_GPS v2"),  # the effective day: accepted
        (at(2027, 4, 2, 9), None, "NW_GPS v2"),  # after
    ],
)
def test_GPS_LENGTH_a_shorter_minimum_from_1_april_changes_the_decision_and_the_verdict_together(
    entered, happened, label
):
    """Version 2 allows 60-minute meetings; a 75-minute meeting planned for 31 March 18:00."""
    ctx = context_with(books_with(MeetingLength(minimum_minutes=60)))
    scenario = in_group(one_meeting(), ctx=ctx).when(hold("m-1", entered, happened, minutes=75))
    if label == "NW_GPS v1":
        message, parameters = verdict_of(scenario.then_refused("GPS-LENGTH"), "GPS-LENGTH")
        assert message == "the meeting lasted 75 minutes; at least 90 are needed"
    else:
        held_on = (happened or entered).date()
        rate, cost = Decimal("66.00"), Decimal("82.50")  # 75 minutes at £66.00 an hour
        decision = scenario.then(MeetingHeld("m-1", held_on, 75, 75, 0, PAIR, rate, cost))
        message, parameters = verdict_of(decision, "GPS-LENGTH")
        assert message == "75 minutes" and decision.rulebook == label
    assert parameters == {
        "minimum_minutes": "90" if label == "NW_GPS v1" else "60",
        "day_minimum_blocks": "2",
        "rulebook": label,
    }


@pytest.mark.parametrize(("held", "label"), [(at(2027, 3, 31, 20), "NW_GPS v1"), (at(2027, 4, 1, 20), "NW_GPS v2")])
def test_GPS_FUNDING_CAP_a_larger_cap_from_1_april_is_for_programmes_started_then_not_groups_approved_before(
    held, label
):
    """Version 2 funds 1,200 minutes a group. A group approved under version 1 keeps its 900:
    its 11th meeting is refused on either side of 1 April, and the verdict says which version
    decided and the 900 it used. A programme started on 1 April funds 1,200."""
    books = books_with(FundingCap(minutes=1200))
    ctx = context_with(books)
    extra = series("x", at(2027, 3, 31, 18), count=1, self_funded=90, frequency=Frequency.WEEKLY)
    past_the_cap = hold("x-1", held, self_funded_minutes=0)
    refused = in_group(*all_held(10), extra, ctx=ctx).when(past_the_cap).then_refused("GPS-FUNDING-CAP")
    assert verdict_of(refused, "GPS-FUNDING-CAP") == (
        "this meeting would take funded minutes to 990 of 900; mark at least 90 minutes as self-funded",
        {"minutes": "900", "rulebook": label},
    )
    start = lead(StartProgramme, held, funder="php-gph", starts_on=held.date())
    decision = decide(PROGRAMME, PROGRAMME.fold(()), start, PeerSupportContext(books))
    assert decision.events[0].minutes_per_group == (900 if label == "NW_GPS v1" else 1200)
    assert verdict_of(decision, "GPS-FUNDING-CAP")[1] == {
        "minutes": str(decision.events[0].minutes_per_group),
        "rulebook": label,
    }
