"""The benchmark workload: deterministic, realistic, relabelled copies that load and fold like their templates."""

import collections
import datetime as dt
import hashlib
import os
import pathlib
import subprocess
import sys

import pytest

import pastoral_core
from pastoral_core import RuleFlagged, states_from
from pastoral_core.eventlog import DEFAULT_CODEC, EventLog, dumps, loads
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.support import (
    CASE,
    CaseClosed,
    NoteRecorded,
    PastoralSupport,
    RecordNote,
    RequestReceived,
    SessionHeld,
    SupportRole,
)
from pastoral_core.testing import (
    WORKLOAD_NETWORK_ID,
    CaseWorkload,
    case_workload,
    long_case,
    workload_rulebooks,
)

SOURCE = str(pathlib.Path(pastoral_core.__file__).resolve().parents[1])  # the copy under test, in a subprocess too


@pytest.fixture(scope="module")
def workload() -> CaseWorkload:
    return case_workload(30, seed=11, templates=8)


def test_the_default_templates_average_about_27_events_and_vary():
    workload = case_workload(40, seed=0)
    lengths = [len(t.records) for t in workload.templates]
    assert len(lengths) == 40
    assert 20 <= sum(lengths) / len(lengths) <= 35
    assert len(set(lengths)) > 3, "the templates should not all be alike"
    kinds = collections.Counter(type(r.event).__name__ for t in workload.templates for r in t.records)
    assert kinds["SessionHeld"] >= 6 * 40 and kinds["NoteRecorded"] == kinds["SessionHeld"]
    assert kinds["CaseClosed"] == kinds["RequestReceived"] == kinds["CommitmentReviewed"] == 40
    assert kinds["Referred"] and kinds["SessionCancelled"], "some templates refer and some cancel a booking"


def test_sizes_ids_and_positions(workload):
    records = workload.records()
    assert len(records) == workload.events == len(workload.network) + workload.case_events
    assert [r.position for r in records] == list(range(1, len(records) + 1))
    assert {r.stream_id for r in records[: len(workload.network)]} == {f"network-{WORKLOAD_NETWORK_ID}"}
    case_streams = [r.stream_id for r in records[len(workload.network) :]]
    assert list(dict.fromkeys(case_streams)) == [f"case-{c}" for c in workload.case_ids]
    assert workload.case_ids[0] == "c000001" and len(workload.case_ids) == 30
    assert workload.case_events == sum(len(workload.template_of(c).records) for c in workload.case_ids)
    assert len({r.metadata.command_id for r in records if type(r.event) is not RuleFlagged}) == len(
        [r for r in records if type(r.event) is not RuleFlagged]
    )
    assert case_workload(0, seed=11, templates=8).events == len(workload.network)


def test_the_json_lines_are_what_dumps_writes_and_load_back_equal(workload):
    text = workload.jsonl()
    assert text == dumps(workload.records())
    assert loads(text) == workload.records()
    decided = sum(1 for r in workload.records() if r.decision is not None)
    assert text.count("\n") == workload.events + decided  # a decision's line before its record


def test_a_relabelled_copy_folds_to_its_templates_state(workload):
    states = states_from(CASE, loads(workload.jsonl()))
    assert sorted(states) == sorted(workload.case_ids)
    for case_id in workload.case_ids:
        template = workload.template_of(case_id)
        folded = states[case_id]
        again = CASE.replay(template.records)
        assert folded.state == again.state and folded.flagged == again.flagged
        assert folded.version == len(template.records)
        assert folded.state.closed and folded.state.lead_of(template.recipient_id) is None


