"""states_from reads records once, in any order, holding only what folding needs."""

import gc
import random
import tracemalloc

import pytest

from pastoral_core.eventlog import Fact, dumps, fact_of, iter_loads, loads
from pastoral_core.kernel import states_from
from pastoral_core.support import CASE
from pastoral_core.testing import synthetic_history


@pytest.fixture(scope="module")
def history():
    return synthetic_history(5, cases=150)


def test_a_generator_read_once_gives_the_states_a_list_gives(history):
    records = history.log.read_all()
    once = (r for r in records)
    assert states_from(CASE, once) == states_from(CASE, list(records))
    assert next(once, None) is None  # consumed, once


def test_records_in_any_order_give_the_same_states(history):
    records = list(history.log.read_all())
    shuffled = records[:]
    random.Random(3).shuffle(shuffled)
    assert states_from(CASE, shuffled) == states_from(CASE, records)
    for key, folded in states_from(CASE, records).items():
        assert folded == CASE.replay(history.log.read_stream(CASE.stream_id(key)))


def test_a_fact_keeps_nothing_but_what_folding_reads(history):
    record = next(r for r in history.log.read_all() if r.decision is not None and r.metadata.occurred_at)
    fact = fact_of(record)
    assert fact == Fact(
        record.stream_id,
        record.stream_version,
        record.metadata.occurred_at,
        record.metadata.recorded_at,
        record.metadata.organisation,
        record.event,
    )
    assert CASE.replay_facts([]) == CASE.replay([])


def test_folding_a_stream_of_json_lines_holds_far_less_than_loading_it(history):
    text = dumps(history.log.read_all())
    lines = [line + "\n" for line in text.split("\n")]
    loads(text)  # the codec's memories (verdicts, datetimes, hooks) filled before either is measured
    gc.collect()
    tracemalloc.start()
    streamed = states_from(CASE, iter_loads(lines))
    _, streamed_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gc.collect()
    tracemalloc.start()
    loaded = states_from(CASE, loads(text))
    _, loaded_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert streamed == loaded
    assert streamed_peak < loaded_peak / 2  # a ratio in one run, never an absolute figure
