"""Every aggregate state is a Table: plain rows under fixed columns, a readable HTML table, no free text."""

import datetime as dt
import decimal
from html.parser import HTMLParser

import pytest

from pastoral_core.peer_groups import (
    PEER_GROUP,
    PROGRAMME,
    ClaimFacilitatorMinutes,
    DeclineGroup,
    HoldMeeting,
    OpenEvaluationRound,
    ProposeGroup,
    RecordEvaluationResponse,
    RoundKind,
    WithdrawAttendee,
)
from pastoral_core.portfolio import (
    MEMBER,
    OPPORTUNITY,
    AnswerIntroduction,
    CareerOutcome,
    HoldOneToOne,
    IntroduceToOpportunity,
    IntroductionResponse,
    LinkPeerGroup,
    PortfolioContext,
    RecordOutcome,
    ReviewOpportunity,
    Topic,
    WithdrawOpportunity,
)
from pastoral_core.support import (
    CASE,
    NETWORK,
    AddSecondOfficer,
    AnswerReferral,
    CeaseSupport,
    CloseCase,
    ClosureOutcome,
    DeclineIntervention,
    DisclosureBasis,
    HoldFacilitatedMeeting,
    MeetingKind,
    RaiseSafetyConcern,
    RecordDisclosure,
    RecordDispute,
    RecordNote,
    ReferralAnswer,
    ReferToService,
    ReportAggression,
    ResolveSafetyConcern,
    RespondToRequest,
    SafetyOutcome,
    SeekSafetyGuidance,
)
from pastoral_core.support._state_rows import DIRECTORY_COLUMNS, directory_rows
from pastoral_core.tables import Table
from tests.builders import at, command
from tests.peer_groups import helpers as gps
from tests.portfolio import helpers as pp
from tests.support import helpers as psn

PLAIN = (str, int, bool, decimal.Decimal, dt.date, dt.datetime, type(None))
FREE_TEXT = {
    "note": "Talked through the rota and a fairer share of visits.",
    "intervention": "A formal investigation of the partnership",
    "declined": "Outside what the network offers; suggested the ICB.",
    "guidance": "Guidance line of the defence union",
    "body": "Regulator contact desk",
    "group_declined": "Duplicates the existing Balint group nearby.",
    "withdrawn": "The practice filled the post before closing.",
}


def t(day, hour=10):
    return psn.T0 + dt.timedelta(days=day, hours=hour - 10)


def a_case():
    """A practice case with a little of everything, decided by the real rules."""
    officer = psn.officer_command
    events = psn.history(
        psn.practice_request(t(0)),
        command(RespondToRequest, t(1)),
        psn.mou(t(1, 11)),
        psn.allocate(psn.GP_A, "off-gp-1", t(2)),
        psn.allocate(psn.GP_B, "off-gp-2", t(2)),
        command(RecordDispute, t(2, 11), party_ids=frozenset({psn.GP_A, psn.GP_B})),
        command(AddSecondOfficer, t(2, 12), officer_id="off-gp-3"),
        *psn.sessions_held(psn.GP_A, [t(7, 14), t(14, 14)]),
        officer(
            HoldFacilitatedMeeting,
            "off-gp-1",
            t(15),
            meeting_id="m1",
            kind=MeetingKind.PARTNER_MEETING,
            facilitator_id="off-gp-1",
            attendee_ids=frozenset({psn.GP_A, psn.GP_B}),
        ),
        command(ReferToService, t(16), referral_id="r1", recipient_id=psn.GP_B, service="mediation"),
        command(AnswerReferral, t(17), referral_id="r1", answer=ReferralAnswer.ACCEPTED),
        officer(RaiseSafetyConcern, "off-gp-1", t(18), concern_id="c1"),
        officer(SeekSafetyGuidance, "off-gp-1", t(18, 11), concern_id="c1", source=FREE_TEXT["guidance"]),
        officer(ResolveSafetyConcern, "off-gp-1", t(19), concern_id="c1", outcome=SafetyOutcome.NO_FURTHER_ACTION),
        command(
            RecordDisclosure,
            t(19, 11),
            disclosure_id="d1",
            recipient_body=FREE_TEXT["body"],
            basis=DisclosureBasis.CONSENT,
        ),
        command(DeclineIntervention, t(20), intervention=FREE_TEXT["intervention"], reason=FREE_TEXT["declined"]),
        officer(RecordNote, "off-gp-1", t(20, 11), note_id="n1", text=FREE_TEXT["note"]),
        officer(ReportAggression, "off-gp-2", t(21)),
        command(CeaseSupport, t(22)),
        command(CloseCase, t(23), outcome=ClosureOutcome.CEASED),
    )
    return psn.state_of(events)


