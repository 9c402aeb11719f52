"""What-if over peer-group and Portfolio Plus histories, and what any what-if report is made of."""

import datetime as dt
import decimal

import attrs
import pytest

from pastoral_core import EventLog, WhatIfChange, WhatIfMode, execute
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel import Tenancy, WhatIf, WhatIfTotals, what_if
from pastoral_core.peer_groups import FacilitatorTariff, GroupSize, Tariff
from pastoral_core.portfolio import PORTFOLIO_PLUS_V1, Membership
from pastoral_core.rules import Rulebooks
from pastoral_core.support import CASE, NETWORK, RecordNote, SessionAllowance, SupportContext
from tests.builders import at, command
from tests.peer_groups import test_service as peer
from tests.peer_groups.helpers import BOOKS as GPS_BOOKS
from tests.portfolio import test_service as portfolio
from tests.support.helpers import gp_request, mou
from tests.test_what_if import BOOKS, history, proposed

R, F, P, D = WhatIfChange.REFUSED, WhatIfChange.FLAGGED, WhatIfChange.PRICED, WhatIfChange.RECORDED


def by_command(report):
    return {line.command_id: (line.changes, line.rule_ids, dict(line.money)) for line in report.lines}


# -- peer groups ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def groups():
    service, _ = peer.run_by_service(EventLog(), peer.history())
    return service


def gps(*rules):
    book = GPS_BOOKS.versions[0]
    return Rulebooks((book.revised(2, book.effective_from, *rules),))


def recorded_ids(service, command_type):
    return [
        r.metadata.command_id
        for r in service.store.read_all()
        if r.metadata.command_type == command_type and r.decision
    ]


NOT_WHOLE = "part of its command is never kept (such as evaluation answers), so it cannot be decided again"


def not_redecided(report):
    return {line.command_id: line.reason for line in report.lines if line.changes == (WhatIfChange.NOT_REDECIDED,)}


def decided_again(report):
    return [line for line in report.lines if line.changes != (WhatIfChange.NOT_REDECIDED,)]


@pytest.mark.parametrize("mode", list(WhatIfMode))
def test_peer_groups_under_the_same_rulebook_nothing_changes_but_answers_are_never_kept(groups, mode):
    report = groups.what_if(GPS_BOOKS, mode=mode)
    answers = recorded_ids(groups, "group.record_evaluation_response")
    assert len(answers) == 4
    assert not_redecided(report) == dict.fromkeys(answers, NOT_WHOLE)
    assert decided_again(report) == [] and report.totals.decisions == 21  # a late entry among them


@pytest.mark.parametrize("mode", list(WhatIfMode))
def test_a_dearer_tariff_prices_each_meeting_held_for_the_funder(groups, mode):
    dearer = gps(FacilitatorTariff(tariffs=(Tariff(dt.date(2026, 4, 1), decimal.Decimal("70.00")),)))
    report = groups.what_if(dearer, mode=mode)
    meetings = recorded_ids(groups, "group.hold_meeting")
    assert len(meetings) == 2
    ninety_minutes_at_ten_pounds_more = {"funder": decimal.Decimal("15.00")}
    assert {line.command_id: by_command(report)[line.command_id] for line in decided_again(report)} == {
        m: ((P,), ("GPS-TARIFF",), ninety_minutes_at_ten_pounds_more) for m in meetings
    }
    assert report.totals.money_delta("funder") == decimal.Decimal("30.00")


def test_a_smaller_group_size_flags_at_one_past_and_refuses_one_past_the_tolerance(groups):
    report = groups.what_if(gps(GroupSize(circa=2, tolerance=1)))
    enrolled = recorded_ids(groups, "group.enrol_attendee")  # gp-1, gp-2, gp-3, then gp-4
    assert {line.command_id: by_command(report)[line.command_id] for line in decided_again(report)} == {
        enrolled[2]: ((F,), ("GPS-SIZE",), {}),  # 3: above 2, within the tolerance
        enrolled[3]: ((R,), ("GPS-SIZE",), {}),  # 4: above 2 + 1
    }


# -- Portfolio Plus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scheme():
    service, _ = portfolio.run_by_service(EventLog(), portfolio.history())
    return service


def pp(*rules):
    return Rulebooks((PORTFOLIO_PLUS_V1.revised(2, PORTFOLIO_PLUS_V1.effective_from, *rules),))


def test_portfolio_at_the_limit_nothing_changes_and_one_under_it_refuses_the_sign_ups(scheme):
    assert scheme.what_if(pp(Membership(max_sessions=4))).lines == ()  # the members offer 4 sessions a week
    report = scheme.what_if(pp(Membership(max_sessions=3)))
    sign_ups = recorded_ids(scheme, "member.sign_up")
    assert by_command(report) == {s: ((R,), ("PP-MEMBER",), {}) for s in sign_ups}


