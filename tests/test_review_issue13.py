"""What a hostile review of the performance work found, each held: duplicates, hand-built facts, shared buffers, keys."""

import copy
import datetime as dt
import pickle

import pytest

from pastoral_core.eventlog import dumps, fact_of, iter_facts, loads
from pastoral_core.exceptions import CodecError, InvalidType, InvalidValue, NaiveDatetimeError
from pastoral_core.kernel import Appended, Projection, Tenancy, states_from
from pastoral_core.rules import WorkingCalendar
from pastoral_core.support import CASE, Payments, SessionHeld
from pastoral_core.testing import case_workload


@pytest.fixture(scope="module")
def workload():
    return case_workload(5, seed=2)


def test_a_record_given_twice_counts_once_in_money_and_in_states(workload):
    records = workload.records()
    books = workload.rulebooks
    once = Payments.of(records, books)
    assert once.rows and Payments.of(records + records, books) == once
    assert Payments.of(iter_facts(workload.jsonl() * 2), books) == once
    assert Payments.of(Projection.build(CASE, records + records), books) == once
    assert states_from(CASE, records + records) == states_from(CASE, records)


def test_two_different_records_claiming_one_version_are_refused(workload):
    records = list(workload.records())
    held = next(r for r in records if isinstance(r.event, SessionHeld))
    forged = fact_of(held)._replace(event=SessionHeld(held.event.session_id, dt.date(2026, 5, 1)))
    with pytest.raises(InvalidValue, match="two different records claim version"):
        states_from(CASE, [*records, forged])


def test_a_fact_a_host_builds_is_checked_like_a_record(workload):
    record = next(r for r in workload.records() if CASE.owns(r.stream_id))
    fact = fact_of(record)
    naive = fact._replace(occurred_at=fact.occurred_at.replace(tzinfo=None))
    with pytest.raises(NaiveDatetimeError):
        CASE.replay_facts([naive])
    with pytest.raises(NaiveDatetimeError):
        states_from(CASE, [naive])
    for bad, error in (
        (fact._replace(stream_version="3"), InvalidType),
        (fact._replace(stream_version=True), InvalidType),
        (fact._replace(stream_version=0), InvalidValue),
        (fact._replace(event={"a": 1}), InvalidType),
        (fact._replace(organisation=""), InvalidValue),
        (1, InvalidType),
    ):
        with pytest.raises(error):
            CASE.replay_facts([bad])
        with pytest.raises(error):
            Payments.of([bad])
    stream = [r for r in workload.records() if r.stream_id == record.stream_id]
    assert CASE.replay_facts(stream) == CASE.replay(stream)  # records will do too


def test_a_stream_whose_events_do_not_follow_is_refused_with_the_event_named(workload):
    stream = [r for r in workload.records() if r.stream_id == f"case-{workload.case_ids[0]}"]
    held = [r for r in stream if isinstance(r.event, SessionHeld)][:1]
    first = fact_of(stream[0])
    orphan = fact_of(held[0])._replace(stream_version=2, occurred_at=first.occurred_at, recorded_at=first.recorded_at)
    with pytest.raises(InvalidValue, match="SessionHeld does not follow"):
        CASE.replay_facts([first, orphan])


def test_facts_refuse_an_empty_organisation_as_records_do(workload):
    line = dumps(workload.records()[4:5]).replace('"organisation": null', '"organisation": ""')
    if '"organisation": ""' not in line:  # the workload's records name no organisation: add one
        line = line.replace('"metadata": {', '"metadata": {"organisation": "", ', 1)
    with pytest.raises(CodecError) as by_records:
        loads(line)
    with pytest.raises(CodecError) as by_facts:
        list(iter_facts(line))
    assert (by_facts.value.path, by_facts.value.reason) == (by_records.value.path, by_records.value.reason)


def test_an_unhashable_item_changes_no_sequence():
    base = Appended(["x"])
    with pytest.raises(InvalidType, match="hashable"):
        base.extended(["ghost", [1]])
    grown = base.added("y")
    assert grown == ("x", "y") and "ghost" not in grown
    with pytest.raises(InvalidType):
        Appended([[1]])


def test_a_sequence_pickles_and_copies_as_its_own_items_only():
    base = Appended(["a", "b"])
    base.added("c")  # the shared buffer now holds more than base
    for again in (pickle.loads(pickle.dumps(base)), copy.deepcopy(base), copy.copy(base)):
        assert again == ("a", "b") and "c" not in again and isinstance(again, Appended)


def test_declined_interventions_are_a_plain_tuple_never_a_buffer_shared_with_other_folds(workload):
    case = states_from(CASE, workload.records())[next(iter(workload.case_ids))].state
    assert type(case.declined) is tuple


def test_due_by_takes_a_datetime_subclass_that_cannot_be_hashed():
    class Moment(dt.datetime):
        __hash__ = None

    moment = Moment(2027, 1, 5, 10, tzinfo=dt.UTC)
    calendar = WorkingCalendar()
    assert calendar.due_by(moment, 2) == calendar.explain_due(moment, 2).due_at


def test_payments_check_the_organisation_and_pick_within_a_projection(workload):
    records = workload.records()
    with pytest.raises(InvalidType, match="organisation"):
        Payments.of(records, organisation=5)
    projection = Projection.build(CASE, records, Tenancy.ALL)
    assert Payments.of(projection, organisation="elsewhere").rows == ()
    assert Payments.of(projection, organisation=Tenancy.ALL) == Payments.of(records)