def a_programme():
    _, state = gps.programme(
        gps.lead(ProposeGroup, group_id="g4", region="London"),
        gps.lead(DeclineGroup, group_id="g4", reason=FREE_TEXT["group_declined"]),
    )
    return state


def a_group():
    first = gps.FIRST_MEETING
    present = frozenset(gps.GPS[:8])
    commands = [
        command(OpenEvaluationRound, at(2026, 5, 20), round_id="base", kind=RoundKind.BASELINE, instrument="WEMWBS"),
        *[
            gps.attendee(
                RecordEvaluationResponse, at(2026, 5, 21), gp, round_id="base", answers=(3,) * 13 + (n % 5 + 1,)
            )
            for n, gp in enumerate(gps.GPS[:4])
        ],
        gps.series(count=3),
        gps.facilitator(HoldMeeting, first + dt.timedelta(hours=2), meeting_id="s-1", attendee_ids=present),
        gps.facilitator(
            ClaimFacilitatorMinutes, first + dt.timedelta(days=1), claim_id="claim-1", meeting_ids=frozenset({"s-1"})
        ),
        gps.attendee(WithdrawAttendee, first + dt.timedelta(days=2), gps.GPS[9]),
    ]
    _, state = gps.group(*commands)
    return state


def an_opportunity():
    _, state = pp.run(
        OPPORTUNITY,
        [
            pp.post(pp.listing()),
            command(ReviewOpportunity, pp.TODAY + dt.timedelta(days=3)),
            command(WithdrawOpportunity, pp.TODAY + dt.timedelta(days=9), reason=FREE_TEXT["withdrawn"]),
        ],
    )
    return state


def a_member():
    _, listed = pp.run(OPPORTUNITY, [pp.post(pp.listing())])
    context = PortfolioContext(listings={"o1": listed})
    _, state = pp.member(
        pp.assign(),
        command(HoldOneToOne, at(2027, 2, 3), session_id="s1", topic=Topic.WORKING_LIFE),
        command(IntroduceToOpportunity, pp.TODAY, introduction_id="i1", opportunity_id="o1"),
        command(AnswerIntroduction, pp.TODAY, introduction_id="i1", response=IntroductionResponse.APPLIED),
        command(LinkPeerGroup, pp.TODAY, group_id="g1"),
        command(RecordOutcome, at(2027, 6, 1), outcome=CareerOutcome.PORTFOLIO_CAREER, as_of=dt.date(2027, 6, 1)),
        context=context,
    )
    return state


STATES = {
    "case": a_case(),
    "programme": a_programme(),
    "group": a_group(),
    "opportunity": an_opportunity(),
    "member": a_member(),
}
INITIAL = {
    "case": CASE.initial,
    "programme": PROGRAMME.initial,
    "group": PEER_GROUP.initial,
    "opportunity": OPPORTUNITY.initial,
    "member": MEMBER.initial,
}


