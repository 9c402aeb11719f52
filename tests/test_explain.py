"""Explanations: what was decided, each rule with its clause, rulebook, parameters and the dates that mattered."""

import datetime as dt
import json

import pytest

from pastoral_core import EventLog, Explanation, Refused, dumps, explain, loads
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel import KeyDate, deadline_dates
from pastoral_core.peer_groups import PeerSupport, StartProgramme
from pastoral_core.portfolio import PortfolioPlus
from pastoral_core.rules import STATE_CITATION, Outcome, Verdict, WorkingCalendar
from pastoral_core.support import (
    AllocateOfficer,
    Background,
    EnrolOfficer,
    PastoralSupport,
    RespondToRequest,
    SendMou,
)
from tests.builders import LONDON, at, command
from tests.peer_groups.helpers import BOOKS as GPS_BOOKS
from tests.peer_groups.helpers import START, lead
from tests.portfolio.helpers import listing, post
from tests.support.helpers import GP_A, PM_C, gp_request, mou, practice_request

CHRISTMAS = (
    KeyDate(dt.date(2026, 12, 24), "received"),
    KeyDate(dt.date(2026, 12, 25), "bank holiday (ENG): Christmas Day"),
    KeyDate(dt.date(2026, 12, 26), "bank holiday (ENG): Boxing Day"),
    KeyDate(dt.date(2026, 12, 28), "bank holiday (ENG): Boxing Day (observed)"),
    KeyDate(dt.date(2026, 12, 30), "due by 17:00 (2 working days)"),
)


@pytest.fixture
def support():
    service = PastoralSupport(EventLog())
    service.handle(
        command(EnrolOfficer, at(2026, 12, 1), officer_id="off-1", background=Background.GP, practice_id="P-DEVON-7")
    )
    return service


def test_deadline_dates_name_receipt_every_bank_holiday_and_the_due_date():
    england = WorkingCalendar("ENG")
    assert deadline_dates(england.explain_due(at(2026, 12, 24, 16), 2), "ENG") == CHRISTMAS
    # at the cut-off: counted from the next working day, the 29th, so due on the 31st
    after_cutoff = deadline_dates(england.explain_due(at(2026, 12, 24, 17), 2), "ENG")
    assert after_cutoff[:2] == (
        KeyDate(dt.date(2026, 12, 24), "received"),
        KeyDate(dt.date(2026, 12, 29), "working days counted from"),
    )
    assert after_cutoff[-1] == KeyDate(dt.date(2026, 12, 31), "due by 17:00 (2 working days)")
    # a week with no bank holiday: receipt and due only
    assert deadline_dates(england.explain_due(at(2027, 1, 11), 2), "ENG") == (
        KeyDate(dt.date(2027, 1, 11), "received"),
        KeyDate(dt.date(2027, 1, 13), "due by 17:00 (2 working days)"),
    )


def test_an_accepted_request_is_explained_with_the_bank_holidays_that_moved_its_deadline(support):
    received = support.handle(gp_request(at(2026, 12, 24, 16)), "1")
    explanation = support.explain(received)
    assert explanation.text == "\n".join(
        [
            "case.receive_request on case-1: accepted.",
            "Issued by coord-1 as coordinator.",
            "It happened on Thu 24 Dec 2026 16:00 GMT.",
            "Decided under DEVON_PSN v1.",
            "Recorded: case.request_received.",
            "",
            "Rules applied:",
            "1. AUTH (DERIVED AUTH: each command names its actor and role; a table says who may issue it) passed: "
            "coordinator may ReceiveRequest",
            "2. PSN-RESPONSE (MOU LMC 4) passed: first response due by Wed 30 Dec 2026 17:00 GMT (bank holidays: "
            "Fri 25 Dec 2026 Christmas Day; Sat 26 Dec 2026 Boxing Day; Mon 28 Dec 2026 Boxing Day (observed))",
            "     Rulebook: DEVON_PSN v1",
            f"     Parameters: cutoff=17:00, holidays={_holidays(explanation)}, tz=Europe/London, working_days=2",
            "     Dates that mattered: 2026-12-24 received; 2026-12-25 bank holiday (ENG): Christmas Day; "
            "2026-12-26 bank holiday (ENG): Boxing Day; 2026-12-28 bank holiday (ENG): Boxing Day (observed); "
            "2026-12-30 due by 17:00 (2 working days)",
        ]
    )
    assert explanation.rules[1].dates == CHRISTMAS
    assert explanation.decision == "accepted" and explanation.flags == ()