def test_portfolio_counterfactual_drops_the_members_and_everything_done_for_them(scheme):
    report = scheme.what_if(pp(Membership(max_sessions=3)), mode=WhatIfMode.COUNTERFACTUAL)
    member_commands = [
        r.metadata.command_id for r in scheme.store.read_all() if r.stream_id.startswith("member-") and r.decision
    ]
    assert [line.command_id for line in report.lines] == member_commands
    assert {line.changes for line in report.lines} == {(R,)}
    assert {line.stream_id for line in report.lines} == {"member-m-1", "member-m-2"}
    assert report.totals.count(R) == len(member_commands) == 11


# -- what any report is made of ------------------------------------------------------------------


def test_the_report_and_its_totals_are_tables_of_plain_rows_with_their_mode():
    support, _ = history()
    report = support.what_if(proposed(SessionAllowance(sessions=7)), mode=WhatIfMode.COUNTERFACTUAL)
    rows = report.to_rows()
    assert rows and all(list(row) == list(WhatIf.columns) for row in rows)
    assert all(list(row) == list(WhatIfTotals.columns) for row in report.totals.to_rows())
    plain = (str, int, decimal.Decimal, dt.date, type(None))
    assert all(isinstance(v, plain) for row in [*rows, *report.totals.to_rows()] for v in row.values())
    html = report._repr_html_()
    assert "<caption>What-if: recorded decisions that would change</caption>" in html
    assert html.count("<tr>") == len(rows) + 1 and html.count("counterfactual") == len(rows)
    assert "<caption>What-if totals</caption>" in report.totals._repr_html_()
    assert list(report.by_aggregate()) == ["case-1"]
    assert sum(len(lines) for lines in report.by_aggregate().values()) == len(report.lines)
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(rows)
    assert list(frame.columns) == list(WhatIf.columns)
    assert frame["money_delta"].sum() == decimal.Decimal("-75.00")


def test_a_single_rulebook_version_may_be_proposed():
    support, _ = history()
    single = proposed(SessionAllowance(sessions=8)).versions[0]
    assert support.what_if(single) == support.what_if(Rulebooks((single,)))


def _context(command, world, books):
    return SupportContext(books, world.folded(NETWORK, "devon").state)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"aggregates": ()}, "aggregates"),
        ({"aggregates": ("case",)}, "aggregates"),
        ({"rulebooks": "DEVON_PSN v2"}, "rulebooks"),
        ({"recorded": None}, "recorded"),
        ({"mode": "as recorded"}, "mode"),
        ({"codec": object()}, "codec"),
        ({"context": None}, "context"),
        ({"price": 75}, "price"),
        ({"organisation": 17}, "organisation"),
        ({"records": [object()]}, "records"),
    ],
)
def test_arguments_of_the_wrong_type_are_refused_by_name(changes, field):
    support, _ = history()
    arguments = {
        "aggregates": (CASE, NETWORK),
        "records": support.store.read_all(),
        "rulebooks": BOOKS,
        "context": _context,
        "recorded": BOOKS,
    } | changes
    with pytest.raises(InvalidType) as error:
        what_if(**arguments)
    assert error.value.field == field


def test_streams_of_several_organisations_are_not_mixed_unless_asked():
    log = EventLog()
    for case_id, organisation in (("1", "lmc-a"), ("2", "lmc-b")):
        for c in (gp_request(at(2027, 1, 11)), mou(at(2027, 1, 12))):
            execute(log, CASE, case_id, attrs.evolve(c, organisation=organisation), SupportContext(BOOKS))
    arguments = {"aggregates": (CASE,), "records": log.read_all(), "rulebooks": BOOKS, "context": _context}
    with pytest.raises(InvalidValue, match="several organisations"):
        what_if(**arguments, recorded=BOOKS)
    assert what_if(**arguments, recorded=BOOKS, organisation="lmc-a").totals.decisions == 2
    assert what_if(**arguments, recorded=BOOKS, organisation=None).totals.decisions == 0
    assert what_if(**arguments, recorded=BOOKS, organisation=Tenancy.ALL).totals.decisions == 4


def test_a_late_entry_is_decided_again_on_the_case_as_it_stood_on_its_own_date():
    support, ids = history()
    # a note entered on 2 March, written on 28 February: before session 8, held on 1 March
    late = command(RecordNote, at(2027, 3, 2), "officer", "off-gp-1", note_id="n2", text="Short note",
                   occurred_at=at(2027, 2, 28))  # fmt: skip
    support.handle(late, "1")
    for mode in WhatIfMode:
        assert support.what_if(BOOKS, mode=mode).lines == ()
        report = support.what_if(proposed(SessionAllowance(sessions=8)), mode=mode)
        assert late.command_id not in {line.command_id for line in report.lines}
        assert ids["review"] in {line.command_id for line in report.lines}
