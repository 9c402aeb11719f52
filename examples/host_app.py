"""A worked host: one LMC's pastoral support network as a command-line tool over SQLite.

Every invocation is a new process: it opens the SQLite file, rebuilds what it needs from
the records there (the service folds the network's officers and the case from the file),
handles one command or answers one question, and exits. Nothing is kept between runs
except the file, so stopping and starting the tool loses nothing.

    python examples/host_app.py --db lmc.db handle '{"command_type": "network.enrol_officer", ...}'
    python examples/host_app.py --db lmc.db handle --case 17 '{"command_type": "case.receive_request", ...}'
    python examples/host_app.py --db lmc.db handle --case 17 < command.json
    python examples/host_app.py --db lmc.db show --case 17
    python examples/host_app.py --db lmc.db verify

A command is the codec's JSON form of it (``DEFAULT_CODEC.command_to_dict``): its fields
plus ``command_type`` and ``schema_version``. Network commands (``network.*``) go to the
LMC's network and take no ``--case``; case commands need one.

Exit status: 0 done; 1 refused (nothing recorded), case not found, or a log that does
not verify; 2 the input or the set-up is wrong (bad JSON, an invalid command, a reused
command id, a missing or short key); 3 the database could not be used.

Standard library only, besides pastoral_core and the reference store next to this file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import pathlib
import re
import sqlite3
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from pastoral_core import PastoralSupport, verify
from pastoral_core.eventlog import DEFAULT_CODEC, Keyring
from pastoral_core.exceptions import CodecError, ConcurrencyConflict, InvalidValue, PastoralCoreError, Refused
from pastoral_core.rules import Outcome

KEY_VARIABLE = "PASTORAL_KEY"
KEY_ID_VARIABLE = "PASTORAL_KEY_ID"
DEFAULT_KEY_ID = "host-1"
MIN_KEY_BYTES = 32
CONFLICT_RETRIES = 3

DONE, NOT_DONE, BAD_INPUT, STORE_FAILED = 0, 1, 2, 3

DESCRIPTION = """\
Handle pastoral support commands for one LMC, kept in a SQLite file.

Each run opens the file, rebuilds the network and the case from it, does one thing and
exits: state survives any restart because it lives only in the file.
"""

EPILOG = f"""\
keys:
  Set {KEY_VARIABLE} to the host's secret (at least {MIN_KEY_BYTES} bytes: hex, or text) to key the
  log: every record is then sealed with an HMAC under it ({KEY_ID_VARIABLE} names the key,
  default "{DEFAULT_KEY_ID}"). Real notes need a key: in an unkeyed log a destroyed note's text
  can be matched against a guess, and anyone can re-seal an edited record. Once a file
  holds keyed records it opens only with the key.

exit status:
  0 done; 1 refused (nothing recorded), no such case, or a log that does not verify;
  2 bad input (malformed JSON, an invalid command, a reused command id, a bad key);
  3 the database could not be used.
"""


class HostError(Exception):
    """A one-line error for the user, with the exit status to leave with."""

    def __init__(self, message: str, status: int = BAD_INPUT) -> None:
        super().__init__(message)
        self.status = status


# -- set-up -------------------------------------------------------------------------------


def load_sqlite_store() -> Any:
    """The reference store module, ``examples/stores/sqlite_store.py``, loaded from beside this file."""
    path = pathlib.Path(__file__).resolve().parent / "stores" / "sqlite_store.py"
    spec = importlib.util.spec_from_file_location("pastoral_examples_sqlite_store", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with this one
        raise HostError(f"cannot load the SQLite store from {path}", STORE_FAILED)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def keyring_from(environ: Mapping[str, str]) -> Keyring | None:
    """The host's keyring from the environment, or ``None`` when no key is set (an unkeyed log)."""
    value = environ.get(KEY_VARIABLE, "")
    if not value:
        return None
    secret = bytes.fromhex(value) if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", value) else value.encode("utf-8")
    if len(secret) < MIN_KEY_BYTES:
        raise HostError(f"{KEY_VARIABLE}: must be at least {MIN_KEY_BYTES} bytes (hex, or text); got {len(secret)}")
    key_id = environ.get(KEY_ID_VARIABLE) or DEFAULT_KEY_ID
    try:
        return Keyring({key_id: secret}, active=key_id)
    except PastoralCoreError as exc:
        raise HostError(f"{KEY_VARIABLE}: {exc}") from None