def _holidays(explanation):
    return dict(explanation.rules[1].parameters)["holidays"]


def test_a_late_response_is_explained_as_flagged_with_the_same_dates(support):
    support.handle(gp_request(at(2026, 12, 24, 16)), "1")
    late = support.explain(support.handle(command(RespondToRequest, at(2026, 12, 31)), "1"))
    assert late.decision == "accepted with 1 flag" and late.flags == ("PSN-RESPONSE",)
    assert late.events == ("case.responded", "rule.flagged")
    (rule,) = [r for r in late.rules if r.rule_id == "PSN-RESPONSE"]
    assert rule.outcome is Outcome.FLAG and rule.dates == CHRISTMAS
    assert (
        rule.message == "first response at 2026-12-31T10:00:00+00:00 was after it was due (2026-12-30T17:00:00+00:00)"
    )
    assert "PSN-RESPONSE (MOU LMC 4) flagged: first response at" in late.text


def test_the_second_officer_count_names_the_easter_holidays_it_skipped(support):
    # received Wednesday 24 March 2027; Good Friday and Easter Monday are not working days, so
    # Friday 2 April is the 5th working day (no flag) and Monday 5 April the 6th (flagged)
    support.handle(practice_request(at(2027, 3, 24)), "1")
    on_time = support.explain(support.handle(mou(at(2027, 4, 2)), "1"))
    assert [r.rule_id for r in on_time.rules] == ["AUTH", "PSN-SECOND"]
    assert on_time.rules[1].outcome is Outcome.PASS
    flagged = support.explain(support.handle(command(RespondToRequest, at(2027, 4, 5)), "1"))
    (second,) = [r for r in flagged.rules if r.rule_id == "PSN-SECOND"]
    assert second.outcome is Outcome.FLAG
    assert second.dates == (
        KeyDate(dt.date(2027, 3, 24), "received"),
        KeyDate(dt.date(2027, 3, 26), "bank holiday (ENG): Good Friday"),
        KeyDate(dt.date(2027, 3, 29), "bank holiday (ENG): Easter Monday"),
        KeyDate(dt.date(2027, 4, 5), "working days counted to"),
    )
    assert on_time.rules[1].dates[-1] == KeyDate(dt.date(2027, 4, 2), "working days counted to")


def test_a_refusal_lists_every_refusing_rule_and_what_was_refused(support):
    support.handle(gp_request(at(2027, 1, 11)), "1")
    attempt = command(AllocateOfficer, at(2027, 1, 12), recipient_id=GP_A, officer_id="off-1")
    with pytest.raises(Refused) as refused:
        support.handle(attempt, "1")
    explanation = support.explain(refused.value, command=attempt)
    assert not explanation.accepted
    assert [r.rule_id for r in explanation.rules] == list(refused.value.rule_ids) == ["PSN-CONFLICT"]
    assert explanation.decision == "refused by 1 rule"
    assert explanation.text.splitlines()[:4] == [
        "case.allocate_officer: refused by 1 rule.",
        "Issued by coord-1 as coordinator.",
        "It happened on Tue 12 Jan 2027 10:00 GMT.",
        "",
    ]
    assert explanation.text.splitlines()[4] == "Rules that refused it:"
    assert explanation.to_dict()["rules"][0] | {"message": None} == {
        "rule_id": "PSN-CONFLICT",
        "outcome": "deny",
        "message": None,
        "source": "DERIVED",
        "clause": "from MOU LMC 5-6 (confidentiality, suitability)",
        "rulebook": "DEVON_PSN v1",
        "parameters": {},
        "dates": [],
    }
    # without the command, only the verdicts
    bare = explain(refused.value)
    assert bare.command_type is None and bare.text.startswith("The command: refused by 1 rule.")


def test_two_refusing_rules_each_with_its_clause(support):
    support.handle(practice_request(at(2027, 1, 11)), "1")
    # a GP officer of the practice itself, for its practice manager
    attempt = command(AllocateOfficer, at(2027, 1, 12), recipient_id=PM_C, officer_id="off-1")
    with pytest.raises(Refused) as refused:
        support.handle(attempt, "1")
    explanation = explain(refused.value, command=attempt)
    assert [(r.rule_id, r.source, r.clause) for r in explanation.rules] == [
        ("PSN-SKILLS", "MOU", "LMC 6"),
        ("PSN-CONFLICT", "DERIVED", "from MOU LMC 5-6 (confidentiality, suitability)"),
    ]
    assert explanation.decision == "refused by 2 rules"
    assert "\n1. PSN-SKILLS (MOU LMC 6) refused: " in explanation.text
    assert "\n2. PSN-CONFLICT (DERIVED from MOU LMC 5-6 (confidentiality, suitability)) refused: " in explanation.text


