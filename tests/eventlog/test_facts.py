"""iter_facts: what folding needs, read from JSON lines without building the records, equal to fact_of(loads)."""

import importlib.util
import json

import pytest
from hypothesis import given

from pastoral_core.eventlog import Codec, CodecError, ReadFacts, dumps, fact_of, iter_facts, loads
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel import states_from
from pastoral_core.support import CASE
from pastoral_core.testing import synthetic_history
from tests.eventlog.test_codec import FIXTURE, LINES, SAMPLE_TEXT, corrupt
from tests.sample_events import CODEC

ORJSON = importlib.util.find_spec("orjson") is not None
BACKENDS = ["stdlib", pytest.param("orjson", marks=pytest.mark.skipif(not ORJSON, reason="orjson is not installed"))]


def outcome(action):
    try:
        return ("ok", action())
    except CodecError as error:
        return ("error", error.record, error.path, error.reason)


@pytest.mark.parametrize("backend", BACKENDS)
def test_facts_are_the_facts_of_the_records_loads_builds(backend):
    codec = Codec(CODEC.registry, json_backend=backend)
    assert tuple(codec.iter_facts(SAMPLE_TEXT)) == tuple(fact_of(r) for r in codec.loads(SAMPLE_TEXT))
    old = FIXTURE.read_text(encoding="utf-8")  # 0.1 records: no business time, upcast events
    assert tuple(iter_facts(old)) == tuple(fact_of(r) for r in loads(old))


def test_a_history_folds_from_its_facts_to_the_states_its_records_give():
    history = synthetic_history(8, cases=100)
    text = dumps(history.log.read_all())
    assert states_from(CASE, iter_facts(text)) == states_from(CASE, history.log.read_all())
    one = next(iter(states_from(CASE, history.log.read_all())))
    stream = [line for line in text.split("\n") if f'"stream_id": "case-{one}"' in line]
    assert CASE.replay_facts(iter_facts("\n".join(stream))) == CASE.replay(history.log.read_stream(f"case-{one}"))


@pytest.mark.parametrize(
    ("line", "change"),
    [
        (2, lambda r: r["event"].update(event_type="sample.nope")),
        (2, lambda r: r["event"].update(minutes="90")),
        (3, lambda r: r["event"].update(at="2027-10-31T01:30:00")),
        (4, lambda r: r["metadata"].update(recorded_at="2026-03-29T01:30:00")),
        (4, lambda r: r["metadata"].update(occurred_at="not a time")),
        (1, lambda r: r.update(extra=1)),
        (1, lambda r: r.update(stream_version="1")),
        (1, lambda r: r["event"].pop("schema_version")),
    ],
)
def test_a_record_whose_folded_fields_are_bad_gives_the_error_loads_gives(line, change):
    text = corrupt(line, change)
    assert outcome(lambda: tuple(CODEC.iter_facts(text)))[0] == "error"
    assert outcome(lambda: tuple(CODEC.iter_facts(text))) == outcome(lambda: CODEC.loads(text))


def test_a_fact_is_read_without_checking_what_folding_does_not_read():
    # a missing actor makes the record unreadable, but not its fact: check records with loads
    text = corrupt(4, lambda r: r["metadata"].pop("actor"))
    with pytest.raises(CodecError, match="actor"):
        CODEC.loads(text)
    assert len(tuple(CODEC.iter_facts(text))) == len(CODEC.loads(SAMPLE_TEXT))


def test_facts_refuse_what_is_not_text_at_once():
    for bad in (b"{}", 42, None):
        with pytest.raises(CodecError, match="expected text"):
            CODEC.iter_facts(bad)


@given(LINES)
def test_any_line_gives_a_fact_or_the_error_iter_loads_gives(line):
    facts = outcome(lambda: tuple(CODEC.iter_facts(line)))
    records = outcome(lambda: tuple(CODEC.iter_loads(line)))
    if records[0] == "ok":
        assert facts == ("ok", tuple(fact_of(r) for r in records[1]))
    elif facts[0] == "error":
        assert facts == records
    else:  # read as a fact although the record is not whole: only what folding does not read is wrong
        assert json.loads(line)["event"]


def test_an_old_record_missing_what_its_upcaster_reads_is_a_codec_error_not_a_traceback():
    rows = [json.loads(line) for line in SAMPLE_TEXT.split("\n") if line]
    row = next(r for r in rows if r["event"]["event_type"] == "sample.officer_named")
    row["event"] = {"event_type": "sample.officer_named", "schema_version": 1}  # v1 without its "who"
    text = json.dumps(row)
    for read in (CODEC.loads, lambda t: tuple(CODEC.iter_facts(t)), lambda t: tuple(CODEC.iter_loads(t))):
        with pytest.raises(CodecError, match="could not be upcast"):
            read(text)


def test_only_a_codec_makes_read_facts_so_a_host_cannot_skip_the_checks():
    record = loads(FIXTURE.read_text())[0]
    forged = fact_of(record)._replace(stream_version=0)
    for token in (None, object(), "codec"):
        with pytest.raises(InvalidType, match="only a codec reads facts"):
            ReadFacts(iter([forged]), token)
    with pytest.raises(InvalidValue, match="Fact.stream_version"):
        CASE.replay_facts(iter([forged]))  # a host's own facts are checked


def test_read_facts_can_be_read_by_next_and_by_a_loop_alike():
    text = FIXTURE.read_text()
    facts = iter_facts(text)
    first = next(facts)
    rest = list(facts)
    assert rest and [first, *rest] == [fact_of(r) for r in loads(text)]
    assert list(facts) == [] and next(iter(facts), None) is None
