"""The lean decode path builds what the two-pass path builds, and leaves everything else to it."""

import datetime as dt
import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pastoral_core
from pastoral_core.eventlog import EVENTS, Codec, CodecError, DecisionRecord, Metadata, RecordedEvent, _converter, _lean
from pastoral_core.rules import Citation, Verdict
from pastoral_core.testing import synthetic_history
from tests.conftest import count
from tests.eventlog.forgery import rows_of
from tests.eventlog.test_codec import FIXTURE, JSON_VALUES, RECORD_KEYS, SAMPLE_ROWS, _paths
from tests.sample_events import CODEC

LIBRARY = Codec(EVENTS)


def two_pass(codec, row):
    """What the codec's fast-then-detailed path makes of ``row``: a record, or the CodecError's parts."""
    try:
        return codec._decode(None, row, RecordedEvent, codec._prepare_record)
    except CodecError as error:
        return (error.record, error.path, error.reason)


def lean(codec, row):
    codec._converters()
    return codec._lean.record(row)


@pytest.fixture(scope="module")
def history_rows():
    history = synthetic_history(5, cases=30, groups=2, members=8, listings=5, months=5)
    return rows_of(pastoral_core.eventlog.dumps(history.log.read_all()))


def test_the_fields_built_by_hand_are_the_classes_fields():
    for cls, names in [
        (RecordedEvent, _lean.RECORD_FIELDS),
        (Metadata, _lean.METADATA_FIELDS),
        (DecisionRecord, _lean.DECISION_FIELDS),
        (Verdict, _lean.VERDICT_FIELDS),
        (Citation, _lean.CITATION_FIELDS),
    ]:
        assert tuple(f.name for f in attrs.fields(cls)) == names, cls.__name__


def test_every_stored_record_takes_the_lean_path_and_comes_out_the_same(history_rows):
    fixture = [json.loads(line) for line in FIXTURE.read_text().split("\n") if line]
    for codec, rows in [(LIBRARY, history_rows), (LIBRARY, fixture), (CODEC, SAMPLE_ROWS)]:
        for row in rows:
            made = lean(codec, row)
            assert made is not None, "a stored record of the usual shape falls back"
            assert made == two_pass(codec, row)
    assert any(row.get("decision", {}).get("verdicts") for row in history_rows), "verdicts are covered"
    assert any("key_id" in row or "chain" in row for row in history_rows + fixture)


def test_an_old_schema_version_is_upcast_on_the_lean_path_too():
    row = json.loads(json.dumps(SAMPLE_ROWS[3]))
    row["event"] = {"event_type": "sample.officer_named", "schema_version": 1, "who": "officer-9"}
    made = lean(CODEC, row)
    assert made is not None and made == two_pass(CODEC, row) and made.event.lead is True


def _edited(rows, data):
    rows = json.loads(json.dumps(rows))
    row = data.draw(st.sampled_from(rows), label="record")
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        path = data.draw(st.sampled_from([p for p in _paths(row) if p]), label="path")
        *parents, last = path
        parent = row
        for step in parents:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "respell", "remove", "add", "retype"]), label="action")
        if action == "respell":  # another value of the same JSON type, often still valid
            value = parent[last]
            if type(value) is str:
                parent[last] = data.draw(st.text(max_size=8) | st.sampled_from([" ", "", "2027-01-01T00:00:00Z"]))
            elif type(value) is int:
                parent[last] = data.draw(st.integers() | st.sampled_from([2**64, -(2**63)]))
            elif type(value) is list and value:
                parent[last] = value[::-1]
        elif action == "replace":
            parent[last] = data.draw(JSON_VALUES, label="value")
        elif action == "remove":
            del parent[last]
        elif action == "retype":  # the same value as another JSON type: "1", 1.0, [x], {"": x}
            value = parent[last]
            parent[last] = data.draw(
                st.sampled_from(
                    [json.dumps(value), [value], {"": value}, float(value) if type(value) is int else value]
                )
            )
        elif isinstance(parent, dict):
            parent[data.draw(st.sampled_from(RECORD_KEYS) | st.text(max_size=6), label="key")] = data.draw(JSON_VALUES)
        else:
            parent.insert(last, data.draw(JSON_VALUES, label="value"))
    return row


