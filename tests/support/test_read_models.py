"""The pastoral-support read models as tables: plain rows, HTML, bad input refused; and the network the tests build.

Each read model's known answers are in its own file (``test_read_models_<concern>.py``);
they build their histories with :class:`Network` (commands through ``PastoralSupport``).
"""

import datetime as dt
import decimal
from html.parser import HTMLParser

import pytest

from pastoral_core import EventLog, Rulebooks
from pastoral_core.exceptions import InvalidType, InvalidValue, NaiveDatetimeError
from pastoral_core.kernel import Projection, Tenancy
from pastoral_core.support import (
    CASE,
    DEVON_PSN_V1,
    NETWORK,
    AllocateOfficer,
    Allowances,
    Background,
    ChargeableServices,
    CostShare,
    EnrolOfficer,
    HoldSession,
    NotesDue,
    OfficerLoads,
    PastoralSupport,
    Payments,
    ReceiveRequest,
    Recipient,
    RecipientKind,
    ResponseTimes,
    ScheduleSession,
    SendMou,
)
from pastoral_core.values import london_date
from tests.builders import COORD, at, command

RATE = decimal.Decimal("75.00")
#: The Devon rulebook with a session rate and legal advice chargeable (the library ships neither).
BOOKS = Rulebooks(
    (
        DEVON_PSN_V1.adapted(
            "TEST_PSN", CostShare(session_rate=RATE), ChargeableServices(chargeable=("legal", "career_counselling"))
        ),
    )
)
OFFICERS = (
    ("off-gp-1", Background.GP),
    ("off-gp-2", Background.GP),
    ("off-gp-3", Background.GP),
    ("off-pm-1", Background.PRACTICE_MANAGER),
    ("off-lay-1", Background.LAY),
)
PRACTICE = "P-EXE-12"


class Network:
    """An LMC's network over an event log: officers enrolled, commands run through ``PastoralSupport``."""

    def __init__(self, rulebooks=BOOKS, enrolled=at(2019, 1, 2), records=None, organisation=None):
        self.rulebooks, self.organisation = rulebooks, organisation
        self.log = EventLog() if records is None else EventLog.from_records(records)
        self.support = PastoralSupport(self.log, rulebooks)
        if records is None:
            for officer_id, background in OFFICERS:
                self.run(None, EnrolOfficer, enrolled, officer_id=officer_id, background=background)

    def copy(self):
        """Another network over a copy of this one's log."""
        return Network(self.rulebooks, records=self.log.read_all(), organisation=self.organisation)

    def run(self, case_id, cls, when, role=None, actor=COORD, **fields):
        """Run one command; a refusal fails the test (a hand-built history is valid by design)."""
        if self.organisation is not None:
            fields.setdefault("organisation", self.organisation)
        return self.support.handle(command(cls, when, role, actor, **fields), case_id)

    def request(self, case_id, when, recipient="gp-a", nation="ENG", kind=RecipientKind.GP):
        self.run(
            case_id,
            ReceiveRequest,
            when,
            kind=kind,
            recipients=(Recipient(recipient, kind),),
            practice_id=PRACTICE,
            nation=nation,
        )

    def practice_request(
        self, case_id, when, members=(("gp-a", RecipientKind.GP), ("pm-c", RecipientKind.PRACTICE_MANAGER))
    ):
        recipients = tuple(Recipient(r, kind) for r, kind in members)
        self.run(
            case_id, ReceiveRequest, when, kind=RecipientKind.PRACTICE, recipients=recipients, practice_id=PRACTICE
        )

    def open_case(self, case_id, when, recipient="gp-a", officer="off-gp-1", kind=RecipientKind.GP):
        """A request, the MoU and a lead officer, all at ``when``."""
        self.request(case_id, when, recipient, kind=kind)
        self.run(case_id, SendMou, when, terms_version="PSN-MOU-2019")
        self.run(case_id, AllocateOfficer, when, recipient_id=recipient, officer_id=officer)

    def session(self, case_id, session_id, recipient, starts_at, held_at=None, **fields):
        """Book a session a day ahead and hold it (at ``held_at``, by default when it starts)."""
        self.run(
            case_id,
            ScheduleSession,
            starts_at - dt.timedelta(days=1),
            session_id=session_id,
            recipient_id=recipient,
            starts_at=starts_at,
        )
        return self.run(case_id, HoldSession, held_at or starts_at, session_id=session_id, **fields)

    def sessions(self, case_id, recipient, starts, prefix="s"):
        for n, starts_at in enumerate(starts, start=1):
            self.session(case_id, f"{prefix}{n}", recipient, starts_at)

    def cases(self):
        return self.support.cases()

    def projection(self, organisation=Tenancy.ONE):
        return Projection.build(CASE, self.log.read_all(), organisation)


