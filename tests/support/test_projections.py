"""The per-case reports over a real log: cases, first responses, caseloads, flags."""

import datetime as dt

import pytest

from pastoral_core import EventLog, RuleFlagged, execute
from pastoral_core.eventlog import Metadata
from pastoral_core.exceptions import InvalidType
from pastoral_core.support import (
    CASE,
    AddSecondOfficer,
    Case,
    Caseload,
    CeaseSupport,
    CloseCase,
    ClosureOutcome,
    ReportAggression,
    RespondToRequest,
    ResponseStatus,
    ReviewCommitment,
    ReviewDecision,
    caseloads,
    cases_from,
    flags_by_case,
    response_report,
)
from tests.peer_groups.helpers import CONTEXT as GROUP_CONTEXT
from tests.peer_groups.helpers import group
from tests.support.helpers import (
    CONTEXT,
    GP_A,
    GP_B,
    LONDON,
    allocate,
    at,
    command,
    gp_request,
    mou,
    practice_request,
    sessions_held,
)


def build_log():
    log = EventLog()

    def run(case_id, *commands):
        for c in commands:
            execute(log, CASE, case_id, c, CONTEXT)

    # Received Thursday 24 Dec 2026 16:00: due Wednesday 30 Dec 17:00.
    run("case-on-time", gp_request(when=at(2026, 12, 24, 16)), command(RespondToRequest, at(2026, 12, 30, 17)))
    run("case-late", gp_request(when=at(2026, 12, 24, 16)), command(RespondToRequest, at(2026, 12, 30, 17, 1)))
    run(
        "case-overdue",
        practice_request(when=at(2026, 12, 24, 17)),
        allocate(GP_A, "off-gp-1", at(2027, 1, 4)),
        allocate(GP_B, "off-gp-2", at(2027, 1, 4)),
        command(AddSecondOfficer, at(2027, 1, 4), officer_id="off-lay-1"),
    )
    run("case-waiting", gp_request(when=at(2027, 1, 4, 9)), allocate(GP_A, "off-gp-1", at(2027, 1, 4, 10)))
    run(
        "case-closed",
        gp_request(when=at(2026, 12, 1, 9)),
        allocate(GP_A, "off-gp-1", at(2026, 12, 2)),
        command(CloseCase, at(2026, 12, 20), outcome=ClosureOutcome.RESOLVED),
    )
    # Another aggregate's stream, with a flag of its own, must not be taken for a case.
    events, _ = group(attendees=[f"gp-{n}" for n in range(1, 14)], ctx=GROUP_CONTEXT)
    assert any(isinstance(e, RuleFlagged) for e in events)
    log.append(
        "group-g1",
        events,
        expected_version=0,
        metadata=Metadata("coord-1", "g-setup", at(2026, 5, 1), role="coordinator", command_type="group.set_up"),
    )
    return log


def test_cases_from_reads_only_case_streams():
    assert set(cases_from(build_log().read_all())) == {
        "case-on-time",
        "case-late",
        "case-overdue",
        "case-waiting",
        "case-closed",
    }


def test_response_report_as_of_a_moment():
    report = response_report(cases_from(build_log().read_all()), now=at(2027, 1, 4, 12))
    assert [(line.case_id, line.status) for line in report] == [
        ("case-closed", ResponseStatus.OVERDUE),
        ("case-late", ResponseStatus.LATE),
        ("case-on-time", ResponseStatus.ON_TIME),
        ("case-overdue", ResponseStatus.OVERDUE),  # received 17:00 Thursday: due 31 Dec
        ("case-waiting", ResponseStatus.AWAITING),
    ]
    overdue = next(line for line in report if line.case_id == "case-overdue")
    assert overdue.due_at == at(2026, 12, 31, 17) and overdue.responded_at is None


def test_caseloads_count_open_work_only():
    loads = caseloads(cases_from(build_log().read_all()))
    assert loads["off-gp-1"].leads == (("case-overdue", GP_A), ("case-waiting", GP_A))
    assert loads["off-gp-2"].leads == (("case-overdue", GP_B),)
    assert loads["off-lay-1"].second_on == ("case-overdue",)


def test_flags_by_case():
    assert flags_by_case(build_log().read_all()) == {"case-late": frozenset({"PSN-RESPONSE"})}


def test_caseloads_leave_out_ceased_cases_and_concluded_engagements():
    log = EventLog()

    def run(case_id, *commands):
        for c in commands:
            execute(log, CASE, case_id, c, CONTEXT)

    six = [at(2027, 1, 11, 14) + dt.timedelta(weeks=n) for n in range(6)]
    run("open", gp_request(when=at(2027, 1, 4)), allocate(GP_A, "off-gp-1", at(2027, 1, 4)))
    run(
        "ceased",
        gp_request(when=at(2027, 1, 4)),
        allocate(GP_A, "off-gp-1", at(2027, 1, 4)),
        command(ReportAggression, at(2027, 1, 5)),
        command(CeaseSupport, at(2027, 1, 6)),
    )
    run(
        "concluded",
        gp_request(when=at(2027, 1, 4)),
        mou(at(2027, 1, 4)),
        allocate(GP_A, "off-gp-2", at(2027, 1, 4)),
        *sessions_held(GP_A, six, "off-gp-2"),
        command(ReviewCommitment, at(2027, 2, 16), recipient_id=GP_A, decision=ReviewDecision.CONCLUDE),
    )
    loads = caseloads(cases_from(log.read_all()))
    assert loads == {"off-gp-1": Caseload("off-gp-1", (("open", GP_A),), ())}


def test_response_report_orders_requests_by_the_instant_they_came_on_the_night_the_clocks_go_back():
    """01:45 BST comes before 01:30 GMT on Sunday 25 October 2026, though its wall clock reads later."""
    log = EventLog()
    bst = dt.datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)
    gmt = dt.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    execute(log, CASE, "gmt", gp_request(when=gmt), CONTEXT)
    execute(log, CASE, "bst", gp_request(when=bst), CONTEXT)
    report = response_report(cases_from(log.read_all()), at(2026, 10, 26))
    assert [line.case_id for line in report] == ["bst", "gmt"]


@pytest.mark.parametrize("cases", [None, [1, 2], {"1": "not a case"}, {1: Case()}])
def test_the_per_case_reports_refuse_what_is_not_cases_by_id(cases):
    with pytest.raises(InvalidType):
        response_report(cases, at(2027, 1, 4))
    with pytest.raises(InvalidType):
        caseloads(cases)
