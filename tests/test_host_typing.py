"""A host's code type-checks under mypy --strict against the public API (commands, services, facts, the store kit)."""

import importlib.util
import subprocess
import sys
import textwrap

import pytest

HOST = textwrap.dedent(
    """
    from __future__ import annotations

    import datetime as dt
    from collections.abc import Mapping
    from zoneinfo import ZoneInfo

    from pastoral_core import Accepted, EventLog, PastoralSupport, Refused, iter_facts, states_from
    from pastoral_core.eventlog import Codec, EventStore, Keyring, RecordedEvent, dumps
    from pastoral_core.rules import Rulebooks, WorkingCalendar
    from pastoral_core.support import (
        CASE,
        DEVON_PSN_V1,
        Background,
        Case,
        EnrolOfficer,
        Payments,
        ReceiveRequest,
        Recipient,
        RecipientKind,
        ResponseTimes,
        SupportRole,
    )
    from pastoral_core.testing import StoreContract

    LONDON = ZoneInfo("Europe/London")


    def at(day: int) -> dt.datetime:
        return dt.datetime(2027, 1, day, 9, tzinfo=LONDON)


    def run() -> tuple[str, ...]:
        support = PastoralSupport(EventLog(), Rulebooks((DEVON_PSN_V1,)))
        enrol = EnrolOfficer(
            command_id="c1", actor="coord-1", role=SupportRole.COORDINATOR, at=at(4),
            officer_id="off-1", background=Background.GP,
        )
        accepted: Accepted = support.handle(enrol)
        gp = Recipient("gp-1", RecipientKind.GP)
        request = ReceiveRequest(
            command_id="c2", actor="coord-1", role=SupportRole.COORDINATOR, at=at(11),
            kind=RecipientKind.GP, recipients=(gp,),
        )
        try:
            support.handle(request, "1")
        except Refused as refused:
            return refused.rule_ids
        case: Case | None = support.case("1")
        records: tuple[RecordedEvent, ...] = support.store.read_all()
        cases: Mapping[str, Case] = {k: f.state for k, f in states_from(CASE, iter_facts(dumps(records))).items()}
        report = ResponseTimes.of(cases, at(20), support.rulebooks)
        money = Payments.of(records)
        due: dt.datetime = WorkingCalendar("SCT").due_by(at(11), 2)
        return (str(accepted.rulebook), str(case is not None), str(len(report.to_rows())), str(len(money.rows)), due.isoformat())


    class MyStore(EventLog):
        pass


    class TestMyStore(StoreContract):
        def make_store(self, codec: Codec, keys: Keyring | None) -> EventStore:
            return MyStore(codec, keys=keys)
    """
)


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_a_hosts_code_passes_mypy_strict(tmp_path):
    host = tmp_path / "host.py"
    host.write_text(HOST)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(host),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_host_code_runs_too():
    namespace: dict = {}
    exec(compile(HOST, "host.py", "exec"), namespace)
    answer = namespace["run"]()
    assert answer[0] == "DEVON_PSN v1" and answer[1] == "True" and answer[4].startswith("2027-01-13T17:00")
