import datetime as dt
import decimal
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pastoral_core
from pastoral_core.eventlog import DEFAULT_CODEC, EVENTS, CodecError, EventLog, Metadata, dumps, loads, verify
from pastoral_core.testing import strategies as pst
from tests.conftest import count
from tests.sample_events import (
    CODEC,
    SAMPLES,
    Everything,
    Kind,
    Money,
    NoteRecorded,
    OfficerNamed,
    SessionHeld,
)

UTC = dt.UTC


def meta(command_id: str = "c1") -> Metadata:
    return Metadata(
        "officer-1",
        command_id,
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        "DEVON_PSN v1",
        "corr-1",
    )


def one_of_each():
    return [
        NoteRecorded("officer-1", "first meeting arranged ✓"),
        SessionHeld(
            "officer-2",
            dt.date(2028, 2, 29),
            dt.time(9, 30),
            90,
            decimal.Decimal("42.50"),
            True,
            Kind.TRAINING,
        ),
        Everything(
            dt.datetime(2027, 10, 31, 1, 30, fold=1, tzinfo=pastoral_core.values.LONDON),
            frozenset({"b", "a", "c"}),
            ("gp-1", "gp-2"),
            Money(decimal.Decimal("0.01")),
        ),
        OfficerNamed("officer-3", lead=False),
    ]


def sample_log() -> EventLog:
    log = EventLog(CODEC)
    for i, event in enumerate(one_of_each(), start=1):
        log.append(
            f"case-{i % 2}",
            [event],
            expected_version=log.stream_version(f"case-{i % 2}"),
            metadata=meta(f"c{i}"),
        )
    return log


def test_every_sample_event_type_is_covered():
    assert {type(e) for e in one_of_each()} == {entry.cls for entry in SAMPLES}


@given(pst.events(SAMPLES))
def test_event_round_trip_is_exact_for_every_registered_sample_type(event):
    data = CODEC.event_to_dict(event)
    assert CODEC.event_from_dict(json.loads(json.dumps(data))) == event


def test_event_round_trip_over_the_library_registry():
    """Every pastoral_core event registered by the domain packages round-trips exactly."""
    if not len(EVENTS):
        pytest.skip("no domain events registered yet")

    @given(pst.events(EVENTS))
    def round_trip(event):
        assert (
            pastoral_core.eventlog.DEFAULT_CODEC.event_from_dict(
                json.loads(json.dumps(pastoral_core.eventlog.DEFAULT_CODEC.event_to_dict(event)))
            )
            == event
        )

    round_trip()


@given(st.lists(pst.events(SAMPLES), min_size=1, max_size=5), pst.metadata())
def test_recorded_log_round_trip_is_exact(events, metadata):
    log = EventLog(CODEC)
    log.append("stream-1", events, expected_version=0, metadata=metadata)
    text = CODEC.dumps(log.read_all())
    assert CODEC.loads(text) == log.read_all()
    assert CODEC.dumps(CODEC.loads(text)) == text


def test_serialised_event_carries_our_tag_and_version():
    data = CODEC.event_to_dict(OfficerNamed("officer-3", lead=False))
    assert data == {
        "event_type": "sample.officer_named",
        "schema_version": 2,
        "officer": "officer-3",
        "lead": False,
    }


def test_frozensets_serialise_sorted_so_digests_are_stable():
    data = CODEC.event_to_dict(one_of_each()[2])
    assert data["tags"] == ["a", "b", "c"]


def test_old_version_is_upcast_on_load():
    old = {"event_type": "sample.officer_named", "schema_version": 1, "who": "officer-9"}
    assert CODEC.event_from_dict(old) == OfficerNamed("officer-9", lead=True)


def test_default_codec_functions_use_the_library_registry():
    with pytest.raises(CodecError, match="unknown event type 'sample.note_recorded'"):
        loads(CODEC.dumps(sample_log().read_all()))
    assert dumps([]) == ""


def corrupt(line: int, change) -> str:
    rows = [json.loads(x) for x in CODEC.dumps(sample_log().read_all()).splitlines()]
    change(rows[line - 1])
    return "\n".join(json.dumps(r) for r in rows)


