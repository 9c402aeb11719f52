"""Attendance and evaluation read models on a hand-built history with known answers."""

import datetime as dt
from decimal import Decimal

import pytest

from pastoral_core.exceptions import InvalidType
from pastoral_core.peer_groups import (
    CBI,
    WEMWBS,
    Frequency,
    GroupAttendance,
    GroupAttendanceRow,
    HoldMeeting,
    MeetingAttendance,
    MeetingAttendanceRow,
    OpenEvaluationRound,
    PairedChangeRow,
    PairedChanges,
    PeerGroup,
    PlanPeerSupportDay,
    PlanSeries,
    RecordEvaluationResponse,
    ResponseRateRow,
    ResponseRates,
    RoundKind,
    ScoreBandRow,
    ScoreDistribution,
    WithdrawAttendee,
    wellbeing_change,
    wellbeing_changes,
)
from pastoral_core.peer_groups._read_models_evaluation import score_range
from tests.builders import at, command
from tests.peer_groups.helpers import PID, group

D = Decimal


def opened(round_id, kind, instrument, when):
    return command(OpenEvaluationRound, when, round_id=round_id, kind=kind, instrument=instrument)


def answer(round_id, attendee, answers, when):
    return command(RecordEvaluationResponse, when, round_id=round_id, attendee_id=attendee, answers=tuple(answers))


def wemwbs(total):
    """14 answers (1-5) adding up to ``total``."""
    base, extra = divmod(total - 14, 14)
    return (1 + base + 1,) * extra + (1 + base,) * (14 - extra)


CBI_A = (50,) * 6 + (75,) * 6 + (0,) + (25,) * 6  # personal 50, work (6 x 75 + 100) / 7 = 78.57, client 25
CBI_B = (100,) * 19  # 100, (6 x 100 + 0) / 7 = 85.71, 100
CBI_C = (25,) * 19  # 25, (6 x 25 + 75) / 7 = 32.14, 25
CBI_D = (0,) * 19  # 0, 100 / 7 = 14.29, 0

BASELINE, FOLLOW_UP = RoundKind.BASELINE, RoundKind.FOLLOW_UP
R1_TOTALS = {"gp-1": 27, "gp-2": 28, "gp-3": 42, "gp-4": 56, "gp-5": 70, "gp-6": 14, "gp-7": 55}


def history():
    """g1 (gp-1 to gp-10 enrolled in May 2026): weekly meetings and a peer support day, WEMWBS at
    baseline and two follow-ups, the CBI at baseline and follow-up; gp-7 (who answered the
    baseline) and gp-10 (who did not) leave in August."""
    present = [{"gp-1", "gp-2", "gp-3"}, {"gp-1", "gp-2"}, {"gp-1"}]
    return group(
        command(PlanSeries, at(2026, 5, 10), plan_id="w", frequency=Frequency.WEEKLY, first_at=at(2026, 6, 3, 18),
                count=3),
        command(PlanPeerSupportDay, at(2026, 5, 10), plan_id="day", starts_at=at(2026, 7, 4, 9, 30), blocks=3),
        opened("r1", BASELINE, "WEMWBS", at(2026, 6, 1)),
        *[answer("r1", gp, wemwbs(total), at(2026, 6, 2)) for gp, total in R1_TOTALS.items()],
        opened("r4", BASELINE, "CBI", at(2026, 6, 1, 11)),
        answer("r4", "gp-1", CBI_A, at(2026, 6, 2, 11)),
        answer("r4", "gp-2", CBI_B, at(2026, 6, 2, 11)),
        *[command(HoldMeeting, at(2026, 6, 3 + 7 * n, 20), meeting_id=f"w-{n + 1}", attendee_ids=frozenset(p))
          for n, p in enumerate(present)],
        command(HoldMeeting, at(2026, 7, 4, 16), meeting_id="day", attendee_ids=frozenset({"gp-1", "gp-2", "gp-3", "gp-4"})),
        *[command(WithdrawAttendee, at(2026, 8, 1), attendee_id=gp) for gp in ("gp-7", "gp-10")],
        opened("r2", FOLLOW_UP, "WEMWBS", at(2026, 12, 1)),
        answer("r2", "gp-1", wemwbs(42), at(2026, 12, 2)),
        answer("r2", "gp-2", wemwbs(56), at(2026, 12, 2)),
        answer("r2", "gp-9", wemwbs(70), at(2026, 12, 2)),
        opened("r5", FOLLOW_UP, "CBI", at(2026, 12, 1, 11)),
        answer("r5", "gp-1", CBI_C, at(2026, 12, 2, 11)),
        answer("r5", "gp-2", CBI_D, at(2026, 12, 2, 11)),
        opened("r3", FOLLOW_UP, "WEMWBS", at(2027, 6, 1)),
        answer("r3", "gp-1", wemwbs(70), at(2027, 6, 2)),
    )[1]  # fmt: skip


