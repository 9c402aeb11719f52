"""The seeded synthetic history: deterministic, every command accepted, verifiable, and realistic."""

import collections
import datetime as dt
import decimal
import os
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pastoral_core
from pastoral_core import RuleFlagged, verify
from pastoral_core.eventlog import dumps
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.peer_groups import (
    EvaluationResponseRecorded,
    EvaluationRoundOpened,
    MeetingHeld,
    MeetingStatus,
    funding_of,
    wellbeing_change,
)
from pastoral_core.portfolio import Introduced, MemberSignedUp, OutcomeRecorded
from pastoral_core.rules import Outcome, WorkingCalendar, screen
from pastoral_core.support import (
    CommitmentReviewed,
    FacilitatedMeetingHeld,
    NoteRecorded,
    NotesDestroyed,
    OfficerAllocated,
    Referred,
    RequestReceived,
    Responded,
    ReviewDecision,
    SafetyConcernRaised,
    SessionCancelled,
    SessionHeld,
    SessionNotAttended,
    SessionStatus,
    SupportCeased,
    case_timeline,
)
from pastoral_core.tables import Table
from pastoral_core.testing import SyntheticHistory, synthetic_history
from pastoral_core.testing._synthetic_kit import NOTES
from pastoral_core.values import LONDON, TOMBSTONE

SOURCE = str(pathlib.Path(pastoral_core.__file__).resolve().parents[1])  # the copy under test, in a subprocess too
SMALL = {"cases": 40, "groups": 2, "members": 8, "listings": 6, "months": 6}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def history() -> SyntheticHistory:
    return synthetic_history(2026, cases=300, members=40, listings=20)


@pytest.fixture(scope="module")
def events(history):
    return collections.Counter(type(r.event) for r in history.log.read_all())


def of(history, cls):
    return [r for r in history.log.read_all() if isinstance(r.event, cls)]


def test_the_same_seed_gives_the_same_log_and_another_seed_another():
    first, again, other = (synthetic_history(s, **SMALL) for s in (7, 7, 8))
    assert dumps(first.log.read_all()) == dumps(again.log.read_all())
    assert first.case_ids == again.case_ids and first.commands == again.commands
    assert dumps(first.log.read_all()) != dumps(other.log.read_all())


def test_the_log_is_the_same_in_another_process_whatever_its_hash_seed():
    script = (
        "import hashlib; from pastoral_core.eventlog import dumps; from pastoral_core.testing import synthetic_history; "
        "h = synthetic_history(5, cases=20, groups=1, members=4, listings=3, months=4); "
        "print(hashlib.sha256(dumps(h.log.read_all()).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": SOURCE},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_every_command_was_accepted_and_the_log_verifies(history):
    records = history.log.read_all()
    assert len({r.metadata.command_id for r in records}) == history.commands
    decided = [r for r in records if r.decision is not None]  # the first record of each command's batch
    assert len(decided) == history.commands
    for record in decided:
        assert all(v.outcome is not Outcome.DENY for v in record.decision.verdicts)
    assert verify(records).ok
    assert verify(dumps(records)).ok


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(-(2**40), 2**40),
    cases=st.integers(0, 25),
    months=st.integers(1, 8),
    start=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
    officers=st.one_of(st.none(), st.integers(4, 10)),
)
def test_any_seed_size_and_start_generates_without_a_refusal(seed, cases, months, start, officers):
    made = synthetic_history(
        seed, cases=cases, months=months, start=start, groups=1, members=3, listings=2, officers=officers
    )
    assert verify(made.log.read_all()).ok
    first = made.log.read_all()[0]
    assert first.metadata.recorded_at >= dt.datetime.combine(start, dt.time(0), tzinfo=LONDON)
    assert all(r.metadata.recorded_at < made.end for r in made.log.read_all())


def test_the_log_is_written_in_time_order(history):
    moments = [r.metadata.recorded_at for r in history.log.read_all()]
    assert moments == sorted(moments)
    assert history.start <= moments[0].astimezone(LONDON).date() and moments[-1] < history.end


