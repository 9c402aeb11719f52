import datetime as dt

import attrs
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pastoral_core.eventlog import (
    CodecError,
    CommandIdReused,
    ConcurrencyConflict,
    DecisionRecord,
    Event,
    EventLog,
    Metadata,
)
from pastoral_core.exceptions import InvalidValue, PastoralCoreError
from pastoral_core.testing import strategies as pst
from tests.sample_events import CODEC, NoteRecorded

UTC = dt.UTC


def meta(command_id: str, actor: str = "officer-1") -> Metadata:
    return Metadata(
        actor, command_id, dt.datetime(2026, 3, 1, 9, tzinfo=UTC), role="officer", command_type="sample.record_note"
    )


def decided(fingerprint: str = "fp-1") -> DecisionRecord:
    return DecisionRecord((), None, fingerprint)


def note(text: str) -> NoteRecorded:
    return NoteRecorded(author="officer-1", text=text)


@pytest.fixture
def log() -> EventLog:
    return EventLog(CODEC)


def test_append_numbers_stream_versions_and_global_positions(log):
    first = log.append("case-1", [note("a"), note("b")], expected_version=0, metadata=meta("c1"))
    second = log.append("case-2", [note("c")], expected_version=0, metadata=meta("c2"))
    third = log.append("case-1", [note("d")], expected_version=2, metadata=meta("c3"))
    assert [(r.stream_id, r.stream_version, r.position) for r in first + second + third] == [
        ("case-1", 1, 1),
        ("case-1", 2, 2),
        ("case-2", 1, 3),
        ("case-1", 3, 4),
    ]
    assert [r.event.text for r in log.read_stream("case-1")] == ["a", "b", "d"]
    assert [r.event.text for r in log.read_stream("case-1", from_version=3)] == ["d"]
    assert [r.position for r in log.read_all(from_position=3)] == [3, 4]
    assert log.stream_version("case-1") == 3
    assert log.stream_version("nobody") == 0
    assert log.read_stream("nobody") == ()
    assert first[0].metadata == meta("c1")


def test_stale_expected_version_is_refused_and_writes_nothing(log):
    log.append("case-1", [note("a")], expected_version=0, metadata=meta("c1"))
    with pytest.raises(ConcurrencyConflict) as refused:
        log.append("case-1", [note("b"), note("c")], expected_version=0, metadata=meta("c2"))
    assert (refused.value.expected, refused.value.actual) == (0, 1)
    assert "reload it and decide again" in str(refused.value)
    assert len(log) == 1
    assert log.recorded_for("c2") is None


def test_expected_version_ahead_of_stream_is_refused(log):
    with pytest.raises(ConcurrencyConflict):
        log.append("case-1", [note("a")], expected_version=5, metadata=meta("c1"))
    assert len(log) == 0


def test_batch_is_atomic_when_one_event_is_unregistered(log):
    @attrs.frozen
    class Stray(Event):
        x: int

    with pytest.raises(CodecError, match="Stray is not a registered event"):
        log.append("case-1", [note("a"), Stray(1)], expected_version=0, metadata=meta("c1"))
    assert len(log) == 0
    assert log.stream_version("case-1") == 0
    assert log.recorded_for("c1") is None


def test_the_same_command_again_returns_its_first_result_and_writes_nothing(log):
    first = log.append("case-1", [note("a")], expected_version=0, metadata=meta("c1"), decision=decided())
    again = log.append("case-1", [note("other")], expected_version=1, metadata=meta("c1"), decision=decided())
    assert again == first
    assert len(log) == 1
    assert log.recorded_for("c1") == first
    # A stale expected version does not matter either: the command was applied.
    assert log.append("case-1", [note("a")], expected_version=0, metadata=meta("c1"), decision=decided()) == first


