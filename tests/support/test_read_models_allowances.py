"""Allowances: used of granted, the window's end (leap years, month ends), reviews due as PSN-REVIEW means them."""

import datetime as dt
import decimal

import pytest

from pastoral_core import Refused, Rulebooks
from pastoral_core.rules import Transition
from pastoral_core.support import (
    AllowanceLine,
    Allowances,
    CancelSession,
    CeaseSupport,
    CloseCase,
    ClosureOutcome,
    Funding,
    MarkDidNotAttend,
    Payer,
    ReportAggression,
    RequestSwitch,
    ReviewCommitment,
    ReviewDecision,
    ScheduleSession,
    SessionAllowance,
)
from tests.builders import at
from tests.support.test_read_models import BOOKS, Network

WEEKLY = [at(2027, 1, 11, 14) + dt.timedelta(weeks=n) for n in range(8)]  # Mondays from 11 January 2027
V1 = "TEST_PSN v1"


def five_and(network, case_id, recipient, last=None):
    """Open a case and hold five weekly sessions; then a sixth ends as ``last`` says (held by default)."""
    network.open_case(case_id, at(2027, 1, 4, 9), recipient=recipient)
    network.sessions(case_id, recipient, WEEKLY[:5])
    if last == "none":
        return
    sixth = WEEKLY[5]
    if last is None:
        network.session(case_id, "s6", recipient, sixth)
        return
    network.run(case_id, ScheduleSession, sixth - dt.timedelta(days=1), session_id="s6", recipient_id=recipient,
                starts_at=sixth)  # fmt: skip
    if last == "dna":
        network.run(case_id, MarkDidNotAttend, sixth + dt.timedelta(hours=1), session_id="s6")
    else:
        network.run(
            case_id, CancelSession, sixth - dt.timedelta(hours=2), session_id="s6", with_notice=last == "notice"
        )


def extend(network, case_id, recipient, when, sessions=2, months=1):
    network.run(
        case_id,
        ReviewCommitment,
        when,
        recipient_id=recipient,
        decision=ReviewDecision.EXTEND,
        sessions=sessions,
        months=months,
        funding=Funding(Payer.SHARED, decimal.Decimal(50)),
    )


@pytest.fixture(scope="module")
def network():
    n = Network()
    five_and(n, "five", "gp-a", last="none")
    five_and(n, "six", "gp-b")
    five_and(n, "dna", "gp-c", last="dna")
    five_and(n, "late-cancel", "gp-d", last="late")
    five_and(n, "notice", "gp-e", last="notice")
    five_and(n, "extended", "gp-f")
    extend(n, "extended", "gp-f", at(2027, 2, 16))  # 2 more over a month: window to 16 March + 14 days
    five_and(n, "extension-used", "gp-g")
    extend(n, "extension-used", "gp-g", at(2027, 2, 16))
    n.sessions("extension-used", "gp-g", WEEKLY[6:8], prefix="x")
    five_and(n, "concluded", "gp-h")
    n.run("concluded", ReviewCommitment, at(2027, 2, 16), recipient_id="gp-h", decision=ReviewDecision.CONCLUDE)
    five_and(n, "ceased", "gp-i")
    n.run("ceased", ReportAggression, at(2027, 2, 16))
    n.run("ceased", CeaseSupport, at(2027, 2, 17))
    five_and(n, "closed", "gp-j")
    n.run("closed", CloseCase, at(2027, 2, 17), outcome=ClosureOutcome.RESOLVED)
    n.open_case("switched", at(2027, 1, 4, 9), recipient="gp-k", officer="off-gp-2")
    n.run("switched", RequestSwitch, at(2027, 1, 5), recipient_id="gp-k")
    return n


def lines(network, on, books=BOOKS):
    return {line.case_id: line for line in Allowances.of(network.cases(), on, books).rows}


def test_used_of_granted_and_the_review_due_once_the_sixth_counts(network):
    rows = lines(network, dt.date(2027, 3, 1))
    window = dt.date(2027, 4, 25)  # 11 January + 3 months + 14 days
    assert rows["five"] == AllowanceLine("five", "gp-a", "off-gp-1", 5, 6, window, False, False, False, V1)
    assert rows["six"] == AllowanceLine("six", "gp-b", "off-gp-1", 6, 6, window, False, False, True, V1)
    assert (rows["dna"].used, rows["dna"].review_due) == (6, True)  # a did-not-attend counts
    assert (rows["late-cancel"].used, rows["late-cancel"].review_due) == (6, True)  # so does a late cancellation
    assert (rows["notice"].used, rows["notice"].review_due) == (5, False)  # one with notice does not
    assert "closed" not in rows
    assert rows["switched"] == AllowanceLine("switched", "gp-k", None, 0, 6, None, False, False, False, V1)