def test_the_ids_it_reports_are_the_streams_in_the_log(history):
    streams = {r.stream_id for r in history.log.read_all()}
    assert {f"case-{c}" for c in history.case_ids} == {s for s in streams if s.startswith("case-")}
    assert {f"group-{g}" for g in history.group_ids} == {s for s in streams if s.startswith("group-")}
    assert {f"member-{m}" for m in history.member_ids} == {s for s in streams if s.startswith("member-")}
    assert {s for s in streams if s.startswith("network-")} == {f"network-{history.network_id}"}
    assert len(history.case_ids) > 280 and len(history.group_ids) == 9
    assert set(history.support().directory().officers) == set(history.officer_ids)
    assert len(history.support().cases()) == len(history.case_ids)
    assert set(history.peer().groups()) == set(history.group_ids)
    assert set(history.portfolio().members()) == set(history.member_ids)


def test_requests_arrive_on_working_days_mostly_from_england_across_the_year(history):
    received = [r.event for r in of(history, RequestReceived)]
    for request in received:
        day = request.received_at.astimezone(LONDON).date()
        assert WorkingCalendar(nation=request.nation).is_working_day(day)
    nations = collections.Counter(r.nation for r in received)
    assert nations["ENG"] / len(received) > 0.75 and set(nations) == {"ENG", "WLS", "SCT", "NIR"}
    months = collections.Counter(r.received_at.astimezone(LONDON).month for r in received)
    assert len(months) == 12
    assert any(r.received_at.astimezone(LONDON).hour >= 17 for r in received)  # after the cut-off
    logged_later = [r for r in of(history, RequestReceived) if r.metadata.occurred_at != r.metadata.recorded_at]
    assert logged_later  # some were logged the next morning, dated when they arrived


def test_responses_are_mostly_on_time_some_late_and_a_few_cases_still_open(history):
    responses = [r.event for r in of(history, Responded)]
    late = sum(not r.on_time for r in responses)
    assert 0 < late < 0.25 * len(responses)
    cases = history.support().cases()
    open_cases = [c for c in cases.values() if not c.closed]
    assert 0 < len(open_cases) < 0.5 * len(cases)
    assert any(c.response is None for c in open_cases) or len(responses) == len(cases)
    flags = collections.Counter(r.event.rule_id for r in of(history, RuleFlagged))
    assert flags["PSN-RESPONSE"] == late


def test_sessions_run_within_the_allowance_with_every_outcome(history, events):
    cases = history.support().cases().values()
    statuses = collections.Counter(s.status for c in cases for s in c.sessions.values())
    assert statuses[SessionStatus.HELD] > 0.75 * sum(statuses.values())
    for status in (SessionStatus.DID_NOT_ATTEND, SessionStatus.CANCELLED_WITH_NOTICE, SessionStatus.CANCELLED_LATE):
        assert statuses[status] > 0
    assert events[SessionHeld] and events[SessionNotAttended] and events[SessionCancelled]
    for case in cases:
        for engagement in case.engagements.values():
            assert engagement.used <= engagement.tranches[-1].allowed_total


def test_reviews_extend_with_cost_sharing_or_conclude(history):
    decisions = collections.Counter(r.event.decision for r in of(history, CommitmentReviewed))
    assert decisions[ReviewDecision.EXTEND] and decisions[ReviewDecision.CONCLUDE]
    charges = [r.event.charge for r in of(history, SessionHeld) if r.event.charge is not None]
    assert charges and all(c.lmc_share + c.payer_share == c.total for c in charges)
    assert {c.lmc_share > 0 for c in charges} == {True, False}  # some paid by the LMC, some not


def test_referrals_some_charged_notes_bland_and_some_destroyed(history, events):
    referrals = [r.event for r in of(history, Referred)]
    assert any(r.charged_to for r in referrals) and any(r.charged_to is None for r in referrals)
    notes = [r.event.text for r in of(history, NoteRecorded)]
    assert notes
    for text in notes:
        assert text in NOTES or TOMBSTONE.fullmatch(text)
    assert all(not screen(text) for text in NOTES)
    assert events[NotesDestroyed] == history.redactions > 0
    assert any(TOMBSTONE.fullmatch(text) for text in notes)
    assert events[OfficerAllocated] and events[FacilitatedMeetingHeld]