@pytest.mark.parametrize(
    ("line", "change", "path", "reason"),
    [
        (
            2,
            lambda r: r["event"].update(event_type="sample.nope"),
            "$.event.event_type",
            "unknown event type 'sample.nope'",
        ),
        (1, lambda r: r["event"].pop("text"), "$.event.text", "required field missing"),
        (
            2,
            lambda r: r["event"].update(minutes="90"),
            "$.event.minutes",
            "expected an integer, got str",
        ),
        (
            2,
            lambda r: r["event"].update(minutes=True),
            "$.event.minutes",
            "expected an integer, got bool",
        ),
        (2, lambda r: r["event"].update(cost=42.5), "$.event.cost", "expected a decimal string"),
        (
            2,
            lambda r: r["event"].update(kind="locum"),
            "$.event.kind",
            "not a Kind (one of 'role', 'training')",
        ),
        (
            3,
            lambda r: r["event"].update(at="2027-10-31T01:30:00"),
            "$.event.at",
            "must be timezone-aware",
        ),
        (
            3,
            lambda r: r["event"]["price"].update(amount="NaN"),
            "$.event.price.amount",
            "finite decimal",
        ),
        (3, lambda r: r["event"].update(members="gp-1"), "$.event.members", "invalid value"),
        (
            4,
            lambda r: r["metadata"].update(recorded_at="2026-03-29T01:30:00"),
            "$.metadata.recorded_at",
            "must be timezone-aware",
        ),
        (4, lambda r: r["metadata"].pop("actor"), "$.metadata.actor", "required field missing"),
        (1, lambda r: r.update(extra=1), "$", "unexpected field(s) ['extra']"),
        (
            1,
            lambda r: r["event"].pop("schema_version"),
            "$.event.schema_version",
            "required field missing",
        ),
        (
            4,
            lambda r: r["event"].update(schema_version=3),
            "$.event.event_type",
            "newer than this code knows",
        ),
        (1, lambda r: r.update(position="1"), "$.position", "expected an integer"),
    ],
)
def test_malformed_input_names_record_and_field_path(line, change, path, reason):
    with pytest.raises(CodecError) as error:
        CODEC.loads(corrupt(line, change))
    assert error.value.record == line
    assert error.value.path == path
    assert reason in error.value.reason
    assert str(error.value).startswith(f"record {line}: ")


def test_bad_json_names_the_line():
    text = CODEC.dumps(sample_log().read_all()).splitlines()
    text[2] = text[2][:-5]
    with pytest.raises(CodecError, match=r"^record 3: invalid JSON") as error:
        CODEC.loads("\n".join(text))
    assert error.value.path == "$"


@pytest.mark.parametrize("line", ["[1, 2]", '"text"', "null"])
def test_a_line_that_is_not_an_object_is_refused(line):
    with pytest.raises(CodecError, match="record 1: expected an object"):
        CODEC.loads(line)


def test_blank_lines_are_ignored_and_record_numbers_are_line_numbers():
    text = "\n" + CODEC.dumps(sample_log().read_all())
    assert len(CODEC.loads(text)) == 4
    broken = text.replace('"officer-3"', "7")
    with pytest.raises(CodecError) as error:
        CODEC.loads(broken)
    assert error.value.record == 5


def test_loads_refuses_non_text():
    with pytest.raises(CodecError, match="expected text"):
        CODEC.loads(b"{}")  # type: ignore[arg-type]


def test_from_dict_names_the_path_without_a_record_number():
    record = CODEC.to_dict(sample_log().read_all()[0])
    del record["stream_id"]
    with pytest.raises(CodecError, match=r"^record: required field missing @ \$\.stream_id$"):
        CODEC.from_dict(record)


@pytest.mark.parametrize("fold", [0, 1])
def test_ambiguous_london_time_at_the_autumn_clock_change_round_trips_exactly(fold):
    london = pastoral_core.values.LONDON
    at = dt.datetime(2027, 10, 31, 1, 30, fold=fold, tzinfo=london)
    event = Everything(at, frozenset(), (), Money(decimal.Decimal("1.00")))
    data = CODEC.event_to_dict(event)
    assert data["at"] == ("2027-10-31T01:30:00+01:00" if fold == 0 else "2027-10-31T01:30:00+00:00") + "[Europe/London]"
    back = CODEC.event_from_dict(data)
    assert back == event
    assert back.at.tzinfo is london and back.at.fold == fold
    assert back.at.utcoffset() == event.at.utcoffset()