def open_support(db: str, keys: Keyring | None) -> PastoralSupport:
    """The service over the SQLite file ``db`` (created if missing), state rebuilt from it."""
    sqlite_store = load_sqlite_store()
    try:
        store = sqlite_store.SqliteStore(db, keys=keys)
    except sqlite3.Error as exc:
        raise HostError(f"cannot open the database {db}: {exc}", STORE_FAILED) from None
    except PastoralCoreError as exc:
        hint = f" (set {KEY_VARIABLE} to the key the log was written with)" if "keys" in str(exc) else ""
        raise HostError(f"cannot open the database {db}: {exc}{hint}") from None
    return PastoralSupport(store)


# -- reading a command --------------------------------------------------------------------


def read_command(text: str) -> Any:
    """The command in ``text``, the codec's JSON form of it.

    Raises:
        HostError: Naming the position (malformed JSON) or the field (an invalid command);
            the messages never quote what was sent.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HostError(f"the command is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise HostError("the command is not valid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise HostError(f"the command must be a JSON object, got {type(data).__name__}")
    try:
        return DEFAULT_CODEC.command_from_dict(data)
    except CodecError as exc:
        raise HostError(f"invalid command: {exc.reason} (field {exc.path})") from None
    except PastoralCoreError as exc:
        raise HostError(f"invalid command: {exc}") from None


# -- what a coordinator reads -------------------------------------------------------------


def when(moment: dt.datetime | dt.date | None) -> str:
    """A time as a coordinator reads it."""
    if moment is None:
        return "-"
    if isinstance(moment, dt.datetime):
        return f"{moment:%a %d %b %Y %H:%M} {moment.tzname() or ''}".rstrip()
    return f"{moment:%a %d %b %Y}"


def where(aggregate_id: str | None, support: PastoralSupport) -> str:
    """The aggregate a command went to, in words."""
    return f"case {aggregate_id}" if aggregate_id is not None else f"the {support.network_id} network"


def handle(support: PastoralSupport, text: str, case_id: str | None) -> int:
    """Handle one command and print the outcome; the exit status."""
    command = read_command(text)
    command_type = DEFAULT_CODEC.command_type(command)
    for attempt in range(1, CONFLICT_RETRIES + 1):
        try:
            accepted = support.handle(command, case_id)
            break
        except ConcurrencyConflict:  # another process wrote to the stream first: decide again
            if attempt == CONFLICT_RETRIES:
                raise HostError("the record kept changing under this command; try again", STORE_FAILED) from None
        except Refused as refused:
            print(f"Refused: {command_type} on {where(case_id, support)}. Nothing was recorded.")
            for verdict in refused.verdicts:
                print(f"  {verdict.rule_id} ({verdict.citation}): {verdict.message}")
            return NOT_DONE
        except InvalidValue as exc:
            if exc.field == "aggregate_id" and case_id is None:
                raise HostError(f"{command_type} is a case command: name its case with --case") from None
            raise HostError(str(exc)) from None
        except PastoralCoreError as exc:  # CommandIdReused, and anything else the caller must fix
            raise HostError(str(exc)) from None
        except sqlite3.Error as exc:
            raise HostError(f"the database could not be used: {exc}", STORE_FAILED) from None
    if accepted.replayed:
        print(f"Already applied: command {command.command_id} was handled before; nothing new was recorded.")
    else:
        print(f"Accepted: {command_type} on {where(case_id, support)} (rulebook {accepted.rulebook}).")
    names = DEFAULT_CODEC.registry
    print("Recorded:" if not accepted.replayed else "Recorded then:")
    for record in accepted.records:
        name = names.of_class(type(record.event)).name
        print(f"  {name} ({record.stream_id} #{record.stream_version}, position {record.position})")
    if not accepted.records:
        print("  nothing (the command changed nothing)")
    print("Rules:")
    for verdict in accepted.verdicts:
        print(f"  {verdict.rule_id} {verdict.outcome.value}: {verdict.message}")
    flagged = [v.rule_id for v in accepted.verdicts if v.outcome is Outcome.FLAG]
    if flagged:
        print(f"Flagged for a coordinator's attention: {', '.join(flagged)}.")
    return DONE


def show(support: PastoralSupport, case_id: str) -> int:
    """Print case ``case_id`` as it stands (never a note's text); the exit status."""
    try:
        case = support.case(case_id)
    except PastoralCoreError as exc:
        raise HostError(str(exc)) from None
    if case is None or case.request is None:
        print(f"No request has been received for case {case_id}.")
        return NOT_DONE
    request = case.request
    if case.closure is not None:
        status = f"closed on {when(case.closure.closed_on)} ({case.closure.outcome.value})"
    elif case.ceased:
        status = "open, support ceased"
    else:
        status = "open"
    print(f"Case {case_id}: {status}")
    practice = f", practice {request.practice_id}" if request.practice_id else ""
    print(f"  Request: {request.kind.value}{practice}, received {when(request.received_at)}")
    if case.response is None:
        print(f"  First response: not yet recorded, due by {when(request.response_due_at)}")
    else:
        late = "on time" if case.response.on_time else f"late (due {when(case.response.due_at)})"
        print(f"  First response: {when(case.response.responded_at)}, {late}")
    print(f"  MoU: {'sent ' + when(case.mou_sent_at) if case.mou_sent_at else 'not sent'}")
    print("  Engagements:")
    for recipient_id in sorted(case.recipients):
        engagement = case.engagements.get(recipient_id)
        kind = case.recipients[recipient_id].kind.value
        if engagement is None:
            print(f"    {recipient_id} ({kind}): no officer allocated")
            continue
        allowance = engagement.allowance
        of = f" of {allowance.allowed_total}" if allowance is not None else ""
        lead = engagement.lead or "none (awaiting a new officer)"
        extra = ", commitment concluded" if engagement.concluded else ""
        print(f"    {recipient_id} ({kind}): lead {lead}; sessions used {engagement.used}{of}{extra}")
    if case.second_officer:
        print(f"  Second officer: {case.second_officer}")
    scheduled = sum(1 for s in case.sessions.values() if s.status.value == "scheduled")
    print(f"  Sessions: {len(case.sessions)} in all, {scheduled} scheduled")
    if case.open_concerns:
        print(f"  Open safety concerns: {len(case.open_concerns)}")
    destroyed = ", destroyed" if case.notes_destroyed else ""
    print(f"  Notes: {len(case.note_ids)}{destroyed} (text is never shown here)")
    return DONE


def check_log(support: PastoralSupport, keys: Keyring | None) -> int:
    """Print whether the whole log verifies; the exit status."""
    records = support.store.read_all()
    result = verify(records, keys=keys)
    keyed = "keyed" if keys is not None else "unkeyed (no key set: tamper evidence against accidents only)"
    if result.ok:
        print(f"The log verifies: {result.checked} records checked, {keyed}.")
        return DONE
    print(
        f"The log does NOT verify: the record at position {result.broken_position} is broken "
        f"({result.reason}); {result.checked} records checked."
    )
    return NOT_DONE


# -- the command line ---------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    top = argparse.ArgumentParser(
        prog="host_app.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--db", required=True, help="the SQLite file (created if missing)")
    sub = top.add_subparsers(dest="action", required=True, metavar="{handle,show,verify}")
    one = sub.add_parser("handle", help="handle one command given as JSON")
    one.add_argument("--case", help="the case the command goes to (not for network commands)")
    one.add_argument("json", nargs="?", default="-", help="the command as JSON; '-' or none: read stdin")
    case = sub.add_parser("show", help="print a case as it stands (never a note's text)")
    case.add_argument("--case", required=True, help="the case id")
    sub.add_parser("verify", help="check every record's digests and chain")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run one invocation; the exit status."""
    args = parser().parse_args(argv)
    try:
        keys = keyring_from(os.environ)
        text = sys.stdin.read() if args.action == "handle" and args.json == "-" else getattr(args, "json", "")
        support = open_support(args.db, keys)
        try:
            if args.action == "handle":
                return handle(support, text, args.case)
            if args.action == "show":
                return show(support, args.case)
            return check_log(support, keys)
        finally:
            support.store.close()
    except HostError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    except sqlite3.Error as exc:
        print(f"error: the database could not be used: {exc}", file=sys.stderr)
        return STORE_FAILED


if __name__ == "__main__":
    sys.exit(main())
