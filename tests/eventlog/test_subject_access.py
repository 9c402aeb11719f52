"""Subject access: everything the log holds about one person id, destroyed text shown as destroyed."""

import json

import pytest

from pastoral_core import EventLog, execute
from pastoral_core.eventlog import DESTROYED, subject_access
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.support import CASE, CloseCase, ClosureOutcome, DestroyNotes, RecordNote, redact_destroyed_notes
from tests.builders import at, command
from tests.support.helpers import CONTEXT, GP_A, allocate, gp_request, mou


def two_cases():
    log = EventLog()
    for c in (gp_request(), mou(), allocate(GP_A, "off-gp-1")):
        execute(log, CASE, "1", c, CONTEXT)
    note = command(
        RecordNote, at(2027, 1, 12), "officer", "off-gp-1", note_id="n1", text="Partners disagree on the rota"
    )
    execute(log, CASE, "1", note, CONTEXT)
    for c in (gp_request(gp="gp-z"), mou(), allocate("gp-z", "off-gp-2")):
        execute(log, CASE, "2", c, CONTEXT)
    return log


def test_a_recipient_gets_their_whole_case_and_nothing_of_anyone_elses():
    log = two_cases()
    report = subject_access(log.read_all(), GP_A)
    assert {e.stream_id for e in report.entries} == {"case-1"}
    assert [e.position for e in report.entries] == [r.position for r in log.read_stream("case-1")]
    data = json.loads(json.dumps(report.to_dict()))
    texts = [r["event"].get("text") for r in data["records"]]
    assert "Partners disagree on the rota" in texts
    assert all("digest" not in r for r in data["records"])


def test_destroyed_text_shows_as_destroyed_never_as_a_tombstone():
    log = two_cases()
    execute(log, CASE, "1", command(CloseCase, at(2027, 3, 1), outcome=ClosureOutcome.RESOLVED), CONTEXT)
    destroy = command(DestroyNotes, at(2033, 3, 2), role="caldicott_guardian", actor="cg-1")
    execute(log, CASE, "1", destroy, CONTEXT)
    redact_destroyed_notes(log, "1")
    text = json.dumps(subject_access(log.read_all(), GP_A).to_dict())
    assert DESTROYED in text and "Partners disagree" not in text and "<redacted sha256=" not in text


def test_an_officer_gets_the_cases_they_were_allocated_to_and_a_coordinator_what_they_did():
    log = two_cases()
    officer = subject_access(log.read_all(), "off-gp-1")
    assert {(e.stream_id, e.why) for e in officer.entries} == {("case-1", "their stream")}
    coordinator = subject_access(log.read_all(), "coord-1")
    assert {e.why for e in coordinator.entries} == {"actor"}
    assert {e.stream_id for e in coordinator.entries} == {"case-1", "case-2"}
    assert all(e.data["metadata"]["actor"] == "coord-1" for e in coordinator.entries)


@pytest.mark.parametrize(("person", "error"), [("", InvalidValue), ("  ", InvalidValue), (17, InvalidType)])
def test_a_blank_or_wrong_id_is_refused(person, error):
    with pytest.raises(error):
        subject_access([], person)