STATE = history()
GROUPS = {"g1": STATE, "g2": group(opened("e", BASELINE, "WEMWBS", at(2026, 6, 1)), attendees=())[1]}


def test_the_answers_score_as_meant():
    assert {gp: WEMWBS.score(wemwbs(t))[0].value for gp, t in R1_TOTALS.items()} == R1_TOTALS
    assert [[s.value for s in CBI.score(a)] for a in (CBI_A, CBI_B, CBI_C, CBI_D)] == [
        [D("50.00"), D("78.57"), D("25.00")],
        [D("100.00"), D("85.71"), D("100.00")],
        [D("25.00"), D("32.14"), D("25.00")],
        [D("0.00"), D("14.29"), D("0.00")],
    ]


def test_attendance_per_group():
    """Meetings of 3, 2 and 1 attendees and a day of 4: 10 attendances over 4 meetings; gp-1 to
    gp-4 came; of the 8 still enrolled, 4 never did."""
    assert GroupAttendance.of(GROUPS).rows == (
        GroupAttendanceRow(PID, "g1", 8, 10, 4, 10, D("2.50"), 4, 4),
        GroupAttendanceRow(PID, "g2", 0, 0, 0, 0, None, 0, 0),
    )


def test_attendance_per_meeting():
    assert MeetingAttendance.of(GROUPS).rows == (
        MeetingAttendanceRow(PID, "g1", "w-1", dt.date(2026, 6, 3), 90, 1, 3),
        MeetingAttendanceRow(PID, "g1", "w-2", dt.date(2026, 6, 10), 90, 1, 2),
        MeetingAttendanceRow(PID, "g1", "w-3", dt.date(2026, 6, 17), 90, 1, 1),
        MeetingAttendanceRow(PID, "g1", "day", dt.date(2026, 7, 4), 270, 3, 4),
    )


def test_response_rates():
    """r1: 7 answered; 8 are enrolled now, and gp-7 answered before leaving: 7 of 9. gp-10 left
    without answering and no longer counts."""
    assert ResponseRates.of(GROUPS).rows == (
        ResponseRateRow(PID, "g1", "r1", "baseline", "WEMWBS", 9, 7, D("77.78")),
        ResponseRateRow(PID, "g1", "r4", "baseline", "CBI", 8, 2, D("25.00")),
        ResponseRateRow(PID, "g1", "r2", "follow_up", "WEMWBS", 8, 3, D("37.50")),
        ResponseRateRow(PID, "g1", "r5", "follow_up", "CBI", 8, 2, D("25.00")),
        ResponseRateRow(PID, "g1", "r3", "follow_up", "WEMWBS", 8, 1, D("12.50")),
        ResponseRateRow(PID, "g2", "e", "baseline", "WEMWBS", 0, 0, None),
    )


def test_score_bands_hold_their_lower_edge_and_the_top_score_is_in_the_last():
    """WEMWBS r1: 14 and 27 in 14-28; 28 in 28-42; 42 and 55 in 42-56; 56 and 70 in 56-70."""
    rows = ScoreDistribution.of({"g1": STATE}).rows
    r1 = [(r.band_from, r.band_to, r.responses) for r in rows if r.round_id == "r1"]
    assert r1 == [(D(14), D(28), 2), (D(28), D(42), 1), (D(42), D(56), 2), (D(56), D(70), 2)]
    r4 = [(r.score, r.band_from, r.responses) for r in rows if r.round_id == "r4" and r.responses]
    assert r4 == [
        ("personal", D(50), 1),
        ("personal", D(75), 1),
        ("work", D(75), 2),
        ("client", D(25), 1),
        ("client", D(75), 1),
    ]
    assert rows[0] == ScoreBandRow(PID, "g1", "r1", "baseline", "WEMWBS", "total", D(14), D(28), 2)
    assert len(rows) == 3 * 4 + 2 * 12  # 3 WEMWBS rounds x 4 bands, 2 CBI rounds x 3 scores x 4 bands
    assert [r.round_id for r in rows[::4]] == ["r1", "r4", "r4", "r4", "r2", "r5", "r5", "r5", "r3"]


