"""NotesDue: closed cases whose notes are due for destruction (PSN-RETENTION), on the day retention ends and after."""

import datetime as dt

import pytest

from pastoral_core.support import (
    CloseCase,
    ClosureOutcome,
    DestroyNotes,
    NotesDue,
    NotesDueLine,
    RecordNote,
    SupportRole,
)
from tests.builders import at
from tests.support.test_read_models import Network


def close(network, case_id, when, **fields):
    network.run(case_id, CloseCase, when, outcome=ClosureOutcome.RESOLVED, **fields)


def note(network, case_id, note_id, when, officer="off-gp-1"):
    network.run(case_id, RecordNote, when, "officer", officer, note_id=note_id, text="Met; agreed next steps.")


@pytest.fixture(scope="module")
def network():
    n = Network()
    # Closed on 29 February 2028: six years on there is no 29 February, so retention ends 28 February 2034.
    n.open_case("leap", at(2028, 1, 10, 9))
    note(n, "leap", "n1", at(2028, 1, 20))
    note(n, "leap", "n2", at(2028, 2, 20))
    close(n, "leap", at(2028, 2, 29, 12))
    # Closed on 31 August 2027, recorded that day: until 31 August 2033.
    n.open_case("month-end", at(2027, 8, 2, 9), recipient="gp-b")
    close(n, "month-end", at(2027, 8, 31, 16))
    # Back-dated: closed on 31 January 2028, recorded on 29 February: retention counts from the record.
    n.open_case("back-dated", at(2028, 1, 3, 9), recipient="gp-c")
    note(n, "back-dated", "n1", at(2028, 1, 5))
    close(n, "back-dated", at(2028, 2, 29, 9), occurred_at=at(2028, 1, 31, 17))
    # Destroyed early, with a reason: never due.
    n.open_case("destroyed", at(2027, 1, 4, 9), recipient="gp-d")
    note(n, "destroyed", "n1", at(2027, 1, 5))
    close(n, "destroyed", at(2027, 2, 1))
    n.run("destroyed", DestroyNotes, at(2027, 3, 1), SupportRole.CALDICOTT_GUARDIAN.value, "cg-1",
          reason="The recipient asked for erasure; nothing pending.")  # fmt: skip
    # Open: its notes are kept for continuity.
    n.open_case("open", at(2027, 1, 4, 9), recipient="gp-e")
    note(n, "open", "n1", at(2027, 1, 5))
    return n


def due(network, on):
    return NotesDue.of(network.cases(), on).rows


def test_nothing_is_due_the_day_before_retention_ends(network):
    assert due(network, dt.date(2033, 8, 30)) == ()


def test_due_from_the_day_retention_ends_longest_due_first(network):
    assert due(network, dt.date(2033, 8, 31)) == (
        NotesDueLine("month-end", dt.date(2027, 8, 31), dt.date(2033, 8, 31), 0, 0),
    )
    assert due(network, dt.date(2034, 2, 27)) == (
        NotesDueLine("month-end", dt.date(2027, 8, 31), dt.date(2033, 8, 31), 0, 180),
    )
    assert due(network, dt.date(2034, 2, 28)) == (
        NotesDueLine("month-end", dt.date(2027, 8, 31), dt.date(2033, 8, 31), 0, 181),
        NotesDueLine("back-dated", dt.date(2028, 1, 31), dt.date(2034, 2, 28), 1, 0),
        NotesDueLine("leap", dt.date(2028, 2, 29), dt.date(2034, 2, 28), 2, 0),
    )


def test_destroying_them_takes_a_case_off_the_list(network):
    n = network.copy()
    n.run("leap", DestroyNotes, at(2034, 3, 1), SupportRole.CALDICOTT_GUARDIAN.value, "cg-1")
    assert [line.case_id for line in due(n, dt.date(2034, 3, 1))] == ["month-end", "back-dated"]
    assert "destroyed" not in {line.case_id for line in due(network, dt.date(2040, 1, 1))}
    assert "open" not in {line.case_id for line in due(network, dt.date(2040, 1, 1))}


def test_a_destruction_on_a_day_listed_needs_no_reason(network):
    """The list and the decider agree: due means ``DestroyNotes`` without a reason is accepted that day."""
    for on, case_id in ((dt.date(2034, 2, 28), "leap"), (dt.date(2033, 8, 31), "month-end")):
        assert case_id in {line.case_id for line in due(network, on)}
        n = network.copy()
        n.run(case_id, DestroyNotes, at(on.year, on.month, on.day, 9), SupportRole.CALDICOTT_GUARDIAN.value, "cg-1")
