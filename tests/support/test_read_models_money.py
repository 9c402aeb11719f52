"""Payments: each payer's shares of charged sessions per month (BST and month ends), and chargeable referrals."""

import datetime as dt
import decimal

import pytest

from pastoral_core.exceptions import InvalidType
from pastoral_core.kernel import Projection, Tenancy
from pastoral_core.rules import Rulebooks
from pastoral_core.support import (
    CASE,
    DEVON_PSN_V1,
    PAYERS,
    ChargeableServices,
    CostShare,
    Funding,
    HoldSession,
    Payer,
    PaymentMonth,
    Payments,
    RecipientKind,
    ReferToService,
    ReviewCommitment,
    ReviewDecision,
    ScheduleSession,
    SessionHeld,
)
from tests.builders import at
from tests.support.test_read_models import PRACTICE, Network

D = decimal.Decimal
UTC = dt.UTC
WEEKLY = [at(2027, 1, 11, 14) + dt.timedelta(weeks=n) for n in range(6)]  # 11 January to 15 February 2027


def initial_six_then_review(network, case_id, recipient, funding, officer="off-gp-1", kind=RecipientKind.GP, months=2):
    network.open_case(case_id, at(2027, 1, 4, 9), recipient=recipient, officer=officer, kind=kind)
    network.sessions(case_id, recipient, WEEKLY)  # the initial allowance: no charge
    network.run(
        case_id,
        ReviewCommitment,
        at(2027, 2, 16),
        recipient_id=recipient,
        decision=ReviewDecision.EXTEND,
        sessions=2,
        months=months,
        funding=funding,
    )


def book(network, case_id, session_id, recipient, starts_at, when):
    network.run(case_id, ScheduleSession, when, session_id=session_id, recipient_id=recipient, starts_at=starts_at)


@pytest.fixture(scope="module")
def network():
    n = Network()
    # A GP sharing 50/50: 22 February, and 31 March 23:30 UTC, which is 1 April 00:30 BST.
    initial_six_then_review(n, "gp", "gp-a", Funding(Payer.SHARED, D(50)))
    n.session("gp", "x1", "gp-a", at(2027, 2, 22, 14))
    n.run("gp", ReferToService, at(2027, 2, 23), referral_id="r1", recipient_id="gp-a", service="legal")
    n.run("gp", ReferToService, at(2027, 2, 23), referral_id="r2", recipient_id="gp-a", service="mediation")
    # entered on 2 March, made on 26 February: a February referral
    n.run("gp", ReferToService, at(2027, 3, 2, 9), referral_id="r3", recipient_id="gp-a", service="legal",
          occurred_at=at(2027, 2, 26, 10))  # fmt: skip
    n.session("gp", "x2", "gp-a", dt.datetime(2027, 3, 31, 23, 30, tzinfo=UTC))
    # A practice manager paying in full: the practice pays. 28 February 23:30 GMT, 1 March 00:30 GMT.
    initial_six_then_review(
        n, "pm", "pm-c", Funding(Payer.RECIPIENT), officer="off-pm-1", kind=RecipientKind.PRACTICE_MANAGER, months=1
    )
    book(n, "pm", "x1", "pm-c", at(2027, 2, 28, 23, 30), at(2027, 2, 20))
    book(n, "pm", "x2", "pm-c", at(2027, 3, 1, 0, 30), at(2027, 2, 20))
    n.run("pm", HoldSession, at(2027, 2, 28, 23, 30), session_id="x1")
    n.run("pm", HoldSession, at(2027, 3, 1, 0, 30), session_id="x2")
    # The LMC pays in full: no recipient share.
    initial_six_then_review(n, "lmc", "gp-b", Funding(Payer.LMC), officer="off-gp-2")
    n.session("lmc", "x1", "gp-b", at(2027, 2, 22, 15))
    # A share that does not split evenly: 33.5% of £75.00 is £25.125, half-up £25.13.
    initial_six_then_review(n, "odd", "gp-d", Funding(Payer.SHARED, D("33.5")), officer="off-gp-3", months=1)
    n.sessions("odd", "gp-d", [at(2027, 3, 8, 14), at(2027, 3, 15, 14)], prefix="x")
    # A practice case: a chargeable referral for the practice itself, and one for a partner.
    n.practice_request("prac", at(2027, 3, 1, 9))
    n.run(
        "prac", ReferToService, at(2027, 3, 10), referral_id="r1", recipient_id=PRACTICE, service="career_counselling"
    )
    n.run("prac", ReferToService, at(2027, 3, 10), referral_id="r2", recipient_id="gp-a", service="legal")
    return n


