"""PastoralSupport: the same log as execute with hand-built contexts, a directory that follows the network."""

import datetime as dt

import pytest

from pastoral_core import EventLog, Refused, execute
from pastoral_core.exceptions import InvalidType, InvalidValue, NaiveDatetimeError
from pastoral_core.peer_groups import StartProgramme
from pastoral_core.support import (
    CASE,
    DEVON_PSN,
    NETWORK,
    AddSecondOfficer,
    AllocateOfficer,
    Background,
    CloseCase,
    ClosureOutcome,
    DestroyNotes,
    DifficultyKind,
    EnrolOfficer,
    PastoralSupport,
    RecordNote,
    ReinstateOfficer,
    RespondToRequest,
    Roster,
    SupportContext,
    SuspendOfficer,
    caseloads,
    cases_from,
    flags_by_case,
    response_report,
)
from tests.builders import at, command
from tests.support.helpers import GP_A, GP_B, T0, WEEKLY, allocate, gp_request, hold, mou, practice_request, schedule


def enrol(officer, when=T0, background=Background.GP, practice=None):
    return command(EnrolOfficer, when, officer_id=officer, background=background, practice_id=practice)


def note(note_id, when, officer="off-1", text="Met; agreed next steps"):
    return command(RecordNote, when, "officer", officer, note_id=note_id, text=text)


def history():
    """(case id or None for the network, command): two cases, officers coming and going, a late entry, a refusal."""
    return [
        (None, enrol("off-1", T0 - dt.timedelta(days=7), practice="P-OTHER")),
        (None, enrol("off-2", T0 - dt.timedelta(days=7))),
        ("1", gp_request()),
        ("1", mou()),
        ("1", allocate(GP_A, "off-1")),
        ("1", schedule("s1", GP_A, WEEKLY[0])),
        ("2", practice_request(at(2027, 1, 12))),
        (None, command(SuspendOfficer, at(2027, 1, 13), officer_id="off-2")),
        ("2", allocate(GP_B, "off-2", at(2027, 1, 14))),  # refused: suspended (PSN-ROSTER)
        ("2", command(RespondToRequest, at(2027, 1, 14))),
        (None, command(ReinstateOfficer, at(2027, 1, 15), officer_id="off-2")),
        ("2", mou(at(2027, 1, 15))),
        ("2", allocate(GP_B, "off-2", at(2027, 1, 15))),
        ("1", hold("s1", WEEKLY[0] + dt.timedelta(days=2), "off-1")),
        ("1", note("n1", WEEKLY[0] + dt.timedelta(days=2))),
        ("1", schedule("s2", GP_A, WEEKLY[1])),
        ("1", note("n2", WEEKLY[1] + dt.timedelta(days=2))),
        # entered on Thursday, held on Monday: a late entry, before the note of Wednesday
        ("1", command(type(hold("x", T0)), WEEKLY[1] + dt.timedelta(days=3), "officer", "off-1", session_id="s2",
                      occurred_at=WEEKLY[1] + dt.timedelta(hours=1))),
        (None, enrol("off-3", at(2027, 1, 27))),
        ("2", command(AddSecondOfficer, at(2027, 1, 28), officer_id="off-3")),
        ("1", command(CloseCase, at(2027, 2, 1), outcome=ClosureOutcome.RESOLVED)),
    ]  # fmt: skip


def run_by_service(log, steps, *, query=False):
    """Run ``steps`` through one service; with ``query``, ask for the case and every case after each step."""
    support = PastoralSupport(log)
    outcomes = []
    for case_id, c in steps:
        try:
            outcomes.append(support.handle(c, case_id).events)
        except Refused as refused:
            outcomes.append(refused.rule_ids)
        if query and case_id is not None:
            support.case(case_id)
            support.cases()
    return support, outcomes


def run_by_hand(log, steps):
    outcomes = []
    for case_id, c in steps:
        directory = NETWORK.replay(log.read_stream("network-devon")).state
        context = SupportContext(DEVON_PSN, directory)
        aggregate, aggregate_id = (NETWORK, "devon") if case_id is None else (CASE, case_id)
        try:
            outcomes.append(execute(log, aggregate, aggregate_id, c, context).events)
        except Refused as refused:
            outcomes.append(refused.rule_ids)
    return outcomes