def test_open_cases_leave_out_the_closure_and_take_commands():
    workload = case_workload(12, seed=11, templates=8, closed=False)
    records = workload.records()
    assert not any(isinstance(r.event, CaseClosed) for r in records)
    firsts = [r.event for r in records if r.stream_version == 1 and r.stream_id.startswith("case-")]
    assert len(firsts) == 12 and all(isinstance(e, RequestReceived) for e in firsts)
    states = states_from(CASE, records)
    support = PastoralSupport(workload.store(), workload.rulebooks, network_id=workload.network_id)
    at = workload.last_recorded_at + dt.timedelta(days=1)
    for n, case_id in enumerate(workload.case_ids, start=1):
        assert not states[case_id].state.closed
        lead = workload.lead_of(case_id)
        assert states[case_id].state.lead_of(workload.template_of(case_id).recipient_id) == lead
        command = RecordNote(
            command_id=f"extra-{n}", actor=lead, role=SupportRole.OFFICER, at=at, note_id="extra", text="Checked in."
        )
        support.handle(command, case_id)
    assert support.case(workload.case_ids[-1]).note_ids[-1] == "extra"


def test_the_same_seed_gives_the_same_bytes_in_another_process(workload):
    code = (
        "import hashlib, sys; from pastoral_core.testing import case_workload; "
        "sys.stdout.write(hashlib.sha256(case_workload(30, seed=11, templates=8).jsonl().encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONPATH": SOURCE, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out == hashlib.sha256(workload.jsonl().encode()).hexdigest()
    assert case_workload(30, seed=12, templates=8).jsonl() != workload.jsonl()


def test_template_of_refuses_a_case_not_in_the_workload(workload):
    for case_id in ("c000000", "c000031", "x000001", "template-001"):
        with pytest.raises(InvalidValue):
            workload.template_of(case_id)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: case_workload(-1), InvalidValue),
        (lambda: case_workload(True), InvalidType),
        (lambda: case_workload(1, templates=0), InvalidValue),
        (lambda: case_workload(1, seed=1.5), InvalidType),
        (lambda: case_workload(1, closed=1), InvalidType),
        (lambda: long_case(4), InvalidValue),
        (lambda: long_case("9"), InvalidType),
        (lambda: long_case(10, case_id=" spaced "), InvalidValue),
        (lambda: long_case(10, case_id=7), InvalidType),
    ],
)
def test_bad_arguments_are_refused(call, error):
    with pytest.raises(error):
        call()


def test_a_long_case_has_exactly_n_events_loads_and_folds():
    case = long_case(300, seed=4, case_id="long-x")
    records = case.records()
    assert len(records) == case.events == 300
    assert [r.stream_version for r in records] == list(range(1, 301))
    assert {r.stream_id for r in records} == {"case-long-x"}
    assert records[0].position == len(case.network) + 1 and records[-1].position == len(case.network) + 300
    assert loads(case.jsonl()) == records
    folded = CASE.replay(loads(case.jsonl()))
    assert folded.version == 300 and len(folded.state.note_ids) == 296 and len(set(folded.state.note_ids)) == 296
    notes = [r for r in records if isinstance(r.event, NoteRecorded)]
    times = [r.metadata.recorded_at for r in records]
    assert times == sorted(times, key=lambda t: t.timestamp())
    assert not any(isinstance(r.event, SessionHeld) for r in records)
    # each note keeps the command that recorded it, as the codec writes a real one
    last = notes[-1]
    command = RecordNote(
        command_id=last.metadata.command_id,
        actor=case.lead,
        role=SupportRole.OFFICER,
        at=last.metadata.recorded_at,
        note_id=last.event.note_id,
        text=last.event.text,
    )
    assert last.decision.command == DEFAULT_CODEC.kept_command(command)


def test_a_long_case_takes_commands_through_the_service():
    case = long_case(60, seed=4)
    log = case.store()
    assert isinstance(log, EventLog) and log.stream_version(case.stream_id) == 60
    support = PastoralSupport(log, workload_rulebooks(), network_id=WORKLOAD_NETWORK_ID)
    command = RecordNote(
        command_id="long-extra",
        actor=case.lead,
        role=SupportRole.OFFICER,
        at=case.last_recorded_at + dt.timedelta(minutes=1),
        note_id="extra",
        text="Checked in.",
    )
    support.handle(command, case.case_id)
    assert log.stream_version(case.stream_id) == 61 and support.case(case.case_id).note_ids[-1] == "extra"