class TableReader(HTMLParser):
    """The caption, header cells and body rows of the HTML tables in a document."""

    def __init__(self):
        super().__init__()
        self.caption, self.headers, self.rows, self.tables = "", [], [], 0
        self._in, self._cell, self._row = None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables += 1
        if tag in ("caption", "thead", "tbody"):
            self._in = tag
        elif tag == "tr" and self._in == "tbody":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "th":
            self.headers.append(self._cell)
        elif tag == "td":
            self._row.append(self._cell)
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        if tag in ("th", "td"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._in == "caption":
            self.caption += data


def read(html):
    reader = TableReader()
    reader.feed(html)
    return reader


@pytest.mark.parametrize("name", STATES)
def test_each_state_is_a_table_with_fixed_columns_of_plain_values(name):
    state = STATES[name]
    assert isinstance(state, Table)
    rows = state.to_rows()
    assert rows, f"{name} has facts to show"
    for row in rows:
        assert list(row) == list(type(state).columns)
        bad = {k: type(v).__name__ for k, v in row.items() if not isinstance(v, PLAIN)}
        assert not bad, bad


@pytest.mark.parametrize("name", STATES)
def test_a_column_holds_one_type_of_value_so_a_data_frame_gets_one_dtype(name):
    rows = STATES[name].to_rows()
    for column in type(STATES[name]).columns:
        kinds = {type(row[column]) for row in rows if row[column] is not None}
        assert len(kinds) <= 1, (column, kinds)


@pytest.mark.parametrize("name", STATES)
def test_the_html_is_a_table_with_the_columns_as_headers_and_a_row_per_fact(name):
    state = STATES[name]
    table = read(state._repr_html_())
    assert table.tables == 1
    assert table.headers == list(type(state).columns)
    assert table.caption == type(state).caption
    assert len(table.rows) == len(state.to_rows())
    assert all(len(cells) == len(table.headers) for cells in table.rows)
    assert [cells[0] for cells in table.rows] == [row["what"] for row in state.to_rows()]


@pytest.mark.parametrize("name", INITIAL)
def test_an_empty_state_has_no_rows_but_keeps_its_headers(name):
    state = INITIAL[name]
    assert state.to_rows() == []
    table = read(state._repr_html_())
    assert table.headers == list(type(state).columns)
    assert table.rows == []


@pytest.mark.parametrize("name", STATES)
def test_no_free_text_is_shown(name):
    state = STATES[name]
    shown = state._repr_html_() + repr(state.to_rows())
    for text in FREE_TEXT.values():
        assert text not in shown


def test_the_case_table_reads_as_its_facts():
    rows = STATES["case"].to_rows()
    what = [r["what"] for r in rows]
    assert what[:4] == ["request received", "response due", "responded", "MoU sent"]
    assert what.count("engagement") == 2 and what.count("session") == 2
    for fact in ("dispute", "referral", "facilitated meeting", "safety concern", "disclosure"):
        assert fact in what
    assert what[-4:] == ["notes", "aggression reported", "support ceased", "closed"]
    assert "second officer" not in what  # closure ends every allocation
    by_what = {r["what"]: r for r in rows}
    assert by_what["referral"]["status"] == "accepted" and by_what["referral"]["detail"] == "mediation"
    assert by_what["safety concern"]["status"] == "resolved"
    assert by_what["notes"]["number"] == 1 and by_what["notes"]["status"] == "kept"
    assert by_what["closed"]["status"] == "ceased"
    engagement = next(r for r in rows if r["what"] == "engagement" and r["who"] == psn.GP_A)
    assert engagement["number"] == 2 and engagement["status"] == "ended"
    assert "initial allowance up to 6 sessions" in engagement["detail"]
    assert rows[0]["at"] == t(0) and rows[0]["on"] == t(0).date()


def test_the_group_table_shows_meetings_rounds_and_funding():
    rows = STATES["group"].to_rows()
    meetings = [r for r in rows if r["what"] == "meeting"]
    assert [m["status"] for m in meetings] == ["held", "planned", "planned"]
    assert meetings[0]["amount"] == decimal.Decimal("90.00") and meetings[0]["number"] == 90
    assert "8 attended" in meetings[0]["detail"] and "claimed" in meetings[0]["detail"]
    rounds = [r for r in rows if r["what"] == "evaluation round"]
    assert rounds[0]["number"] == 4 and rounds[0]["status"] == "baseline"
    assert rounds[0]["detail"].startswith("WEMWBS; mean total ")
    funding = rows[-1]
    assert funding["what"] == "funding" and funding["number"] == 90 and funding["amount"] == decimal.Decimal("90.00")
    withdrawn = [r["who"] for r in rows if r["what"] == "attendee" and r["status"] == "withdrawn"]
    assert withdrawn == [gps.GPS[9]]


def test_the_programme_member_and_opportunity_tables():
    programme = STATES["programme"].to_rows()
    assert programme[0]["what"] == "programme" and programme[0]["number"] == 50
    assert [(r["id"], r["status"]) for r in programme[1:]] == [
        ("g1", "approved"),
        ("g2", "approved"),
        ("g3", "approved"),
        ("g4", "declined"),
    ]
    member = STATES["member"].to_rows()
    assert [r["what"] for r in member] == [
        "signed up",
        "team member",
        "one-to-ones",
        "introduction",
        "peer group",
        "outcome",
    ]
    assert member[3]["status"] == "applied" and member[3]["who"] == "o1"
    opportunity = STATES["opportunity"].to_rows()
    assert opportunity[-1]["what"] == "withdrawn" and opportunity[0]["status"] == "role"


def test_the_network_is_a_table_of_each_officer():
    rows = psn.DIRECTORY.to_rows()
    assert rows == directory_rows(psn.DIRECTORY)
    page = read(psn.DIRECTORY._repr_html_())
    assert page.caption == "Network: its officers" and page.headers == list(DIRECTORY_COLUMNS)
    assert [row[0] for row in page.rows] == sorted(psn.DIRECTORY.officers)
    assert [r["officer_id"] for r in rows] == sorted(psn.DIRECTORY.officers)
    assert all(list(r) == list(DIRECTORY_COLUMNS) for r in rows)
    away = next(r for r in rows if r["officer_id"] == "off-gp-away")
    assert away["status"] == "suspended" and away["background"] == "gp"
    assert NETWORK.initial.officers == {}