def test_a_history_through_the_service_is_the_log_execute_writes_by_hand():
    steps = history()
    by_service, by_hand = EventLog(), EventLog()
    _, service_outcomes = run_by_service(by_service, steps)
    hand_outcomes = run_by_hand(by_hand, steps)
    assert service_outcomes == hand_outcomes
    assert (Roster.rule_id,) in service_outcomes
    written, expected = by_service.read_all(), by_hand.read_all()
    assert len(written) == len(expected) > 15
    for mine, theirs in zip(written, expected, strict=True):
        assert mine == theirs


@pytest.mark.parametrize("query", [False, True], ids=["at-the-end", "after-each-step"])
def test_the_read_models_are_the_projections_over_the_whole_store(query):
    log = EventLog()
    support, _ = run_by_service(log, history(), query=query)
    records = log.read_all()
    assert support.cases() == cases_from(records)
    assert support.flags_by_case() == flags_by_case(records)
    assert support.caseloads() == caseloads(cases_from(records)) != {}
    now = at(2027, 3, 1)
    assert support.response_report(now) == response_report(cases_from(records), now)
    assert support.directory() == NETWORK.replay(log.read_stream("network-devon")).state
    assert support.case("1") == CASE.replay(log.read_stream("case-1")).state


def test_an_officer_suspended_after_enrolment_is_refused_allocation_on_the_next_command():
    support = PastoralSupport(EventLog())
    support.handle(enrol("off-1"))
    support.handle(gp_request(), "1")
    support.handle(mou(), "1")
    assert support.context().directory.officer("off-1").status.value == "active"
    support.handle(command(SuspendOfficer, T0, officer_id="off-1"))
    with pytest.raises(Refused) as refused:
        support.handle(allocate(GP_A, "off-1"), "1")
    assert refused.value.rule_ids == (Roster.rule_id,)
    support.handle(command(ReinstateOfficer, T0, officer_id="off-1"))
    assert support.handle(allocate(GP_A, "off-1"), "1").events


def test_an_allocation_entered_late_is_judged_by_the_roster_of_its_own_date_and_leaves_the_context_current():
    # Rules compare business times (TIME): the network as it stood on Tuesday decides an
    # allocation made on Tuesday and entered on Wednesday.
    tuesday, wednesday = at(2027, 1, 12, 9, 30), at(2027, 1, 13, 9)
    support = PastoralSupport(EventLog())
    support.handle(enrol("off-1"))
    support.handle(gp_request(), "1")
    support.handle(mou(), "1")
    support.handle(enrol("off-late", wednesday))
    support.handle(command(SuspendOfficer, wednesday, officer_id="off-1"))
    entered = at(2027, 1, 13, 10)
    with pytest.raises(Refused) as refused:  # not yet enrolled on Tuesday
        support.handle(
            command(AllocateOfficer, entered, recipient_id=GP_A, officer_id="off-late", occurred_at=tuesday), "1"
        )
    assert refused.value.rule_ids == (Roster.rule_id,)
    assert "not enrolled" in str(refused.value)
    # still active on Tuesday: suspended only on Wednesday
    assert support.handle(
        command(AllocateOfficer, entered, recipient_id=GP_A, officer_id="off-1", occurred_at=tuesday), "1"
    ).events
    # the service's own context stays the network as it is now
    assert support.context().directory.officer("off-1").status.value == "suspended"
    assert support.context().directory.officer("off-late") is not None


def test_the_context_is_kept_while_the_network_stands_still_and_its_stream_is_not_read_again():
    log = EventLog()
    support = PastoralSupport(log)
    support.handle(enrol("off-1"))
    first = support.context()
    reads = []

    class Counting:
        def __getattr__(self, name):
            if name == "read_stream":
                return lambda *a, **k: reads.append(a) or log.read_stream(*a, **k)
            return getattr(log, name)

    counted = PastoralSupport(Counting())
    counted.context()
    reads.clear()
    for n in range(3):
        counted.handle(gp_request(), f"c{n}")
    assert support.context() is first
    assert [r for r in reads if r[0] == "network-devon"] == []
    counted.handle(command(SuspendOfficer, T0, officer_id="off-1"))
    counted.context()
    assert ("network-devon", 2) in reads  # only the new record is read, from version 2


