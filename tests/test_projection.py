"""Projection and as-of: the same states whether built at once or a record at a time, late entries included."""

import datetime as dt
import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pastoral_core.eventlog import EventLog, Metadata, RecordedEvent
from pastoral_core.exceptions import InvalidType, InvalidValue, NaiveDatetimeError
from pastoral_core.kernel import Aggregate, Projection, Tenancy, Timeline, as_of, states_from
from pastoral_core.support import CASE, PastoralSupport
from tests.support.helpers import GP_A, allocate, gp_request, mou
from tests.support.helpers import T0 as CASE_DAY
from tests.support.test_service import enrol, note
from tests.toy import Counted, ToyRole

T0 = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)


def _in_order(state: tuple[int, ...], event) -> tuple[int, ...]:
    """A state that remembers the order facts were applied in: a late entry must take its place."""
    return (*state, event.by) if isinstance(event, Counted) else state


SEQUENCE = Aggregate(name="Sequence", category="seq", initial=(), evolve=_in_order, commands={}, roles=ToyRole)


def record(stream, version, position, by, recorded_hours, occurred_hours=None, organisation=None):
    occurred = None if occurred_hours is None else T0 + dt.timedelta(hours=occurred_hours)
    metadata = Metadata(
        "coord-1",
        f"cmd-{position}",
        T0 + dt.timedelta(hours=recorded_hours),
        occurred_at=occurred,
        organisation=organisation,
    )
    return RecordedEvent(f"seq-{stream}", version, position, Counted(by), metadata, "p", "d", chain=2)


@st.composite
def histories(draw):
    """Records of a few streams, interleaved; business times sometimes before earlier facts (late entries)."""
    streams = draw(st.lists(st.sampled_from("abcd"), min_size=1, max_size=30))
    versions: dict[str, int] = {}
    began: dict[str, int] = {}  # rule TIME: no fact is dated before its stream's first
    records = []
    for position, stream in enumerate(streams, start=1):
        versions[stream] = versions.get(stream, 0) + 1
        occurred = max(position * 10 - draw(st.integers(0, 40)), began.setdefault(stream, position * 10))
        records.append(record(stream, versions[stream], position, position, position * 10, occurred))
    return records


@given(histories(), st.data())
def test_built_at_once_a_record_at_a_time_or_in_chunks_the_states_are_the_ones_replay_folds(records, data):
    at_once = Projection.build(SEQUENCE, records)
    one_by_one = functools.reduce(lambda p, r: p.apply(r), records, Projection(SEQUENCE))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(records)), max_size=3)))
    chunked = Projection(SEQUENCE)
    for start, end in zip([0, *cuts], [*cuts, len(records)], strict=True):
        chunked = chunked.updated(records[start:end])
    assert at_once == one_by_one == chunked
    assert at_once.folded == states_from(SEQUENCE, records)


@given(histories())
def test_updating_leaves_the_earlier_projection_as_it_was(records):
    half = len(records) // 2
    earlier = Projection.build(SEQUENCE, records[:half])
    before = dict(earlier.folded), dict(earlier.records)
    earlier.updated(records[half:])
    assert (dict(earlier.folded), dict(earlier.records)) == before


def test_a_late_entry_takes_its_place_among_the_facts_before_it():
    on_time = [record("a", 1, 1, 1, 10, 10), record("a", 2, 2, 2, 20, 20)]
    late = record("a", 3, 3, 3, 30, 15)  # happened between the two, recorded after both
    projection = Projection.build(SEQUENCE, on_time).apply(late)
    assert projection.states["a"] == (1, 3, 2)


def test_a_record_given_twice_counts_once():
    first = record("a", 1, 1, 5, 10)
    assert Projection.build(SEQUENCE, [first, first]).states["a"] == (5,)
    assert Projection.build(SEQUENCE, [first]).apply(first).states["a"] == (5,)


def test_streams_of_other_aggregates_are_skipped():
    other = RecordedEvent("tally-1", 1, 1, Counted(1), Metadata("c", "x", T0), "p", "d")
    assert Projection.build(SEQUENCE, [other]).states == {}


def test_something_that_is_not_a_record_is_refused_and_nothing_changes():
    projection = Projection.build(SEQUENCE, [record("a", 1, 1, 5, 10)])
    with pytest.raises(InvalidType, match="RecordedEvent"):
        projection.updated([record("a", 2, 2, 6, 20), {"stream_id": "seq-a"}])
    assert projection.states["a"] == (5,)


def mixed():
    return [record("a", 1, 1, 1, 10, organisation="lmc-devon"), record("b", 1, 2, 2, 20, organisation="lmc-kent")]


def test_one_organisation_by_default_so_a_report_never_mixes_two_unless_asked():
    with pytest.raises(InvalidValue, match="several organisations"):
        Projection.build(SEQUENCE, mixed())
    first = Projection.build(SEQUENCE, mixed()[:1])
    with pytest.raises(InvalidValue, match="several organisations"):
        first.apply(mixed()[1])


def test_an_organisation_by_id_keeps_its_streams_and_tenancy_all_mixes_them():
    assert dict(Projection.build(SEQUENCE, mixed(), "lmc-kent").states) == {"b": (2,)}
    assert dict(Projection.build(SEQUENCE, mixed(), None).states) == {}
    assert dict(Projection.build(SEQUENCE, mixed(), Tenancy.ALL).states) == {"a": (1,), "b": (2,)}


