"""The worked host (examples/host_app.py) end to end: every call a new process over one SQLite file.

Each command runs in its own process, so there is a restart between every two of them:
whatever one call needs (the officers enrolled, the case so far) it rebuilds from the
file. A coordinator's view: accepted commands with each rule's verdict, a refusal with
its clauses, a case shown without its note's text, the log verifying under the host's
key, bad input answered in one line, and a repeated command writing nothing.
"""

import contextlib
import importlib.util
import io
import json
import os
import pathlib
import sqlite3
import subprocess
import sys

import pytest

from pastoral_core.eventlog import DEFAULT_CODEC
from pastoral_core.support import (
    AllocateOfficer,
    Background,
    EnrolOfficer,
    ReceiveRequest,
    Recipient,
    RecipientKind,
    RecordNote,
    SendMou,
    SupportRole,
)
from tests.builders import at

APP = pathlib.Path(__file__).resolve().parents[1] / "examples" / "host_app.py"
KEY = "a host key of at least thirty-two bytes, from a secrets manager"
NOTE = "Discussed workload; agreed a plan for the partnership meeting"


def command_json(cls, when, actor="coord-1", role=SupportRole.COORDINATOR, **fields):
    command = cls(command_id=f"{cls.__name__}-{when:%d%H%M}", actor=actor, role=role, at=when, **fields)
    return json.dumps(DEFAULT_CODEC.command_to_dict(command))


ENROL = command_json(EnrolOfficer, at(2027, 1, 4), officer_id="off-gp-1", background=Background.GP, practice_id="P-2")
REQUEST = command_json(
    ReceiveRequest,
    at(2027, 1, 11, 9),
    kind=RecipientKind.GP,
    recipients=(Recipient("gp-a", RecipientKind.GP),),
    practice_id="P-DEVON-7",
)
MOU = command_json(SendMou, at(2027, 1, 11, 10), terms_version="PSN-MOU-2019")
NOT_ENROLLED = command_json(AllocateOfficer, at(2027, 1, 11, 11), recipient_id="gp-a", officer_id="off-gp-9")
ALLOCATE = command_json(AllocateOfficer, at(2027, 1, 11, 12), recipient_id="gp-a", officer_id="off-gp-1")
NOTE_JSON = command_json(
    RecordNote, at(2027, 1, 19), actor="off-gp-1", role=SupportRole.OFFICER, note_id="n1", text=NOTE
)
NOTE_ID = json.loads(NOTE_JSON)["command_id"]


@pytest.fixture
def app(tmp_path):
    db = tmp_path / "lmc.db"
    env = {**os.environ, "PASTORAL_KEY": KEY}

    def run(*args, stdin=None):
        done = subprocess.run(
            [sys.executable, str(APP), "--db", str(db), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert "Traceback" not in done.stderr, done.stderr
        assert NOTE not in done.stdout + done.stderr  # the note's text is never printed
        return done

    run.db = db
    return run


def test_a_case_handled_one_process_per_command_refusals_read_as_a_coordinator_would(app):
    enrolled = app("handle", ENROL)  # a network command: no case
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Accepted: network.enrol_officer on the devon network" in enrolled.stdout
    assert "network.officer_enrolled (network-devon #1" in enrolled.stdout

    received = app("handle", "--case", "17", REQUEST)
    assert received.returncode == 0, received.stderr
    assert "case.request_received (case-17 #1" in received.stdout
    assert "PSN-RESPONSE pass: first response due by Wed 13 Jan 2027 17:00 GMT" in received.stdout

    assert app("handle", "--case", "17", MOU).returncode == 0

    refused = app("handle", "--case", "17", NOT_ENROLLED)  # the officers come from the file
    assert refused.returncode == 1
    assert refused.stdout.startswith("Refused: case.allocate_officer on case 17. Nothing was recorded.")
    assert "  PSN-ROSTER (MOU " in refused.stdout and "off-gp-9" in refused.stdout

    allocated = app("handle", "--case", "17", stdin=ALLOCATE)  # from stdin
    assert allocated.returncode == 0, allocated.stdout + allocated.stderr
    assert "case.officer_allocated (case-17 #" in allocated.stdout
    assert "PSN-ROSTER pass:" in allocated.stdout

    noted = app("handle", "--case", "17", NOTE_JSON)
    assert noted.returncode == 0, noted.stdout + noted.stderr
    assert "case.note_recorded (case-17 #" in noted.stdout
    assert "PSN-NOTE-SENSITIVE pass:" in noted.stdout

    again = app("handle", "--case", "17", NOTE_JSON)  # sent twice: answered from the file
    assert again.returncode == 0
    assert again.stdout.startswith(f"Already applied: command {NOTE_ID} was handled before")
    assert "case.note_recorded (case-17 #" in again.stdout
    with contextlib.closing(sqlite3.connect(app.db)) as db:
        assert db.execute("SELECT count(*) FROM records WHERE command_id = ?", (NOTE_ID,)).fetchone() == (1,)
        assert db.execute("SELECT count(*), count(key_id) FROM records").fetchone() == (5, 5)  # all keyed

    shown = app("show", "--case", "17")
    assert shown.returncode == 0
    assert shown.stdout.splitlines()[0] == "Case 17: open"
    assert "  MoU: sent Mon 11 Jan 2027 10:00 GMT" in shown.stdout
    assert "    gp-a (gp): lead off-gp-1; sessions used 0" in shown.stdout
    assert "  Notes: 1 (text is never shown here)" in shown.stdout

    verified = app("verify")
    assert verified.returncode == 0
    assert verified.stdout.strip() == "The log verifies: 5 records checked, keyed."

    malformed = app("handle", "--case", "17", ALLOCATE[:-1])
    assert malformed.returncode == 2 and malformed.stdout == ""
    assert malformed.stderr.startswith("error: the command is not valid JSON: ")
    assert len(malformed.stderr.splitlines()) == 1


@pytest.fixture(scope="module")
def host_app():
    spec = importlib.util.spec_from_file_location("pastoral_examples_host_app", APP)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_invalid_command_is_named_by_its_field_in_one_line(host_app, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(NOTE_JSON.replace('"officer"', '"boss"')))
    assert host_app.main(["--db", str(tmp_path / "lmc.db"), "handle", "--case", "17"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert err.startswith("error: invalid command: ") and err.endswith("(field $.role)\n")
    assert NOTE not in err

    assert host_app.main(["--db", str(tmp_path / "lmc.db"), "handle", MOU]) == 2  # no --case
    assert capsys.readouterr().err == "error: case.send_mou is a case command: name its case with --case\n"


def test_help_says_real_notes_need_a_key_and_a_short_key_is_refused(host_app, monkeypatch, capsys):
    text = " ".join(host_app.parser().format_help().split())
    assert "PASTORAL_KEY" in text and "Real notes need a key" in text

    monkeypatch.setenv("PASTORAL_KEY", "too short")
    assert host_app.main(["--db", "unused.db", "verify"]) == 2
    assert capsys.readouterr().err == "error: PASTORAL_KEY: must be at least 32 bytes (hex, or text); got 9\n"
