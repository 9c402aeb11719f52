"""OfficerLoads: open engagements against a limit (at it and one past it), sessions in the 90 days (first and last day, BST)."""

import datetime as dt

import pytest

from pastoral_core.support import (
    RECENT_DAYS,
    AddSecondOfficer,
    CeaseSupport,
    CloseCase,
    ClosureOutcome,
    HoldSession,
    MarkDidNotAttend,
    OfficerLoad,
    OfficerLoads,
    ReportAggression,
    RequestSwitch,
    ReviewCommitment,
    ReviewDecision,
    ScheduleSession,
    caseloads,
)
from tests.builders import at
from tests.support.test_read_models import Network

NOW = at(2027, 4, 30, 10)  # the 90 days run from Sunday 31 January to Friday 30 April 2027
UTC = dt.UTC


@pytest.fixture(scope="module")
def network():
    n = Network()
    n.open_case("c1", at(2027, 1, 4, 9))
    n.session("c1", "out", "gp-a", at(2027, 1, 30, 14))  # 91st day back: not counted
    n.session("c1", "first-day", "gp-a", at(2027, 1, 31, 14))  # 90th day back: counted
    n.run("c1", ScheduleSession, at(2027, 2, 9), session_id="dna", recipient_id="gp-a", starts_at=at(2027, 2, 10, 14))
    n.run("c1", MarkDidNotAttend, at(2027, 2, 10, 15), session_id="dna")  # not held: not counted
    n.session("c1", "today", "gp-a", at(2027, 4, 30, 9))
    n.session("c1", "tomorrow", "gp-a", at(2027, 5, 1, 9))  # after the day asked about
    n.open_case("c2", at(2027, 1, 5, 9), recipient="gp-b")
    n.run("c2", AddSecondOfficer, at(2027, 1, 5, 10), officer_id="off-gp-2")
    n.open_case("c3", at(2027, 1, 6, 9), recipient="gp-c")
    # closed: no open work, but its session in the 90 days counts
    n.open_case("closed", at(2027, 1, 7, 9), recipient="gp-d")
    n.session("closed", "s1", "gp-d", at(2027, 2, 15, 14))
    n.run("closed", CloseCase, at(2027, 2, 20), outcome=ClosureOutcome.RESOLVED)
    # support ceased after aggression: no open work
    n.open_case("ceased", at(2027, 1, 8, 9), recipient="gp-e")
    n.run("ceased", ReportAggression, at(2027, 1, 9))
    n.run("ceased", CeaseSupport, at(2027, 1, 10))
    # the LMC concluded its commitment once the window had passed: no open work
    n.open_case("concluded", at(2026, 10, 1, 9), recipient="gp-f")
    n.session("concluded", "s1", "gp-f", at(2026, 10, 5, 14))
    n.run("concluded", ReviewCommitment, at(2027, 2, 1), recipient_id="gp-f", decision=ReviewDecision.CONCLUDE)
    # the recipient asked to switch away from off-gp-2: no lead until a new one
    n.open_case("switched", at(2027, 1, 11, 9), recipient="gp-g", officer="off-gp-2")
    n.run("switched", RequestSwitch, at(2027, 1, 12), recipient_id="gp-g")
    # Thursday 1 April 23:30 BST and Friday 2 April 00:30 BST (1 April 23:30 UTC)
    n.open_case("c4", at(2027, 3, 1, 9), recipient="gp-h", officer="off-gp-3")
    thursday, friday = at(2027, 4, 1, 23, 30), dt.datetime(2027, 4, 1, 23, 30, tzinfo=UTC)
    for session_id, starts_at in (("late-thursday", thursday), ("early-friday", friday)):
        n.run("c4", ScheduleSession, at(2027, 3, 30), session_id=session_id, recipient_id="gp-h", starts_at=starts_at)
    n.run("c4", HoldSession, thursday, session_id="late-thursday")
    n.run("c4", HoldSession, friday, session_id="early-friday")
    return n


def test_open_engagements_second_officer_cases_and_sessions_in_the_90_days(network):
    assert RECENT_DAYS == 90
    assert OfficerLoads.of(network.cases(), NOW, limit=3).rows == (
        OfficerLoad("off-gp-1", 3, 0, 3, 3, False),  # c1-c3; 31 Jan, 15 Feb (closed case), 30 Apr
        OfficerLoad("off-gp-2", 0, 1, 0, 3, False),  # switched away from; second officer on c2
        OfficerLoad("off-gp-3", 1, 0, 2, 3, False),
    )


def test_a_load_at_the_limit_is_not_over_it_and_one_past_it_is():
    network = Network()
    for n in range(1, 4):
        network.open_case(f"c{n}", at(2027, 1, 4, 9), recipient=f"gp-{n}")
    loads = network.cases()
    assert [(r.open_engagements, r.over_limit) for r in OfficerLoads.of(loads, NOW, limit=3).rows] == [(3, False)]
    assert [(r.open_engagements, r.over_limit) for r in OfficerLoads.of(loads, NOW, limit=2).rows] == [(3, True)]
    network.open_case("c4", at(2027, 1, 5, 9), recipient="gp-4")
    assert [(r.open_engagements, r.over_limit) for r in OfficerLoads.of(network.cases(), NOW, limit=3).rows] == [
        (4, True)
    ]


def test_a_limit_of_zero_is_passed_by_one_engagement_not_by_a_second_officer_role(network):
    rows = {r.officer_id: r for r in OfficerLoads.of(network.cases(), NOW, limit=0).rows}
    assert rows["off-gp-3"].over_limit
    assert not rows["off-gp-2"].over_limit


def test_the_first_and_last_of_the_90_days_count_by_the_london_calendar(network):
    def sessions(now, officer):
        return next(
            r.sessions_90_days for r in OfficerLoads.of(network.cases(), now, 5).rows if r.officer_id == officer
        )

    assert sessions(NOW, "off-gp-1") == 3
    # The day before, the 90 days run from Saturday 30 January to Thursday 29 April.
    assert sessions(at(2027, 4, 29, 23, 59), "off-gp-1") == 3  # 30 and 31 January, 15 February
    # 30 June: the 90 days start on Friday 2 April, so the 00:30 BST session counts and
    # the one an hour earlier, on Thursday, does not (in UTC both fall on 1 April).
    assert sessions(at(2027, 6, 30, 12), "off-gp-3") == 1
    assert sessions(at(2027, 6, 29, 12), "off-gp-3") == 2
    assert sessions(dt.datetime(2027, 6, 30, 23, 30, tzinfo=UTC), "off-gp-3") == 0  # 1 July in London


def test_the_open_work_is_the_one_caseloads_lists(network):
    loads = caseloads(network.cases())
    rows = OfficerLoads.of(network.cases(), NOW, limit=3).rows
    for row in rows:
        load = loads.get(row.officer_id)
        assert row.open_engagements == (len(load.leads) if load else 0)
        assert row.second_officer_on == (len(load.second_on) if load else 0)
    assert loads["off-gp-1"].leads == (("c1", "gp-a"), ("c2", "gp-b"), ("c3", "gp-c"))