def every_model(network, moment):
    cases = network.cases()
    return [
        ResponseTimes.of(cases, moment, BOOKS),
        OfficerLoads.of(cases, moment, limit=1),
        Allowances.of(cases, london_date(moment), BOOKS),
        Payments.of(network.projection()),
        NotesDue.of(cases, london_date(moment)),
    ]


@pytest.fixture(scope="module")
def busy():
    """A little of everything: a late response, sessions after a review (charged), a referral, a closure."""
    from pastoral_core.support import (
        CloseCase,
        ClosureOutcome,
        Funding,
        Payer,
        RecordNote,
        ReferToService,
        RespondToRequest,
        ReviewCommitment,
        ReviewDecision,
    )

    network = Network()
    network.open_case("1", at(2027, 1, 4, 9))
    network.run("1", RespondToRequest, at(2027, 1, 7, 9))
    network.sessions("1", "gp-a", [at(2027, 1, 11, 14) + dt.timedelta(weeks=n) for n in range(6)])
    network.run(
        "1",
        ReviewCommitment,
        at(2027, 2, 16),
        recipient_id="gp-a",
        decision=ReviewDecision.EXTEND,
        sessions=2,
        months=1,
        funding=Funding(Payer.SHARED, decimal.Decimal(50)),
    )
    network.session("1", "x1", "gp-a", at(2027, 2, 22, 14))
    network.run("1", ReferToService, at(2027, 2, 23), referral_id="r1", recipient_id="gp-a", service="legal")
    network.run("1", RecordNote, at(2027, 2, 23), "officer", "off-gp-1", note_id="n1", text="Agreed a plan.")
    network.run("1", CloseCase, at(2027, 3, 1), outcome=ClosureOutcome.RESOLVED)
    network.open_case("2", at(2027, 2, 1, 9), officer="off-gp-2")
    return network


PLAIN = (str, int, bool, decimal.Decimal, dt.date, type(None))


def test_every_model_gives_rows_of_plain_values_keyed_by_its_columns(busy):
    for model in every_model(busy, at(2033, 3, 2)):
        rows = model.to_rows()
        assert rows, type(model).__name__
        for row in rows:
            assert tuple(row) == model.columns
            assert all(type(value) in PLAIN or isinstance(value, dt.date) for value in row.values()), row


def test_the_rows_carry_what_the_history_says(busy):
    responses, loads, allowances, payments, notes = every_model(busy, at(2027, 3, 2))
    assert responses.to_rows() == [
        {
            "month": "2027-01",
            "nation": "ENG",
            "requests": 1,
            "in_time": 0,
            "late": 1,
            "open": 0,
            "overdue": 0,
            "median_working_days": decimal.Decimal("3.00"),
        },
        {
            "month": "2027-02",
            "nation": "ENG",
            "requests": 1,
            "in_time": 0,
            "late": 0,
            "open": 0,
            "overdue": 1,
            "median_working_days": None,
        },
    ]
    assert [(r["officer_id"], r["open_engagements"], r["sessions_90_days"]) for r in loads.to_rows()] == [
        ("off-gp-1", 0, 7),
        ("off-gp-2", 1, 0),
    ]
    assert [(r["case_id"], r["used"], r["granted"], r["review_due"]) for r in allowances.to_rows()] == [
        ("2", 0, 6, False)
    ]
    assert [(r["payer"], r["payer_id"], r["amount"], r["chargeable_referrals"]) for r in payments.to_rows()] == [
        ("lmc", None, decimal.Decimal("37.50"), 0),
        ("recipient", "gp-a", decimal.Decimal("37.50"), 1),
    ]
    assert notes.to_rows() == []