def test_unknown_time_zone_is_refused():
    data = CODEC.event_to_dict(one_of_each()[2])
    data["at"] = "2027-10-31T01:30:00+00:00[Mars/Olympus]"
    with pytest.raises(CodecError, match="unknown time zone"):
        CODEC.event_from_dict(data)


FIXTURE = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "log_v0_1.jsonl"


def test_a_log_written_by_pastoral_core_0_1_still_loads_verifies_and_replays():
    """The 0.1 format had no role, command type or decision record: those are optional."""
    from pastoral_core.support import CASE

    text = FIXTURE.read_text()
    records = loads(text)
    assert verify(text).ok
    assert verify(records).ok, "re-encoding the loaded records must reproduce what was sealed"
    assert dumps(records) == text
    assert all(r.metadata.role is None and r.metadata.command_type is None and r.decision is None for r in records)
    folded = CASE.replay(r for r in records if r.stream_id == "case-1")
    assert folded.state.note_ids == ("n1",) and folded.flagged == frozenset({"PSN-RESPONSE", "PSN-SECOND"})
    # 0.1 kept no business time: each fact happened when it was recorded, and replays in that order.
    from pastoral_core.kernel import in_order_of_occurrence, occurred_at

    assert all(r.metadata.occurred_at is None and occurred_at(r) == r.metadata.recorded_at for r in records)
    assert in_order_of_occurrence(records) == list(records)
    assert folded.last_occurred_at == folded.last_recorded_at == records[-1].metadata.recorded_at


def test_a_field_added_later_is_left_out_at_its_default_so_older_records_stay_as_sealed():
    from pastoral_core.peer_groups import MeetingsPlanned, PlannedMeeting

    start = dt.datetime(2027, 3, 3, 18, tzinfo=ZoneInfo("Europe/London"))
    funded = MeetingsPlanned("s", (PlannedMeeting("s-1", start, 90),))
    data = DEFAULT_CODEC.event_to_dict(funded)
    assert "self_funded_minutes" not in data["meetings"][0], "a 0.1 record had no such key"
    assert DEFAULT_CODEC.event_from_dict(data) == funded
    marked = MeetingsPlanned("s", (PlannedMeeting("s-1", start, 90, 1, 90),))
    data = DEFAULT_CODEC.event_to_dict(marked)
    assert data["meetings"][0]["self_funded_minutes"] == 90
    assert DEFAULT_CODEC.event_from_dict(data) == marked and DEFAULT_CODEC.event_from_dict(data) != funded


def _fixture_with(change):
    """The 0.1 fixture with ``change(record)`` applied to its note record (then re-serialised)."""
    lines = FIXTURE.read_text().splitlines()
    out = []
    for line in lines:
        record = json.loads(line)
        if record["event"]["event_type"] == "case.note_recorded":
            change(record)
        out.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda r: r["event"].update(text="ok \ud800 then"), "a lone surrogate at character 4"),
        (lambda r: r["event"].update(text="nul \x00 here"), "a control character at character 5"),
        (lambda r: r["metadata"].update(actor="off\x1b[31m"), "a control character at character 4"),
        (
            lambda r: r["metadata"].update(recorded_at="2027-01-12T10:00:00+05:00[Europe/London]"),
            "the offset contradicts the time zone",
        ),
    ],
)
def test_stored_text_and_times_that_cannot_be_right_are_refused_by_name(change, reason):
    text = _fixture_with(change)
    with pytest.raises(CodecError, match=reason) as refused:
        loads(text)
    assert "\ud800" not in str(refused.value) and "\x00" not in str(refused.value)


def test_an_unexpected_field_is_named_only_when_it_is_a_short_name():
    with pytest.raises(CodecError, match=r"unexpected field\(s\) \['colour'\]"):
        loads(_fixture_with(lambda r: r["event"].update(colour="red")))
    secret = "GP disclosed suicidal thoughts " * 100
    with pytest.raises(CodecError, match="1 unexpected field") as refused:
        loads(_fixture_with(lambda r: r["event"].update({secret: 1})))
    assert "suicidal" not in str(refused.value)


# -- fuzzing: whatever the input, loading fails one way and verify reports -------------------------

SAMPLE_TEXT = CODEC.dumps(sample_log().read_all())
SAMPLE_ROWS = [json.loads(line) for line in SAMPLE_TEXT.split("\n") if line]