@pytest.mark.parametrize(
    ("stream", "command_type", "fingerprint"),
    [
        ("case-2", "sample.record_note", "fp-1"),  # another stream
        ("case-1", "sample.other", "fp-1"),  # another kind of command
        ("case-1", "sample.record_note", "fp-2"),  # other content
        ("case-1", "sample.record_note", None),  # nothing to compare
    ],
)
def test_a_command_id_reused_for_anything_else_is_refused_without_saying_what_it_was(
    log, stream, command_type, fingerprint
):
    log.append("case-1", [note("the first case's secret")], expected_version=0, metadata=meta("c1"), decision=decided())
    other = attrs.evolve(meta("c1"), command_type=command_type)
    with pytest.raises(CommandIdReused) as refused:
        log.append(stream, [note("b")], expected_version=0, metadata=other, decision=decided(fingerprint))
    assert "secret" not in str(refused.value) and "case-1" not in str(refused.value)
    assert len(log) == 1


def test_a_command_without_a_decision_record_cannot_be_replayed(log):
    log.append("case-1", [note("a")], expected_version=0, metadata=meta("c1"))
    with pytest.raises(CommandIdReused):
        log.append("case-1", [note("a")], expected_version=1, metadata=meta("c1"))


def test_an_empty_batch_is_refused_so_every_accepted_command_leaves_a_record(log):
    with pytest.raises(InvalidValue, match="non-empty sequence of events"):
        log.append("case-1", [], expected_version=0, metadata=meta("c1"))
    assert log.recorded_for("c1") is None


@pytest.mark.parametrize("stream_id", ["", " ", None, 7, "a\nb", "x" * 257])
def test_malformed_stream_id_is_refused(log, stream_id):
    with pytest.raises(InvalidValue, match="stream_id"):
        log.append(stream_id, [note("a")], expected_version=0, metadata=meta("c1"))
    assert len(log) == 0


@pytest.mark.parametrize("version", [-1, True, "0", None])
def test_malformed_expected_version_is_refused(log, version):
    with pytest.raises(InvalidValue, match="expected_version"):
        log.append("case-1", [note("a")], expected_version=version, metadata=meta("c1"))


@pytest.mark.parametrize("events", ["ab", [note("a"), "not an event"], None, [None]])
def test_malformed_events_are_refused_and_nothing_is_written(log, events):
    with pytest.raises(PastoralCoreError):
        log.append("case-1", events, expected_version=0, metadata=meta("c1"))
    assert len(log) == 0


def test_an_event_that_would_not_load_back_is_never_written(log):
    # The field says str; a bytes value would be stored but could never be read back.
    with pytest.raises(CodecError, match="NoteRecorded"):
        log.append("case-1", [NoteRecorded(author="officer-1", text=b"raw")], expected_version=0, metadata=meta("c1"))
    assert len(log) == 0


def test_metadata_refuses_naive_time_and_missing_ids():
    with pytest.raises(ValueError, match="recorded_at.*must be timezone-aware"):
        Metadata("a", "c", dt.datetime(2026, 3, 1, 9))
    with pytest.raises(ValueError, match="actor: must be a non-empty string"):
        Metadata(" ", "c", dt.datetime(2026, 3, 1, 9, tzinfo=UTC))
    with pytest.raises(ValueError, match="command_id: must be a non-empty string"):
        Metadata("a", "", dt.datetime(2026, 3, 1, 9, tzinfo=UTC))


def test_from_records_rebuilds_indexes_and_idempotency(log):
    log.append("case-1", [note("a"), note("b")], expected_version=0, metadata=meta("c1"))
    log.append("case-2", [note("c")], expected_version=0, metadata=meta("c2"))
    copy = EventLog.from_records(log.read_all(), CODEC)
    assert copy.read_all() == log.read_all()
    assert copy.stream_version("case-1") == 2
    assert copy.recorded_for("c1") == log.recorded_for("c1")
    nxt = copy.append("case-1", [note("d")], expected_version=2, metadata=meta("c3"))
    assert nxt[0].position == 4