class Cells(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.caption, self.headers, self.cells, self._in = "", [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self._in = tag
        if tag == "td":
            self.cells.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.caption += data
        elif self._in == "th":
            self.headers.append(data)
        elif self._in == "td":
            self.cells[-1] += data


def test_every_model_reads_as_an_html_table_in_a_notebook(busy):
    for model in every_model(busy, at(2027, 3, 2)):
        parsed = Cells(model._repr_html_())
        assert parsed.caption == model.caption
        assert tuple(parsed.headers) == model.columns
        assert len(parsed.cells) == len(model.columns) * len(model.to_rows())
    payments = every_model(busy, at(2027, 3, 2))[3]
    assert "37.50" in Cells(payments._repr_html_()).cells


def test_an_empty_history_gives_empty_tables_that_still_have_their_headers():
    network = Network()
    for model in every_model(network, at(2027, 3, 2)):
        assert model.to_rows() == []
        assert Cells(model._repr_html_()).headers == list(model.columns)


def test_a_model_holds_no_free_text_no_enums_and_no_attrs_objects(busy):
    """Rows are ids, labels, counts, money, dates and flags: nothing a person typed about a case."""
    typed = "Agreed a plan."
    for model in every_model(busy, at(2027, 3, 2)):
        assert typed not in repr(model) + model._repr_html_()


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda cases: ResponseTimes.of(cases, dt.datetime(2027, 3, 1, 9), BOOKS), NaiveDatetimeError),
        (lambda cases: ResponseTimes.of(cases, dt.date(2027, 3, 1), BOOKS), InvalidType),
        (lambda cases: ResponseTimes.of(cases, at(2027, 3, 1), DEVON_PSN_V1), InvalidType),
        (lambda cases: ResponseTimes.of(list(cases.values()), at(2027, 3, 1), BOOKS), InvalidType),
        (lambda cases: ResponseTimes.of({int(k): c for k, c in cases.items()}, at(2027, 3, 1), BOOKS), InvalidType),
        (lambda cases: ResponseTimes.of({"x": "not a case"}, at(2027, 3, 1), BOOKS), InvalidType),
        (lambda cases: OfficerLoads.of(cases, at(2027, 3, 1), limit=-1), InvalidValue),
        (lambda cases: OfficerLoads.of(cases, at(2027, 3, 1), limit=True), InvalidType),
        (lambda cases: OfficerLoads.of(cases, at(2027, 3, 1), limit=2.0), InvalidType),
        (lambda cases: OfficerLoads.of(cases, dt.datetime(2027, 3, 1), limit=2), NaiveDatetimeError),
        (lambda cases: Allowances.of(cases, at(2027, 3, 1), BOOKS), InvalidType),
        (lambda cases: Allowances.of(cases, "2027-03-01", BOOKS), InvalidType),
        (lambda cases: Allowances.of(cases, dt.date(2027, 3, 1), None), InvalidType),
        (lambda cases: NotesDue.of(cases, at(2034, 3, 1)), InvalidType),
        (lambda cases: NotesDue.of(None, dt.date(2034, 3, 1)), InvalidType),
        (lambda cases: Payments.of(cases), InvalidType),
        (lambda cases: Payments.of(Projection(NETWORK)), InvalidValue),
    ],
)
def test_bad_input_is_refused_with_the_library_errors_naming_what_was_wrong(busy, make, error):
    cases = busy.cases()
    before = dict(cases)
    with pytest.raises(error) as raised:
        make(cases)
    assert str(raised.value).split(".")[0] in {"ResponseTimes", "OfficerLoads", "Allowances", "NotesDue", "Payments"}
    assert dict(cases) == before


def test_a_data_frame_of_the_rows_has_numeric_and_boolean_columns(busy):
    pandas = pytest.importorskip("pandas")
    responses, loads, allowances, payments, _ = every_model(busy, at(2027, 3, 2))
    frame = pandas.DataFrame(loads.to_rows())
    assert str(frame["open_engagements"].dtype) == "int64" and str(frame["over_limit"].dtype) == "bool"
    frame = pandas.DataFrame(payments.to_rows())
    assert str(frame["sessions"].dtype) == "int64"
    assert frame["amount"].sum() == decimal.Decimal("75.00")  # Decimal kept exact
    frame = pandas.DataFrame(allowances.to_rows())
    assert str(frame["used"].dtype) == "int64" and str(frame["review_due"].dtype) == "bool"
    assert list(pandas.DataFrame(responses.to_rows()).columns) == list(responses.columns)