def test_a_case_as_of_a_moment_before_and_after_a_fact():
    support = PastoralSupport(EventLog())
    support.handle(enrol("off-1"))
    for c in (gp_request(), mou(), allocate(GP_A, "off-1"), schedule("s1", GP_A, WEEKLY[0])):
        support.handle(c, "1")
    held_at = WEEKLY[0] + dt.timedelta(hours=1)
    entered = command(type(hold("x", T0)), WEEKLY[0] + dt.timedelta(days=3), "officer", "off-1", session_id="s1",
                      occurred_at=held_at)  # fmt: skip
    support.handle(entered, "1")
    assert support.case("1", as_of=T0 - dt.timedelta(minutes=1)) is None
    assert support.case("1", as_of=T0).received
    before = support.case("1", as_of=held_at - dt.timedelta(minutes=1))
    after = support.case("1", as_of=held_at)  # before it was entered, but it had happened
    assert before.sessions["s1"].status.value == "scheduled"
    assert after.sessions["s1"].status.value == "held"
    assert support.case("1") == after
    with pytest.raises(NaiveDatetimeError):
        support.case("1", as_of=dt.datetime(2027, 1, 1))


def test_an_idempotent_repeat_through_the_service_writes_nothing():
    log = EventLog()
    support = PastoralSupport(log)
    support.handle(enrol("off-1"))
    request = gp_request()
    first = support.handle(request, "1")
    again = support.handle(request, "1")
    assert again.replayed and again.records == first.records
    assert len(log.read_all()) == 2


def test_bad_input_is_refused_before_anything_is_read_or_written():
    log = EventLog()
    support = PastoralSupport(log)
    other = command(StartProgramme, T0, role="programme_lead", funder="php", starts_on=dt.date(2027, 1, 1))
    with pytest.raises(InvalidType, match="StartProgramme is not a command of Case and Network"):
        support.handle(other, "1")
    with pytest.raises(InvalidType, match="must be a Command, got dict"):
        support.handle({"command_id": "x"}, "1")
    with pytest.raises(InvalidValue, match="ReceiveRequest does not name the Case it goes to"):
        support.handle(gp_request())
    with pytest.raises(InvalidValue, match="serves Network 'devon' only"):
        support.handle(enrol("off-1"), "cornwall")
    with pytest.raises(InvalidValue, match="aggregate_id"):
        support.handle(gp_request(), "")
    with pytest.raises(InvalidType, match="PastoralSupport.store: must be an EventStore"):
        PastoralSupport({"records": []})
    with pytest.raises(InvalidType, match="PastoralSupport.rulebooks"):
        PastoralSupport(log, "DEVON_PSN")
    with pytest.raises(InvalidValue, match="PastoralSupport.network_id"):
        PastoralSupport(log, network_id="")
    assert log.read_all() == ()


def test_another_network_id_serves_that_lmc():
    log = EventLog()
    cornwall = PastoralSupport(log, network_id="cornwall")
    cornwall.handle(enrol("off-9"))
    assert log.read_all()[0].stream_id == "network-cornwall"
    assert PastoralSupport(log).directory().officers == {}


def test_redacting_destroyed_notes_through_the_service_leaves_no_text_in_its_caches():
    log = EventLog()
    support = PastoralSupport(log)
    support.handle(enrol("off-1"))
    request = gp_request(difficulty=DifficultyKind.EXTERNAL, external_body="General Medical Council")
    for c in (request, mou(), allocate(GP_A, "off-1"), note("n1", T0, text="Discussed the rota")):
        support.handle(c, "1")
    support.handle(command(CloseCase, at(2027, 2, 1), outcome=ClosureOutcome.RESOLVED), "1")
    assert support.cases()["1"].request.external_body == "General Medical Council"
    assert support.case("1").request.external_body == "General Medical Council"
    destroy = command(DestroyNotes, at(2034, 2, 2), "caldicott_guardian", "cg-1")
    support.handle(destroy, "1")
    assert support.redact_destroyed_notes("1")
    assert "Discussed" not in repr(log.read_all())
    assert "General Medical" not in repr(support.case("1")) + repr(support.cases())
    assert support.case("1") == CASE.replay(log.read_stream("case-1")).state
    assert support.cases() == cases_from(log.read_all())