def test_from_records_refuses_gaps_and_a_command_id_used_twice(log):
    log.append("case-1", [note("a"), note("b")], expected_version=0, metadata=meta("c1"))
    log.append("case-1", [note("c")], expected_version=2, metadata=meta("c2"))
    log.append("case-1", [note("d")], expected_version=3, metadata=meta("c3"))
    with pytest.raises(InvalidValue, match="out of sequence"):
        EventLog.from_records(log.read_all()[1:], CODEC)
    twice = [*log.read_all()[:3], attrs.evolve(log.read_all()[3], metadata=meta("c1"))]
    with pytest.raises(InvalidValue, match="used twice"):
        EventLog.from_records(twice, CODEC)


class EventLogMachine(RuleBasedStateMachine):
    """The log against a plain model: versions, positions, idempotency, atomic refusal."""

    def __init__(self):
        super().__init__()
        self.log = EventLog(CODEC)
        self.model: dict[str, list[str]] = {}
        self.order: list[tuple[str, str]] = []
        self.commands: dict[str, int] = {}
        self.counter = 0

    @rule(
        stream=st.sampled_from(["s1", "s2", "s3"]),
        texts=st.lists(pst.text(max_size=3), min_size=1, max_size=3),
        skew=st.integers(-1, 1),
    )
    def append(self, stream, texts, skew):
        self.counter += 1
        cid = f"cmd-{self.counter}"
        current = len(self.model.get(stream, []))
        expected = current + skew
        if expected < 0:
            return
        batch = [note(t) for t in texts]
        if skew:
            with pytest.raises(ConcurrencyConflict):
                self.log.append(stream, batch, expected_version=expected, metadata=meta(cid), decision=decided(cid))
            return
        out = self.log.append(stream, batch, expected_version=expected, metadata=meta(cid), decision=decided(cid))
        assert [r.stream_version for r in out] == list(range(current + 1, current + 1 + len(texts)))
        self.model.setdefault(stream, []).extend(texts)
        self.order.extend((stream, t) for t in texts)
        self.commands[cid] = (stream, len(texts))

    @precondition(lambda self: self.commands)
    @rule(data=st.data(), same=st.booleans())
    def repeat_a_command(self, data, same):
        cid = data.draw(st.sampled_from(sorted(self.commands)))
        stream, count = self.commands[cid]
        before = len(self.log)
        if same:
            again = self.log.append(
                stream, [note("zzz")], expected_version=99, metadata=meta(cid), decision=decided(cid)
            )
            assert len(again) == count
        else:
            with pytest.raises(CommandIdReused):
                self.log.append(stream, [note("z")], expected_version=99, metadata=meta(cid), decision=decided("other"))
        assert len(self.log) == before

    @invariant()
    def streams_and_global_order_match_model(self):
        for stream, texts in self.model.items():
            assert [r.event.text for r in self.log.read_stream(stream)] == texts
        assert [(r.stream_id, r.event.text) for r in self.log.read_all()] == self.order
        assert [r.position for r in self.log.read_all()] == list(range(1, len(self.order) + 1))


TestEventLogMachine = EventLogMachine.TestCase


@pytest.mark.parametrize(
    "metadata",
    [
        attrs.evolve(meta("c1"), actor="officer-\ud800"),  # a lone surrogate cannot be written as UTF-8
        attrs.evolve(meta("c1"), correlation_id=7),  # a number where the log reads text
    ],
    ids=["surrogate", "wrong-type"],
)
def test_metadata_that_would_not_load_back_is_never_written(log, metadata):
    with pytest.raises(CodecError, match=r"\$\.metadata"):
        log.append("case-1", [note("a")], expected_version=0, metadata=metadata)
    assert len(log) == 0


def test_a_decision_record_that_would_not_load_back_is_never_written(log):
    with pytest.raises(CodecError, match=r"\$\.decision"):
        log.append("case-1", [note("a")], expected_version=0, metadata=meta("c1"), decision=DecisionRecord((), 5, "fp"))
    assert len(log) == 0