def test_each_payers_shares_per_month(network):
    assert Payments.of(network.projection()).rows == (
        PaymentMonth("2027-02", "lmc", None, 2, D("112.50"), 0),  # £37.50 shared + £75.00 in full
        PaymentMonth("2027-02", "practice", PRACTICE, 1, D("75.00"), 0),  # 28 Feb 23:30 GMT
        PaymentMonth("2027-02", "recipient", "gp-a", 1, D("37.50"), 2),  # r1 and the late r3, not mediation
        PaymentMonth("2027-03", "lmc", None, 2, D("99.74"), 0),  # 2 x £49.87
        PaymentMonth("2027-03", "practice", PRACTICE, 1, D("75.00"), 1),  # 1 Mar 00:30; career counselling
        PaymentMonth("2027-03", "recipient", "gp-a", 0, D("0.00"), 1),  # legal advice for a partner
        PaymentMonth("2027-03", "recipient", "gp-d", 2, D("50.26"), 0),  # 2 x £25.13
        PaymentMonth("2027-04", "lmc", None, 1, D("37.50"), 0),  # 31 March 23:30 UTC is 1 April in London
        PaymentMonth("2027-04", "recipient", "gp-a", 1, D("37.50"), 0),
    )
    assert PAYERS == ("lmc", "practice", "recipient")


def test_the_shares_add_up_to_the_charges_recorded(network):
    charges = [r.event.charge for r in network.log.read_all() if isinstance(r.event, SessionHeld) and r.event.charge]
    assert len(charges) == 7
    paid = sum((row.amount for row in Payments.of(network.projection()).rows), D(0))
    assert paid == sum((c.total for c in charges), D(0)) == 7 * D("75.00")


def test_the_initial_allowance_costs_nothing_here():
    network = Network()
    network.open_case("1", at(2027, 1, 4, 9))
    network.sessions("1", "gp-a", WEEKLY)
    assert Payments.of(network.projection()).rows == ()


def test_the_lmc_is_the_organisation_the_cases_belong_to():
    network = Network(organisation="devon-lmc")
    initial_six_then_review(network, "1", "gp-a", Funding(Payer.SHARED, D(50)))
    network.session("1", "x1", "gp-a", at(2027, 2, 22, 14))
    assert Payments.of(network.projection()).rows == (
        PaymentMonth("2027-02", "lmc", "devon-lmc", 1, D("37.50"), 0),
        PaymentMonth("2027-02", "recipient", "gp-a", 1, D("37.50"), 0),
    )
    assert Payments.of(network.projection("devon-lmc")) == Payments.of(network.projection(Tenancy.ALL))
    assert Payments.of(network.projection("cornwall-lmc")).rows == ()


def test_a_projection_kept_current_a_record_at_a_time_gives_the_same_payments(network):
    records = network.log.read_all()
    projection = Projection(CASE)
    for record in records:
        projection = projection.apply(record)
    assert Payments.of(projection) == Payments.of(Projection.build(CASE, records))


def _rate(book, rate):
    return book.adapted("RATED_PSN", CostShare(session_rate=D(rate)), ChargeableServices(chargeable=("legal",)))


def test_given_the_rulebooks_the_initial_allowance_is_the_lmcs_at_the_rate_in_force_on_the_day_held():
    v1 = _rate(DEVON_PSN_V1, "75.00")
    books = Rulebooks((v1, v1.revised(2, dt.date(2027, 2, 1), CostShare(session_rate=D("80.00")))))
    network = Network(rulebooks=books)
    network.open_case("1", at(2027, 1, 4, 9))
    network.sessions("1", "gp-a", WEEKLY)  # 11, 18, 25 January at £75; 1, 8, 15 February at £80
    assert Payments.of(network.projection(), books).rows == (
        PaymentMonth("2027-01", "lmc", None, 3, D("225.00"), 0),
        PaymentMonth("2027-02", "lmc", None, 3, D("240.00"), 0),
    )
    assert Payments.of(network.projection()).rows == ()  # no rulebooks: the initial allowance is not priced


