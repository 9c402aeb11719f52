"""A case's SVG timeline: valid SVG, one mark per fact, dated axis, legend, no free text."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from pastoral_core import EventLog
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.rules import Rulebooks
from pastoral_core.support import (
    DEVON_PSN_V1,
    Background,
    CancelSession,
    Case,
    ChargeableServices,
    CloseCase,
    ClosureOutcome,
    CostShare,
    DestroyNotes,
    EnrolOfficer,
    Funding,
    MarkDidNotAttend,
    NotesDestroyed,
    PastoralSupport,
    Payer,
    RecordNote,
    ReferToService,
    RespondToRequest,
    ReviewCommitment,
    ReviewDecision,
    ScheduleSession,
    case_timeline,
)
from pastoral_core.values import free_text_fields
from tests.support.helpers import (
    GP_A,
    GP_B,
    WEEKLY,
    allocate,
    at,
    command,
    hold,
    mou,
    officer_command,
    practice_request,
    sessions_held,
)

SVG = "{http://www.w3.org/2000/svg}"
NOTE_TEXT = "Agreed a quieter rota for spring."
DESTROY_REASON = "Asked for early erasure after closure."
BOOKS = Rulebooks(
    (
        DEVON_PSN_V1.adapted(
            "TIMELINE_PSN", CostShare(session_rate=Decimal("75.00")), ChargeableServices(chargeable=("legal",))
        ),
    )
)


def worked_case():
    """A practice case through the service: 8 sessions of every status, a review, a referral, closure, destruction."""
    log = EventLog()
    support = PastoralSupport(log, BOOKS)
    for officer, practice in (("off-gp-1", "P-1"), ("off-gp-2", "P-2")):
        support.handle(
            command(EnrolOfficer, at(2027, 1, 4), officer_id=officer, background=Background.GP, practice_id=practice)
        )

    def case(c):
        return support.handle(c, "17")

    case(practice_request(at(2027, 1, 8, 16, 30)))
    case(command(RespondToRequest, at(2027, 1, 13, 9)))  # due 12 January 17:00: late
    case(mou(at(2027, 1, 13, 10)))
    case(allocate(GP_A, "off-gp-1", at(2027, 1, 13, 11)))
    case(allocate(GP_B, "off-gp-2", at(2027, 1, 13, 11)))
    for c in sessions_held(GP_A, WEEKLY[:4]):
        case(c)
    case(command(ScheduleSession, at(2027, 2, 12), session_id="x1", recipient_id=GP_A, starts_at=at(2027, 2, 15, 14)))
    case(officer_command(MarkDidNotAttend, "off-gp-1", at(2027, 2, 15, 16), session_id="x1"))
    case(command(ScheduleSession, at(2027, 2, 16), session_id="x2", recipient_id=GP_A, starts_at=at(2027, 2, 22, 14)))
    case(command(CancelSession, at(2027, 2, 18), session_id="x2", with_notice=True))
    case(command(ScheduleSession, at(2027, 2, 19), session_id="x3", recipient_id=GP_A, starts_at=at(2027, 3, 1, 14)))
    case(hold("x3", at(2027, 3, 1, 15)))
    case(
        command(
            ReviewCommitment,
            at(2027, 3, 2),
            recipient_id=GP_A,
            decision=ReviewDecision.EXTEND,
            sessions=2,
            months=2,
            funding=Funding(Payer.SHARED, Decimal(50)),
        )
    )
    case(command(ScheduleSession, at(2027, 3, 3), session_id="x4", recipient_id=GP_A, starts_at=at(2027, 3, 8, 14)))
    case(hold("x4", at(2027, 3, 8, 15)))
    case(command(ScheduleSession, at(2027, 3, 9), session_id="x5", recipient_id=GP_B, starts_at=at(2027, 3, 15, 9)))
    case(command(ReferToService, at(2027, 3, 9), referral_id="r1", recipient_id=GP_B, service="legal"))
    case(officer_command(RecordNote, "off-gp-1", at(2027, 3, 9), note_id="n1", text=NOTE_TEXT))
    case(command(CloseCase, at(2027, 3, 31), outcome=ClosureOutcome.COMPROMISE))
    case(command(DestroyNotes, at(2027, 4, 5), role="caldicott_guardian", actor="cg-1", reason=DESTROY_REASON))
    return support.case("17"), log.read_stream("case-17")


CASE, RECORDS = worked_case()
STATE_MARKS = 4 + 9 + 1  # received, due, responded, MoU; nine sessions; closed
RECORD_MARKS = 3  # the review, the referral, the notes' destruction


def parse(svg):
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def marks_of(root):
    return root.findall(f".//{SVG}g[@class='mark']")


def test_the_svg_parses_and_has_one_mark_per_fact_of_the_case():
    root = parse(case_timeline(CASE))
    marks = marks_of(root)
    assert len(marks) == STATE_MARKS
    labels = [m.get("data-label") for m in marks]
    assert labels.count("request received") == labels.count("response due") == 1
    assert labels.count("responded late") == labels.count("MoU sent") == labels.count("closed") == 1
    sessions = [label for label in labels if label.startswith("session ")]
    assert sorted(sessions) == sorted(
        ["session held"] * 6
        + ["session did not attend", "session cancelled with notice"]
        + ["session cancelled with notice"]  # x5, cancelled by the closure
    )


def test_every_mark_has_a_title_and_the_sessions_have_a_lane_per_recipient():
    root = parse(case_timeline(CASE))
    for mark in marks_of(root):
        title = mark.find(f"{SVG}title")
        assert title is not None and title.text.strip()
        assert len(list(mark)) == 2  # the title and one shape
    lanes = {m.get("data-lane") for m in marks_of(root)}
    assert lanes == {"request", f"sessions {GP_A}", f"sessions {GP_B}", "closure"}
    titles = [m.find(f"{SVG}title").text for m in marks_of(root)]
    assert any(t.startswith("Session x1 for gp-a with off-gp-1") and t.endswith("did not attend") for t in titles)


def test_records_add_the_facts_the_case_holds_no_date_for():
    root = parse(case_timeline(CASE, RECORDS))
    marks = marks_of(root)
    assert len(marks) == STATE_MARKS + RECORD_MARKS
    by_label = {m.get("data-label"): m.find(f"{SVG}title").text for m in marks}
    assert by_label["review"] == "Review for gp-a on 2027-03-02: extend"
    assert by_label["referral"] == "Referral r1 of gp-b to legal, charged to gp-b, 2027-03-09"
    assert by_label["notes destroyed"] == "1 note(s) destroyed 2027-04-05 (early, with a recorded reason)"
    assert not any("give the case's records" in t for t in texts(root))


def texts(root):
    return [t.text for t in root.iter(f"{SVG}text")]


def test_without_records_a_destruction_is_noted_not_drawn():
    root = parse(case_timeline(CASE))
    assert "Notes destroyed: give the case's records to date it." in texts(root)
    assert "notes destroyed" not in {m.get("data-label") for m in marks_of(root)}


def test_the_axis_carries_dates_and_the_legend_names_each_kind_shown():
    root = parse(case_timeline(CASE, RECORDS))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert len(ticks) >= 4
    for tick in ticks:
        dt.datetime.strptime(f"{tick} 2027", "%d %b %Y")  # weekly ticks over three months: "11 Jan"
    legend = [g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g") if g.get("class") == "legend-item"]
    assert set(legend) == {m.get("data-label") for m in marks_of(root)}
    assert len(legend) == len(set(legend))


def test_marks_sit_in_time_order_along_the_axis():
    root = parse(case_timeline(CASE, RECORDS))
    xs = []
    for mark in marks_of(root):
        shape = list(mark)[1]
        if shape.tag == f"{SVG}circle":
            xs.append(float(shape.get("cx")))
        elif shape.tag == f"{SVG}rect":
            xs.append(float(shape.get("x")) + float(shape.get("width")) / 2)
        else:
            points = [tuple(map(float, p.split(","))) for p in shape.get("points").split()]
            xs.append(points[0][0])
    assert xs == sorted(xs)


def test_no_free_text_reaches_the_timeline():
    svg = case_timeline(CASE, RECORDS)
    assert NOTE_TEXT not in svg and DESTROY_REASON not in svg
    assert NOTE_TEXT not in CASE._repr_html_()


def test_an_empty_case_still_draws_and_says_so():
    root = parse(case_timeline(Case()))
    assert marks_of(root) == []
    assert "No facts recorded yet." in texts(root)


def test_the_case_shows_its_timeline_above_its_table():
    html = CASE._repr_html_()
    assert html.index("<svg") < html.index("<table")
    assert CASE.timeline_svg(RECORDS) == case_timeline(CASE, RECORDS)


def test_width_is_honoured_and_checked():
    root = parse(case_timeline(CASE, width=1200))
    assert root.get("width") == "1200"
    for bad in (100, 5000, True, 760.0):
        with pytest.raises(InvalidValue, match="width"):
            case_timeline(CASE, width=bad)


def test_bad_arguments_are_refused_clearly():
    with pytest.raises(InvalidType, match="must be a Case"):
        case_timeline("case-17")
    with pytest.raises(InvalidType, match="recorded events"):
        case_timeline(CASE, ["not a record"])
    with pytest.raises(InvalidType, match="recorded events"):
        case_timeline(CASE, 17)
    other = EventLog()
    support = PastoralSupport(other, BOOKS)
    support.handle(practice_request(at(2027, 1, 8)), "18")
    with pytest.raises(InvalidValue, match="one case's stream"):
        case_timeline(CASE, [*RECORDS, *other.read_stream("case-18")])


def test_another_cases_records_are_refused_while_this_cases_redacted_records_still_fit():
    other = EventLog()
    support = PastoralSupport(other, BOOKS)
    support.handle(practice_request(at(2027, 1, 8)), "18")
    with pytest.raises(InvalidValue, match="must be this case's"):
        case_timeline(CASE, other.read_stream("case-18"))
    with pytest.raises(InvalidValue, match="must be this case's"):
        case_timeline(CASE, [r for r in RECORDS if r.stream_version > 1])  # no request among them
    redacted = EventLog.from_records(RECORDS)
    for record in redacted.read_all():
        fields = free_text_fields(type(record.event))
        if fields and not isinstance(record.event, NotesDestroyed):
            redacted.redact(record.position, fields)
    assert len(marks_of(parse(case_timeline(CASE, redacted.read_all())))) == STATE_MARKS + RECORD_MARKS
