"""What-if over a real pastoral-support history: one parameter changed changes exactly the decisions expected.

The history: a GP's request received on Christmas Eve (due 30 December with two working
days), answered late on 31 December; six weekly sessions, a review extending by two
sessions the recipient pays for, two more sessions; a note. Each test proposes one
change and lists every decision that would change, in each mode.
"""

import datetime as dt
import decimal

import pytest

from pastoral_core import EventLog, WhatIfChange, WhatIfMode
from pastoral_core.kernel import WhatIf
from pastoral_core.rules import Rulebooks
from pastoral_core.support import (
    DEVON_PSN_V1,
    Background,
    CostShare,
    EnrolOfficer,
    Funding,
    PastoralSupport,
    Payer,
    RecordNote,
    RespondToRequest,
    ResponseTime,
    ReviewCommitment,
    ReviewDecision,
    SessionAllowance,
)
from tests.builders import at, command
from tests.support.helpers import GP_A, allocate, gp_request, hold, mou, schedule

RATE = decimal.Decimal("75.00")
EXETER = DEVON_PSN_V1.adapted("EXETER_PSN", CostShare(session_rate=RATE))
BOOKS = Rulebooks((EXETER,))
WEEKS = [at(2027, 1, 11) + dt.timedelta(weeks=n) for n in range(8)]
NOTE = "Discussed workload and next steps"
REVIEW = "case.review_commitment"
HOLD = "case.hold_session"


def proposed(*rules):
    """EXETER_PSN v2 in force from the same day, with ``rules`` replacing their namesakes."""
    return Rulebooks((EXETER.revised(2, EXETER.effective_from, *rules),))


def history(log=None, *, note=NOTE, books=BOOKS, **request):
    """The support service over the history described above, and the ids of its commands by label."""
    support = PastoralSupport(log if log is not None else EventLog(), books)
    ids = {}

    def run(label, c, case_id="1"):
        ids[label] = c.command_id
        support.handle(c, case_id)

    run("enrol", command(EnrolOfficer, at(2026, 12, 1), officer_id="off-gp-1", background=Background.GP), None)
    run("receive", gp_request(at(2026, 12, 24, 16), **request))
    run("mou", mou(at(2026, 12, 29)))
    run("allocate", allocate(GP_A, "off-gp-1", at(2026, 12, 29, 11)))
    run("respond", command(RespondToRequest, at(2026, 12, 31)))
    for n, day in enumerate(WEEKS[:6]):
        run(f"schedule s{n}", schedule(f"s{n}", GP_A, day))
        run(f"hold s{n}", hold(f"s{n}", day))
    run("note", command(RecordNote, WEEKS[5], "officer", "off-gp-1", note_id="n1", text=note))
    extend = dict(decision=ReviewDecision.EXTEND, sessions=2, months=1, funding=Funding(Payer.RECIPIENT))
    run("review", command(ReviewCommitment, WEEKS[5] + dt.timedelta(days=1), recipient_id=GP_A, **extend))
    for n, day in enumerate(WEEKS[6:], start=6):
        run(f"schedule s{n}", schedule(f"s{n}", GP_A, day))
        run(f"hold s{n}", hold(f"s{n}", day))
    return support, ids


@pytest.fixture(scope="module")
def recorded():
    return history()


def changed(report: WhatIf, ids):
    """The lines as ``{label: (changes, rule ids, money)}``."""
    labels = {v: k for k, v in ids.items()}
    return {labels[line.command_id]: (line.changes, line.rule_ids, dict(line.money)) for line in report.lines}


R, F, U, P, D, N = (
    WhatIfChange.REFUSED,
    WhatIfChange.FLAGGED,
    WhatIfChange.UNFLAGGED,
    WhatIfChange.PRICED,
    WhatIfChange.RECORDED,
    WhatIfChange.NOT_REDECIDED,
)


def money(**by_payer):
    return {("LMC" if payer == "lmc" else payer.replace("_", "-")): decimal.Decimal(v) for payer, v in by_payer.items()}