def test_an_explanation_read_back_from_the_record_is_the_one_given_when_accepted(support):
    accepted = support.handle(gp_request(at(2026, 12, 24, 16)), "1")
    given = support.explain(accepted)
    (first,) = support.store.recorded_for(accepted.records[0].metadata.command_id)
    assert support.explain(first) == given
    # and from a log written out and read in again
    again = loads(dumps(support.store.read_all()))
    assert support.explain(again[1]) == given
    assert explain(again[1]).rules[1].dates == ()  # the kernel alone knows no calendar: the service adds it


def test_explanations_are_tables_of_plain_rows_and_json_ready(support):
    explanation = support.explain(support.handle(gp_request(at(2026, 12, 24, 16)), "1"))
    rows = explanation.to_rows()
    assert [r["rule_id"] for r in rows] == ["AUTH", "PSN-RESPONSE"]
    assert all(list(row) == list(Explanation.columns) for row in rows)
    assert all(isinstance(v, str | type(None)) for row in rows for v in row.values())
    assert rows[1]["dates"].startswith("2026-12-24 received; 2026-12-25 bank holiday (ENG): Christmas Day")
    html = explanation._repr_html_()
    assert "<caption>Explanation: every rule&#x27;s verdict</caption>" in html and html.count("<tr>") == 3
    data = json.loads(json.dumps(explanation.to_dict()))
    assert data["occurred_at"] == "2026-12-24T16:00:00+00:00" and data["decision"] == "accepted"
    assert data["rules"][1]["dates"][0] == {"day": "2026-12-24", "what": "received"}
    assert data["rules"][1]["parameters"]["working_days"] == "2"
    assert str(explanation) == explanation.text


def test_a_record_that_is_not_the_first_of_its_batch_carries_no_decision_to_explain(support):
    support.handle(gp_request(at(2027, 1, 11)), "1")
    respond = support.handle(command(RespondToRequest, at(2027, 1, 20)), "1")  # late: responded + flagged
    assert len(respond.records) == 2 and respond.records[1].decision is None
    with pytest.raises(InvalidValue, match="first record of its command's batch"):
        explain(respond.records[1])


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"subject": "refused"}, "subject"),
        ({"subject": None}, "subject"),
        ({"command": "a command"}, "command"),
        ({"dates": ("2027-01-01",)}, "dates"),
        ({"codec": object()}, "codec"),
    ],
)
def test_wrong_types_are_refused_by_name(arguments, field):
    base = {"subject": Refused([Verdict("STATE", Outcome.DENY, "the case is closed", STATE_CITATION)])}
    with pytest.raises(InvalidType) as error:
        explain(**(base | arguments))
    assert error.value.field == field


def test_peer_support_and_portfolio_plus_explain_their_decisions():
    peer = PeerSupport(EventLog(), GPS_BOOKS)
    started = peer.explain(peer.handle(lead(StartProgramme, funder="php-gph", starts_on=START), "prog-nw"))
    assert started.command_type == "programme.start" and started.stream_id == "programme-prog-nw"
    assert started.rulebook == "NW_GPS v1" and started.rules[0].rule_id == "AUTH"
    scheme = PortfolioPlus(EventLog())
    posted = scheme.explain(scheme.handle(post(listing(), at(2027, 1, 20)), "opp-1"))
    assert posted.accepted and posted.stream_id == "opportunity-opp-1"
    assert posted.text.startswith("opportunity.post on opportunity-opp-1: accepted.")


def test_a_business_time_earlier_than_the_record_is_explained_with_both(support):
    sent = command(SendMou, at(2027, 1, 14), terms_version="PSN-MOU-2019", occurred_at=at(2027, 1, 12))
    support.handle(gp_request(at(2027, 1, 11)), "1")
    explanation = support.explain(support.handle(sent, "1"))
    assert "It happened on Tue 12 Jan 2027 10:00 GMT.\nRecorded on Thu 14 Jan 2027 10:00 GMT." in explanation.text
    assert explanation.occurred_at == at(2027, 1, 12) and explanation.recorded_at == at(2027, 1, 14)
    assert explanation.occurred_at.tzinfo is LONDON
