"""Every edit a forger can make to a stored log, tried one at a time: each one is detected.

The figures (edits tried, edits detected) are printed at the end of the run for
docs/reliability.md.
"""

import json

import pytest

from pastoral_core import EventLog, execute, verify
from pastoral_core.eventlog import DEFAULT_CODEC, Keyring
from pastoral_core.support import CASE
from tests.conftest import FIGURES
from tests.eventlog.forgery import resealed, rows_of, text_of
from tests.test_faults import COMMANDS, CONTEXT

RING = Keyring({"k1": b"\x01" * 32}, active="k1")
TRIED: dict[str, list[int]] = {}


def case_log(keys: Keyring | None) -> str:
    log = EventLog(keys=keys)
    for c in COMMANDS:
        execute(log, CASE, "1", c, CONTEXT)
    return DEFAULT_CODEC.dumps(log.read_all())


def leaves(value, path=()):
    """Every (path, value) leaf of a JSON value, except the fingerprint (deliberately unsealed)."""
    if isinstance(value, dict):
        for key, child in value.items():
            if (*path, key) != ("decision", "fingerprint"):
                yield from leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from leaves(child, (*path, index))
    else:
        yield path, value


def changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x" if value else "x"
    return "x"


def edit_at(row, path, value):
    target = row
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def single_edits(text):
    """(label, edited text) for one changed leaf, in every record."""
    rows = rows_of(text)
    for number, row in enumerate(rows):
        for path, value in list(leaves(row)):
            edited = json.loads(json.dumps(rows))
            edit_at(edited[number], path, changed(value))
            yield f"record {number + 1} {'.'.join(map(str, path))}", edited
            if path[0] == "decision" and path[1] == "command":
                # A kept command is JSON text: change one of its own values too.
                command = json.loads(value)
                for inner, leaf in leaves(command):
                    copy = json.loads(json.dumps(command))
                    edit_at(copy, inner, changed(leaf))
                    again = json.loads(json.dumps(rows))
                    edit_at(again[number], path, json.dumps(copy))
                    yield f"record {number + 1} decision.command.{'.'.join(map(str, inner))}", again


def structural_edits(text):
    rows = rows_of(text)
    for i in range(len(rows)):
        yield f"drop record {i + 1}", rows[:i] + rows[i + 1 :]
        yield f"repeat record {i + 1}", rows[: i + 1] + rows[i:]
        if i + 1 < len(rows):
            yield f"swap records {i + 1} and {i + 2}", [*rows[:i], rows[i + 1], rows[i], *rows[i + 2 :]]


def tally(kind, detected):
    counts = TRIED.setdefault(kind, [0, 0])
    counts[0] += 1
    counts[1] += bool(detected)
    FIGURES["integrity: edits tried and detected"] = "; ".join(
        f"{name} {found:,} of {tried:,}" for name, (tried, found) in sorted(TRIED.items())
    )


@pytest.mark.parametrize("keys", [None, RING], ids=["unkeyed", "keyed"])
def test_every_single_edit_to_any_sealed_value_is_detected(keys):
    text = case_log(keys)
    assert verify(text, keys=keys).ok
    for label, rows in single_edits(text):
        result = verify(text_of(rows), keys=keys)
        tally("one value changed", not result.ok)
        assert not result.ok, label


@pytest.mark.parametrize("keys", [None, RING], ids=["unkeyed", "keyed"])
def test_every_drop_repeat_or_swap_is_detected_against_a_checkpoint(keys):
    text = case_log(keys)
    checkpoint = verify(text, keys=keys).checkpoint
    for label, rows in structural_edits(text):
        result = verify(text_of(rows), keys=keys, since=checkpoint)
        tally("record dropped, repeated or swapped", not result.ok)
        assert not result.ok, label


def test_in_a_keyed_log_every_edit_resealed_without_the_key_is_detected():
    text = case_log(RING)
    for label, rows in list(single_edits(text)) + list(structural_edits(text)):
        forged = text_of(resealed(rows))
        result = verify(forged, keys=RING)
        tally("edit re-sealed without the key", not result.ok)
        assert not result.ok, label


def test_in_an_unkeyed_log_a_resealed_edit_is_caught_only_by_a_checkpoint_of_the_streams_it_touched():
    """What a key is for: without one, a forger can re-seal; only the checkpoint still sees it."""
    text = case_log(None)
    checkpoint = verify(text).checkpoint
    rows = rows_of(text)
    rows[5]["event"]["text"] = "nothing of note"
    forged = text_of(resealed(rows))
    assert verify(forged).ok
    assert not verify(forged, since=checkpoint).ok