@pytest.mark.parametrize("mode", list(WhatIfMode))
def test_the_same_rulebook_changes_nothing(recorded, mode):
    support, ids = recorded
    report = support.what_if(BOOKS, mode=mode)
    assert report.lines == ()
    assert report.totals.decisions == len(ids) == 23
    assert report.totals.of(HOLD) == 8 and report.totals.money == ()
    assert report.text == f"{mode.described}, under EXETER_PSN v1: of 23 recorded decisions, no decision would change."


def test_eight_sessions_instead_of_six_as_recorded_refuse_the_review_and_change_nothing_else(recorded):
    support, ids = recorded
    report = support.what_if(proposed(SessionAllowance(sessions=8)))
    assert report.mode is WhatIfMode.AS_RECORDED
    assert changed(report, ids) == {
        "allocate": ((D,), (), {}),  # the engagement's initial allowance is recorded at allocation
        "review": ((R,), ("PSN-REVIEW",), {}),  # 6 of 8 used: no review is needed yet
    }
    (refusal,) = report.lines[1].verdicts
    assert refusal.message == "the allowance is not yet used (6 of 8) and its window runs to 2027-04-25"
    assert report.totals.count(R, REVIEW) == 1 and report.totals.of(REVIEW) == 1


def test_eight_sessions_instead_of_six_counterfactual_moves_the_two_extra_sessions_onto_the_lmc(recorded):
    support, ids = recorded
    report = support.what_if(proposed(SessionAllowance(sessions=8)), mode=WhatIfMode.COUNTERFACTUAL)
    assert changed(report, ids) == {
        "allocate": ((D,), (), {}),
        "review": ((R,), ("PSN-REVIEW",), {}),
        "hold s6": ((P,), ("PSN-ALLOWANCE",), money(lmc="75.00", gp_a="-75.00")),
        "hold s7": ((P,), ("PSN-ALLOWANCE",), money(lmc="75.00", gp_a="-75.00")),
    }
    assert dict(report.totals.money) == money(lmc="150.00", gp_a="-150.00")
    assert report.text == (
        "Counterfactual (each decision taken again on the state the proposed rules would have produced), "
        "under EXETER_PSN v2: of 23 recorded decisions, refused: 1 of 1 case.review_commitment; "
        "priced differently: 2 of 8 case.hold_session; recorded differently: 1 of 1 case.allocate_officer. "
        "Money: LMC +£150.00, gp-a -£150.00."
    )


def test_at_the_allowance_used_the_review_stands_and_one_session_past_it_is_refused(recorded):
    support, ids = recorded
    at_the_limit = support.what_if(proposed(SessionAllowance(sessions=6, grace_days=14)))
    assert at_the_limit.lines == ()
    one_past = support.what_if(proposed(SessionAllowance(sessions=7)))
    assert changed(one_past, ids) == {"allocate": ((D,), (), {}), "review": ((R,), ("PSN-REVIEW",), {})}


def test_seven_sessions_counterfactual_cascades_the_eighth_needs_the_review_that_was_dropped(recorded):
    support, ids = recorded
    report = support.what_if(proposed(SessionAllowance(sessions=7)), mode=WhatIfMode.COUNTERFACTUAL)
    assert changed(report, ids) == {
        "allocate": ((D,), (), {}),
        "review": ((R,), ("PSN-REVIEW",), {}),
        "hold s6": ((P,), ("PSN-ALLOWANCE",), money(lmc="75.00", gp_a="-75.00")),
        "schedule s7": ((R,), ("PSN-ALLOWANCE",), {}),  # 7 of 7 used, and no review now
        "hold s7": ((R,), ("STATE",), money(gp_a="-75.00")),  # never booked, never held, never paid
    }
    assert dict(report.totals.money) == money(lmc="75.00", gp_a="-150.00")