def test_an_organisation_that_is_not_an_id_or_tenancy_is_refused():
    with pytest.raises(InvalidType, match="organisation"):
        Projection(SEQUENCE, 7)  # type: ignore[arg-type]


def test_as_of_recorded_time_is_what_the_log_held_and_business_time_is_what_had_happened():
    records = [record("a", 1, 1, 1, 10, 10), record("a", 2, 2, 2, 20, 20), record("a", 3, 3, 3, 30, 15)]
    moment = T0 + dt.timedelta(hours=25)
    assert [r.position for r in as_of(records, moment, Timeline.RECORDED)] == [1, 2]
    assert [r.position for r in as_of(records, moment, Timeline.BUSINESS)] == [1, 2, 3]
    before_the_late_fact = T0 + dt.timedelta(hours=12)
    assert [r.position for r in as_of(records, before_the_late_fact, Timeline.BUSINESS)] == [1]
    assert Projection.build(SEQUENCE, as_of(records, moment, Timeline.BUSINESS)).states["a"] == (1, 3, 2)


def test_as_of_compares_instants_and_includes_the_moment_itself():
    records = [record("a", 1, 1, 1, 10)]
    exactly = (T0 + dt.timedelta(hours=10)).astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert as_of(records, exactly, Timeline.RECORDED) == tuple(records)
    assert as_of(records, exactly - dt.timedelta(microseconds=1), Timeline.RECORDED) == ()


def test_as_of_refuses_a_naive_moment_or_an_unknown_clock():
    with pytest.raises(NaiveDatetimeError):
        as_of([], dt.datetime(2027, 1, 1), Timeline.RECORDED)
    with pytest.raises(InvalidType, match="Timeline"):
        as_of([], T0, "recorded")  # type: ignore[arg-type]


@given(histories(), st.data())
def test_cut_by_business_time_then_given_the_rest_the_projection_is_the_whole_historys(records, data):
    """as_of by business time leaves versions missing where a late entry was recorded; they arrive later."""
    moment = T0 + dt.timedelta(hours=data.draw(st.integers(0, 10 * len(records) + 10)))
    cut = as_of(records, moment, Timeline.BUSINESS)
    rest = [r for r in records if r not in cut]
    assert Projection.build(SEQUENCE, cut).updated(rest) == Projection.build(SEQUENCE, records)
    one_by_one = functools.reduce(lambda p, r: p.apply(r), rest, Projection.build(SEQUENCE, cut))
    assert one_by_one == Projection.build(SEQUENCE, records)


def test_a_missing_version_is_folded_without_and_again_when_it_arrives():
    first, second, third = record("a", 1, 1, 1, 10), record("a", 2, 2, 2, 20), record("a", 3, 3, 3, 30)
    gap = Projection.build(SEQUENCE, [first, third])
    assert gap.states["a"] == (1, 3)
    assert gap.apply(second).states["a"] == (1, 2, 3)
    assert gap.apply(second).folded["a"].version == 3


def test_a_stream_given_from_the_middle_is_refused_and_nothing_changes():
    projection = Projection.build(SEQUENCE, [record("a", 1, 1, 1, 10)])
    with pytest.raises(InvalidValue, match="'seq-b' starts at version 2: give its records from version 1"):
        projection.apply(record("b", 2, 5, 9, 50))
    assert dict(projection.states) == {"a": (1,)}


def test_two_different_records_at_one_version_are_refused_whichever_comes_first():
    genuine, forged = record("a", 1, 1, 1, 10), record("a", 1, 7, 666, 10)
    for records in ([genuine, forged], [forged, genuine]):
        with pytest.raises(InvalidValue, match="two different records claim version 1 of stream 'seq-a'"):
            Projection.build(SEQUENCE, records)
    with pytest.raises(InvalidValue, match="two different records"):
        Projection.build(SEQUENCE, [genuine]).apply(forged)


def test_a_record_redacted_since_replaces_the_one_kept_and_its_stream_is_folded_again():
    support = PastoralSupport(EventLog())
    support.handle(enrol("off-1", CASE_DAY - dt.timedelta(days=7), practice="P-OTHER"))
    for command in (gp_request(), mou(), allocate(GP_A, "off-1")):
        support.handle(command, "1")
    support.handle(note("n1", CASE_DAY + dt.timedelta(days=1), text="Canary note text"), "1")
    kept = Projection.build(CASE, support.store.read_all())
    position = next(r.position for r in support.store.read_all() if type(r.event).__name__ == "NoteRecorded")
    support.store.redact(position, ["text"])
    again = kept.updated(support.store.read_all())
    assert "Canary note text" in repr([r.event.text for r in kept.records["1"] if hasattr(r.event, "text")])
    assert not any(getattr(r.event, "text", None) == "Canary note text" for r in again.records["1"])
    assert again == Projection.build(CASE, support.store.read_all())


@pytest.mark.parametrize("records", [None, "case-1", {"a": 1}, 7])
def test_records_that_are_not_recorded_events_are_refused(records):
    with pytest.raises(InvalidType, match="records"):
        Projection.build(SEQUENCE, records)
    with pytest.raises(InvalidType, match="records"):
        as_of(records, T0, Timeline.RECORDED)
    with pytest.raises(InvalidType, match="RecordedEvents"):
        as_of(["x"], T0, Timeline.BUSINESS)


def test_an_aggregate_that_is_not_a_declaration_is_refused():
    with pytest.raises(InvalidType, match="Aggregate declaration"):
        Projection.build("case", [])
    with pytest.raises(InvalidType, match="Aggregate declaration"):
        Projection(None)