def test_score_ranges_come_from_the_instruments():
    assert [score_range(WEMWBS, s) for s in WEMWBS.subscales] == [(D(14), D(70))]
    assert [score_range(CBI, s) for s in CBI.subscales] == [(D("0.00"), D("100.00"))] * 3


def test_paired_change_for_wemwbs_and_each_cbi_subscale():
    """WEMWBS: gp-1 27 -> 42 and gp-2 28 -> 56 (gp-9 has no baseline); at the second follow-up,
    gp-1 27 -> 70. CBI over gp-1 and gp-2: personal 50, 100 -> 25, 0; work 78.57, 85.71 -> 32.14,
    14.29 (mean 23.215, half-up 23.22); client 25, 100 -> 25, 0."""
    assert PairedChanges.of(GROUPS).rows == (
        PairedChangeRow(PID, "g1", "WEMWBS", "total", "r1", "r2", 2, D("27.50"), D("49.00"), D("21.50")),
        PairedChangeRow(PID, "g1", "WEMWBS", "total", "r1", "r3", 1, D("27.00"), D("70.00"), D("43.00")),
        PairedChangeRow(PID, "g1", "CBI", "personal", "r4", "r5", 2, D("75.00"), D("12.50"), D("-62.50")),
        PairedChangeRow(PID, "g1", "CBI", "work", "r4", "r5", 2, D("82.14"), D("23.22"), D("-58.92")),
        PairedChangeRow(PID, "g1", "CBI", "client", "r4", "r5", 2, D("62.50"), D("12.50"), D("-50.00")),
    )


def test_wellbeing_change_is_one_of_wellbeing_changes():
    changes = wellbeing_changes(STATE)
    assert wellbeing_change(STATE) == changes[0]
    assert wellbeing_change(STATE, "work") == changes[3]
    assert wellbeing_change(STATE, "no such score") is None
    assert wellbeing_changes(GROUPS["g2"]) == () and wellbeing_change(GROUPS["g2"]) is None


def test_wellbeing_change_finds_the_instrument_of_its_score_whichever_baseline_came_first():
    cbi_first = group(
        opened("c", BASELINE, "CBI", at(2026, 6, 1)),
        opened("w", BASELINE, "WEMWBS", at(2026, 6, 1, 11)),
        answer("w", "gp-1", wemwbs(40), at(2026, 6, 2)),
        opened("w2", FOLLOW_UP, "WEMWBS", at(2026, 9, 1)),
        answer("w2", "gp-1", wemwbs(45), at(2026, 9, 2)),
    )[1]
    change = wellbeing_change(cbi_first)
    assert (change.instrument, change.baseline_round, change.follow_up_round, change.change) == (
        "WEMWBS",
        "w",
        "w2",
        D("5.00"),
    )


@pytest.mark.parametrize("model", [GroupAttendance, MeetingAttendance, ResponseRates, ScoreDistribution, PairedChanges])
def test_every_table_refuses_bad_states_and_gives_plain_rows(model):
    with pytest.raises(InvalidType, match=rf"{model.__name__}.groups"):
        model.of({"g1": object()})
    with pytest.raises(InvalidType, match=rf"{model.__name__}.groups"):
        model.of([STATE])
    assert model.of({"g0": PeerGroup()}).rows == ()  # a group not set up has nothing to report
    table = model.of(GROUPS)
    rows = table.to_rows()
    assert rows and all(tuple(r) == table.columns for r in rows)
    assert {type(v) for r in rows for v in r.values()} <= {str, int, Decimal, dt.date, type(None)}
    assert table.caption in table._repr_html_()