def _keys(value):
    if isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _keys(child)
    elif isinstance(value, list):
        for child in value:
            yield from _keys(child)


#: Every key a stored record uses, so that generated objects often look like records.
RECORD_KEYS = sorted(set(_keys(SAMPLE_ROWS)))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(RECORD_KEYS) | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=12,
)
#: Lines no generated JSON value gives: nesting too deep to read, numbers too long to
#: convert or too large for a float, non-standard constants, a byte order mark, NUL.
ODD_LINES = st.one_of(
    st.integers(1, 100_000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 5_000).map(lambda n: '{"position": ' * n + "1" + "}" * n),
    st.integers(1, 10_000).map(lambda n: "9" * n),
    st.sampled_from(
        [
            "1e999999",
            "-0",
            "NaN",
            "-Infinity",
            '{"position": Infinity}',
            '{"position": 1e400}',
            '"\\ud800"',
            '{"a": 1, "a": 2}',
            "[1, 2,]",
            "\ufeff{}",
            "\x00",
            "{}\r{}",
            "\u2028",
        ]
    ),
)
LINES = st.one_of(JSON_VALUES.map(json.dumps), ODD_LINES, st.text(max_size=40))


def fed(text: str, codecs=(CODEC,)):
    """Feed one input to ``loads`` (with each codec) and to ``verify``; return what they made of it.

    ``loads`` gives every record or raises a ``CodecError`` naming the record (any other
    exception fails the test); ``verify`` reports, never raises.
    """
    count("codec fuzz: inputs fed to loads and verify")
    refused = False
    for codec in codecs:
        try:
            records = codec.loads(text)
        except CodecError as error:
            assert str(error).startswith("record ")
            records, refused = None, True
        else:
            assert len(records) == sum(1 for line in text.split("\n") if line.strip()), "loading is all or nothing"
            assert codec.loads(codec.dumps(records)) == records
    if refused:
        count("codec fuzz: refused by loads with a CodecError")
    result = verify(text)
    assert result.ok in (True, False) and (result.ok or result.reason)
    if not result.ok:
        count("codec fuzz: reported broken by verify")
    return records, result


def _sealed(records):
    """What a stored record says happened, leaving out what the chain does not seal (the fingerprint)."""
    return [(r.stream_id, r.stream_version, r.event, r.metadata) for r in records]


@given(st.lists(LINES, min_size=1, max_size=4))
def test_any_text_is_loaded_whole_or_refused_with_a_codec_error_and_verify_only_reports(lines):
    fed("\n".join(lines), codecs=(DEFAULT_CODEC, CODEC))


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


@given(st.data())
def test_a_stored_log_with_values_replaced_removed_or_added_loads_whole_or_not_at_all(data):
    rows = json.loads(json.dumps(SAMPLE_ROWS))
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        row = data.draw(st.sampled_from(rows), label="record")
        path = data.draw(st.sampled_from([p for p in _paths(row) if p]), label="path")
        *parents, last = path
        parent = row
        for step in parents:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "remove", "add"]), label="action")
        if action == "replace":
            parent[last] = data.draw(JSON_VALUES, label="value")
        elif action == "remove":
            del parent[last]
        elif isinstance(parent, dict):
            parent[data.draw(st.sampled_from(RECORD_KEYS) | st.text(max_size=6), label="key")] = data.draw(JSON_VALUES)
        else:
            parent.insert(last, data.draw(JSON_VALUES, label="value"))
    records, result = fed("\n".join(json.dumps(row, ensure_ascii=False) for row in rows))
    if records is not None and result.ok:
        assert _sealed(records) == _sealed(CODEC.loads(SAMPLE_TEXT)), "an edit to a sealed field went unnoticed"


@given(st.data())
def test_a_stored_log_cut_or_spliced_anywhere_loads_whole_or_not_at_all(data):
    text = SAMPLE_TEXT
    start = data.draw(st.integers(0, len(text)), label="start")
    end = data.draw(st.integers(start, min(len(text), start + 40)), label="end")
    inserted = data.draw(st.text(max_size=8) | st.sampled_from(["\n", '"', "}", "\\", ","]), label="inserted")
    records, result = fed(text[:start] + inserted + text[end:])
    if records is not None and result.ok:
        written = _sealed(CODEC.loads(SAMPLE_TEXT))
        assert all(record in written for record in _sealed(records)), "an edit that verifies made up a record"