def test_a_review_is_due_the_day_after_the_window_ends_not_on_it(network):
    assert not lines(network, dt.date(2027, 4, 25))["five"].review_due
    assert lines(network, dt.date(2027, 4, 26))["five"].review_due


def test_an_extension_is_granted_on_top_of_what_was_used_until_it_too_is_used_or_past(network):
    rows = lines(network, dt.date(2027, 3, 30))
    extended = rows["extended"]
    assert (extended.used, extended.granted, extended.window_ends) == (6, 8, dt.date(2027, 3, 30))
    assert (extended.extension, extended.review_due) == (True, False)
    assert lines(network, dt.date(2027, 3, 31))["extended"].review_due  # window past
    used = rows["extension-used"]
    assert (used.used, used.granted, used.review_due) == (8, 8, True)


def test_no_review_is_due_once_the_lmc_concluded_or_support_ceased(network):
    rows = lines(network, dt.date(2027, 3, 1))
    assert (rows["concluded"].concluded, rows["concluded"].review_due) == (True, False)
    assert (rows["ceased"].used, rows["ceased"].review_due) == (6, False)
    assert {line.case_id for line in Allowances.of(network.cases(), dt.date(2027, 3, 1), BOOKS).reviews_due} == {
        "six",
        "dna",
        "late-cancel",
        "extension-used",
    }


def test_review_due_is_exactly_when_a_review_would_pass(network):
    """The read model and the decider agree: a review is due exactly when ``ReviewCommitment`` is accepted."""
    refused_by = set()
    for case_id, line in lines(network, dt.date(2027, 3, 2)).items():
        probe = network.copy()
        review = {"recipient_id": line.recipient_id, "decision": ReviewDecision.CONCLUDE}
        try:
            probe.run(case_id, ReviewCommitment, at(2027, 3, 2, 9), **review)
        except Refused as refused:
            assert "TIME" not in refused.rule_ids
            assert not line.review_due, case_id
            refused_by.update(refused.rule_ids)
        else:
            assert line.review_due, case_id
    assert "PSN-REVIEW" in refused_by


@pytest.mark.parametrize(
    ("first", "on_last_day", "day_after"),
    [
        (at(2027, 11, 30, 14), dt.date(2028, 3, 14), dt.date(2028, 3, 15)),  # 30 Nov + 3 months = 29 Feb 2028
        (at(2026, 11, 30, 14), dt.date(2027, 3, 14), dt.date(2027, 3, 15)),  # = 28 Feb 2027
        (at(2027, 8, 31, 14), dt.date(2027, 12, 14), dt.date(2027, 12, 15)),  # 31 Aug + 3 months = 30 Nov
    ],
    ids=["leap-year", "common-year", "month-end"],
)
def test_the_window_runs_three_calendar_months_and_fourteen_days_from_the_first_session(first, on_last_day, day_after):
    network = Network()
    network.open_case("1", first - dt.timedelta(days=7))
    network.session("1", "s1", "gp-a", first)
    (line,) = Allowances.of(network.cases(), on_last_day, BOOKS).rows
    assert (line.window_ends, line.used, line.review_due) == (on_last_day, 1, False)
    assert Allowances.of(network.cases(), day_after, BOOKS).rows[0].review_due


@pytest.mark.parametrize(
    ("transition", "on_1_april"),
    [
        (Transition.FROM_EFFECTIVE_DATE, (8, dt.date(2027, 5, 25), False, "TEST_PSN v2")),  # 11 Jan + 4 months + 14
        (Transition.AS_STARTED, (6, dt.date(2027, 4, 25), True, "TEST_PSN v1")),
    ],
)
def test_each_engagement_is_judged_by_the_version_in_force_that_day(transition, on_1_april):
    v2 = BOOKS.versions[0].revised(
        2, dt.date(2027, 4, 1), SessionAllowance(sessions=8, months=4, in_progress=transition)
    )
    books = Rulebooks((BOOKS.versions[0], v2))
    network = Network(books)
    five_and(network, "1", "gp-a")
    (before,) = Allowances.of(network.cases(), dt.date(2027, 3, 31), books).rows
    assert (before.granted, before.window_ends, before.review_due, before.rulebook) == (
        6,
        dt.date(2027, 4, 25),
        True,
        "TEST_PSN v1",
    )
    (after,) = Allowances.of(network.cases(), dt.date(2027, 4, 1), books).rows
    assert (after.granted, after.window_ends, after.review_due, after.rulebook) == on_1_april
