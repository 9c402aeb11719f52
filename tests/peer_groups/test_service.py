"""PeerSupport: the same log as execute with hand-built contexts, programmes kept current."""

import datetime as dt

import pytest

from pastoral_core import EventLog, Refused, execute
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.peer_groups import (
    PEER_GROUP,
    PROGRAMME,
    AppointFacilitator,
    ApproveGroup,
    EnrolAttendee,
    HoldMeeting,
    OpenEvaluationRound,
    PeerSupport,
    PeerSupportContext,
    Profession,
    ProposeGroup,
    RecordEvaluationResponse,
    RoundKind,
    StartProgramme,
    funding_of,
    groups_from,
    programmes_from,
    wellbeing_change,
)
from pastoral_core.support import Background, EnrolOfficer
from tests.builders import at, command
from tests.peer_groups.helpers import BOOKS, FIRST_MEETING, PID, PROGRAMME_DAY, START, lead, series, set_up

GROUP = "g1"
SECOND_HELD = at(2026, 7, 3, 19, 30)


def held(meeting_id, when, happened=None):
    return command(
        HoldMeeting, when, role="facilitator", actor="fac-1", occurred_at=happened, meeting_id=meeting_id,
        attendee_ids=frozenset({"gp-1", "gp-2"}),
    )  # fmt: skip


def answers(round_id, attendee, when, score):
    return command(RecordEvaluationResponse, when, round_id=round_id, attendee_id=attendee, answers=(score,) * 14)


def history():
    """(aggregate id or None if the command names it, command)."""
    second = at(2026, 5, 20)
    return [
        (PID, lead(StartProgramme, funder="php-gph", starts_on=START)),
        (PID, lead(ProposeGroup, group_id=GROUP, region="North West")),
        (PID, lead(ProposeGroup, group_id="g2", region="North West")),
        (PID, lead(ApproveGroup, group_id=GROUP)),
        (None, set_up()),
        (None, set_up(second, group_id="g2")),  # refused: not approved yet
        (PID, lead(ApproveGroup, second, group_id="g2")),
        (None, set_up(second, group_id="g2")),  # the context follows the approval
        (GROUP, command(AppointFacilitator, at(2026, 5, 1, 11), facilitator_id="fac-1")),
        *[(GROUP, command(EnrolAttendee, at(2026, 5, 2), attendee_id=g, profession=Profession.GP))
          for g in ("gp-1", "gp-2", "gp-3")],
        (GROUP, command(OpenEvaluationRound, at(2026, 5, 3), round_id="r1", kind=RoundKind.BASELINE,
                        instrument="WEMWBS")),
        (GROUP, answers("r1", "gp-1", at(2026, 5, 4), 2)),
        (GROUP, answers("r1", "gp-2", at(2026, 5, 4), 3)),
        (GROUP, series()),
        (GROUP, held("s-1", FIRST_MEETING + dt.timedelta(hours=2))),
        (GROUP, command(EnrolAttendee, at(2026, 7, 5), attendee_id="gp-4", profession=Profession.GP)),
        (GROUP, held("s-2", at(2026, 7, 8), SECOND_HELD)),  # entered late, before the enrolment of 5 July
        (GROUP, command(OpenEvaluationRound, at(2026, 12, 1), round_id="r2", kind=RoundKind.FOLLOW_UP,
                        instrument="WEMWBS")),
        (GROUP, answers("r2", "gp-1", at(2026, 12, 2), 4)),
        (GROUP, answers("r2", "gp-2", at(2026, 12, 2), 4)),
    ]  # fmt: skip


def run_by_service(log, steps, *, query=False):
    peer = PeerSupport(log, BOOKS)
    outcomes = []
    for aggregate_id, c in steps:
        try:
            outcomes.append(peer.handle(c, aggregate_id).events)
        except Refused as refused:
            outcomes.append(refused.rule_ids)
        if query:
            peer.groups(), peer.programmes(), peer.group(GROUP)
    return peer, outcomes


def run_by_hand(log, steps):
    outcomes = []
    for aggregate_id, c in steps:
        context = PeerSupportContext(BOOKS, programmes_from(log.read_all()))
        aggregate = PROGRAMME if type(c) in PROGRAMME.commands else PEER_GROUP
        try:
            outcomes.append(execute(log, aggregate, aggregate_id or c.group_id, c, context).events)
        except Refused as refused:
            outcomes.append(refused.rule_ids)
    return outcomes


def test_a_history_through_the_service_is_the_log_execute_writes_by_hand():
    steps, by_service, by_hand = history(), EventLog(), EventLog()
    _, service_outcomes = run_by_service(by_service, steps)
    assert service_outcomes == run_by_hand(by_hand, steps)
    assert ("STATE",) in service_outcomes
    written, expected = by_service.read_all(), by_hand.read_all()
    assert len(written) == len(expected) > 20
    for mine, theirs in zip(written, expected, strict=True):
        assert mine == theirs


@pytest.mark.parametrize("query", [False, True], ids=["at-the-end", "after-each-step"])
def test_the_read_models_are_the_projections_over_the_whole_store(query):
    log = EventLog()
    peer, _ = run_by_service(log, history(), query=query)
    records = log.read_all()
    groups = groups_from(records)
    assert peer.programmes() == programmes_from(records)
    assert peer.groups() == groups
    assert peer.group(GROUP) == groups[GROUP]
    assert peer.funding(GROUP) == funding_of(groups[GROUP])
    assert peer.funding(GROUP).used == 180
    change = peer.wellbeing_change(GROUP)
    assert change == wellbeing_change(groups[GROUP]) and change.paired == 2
    assert peer.context().programmes == programmes_from(records)


def test_a_group_as_of_a_moment_before_and_after_a_meeting_entered_late():
    peer, _ = run_by_service(EventLog(), history())
    second = SECOND_HELD
    assert peer.group(GROUP, as_of=second - dt.timedelta(minutes=1)).funded_used == 90
    assert peer.group(GROUP, as_of=second).funded_used == 180
    assert peer.group(GROUP, as_of=at(2026, 4, 30)) is None
    assert peer.programme(PID, as_of=PROGRAMME_DAY).started is not None
    assert peer.programme("prog-none") is None


def test_an_idempotent_repeat_and_bad_input():
    log = EventLog()
    peer = PeerSupport(log, BOOKS)
    start = lead(StartProgramme, funder="php-gph", starts_on=START)
    first = peer.handle(start, PID)
    assert peer.handle(start, PID).replayed and len(log.read_all()) == len(first.records) == 1
    with pytest.raises(InvalidType, match="EnrolOfficer is not a command of Programme and PeerGroup"):
        peer.handle(command(EnrolOfficer, PROGRAMME_DAY, officer_id="o", background=Background.GP))
    with pytest.raises(InvalidValue, match="ProposeGroup does not name the Programme it goes to"):
        peer.handle(lead(ProposeGroup, group_id=GROUP, region="North West"))
    with pytest.raises(InvalidValue, match="no group 'g9' has been set up"):
        peer.funding("g9")
    with pytest.raises(InvalidType, match="PeerSupport.store"):
        PeerSupport(object())
    assert len(log.read_all()) == 1


def test_a_set_up_group_names_its_stream():
    log = EventLog()
    peer = PeerSupport(log, BOOKS)
    for aggregate_id, c in history()[:5]:
        peer.handle(c, aggregate_id)
    assert log.read_all()[-1].stream_id == "group-g1"
    with pytest.raises(Refused) as refused:  # execute's own check: a command naming another group
        peer.handle(set_up(group_id="g2"), "g3")
    assert refused.value.rule_ids == ("INPUT",)