def test_the_programme_funds_groups_of_about_twelve_within_the_cap(history):
    peer = history.peer()
    programme = peer.programme(history.programme_id)
    assert len(programme.approved) == len(history.group_ids) and len(programme.declined) == 1
    for group_id, facilitator in zip(history.group_ids, history.facilitator_ids, strict=True):
        group = peer.group(group_id)
        assert group.facilitator == facilitator and 10 <= len(group.ever_enrolled) <= 13
        assert funding_of(group).used <= 900 and group.funded_used <= group.cap == 900
        held = [m.held for m in group.meetings.values() if m.status is MeetingStatus.HELD]
        assert held and all(h.funded_minutes == 90 or h.funded_minutes == 270 for h in held)
        baseline = [r for r in group.rounds.values() if r.kind.value == "baseline"]
        assert baseline and {r.instrument for r in baseline} <= {"WEMWBS", "CBI"}
    instruments = {r.event.instrument for r in of(history, EvaluationRoundOpened)}
    assert instruments == {"WEMWBS", "CBI"}
    changes = [wellbeing_change(peer.group(g)) for g in history.group_ids]
    assert any(c is not None and c.paired for c in changes)
    assert len(of(history, EvaluationResponseRecorded)) > 9 * 10 and of(history, MeetingHeld)


def test_portfolio_members_sign_up_with_intents_and_reach_outcomes(history):
    intents = collections.Counter(r.event.profile.intent for r in of(history, MemberSignedUp))
    assert len(intents) >= 3
    assert of(history, Introduced) and of(history, OutcomeRecorded)
    assert len(history.opportunity_ids) == 20


def test_every_generated_state_is_a_table_of_plain_values(history):
    support, peer, portfolio = history.support(), history.peer(), history.portfolio()
    states = [
        *support.cases().values(),
        *peer.groups().values(),
        *peer.programmes().values(),
        *portfolio.members().values(),
        *portfolio.listings().values(),
    ]
    plain = (str, int, bool, type(None), dt.date, dt.datetime, decimal.Decimal)
    for state in states:
        assert isinstance(state, Table)
        for row in state.to_rows():
            assert list(row) == list(type(state).columns)
            assert all(isinstance(v, plain) for v in row.values())


MARKED_FROM_RECORDS = (CommitmentReviewed, Referred, FacilitatedMeetingHeld, SafetyConcernRaised, SupportCeased)


def expected_marks(case, records):
    """One mark per fact, counted from the case and its events independently of the timeline."""
    kinds = collections.Counter(type(r.event) for r in records)
    n = 2 + (case.response is not None) + (case.mou_sent_at is not None) + len(case.sessions) + case.closed
    n += sum(kinds[k] for k in MARKED_FROM_RECORDS) + kinds[NotesDestroyed]
    return n


def test_every_generated_case_timeline_has_one_mark_per_fact(history):
    support = history.support()
    drawn = 0
    for case_id, case in support.cases().items():
        records = history.log.read_stream(f"case-{case_id}")
        root = ET.fromstring(case_timeline(case, records))
        marks = root.findall(f".//{SVG}g[@class='mark']")
        assert len(marks) == expected_marks(case, records)
        drawn += len(marks)
    assert drawn > 5 * len(history.case_ids)


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"seed": "7"}, InvalidType, "seed"),
        ({"seed": True}, InvalidType, "seed"),
        ({"seed": 1, "cases": -1}, InvalidValue, "cases"),
        ({"seed": 1, "months": 0}, InvalidValue, "months"),
        ({"seed": 1, "groups": 51}, InvalidValue, "groups"),
        ({"seed": 1, "officers": 2}, InvalidValue, "officers"),
        ({"seed": 1, "start": dt.datetime(2026, 4, 1, tzinfo=LONDON)}, InvalidType, "start"),
        ({"seed": 1, "start": dt.date(1999, 4, 1)}, InvalidValue, "start"),
    ],
)
def test_bad_arguments_are_refused_clearly(arguments, error, match):
    with pytest.raises(error, match=match):
        synthetic_history(**arguments)