def test_payments_price_sessions_as_what_if_does_so_a_money_delta_reconciles():
    recorded = Rulebooks((_rate(DEVON_PSN_V1, "75.00"),))
    proposed = Rulebooks((_rate(DEVON_PSN_V1, "90.00"),))
    network = Network(rulebooks=recorded)
    network.open_case("1", at(2027, 1, 4, 9))
    network.sessions("1", "gp-a", WEEKLY)

    def lmc(payments):
        return sum((row.amount for row in payments.rows if row.payer == "lmc"), D(0))

    before, after = Payments.of(network.projection(), recorded), Payments.of(network.projection(), proposed)
    delta = network.support.what_if(proposed).totals.money_delta("LMC")
    assert delta == lmc(after) - lmc(before) == 6 * D("15.00")


def test_rulebooks_that_are_not_rulebooks_are_refused(network):
    with pytest.raises(InvalidType, match="rulebooks"):
        Payments.of(network.projection(), "DEVON_PSN v1")


def test_a_gp_whose_id_happens_to_be_the_practice_id_still_pays_as_a_recipient():
    """Ids are the host's: who pays is judged by who the payer is, not by comparing ids."""
    network = Network()
    initial_six_then_review(network, "1", PRACTICE, Funding(Payer.RECIPIENT))  # a GP recipient named like the practice
    network.session("1", "x1", PRACTICE, at(2027, 2, 22, 14))
    assert Payments.of(network.projection()).rows == (PaymentMonth("2027-02", "recipient", PRACTICE, 1, D("75.00"), 0),)


def test_records_read_once_give_the_payments_a_projection_gives():
    from pastoral_core.testing import synthetic_history

    history = synthetic_history(11, cases=150)
    records = history.log.read_all()
    books = history.support_rulebooks
    from_projection = Payments.of(Projection.build(CASE, records), books)
    assert from_projection.rows  # sessions charged and referrals in this history
    assert Payments.of(iter(records), books) == from_projection
    assert Payments.of(r for r in records) == Payments.of(Projection.build(CASE, records))


def test_records_pick_one_organisation_and_refuse_to_mix_them_unasked():
    devon = Network(organisation="devon-lmc")
    initial_six_then_review(devon, "1", "gp-a", Funding(Payer.SHARED, D(50)))
    devon.session("1", "x1", "gp-a", at(2027, 2, 22, 14))
    records = list(devon.log.read_all())
    assert Payments.of(records) == Payments.of(devon.projection())
    assert Payments.of(records, organisation="cornwall-lmc").rows == ()
    assert Payments.of(records, organisation=Tenancy.ALL) == Payments.of(records)
    cornwall = Network(organisation="cornwall-lmc")
    initial_six_then_review(cornwall, "2", "gp-b", Funding(Payer.SHARED, D(50)))
    cornwall.session("2", "x1", "gp-b", at(2027, 2, 22, 14))
    both = records + list(cornwall.log.read_all())
    from pastoral_core.exceptions import InvalidValue

    with pytest.raises(InvalidValue, match="several organisations"):
        Payments.of(both)
    mixed = Payments.of(both, organisation=Tenancy.ALL)
    assert {r.payer_id for r in mixed.rows if r.payer == "lmc"} == {"devon-lmc", "cornwall-lmc"}
    assert Payments.of(both, organisation="cornwall-lmc") == Payments.of(cornwall.log.read_all())


def test_records_holding_a_charge_before_its_request_are_refused():
    from pastoral_core.exceptions import InvalidValue

    network = Network(organisation="devon-lmc")
    initial_six_then_review(network, "1", "gp-a", Funding(Payer.SHARED, D(50)))
    network.session("1", "x1", "gp-a", at(2027, 2, 22, 14))
    records = [r for r in network.log.read_all() if type(r.event).__name__ != "RequestReceived"]
    with pytest.raises(InvalidValue, match="before its request"):
        Payments.of(records)
    with pytest.raises(InvalidType):
        Payments.of({"1": None})


def test_facts_read_from_json_lines_give_the_payments_records_give():
    from pastoral_core.eventlog import dumps, iter_facts
    from pastoral_core.testing import synthetic_history

    history = synthetic_history(12, cases=120)
    records = history.log.read_all()
    books = history.support_rulebooks
    assert Payments.of(iter_facts(dumps(records)), books) == Payments.of(records, books)
    with pytest.raises(InvalidType, match="RecordedEvents or Facts"):
        Payments.of([records[0], "not a record"])
