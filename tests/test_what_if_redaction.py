"""What-if keeps no destroyed text, and says which recorded decisions it could not take again, and why."""

import datetime as dt
import json

import attrs
import pytest

from pastoral_core import EventLog, WhatIfChange, WhatIfMode
from pastoral_core.kernel import what_if
from pastoral_core.rules import Rulebooks
from pastoral_core.support import (
    CASE,
    NETWORK,
    CloseCase,
    ClosureOutcome,
    DestroyNotes,
    DifficultyKind,
    SessionAllowance,
    SupportContext,
)
from tests.builders import at, command
from tests.test_what_if import BOOKS, EXETER, history, proposed

SECRET_NOTE = "Partner dispute over the Hartley rota 7Q"
SECRET_BODY = "Westcountry Tribunal 9Z"
REDACTED = "its free text was destroyed (redacted), so it cannot be decided again"
NOT_KEPT = "no command was kept with this record (a record of pastoral_core 0.1)"


def destroyed_history():
    """The history, its case closed and, after retention, its notes destroyed and redacted."""
    support, ids = history(note=SECRET_NOTE, difficulty=DifficultyKind.EXTERNAL, external_body=SECRET_BODY)
    support.handle(command(CloseCase, at(2027, 4, 1), outcome=ClosureOutcome.RESOLVED), "1")
    support.handle(command(DestroyNotes, at(2033, 4, 2), "caldicott_guardian", "cg-1"), "1")
    return support, ids


def everything_shown(report) -> str:
    """Every way a report can be read: repr, str, rows, totals, HTML, and its fields as plain data."""
    parts = [
        repr(report),
        str(report),
        report.text,
        repr(report.to_rows()),
        repr(report.totals.to_rows()),
        report._repr_html_(),
        report.totals._repr_html_(),
        repr(attrs.asdict(report, recurse=True)),
        repr(report.by_aggregate()),
        *(str(v) for line in report.lines for v in line.verdicts),
    ]
    return "\n".join(parts)


def test_before_redaction_the_kept_commands_hold_the_text_what_if_could_read():
    support, _ = destroyed_history()
    kept = [r.decision.command for r in support.store.read_all() if r.decision and r.decision.command]
    assert any(SECRET_NOTE in k for k in kept) and any(SECRET_BODY in k for k in kept)


@pytest.mark.parametrize("mode", list(WhatIfMode))
def test_destroyed_note_text_is_absent_from_everything_what_if_holds_and_returns(mode):
    support, ids = destroyed_history()
    assert support.redact_destroyed_notes("1")
    assert SECRET_NOTE not in repr(support.store.read_all())
    for books in (BOOKS, proposed(SessionAllowance(sessions=8))):
        report = support.what_if(books, mode=mode)
        shown = everything_shown(report)
        assert SECRET_NOTE not in shown and "Hartley" not in shown
        assert SECRET_BODY not in shown and "Westcountry" not in shown
        # the note and the request told the same story; neither can be decided again
        missed = {
            line.command_id: line.reason for line in report.lines if line.changes == (WhatIfChange.NOT_REDECIDED,)
        }
        assert missed == {ids["note"]: REDACTED, ids["receive"]: REDACTED}
        assert report.totals.count(WhatIfChange.NOT_REDECIDED) == 2
        assert "2 could not be decided again" in report.text


def test_what_if_counts_the_redacted_decisions_and_still_decides_the_rest_as_recorded():
    support, ids = destroyed_history()
    support.redact_destroyed_notes("1")
    report = support.what_if(proposed(SessionAllowance(sessions=8)), mode=WhatIfMode.COUNTERFACTUAL)
    refused = [line.command_id for line in report.lines if WhatIfChange.REFUSED in line.changes]
    assert refused == [ids["review"]]  # the request's facts stand as recorded, tombstones and all
    assert report.totals.decisions == len(ids) + 2


def _without_kept_commands(records, command_ids):
    """``records`` as pastoral_core 0.1 wrote them for ``command_ids``: no command kept beside them."""
    return [
        attrs.evolve(r, decision=attrs.evolve(r.decision, command=None))
        if r.decision is not None and r.metadata.command_id in command_ids
        else r
        for r in records
    ]


def _context(command, world, books):
    return SupportContext(books, world.folded(NETWORK, "devon").state)


@pytest.mark.parametrize("mode", list(WhatIfMode))
def test_records_with_no_kept_command_are_counted_as_not_re_decided_and_their_facts_stand(mode):
    support, ids = history()
    records = _without_kept_commands(support.store.read_all(), {ids["review"], ids["mou"]})
    report = what_if(
        (CASE, NETWORK), records, proposed(SessionAllowance(sessions=8)), _context, recorded=BOOKS, mode=mode
    )
    lines = {line.command_id: line for line in report.lines}
    for label in ("review", "mou"):
        assert lines[ids[label]].changes == (WhatIfChange.NOT_REDECIDED,)
        assert lines[ids[label]].reason == NOT_KEPT
    # the review could not be refused, so it still granted sessions 7 and 8 in either mode
    assert not any(WhatIfChange.PRICED in line.changes for line in report.lines)
    assert report.totals.count(WhatIfChange.NOT_REDECIDED) == 2


def test_a_kept_command_another_codec_cannot_read_is_not_re_decided():
    support, ids = history()
    records = [
        attrs.evolve(r, decision=attrs.evolve(r.decision, command=json.dumps({"command_type": "elsewhere.unknown"})))
        if r.decision is not None and r.metadata.command_id == ids["mou"]
        else r
        for r in support.store.read_all()
    ]
    report = what_if((CASE, NETWORK), records, BOOKS, _context, recorded=BOOKS)
    (line,) = report.lines
    assert line.command_id == ids["mou"]
    assert line.reason == "the command kept with it cannot be read back by this codec"


@pytest.mark.parametrize("mode", list(WhatIfMode))
def test_rulebooks_not_yet_in_force_decide_nothing_and_say_so(mode):
    support, ids = history()
    later = Rulebooks((EXETER.revised(2, dt.date(2028, 1, 1), SessionAllowance(sessions=8)),))
    report = support.what_if(later, mode=mode)
    assert {line.command_id for line in report.lines} == set(ids.values())
    assert {line.changes for line in report.lines} == {(WhatIfChange.NOT_REDECIDED,)}
    first = report.lines[0]
    assert first.reason == "no version of the proposed rulebooks is in force on 2026-12-01"
    assert report.text.endswith(f"no decision would change. {len(ids)} could not be decided again.")


def test_an_empty_store_reports_nothing():
    report = what_if((CASE, NETWORK), EventLog().read_all(), BOOKS, _context, recorded=BOOKS)
    assert report.lines == () and report.totals.decisions == 0 and report.to_rows() == []
    assert report.totals.to_rows() == [
        {
            "mode": "as recorded",
            "measure": "decisions",
            "command_type": None,
            "payer": None,
            "count": 0,
            "of": None,
            "amount": None,
        }
    ]