def test_three_working_days_to_respond_as_recorded_and_counterfactual(recorded):
    support, ids = recorded
    three = proposed(ResponseTime(working_days=3))
    as_recorded = support.what_if(three)
    # the due date recorded with the request moves; the response is still judged by the due date recorded
    assert changed(as_recorded, ids) == {"receive": ((D,), ("PSN-RESPONSE",), {})}
    counterfactual = support.what_if(three, mode=WhatIfMode.COUNTERFACTUAL)
    assert changed(counterfactual, ids) == {
        "receive": ((D,), ("PSN-RESPONSE",), {}),
        "respond": ((U,), ("PSN-RESPONSE",), {}),  # due 31 Dec 17:00 now: answered in time
    }


def test_one_working_day_the_response_stays_late_against_an_earlier_due_date(recorded):
    support, ids = recorded
    report = support.what_if(proposed(ResponseTime(working_days=1)), mode=WhatIfMode.COUNTERFACTUAL)
    assert changed(report, ids) == {
        "receive": ((D,), ("PSN-RESPONSE",), {}),
        "respond": ((D,), ("PSN-RESPONSE",), {}),  # still flagged: no flag changes, the due date recorded does
    }
    assert "due (2026-12-29T17:00:00+00:00)" in report.lines[1].verdicts[0].message


def test_two_working_days_flag_a_response_that_five_let_pass():
    five = EXETER.adapted("FIVE_PSN", ResponseTime(working_days=5))
    support, ids = history(books=Rulebooks((five,)))
    two = Rulebooks((five.revised(2, five.effective_from, ResponseTime(working_days=2)),))
    assert changed(support.what_if(two), ids) == {"receive": ((D,), ("PSN-RESPONSE",), {})}
    report = support.what_if(two, mode=WhatIfMode.COUNTERFACTUAL)
    assert changed(report, ids) == {
        "receive": ((D,), ("PSN-RESPONSE",), {}),
        "respond": ((F,), ("PSN-RESPONSE",), {}),
    }
    (flag,) = report.lines[1].verdicts
    assert flag.message == (
        "first response at 2026-12-31T10:00:00+00:00 was after it was due (2026-12-30T17:00:00+00:00)"
    )


def test_a_dearer_session_rate_prices_every_session_and_the_payer_of_each(recorded):
    support, ids = recorded
    dearer = proposed(CostShare(session_rate=decimal.Decimal("80.00")))
    for mode in WhatIfMode:
        report = support.what_if(dearer, mode=mode)
        # the LMC pays for the initial allowance at the session rate; no verdict reads differently
        initial = {f"hold s{n}": ((P,), (), money(lmc="5.00")) for n in range(6)}
        extension = {f"hold s{n}": ((P,), ("PSN-COST-SHARE",), money(gp_a="5.00")) for n in (6, 7)}
        assert changed(report, ids) == initial | extension, mode
        assert dict(report.totals.money) == money(lmc="30.00", gp_a="10.00")
        assert all(row["mode"] == mode.value for row in [*report.to_rows(), *report.totals.to_rows()])


def test_the_sentence_names_the_largest_money_changes_and_sums_the_rest_while_the_totals_keep_every_payer():
    from pastoral_core.kernel import WhatIfTotals

    Decimal = decimal.Decimal
    money = [("LMC", Decimal("4600.00")), ("gp-1", Decimal("-80.00")), ("gp-2", Decimal("-160.00"))]
    money += [("gp-3", Decimal("-240.00")), ("gp-4", Decimal("-20.00"))]
    totals = WhatIfTotals(WhatIfMode.COUNTERFACTUAL, "X v2", (("case.hold_session", 5),), (), money)
    report = WhatIf(WhatIfMode.COUNTERFACTUAL, "X v2", (), totals)
    assert report.text.endswith("Money: LMC +£4,600.00, gp-3 -£240.00, gp-2 -£160.00, 2 other payers -£100.00.")
    assert totals.money_delta("gp-4") == Decimal("-20.00")
    four = WhatIf(
        WhatIfMode.COUNTERFACTUAL, "X v2", (), WhatIfTotals(WhatIfMode.COUNTERFACTUAL, "X v2", (), (), money[:4])
    )
    assert four.text.endswith("Money: LMC +£4,600.00, gp-1 -£80.00, gp-2 -£160.00, gp-3 -£240.00.")
