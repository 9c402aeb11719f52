"""Cheap evolution: persistent appended sequences, copy-on-write drafts, and folds equal to evolve."""

import collections
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pastoral_core.kernel import Appended, MapDraft, SetDraft
from pastoral_core.support import CASE
from pastoral_core.support._events import NoteRecorded
from pastoral_core.testing import synthetic_history


def test_adding_never_changes_the_sequence_added_to():
    base = Appended(["a", "b"])
    longer = base.added("c")
    assert base == ("a", "b") and longer == ("a", "b", "c")
    assert "c" in longer and "c" not in base
    assert len(base) == 2 and list(longer) == ["a", "b", "c"]


def test_two_states_growing_from_one_keep_their_own_items():
    base = Appended(["a"])
    left = base.added("b")
    right = base.added("x")  # base was grown past: right copies its own prefix
    assert left == ("a", "b") and right == ("a", "x")
    assert "x" not in left and "b" not in right
    assert left.added("c") == ("a", "b", "c") and right.added("y") == ("a", "x", "y")


def test_an_empty_default_is_never_grown_in_place():
    empty = Appended[str]()
    one = empty.added("a")
    other = empty.added("b")
    assert one == ("a",) and other == ("b",) and empty == () and "a" not in empty


@given(st.lists(st.tuples(st.integers(0, 5), st.text(max_size=2)), max_size=40))
def test_any_branching_of_appends_matches_tuples(steps):
    views = [Appended[str]()]
    tuples = [()]
    for source, item in steps:
        n = source % len(views)
        views.append(views[n].added(item))
        tuples.append((*tuples[n], item))
    for view, expected in zip(views, tuples, strict=True):
        assert view == expected and tuple(view) == expected and len(view) == len(expected)
        for item in expected:
            assert item in view
        assert view[-1:] == expected[-1:] and (not expected or view[-1] == expected[-1])


def test_indexing_past_the_end_of_a_view_is_refused_even_when_the_buffer_holds_more():
    short = Appended(["a"])
    short.added("b")
    with pytest.raises(IndexError):
        short[1]
    assert [] not in short  # unhashable: simply not a member


def test_threads_growing_one_state_each_get_their_own_sequence():
    base = Appended(["start"])
    results = [None] * 8

    def grow(n):
        results[n] = base.added(f"t{n}")

    threads = [threading.Thread(target=grow, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(tuple(r) for r in results) == sorted(("start", f"t{n}") for n in range(8))


def test_a_map_draft_copies_on_the_first_change_only_and_never_touches_the_frozen_mapping():
    frozen = {"a": 1}
    draft = MapDraft(frozen)
    assert draft.frozen() is frozen  # untouched: the same object, no copy
    draft["b"] = 2
    draft["a"] = 3
    result = draft.frozen()
    assert dict(result) == {"a": 3, "b": 2} and frozen == {"a": 1}
    with pytest.raises(TypeError):
        result["c"] = 4  # read-only
    draft["c"] = 5  # going on after freezing copies again
    assert dict(result) == {"a": 3, "b": 2} and draft.get("c") == 5


def test_a_set_draft_copies_on_the_first_new_item_only():
    frozen = frozenset({"a"})
    draft = SetDraft(frozen)
    draft.add("a")
    assert draft.frozen() is frozen
    draft.add("b")
    assert draft.frozen() == {"a", "b"} and frozen == {"a"}


@pytest.fixture(scope="module")
def case_streams():
    history = synthetic_history(3, cases=120)
    streams = collections.defaultdict(list)
    for record in history.log.read_all():
        if CASE.owns(record.stream_id):
            streams[record.stream_id].append(record)
    return list(streams.values())


def test_folding_a_stream_through_one_draft_equals_evolving_it_event_by_event(case_streams):
    for records in case_streams:
        state = CASE.initial
        for record in records:
            if type(record.event).__name__ != "RuleFlagged":
                state = CASE.evolve(state, record.event)
        assert CASE.replay(records).state == state
        assert CASE.fold(r.event for r in records).state == state


def test_a_cached_state_grown_by_one_fold_is_unchanged_by_the_next(case_streams):
    records = max(case_streams, key=len)
    half = len(records) // 2
    first = CASE.replay(records[:half])
    snapshot = (first.state.note_ids, dict(first.state.sessions), first.state.engagements)
    grown, _ = CASE.fold_records(first.state, frozenset(), records[half:])
    also, _ = CASE.fold_records(first.state, frozenset(), records[half:])
    assert grown == also == CASE.replay(records).state
    assert (first.state.note_ids, dict(first.state.sessions), first.state.engagements) == snapshot


@pytest.mark.parametrize("notes", [1_000, 10_000])
def test_a_case_of_many_notes_folds_and_answers_membership(notes):
    folded = CASE.fold(NoteRecorded(f"n{i}", "officer-1", "text") for i in range(notes))
    assert len(folded.state.note_ids) == notes and folded.version == notes
    assert f"n{notes - 1}" in folded.state.note_ids and f"n{notes}" not in folded.state.note_ids


@given(st.lists(st.tuples(st.integers(0, 5), st.lists(st.text(max_size=2), max_size=3)), max_size=30))
def test_any_branching_of_extensions_matches_tuples(steps):
    views = [Appended[str]()]
    tuples = [()]
    for source, items in steps:
        n = source % len(views)
        views.append(views[n].extended(items))
        tuples.append((*tuples[n], *items))
    for view, expected in zip(views, tuples, strict=True):
        assert view == expected and all(item in view for item in expected)


def test_a_draft_that_goes_on_after_freezing_keeps_each_frozen_case_as_it_was():
    from pastoral_core.support._evolve_case import CaseDraft

    draft = CaseDraft(CASE.initial)
    draft.apply(NoteRecorded("n1", "officer-1", "text"))
    first = draft.state()
    draft.apply(NoteRecorded("n2", "officer-1", "text"))
    second = draft.state()
    assert first.note_ids == ("n1",) and second.note_ids == ("n1", "n2")
    assert draft.state() == second


def test_a_peer_groups_meetings_and_attendees_stay_read_only_after_planning_and_withdrawal():
    from pastoral_core.peer_groups import PEER_GROUP, AttendeeWithdrawn, MeetingsPlanned

    records = synthetic_history(4, cases=10).log.read_all()
    withdrawn = next(r.stream_id for r in records if isinstance(r.event, AttendeeWithdrawn))
    state = PEER_GROUP.initial
    for event in (r.event for r in records if r.stream_id == withdrawn and type(r.event).__name__ != "RuleFlagged"):
        state = PEER_GROUP.evolve(state, event)
        if isinstance(event, MeetingsPlanned | AttendeeWithdrawn):
            with pytest.raises(TypeError):
                state.meetings["x"] = None
            with pytest.raises(TypeError):
                state.attendees["x"] = None


def test_extending_by_a_generator_reads_it_once():
    grown = Appended(["a"]).extended(x for x in ("b", "c"))
    assert grown == ("a", "b", "c") and "c" in grown and grown.added("d")[-1] == "d"