def _check_against_two_pass(codec, row):
    count("codec lean path: edited records compared with the two-pass path")
    made = lean(codec, row)
    reference = two_pass(codec, row)
    if made is None:
        count("codec lean path: edited records left to the two-pass path")
    else:
        assert isinstance(reference, RecordedEvent), f"the lean path took what the two-pass path refuses: {reference}"
        assert made == reference
    return reference


@given(st.data())
def test_an_edited_record_is_built_the_same_or_left_to_the_two_pass_path(history_rows, data):
    _check_against_two_pass(LIBRARY, _edited(history_rows, data))


@given(st.data())
def test_an_edited_sample_record_is_built_the_same_or_left_to_the_two_pass_path(data):
    _check_against_two_pass(CODEC, _edited(SAMPLE_ROWS, data))


def test_verdicts_of_the_same_content_are_built_once_and_the_memory_is_bounded(history_rows, monkeypatch):
    codec = Codec(EVENTS)
    decided = [row for row in history_rows if row.get("decision", {}).get("verdicts")]
    first, again = (lean(codec, json.loads(json.dumps(decided[0]))) for _ in range(2))
    assert first.decision.verdicts == again.decision.verdicts
    assert all(a is b for a, b in zip(first.decision.verdicts, again.decision.verdicts, strict=True))
    monkeypatch.setattr(_lean, "VERDICT_CACHE_SIZE", 3)
    for row in decided:
        assert lean(codec, row) == two_pass(codec, row)
        assert len(codec._lean._verdicts) <= 3


@pytest.mark.parametrize(
    "text",
    [
        "2027-10-31T01:30:00+00:00[Europe/London]",
        "2027-10-31T01:30:00+01:00[Europe/London]",
        "2026-03-29T01:30:00+00:00",
        "2026-03-29T01:30:00Z",
    ],
)
def test_a_datetime_text_read_again_is_the_same_datetime(text):
    first = _converter.structure_datetime(text, dt.datetime)
    assert _converter.structure_datetime(text, dt.datetime) is first
    assert _converter.structure_datetime("".join(list(text)), dt.datetime) is first


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2027-10-31T01:30:00+05:00[Europe/London]", "the offset contradicts the time zone"),
        ("2027-10-31T01:30:00+00:00[Mars/Olympus]", "unknown time zone"),
        ("2027-10-31T01:30:00", "must be timezone-aware"),
        ("1700-01-01T00:00:00+00:00", "must fall between"),
        ("[Europe/London]", "not an ISO 8601 datetime"),
        (17, "expected an ISO 8601 string, got int"),
        (["2027-10-31T01:30:00+00:00"], "expected an ISO 8601 string, got list"),
    ],
)
def test_a_datetime_text_that_fails_fails_every_time_and_is_never_remembered(value, error):
    before = _converter.moment_of.cache_info().currsize
    for _ in range(2):
        with pytest.raises(Exception, match=error):
            _converter.structure_datetime(value, dt.datetime)
    assert _converter.moment_of.cache_info().currsize == before


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("plain words, and punctuation: ✓ Zoë", None),
        ("tab\tnewline\ncarriage\rreturn", None),
        ("\u2028\u2029\u00a0\u200b", None),
        ("nul \x00", "a control character at character 5"),
        ("del \x7f", "a control character at character 5"),
        ("c1 \x85", "a control character at character 4"),
        ("lone \ud800", "a lone surrogate at character 6"),
    ],
)
def test_strings_are_checked_the_same_on_the_quick_way(value, refused):
    if refused is None:
        assert _converter.structure_str(value, str) is value
    else:
        with pytest.raises(ValueError, match=refused):
            _converter.structure_str(value, str)
