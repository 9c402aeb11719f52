"""Two writers share one log, each deciding from its own, possibly stale, view of each stream.

A writer appends with the version it believes; if another writer got there first the
append is refused with ``ConcurrencyConflict`` and nothing is written, and the writer reads
the stream again. Writers also send an earlier command id again: the same command gets its
original records back and writes nothing; anything else under that id is
``CommandIdReused`` and writes nothing.

After every step, whatever the interleaving: no command id appears twice, no accepted batch
is lost, every stream's versions run 1..n without a gap, positions strictly increase (a
catch-up reader that asks ``read_all(p)`` gets exactly the records from ``p`` on), and the
log verifies. The invariants use only the public API (no digest internals), so they hold
for any chain the log keeps.

The same machine runs twice: against ``EventLog.append`` directly, and through
``kernel.execute`` with the toy tally aggregate (``tests/toy.py``).
"""

import datetime as dt
import itertools

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pastoral_core import execute
from pastoral_core.eventlog import (
    CommandIdReused,
    ConcurrencyConflict,
    DecisionRecord,
    Event,
    EventLog,
    Metadata,
    RecordedEvent,
    verify,
)
from pastoral_core.exceptions import Refused
from tests.conftest import count
from tests.sample_events import CODEC, NoteRecorded
from tests.toy import CONTEXT, TALLY, TOY_CODEC, Counted, TallyLimit, counting

WRITERS = ("w1", "w2")
START = dt.datetime(2027, 5, 3, 9, tzinfo=dt.UTC)  # under the toy's rulebook v2 (limit 20)


@attrs.frozen
class Batch:
    """What the log accepted for one command id: its stream and its events, in order."""

    stream: str
    events: tuple[Event, ...]
    records: tuple[RecordedEvent, ...]


class SharedLog(RuleBasedStateMachine):
    """The model both machines keep, and the invariants they check after every step.

    Subclasses say what a writer does; each records what the log accepted with
    :meth:`accepted` and counts its steps under ``self.figure``.
    """

    figure = "two writers"
    codec = CODEC

    def __init__(self):
        super().__init__()
        self.log = EventLog(self.codec)
        self.batches: dict[str, Batch] = {}  # command id -> what it wrote
        self.order: list[str] = []  # command ids, in the order their batches were accepted
        self.refused: set[str] = set()  # command ids tried and never written
        self.issued = 0
        self.ticks = 0
        count(f"{self.figure}: runs")

    def new_command_id(self, writer: str) -> str:
        self.issued += 1
        return f"{writer}-{self.issued}"

    def now(self) -> dt.datetime:
        """A clock that only moves forward, shared by both writers."""
        self.ticks += 1
        return START + dt.timedelta(minutes=self.ticks)

    def step(self, what: str) -> None:
        count(f"{self.figure}: steps")
        if what:
            count(f"{self.figure}: {what}")

    def accepted(self, command_id: str, stream: str, records: tuple[RecordedEvent, ...]) -> None:
        version = self.version(stream)
        assert [r.stream_id for r in records] == [stream] * len(records)
        assert [r.stream_version for r in records] == list(range(version + 1, version + 1 + len(records)))
        assert {r.metadata.command_id for r in records} == {command_id}
        self.batches[command_id] = Batch(stream, tuple(r.event for r in records), records)
        self.order.append(command_id)
        self.refused.discard(command_id)

    def version(self, stream: str) -> int:
        """The stream's version in the model: how many accepted events it holds."""
        return sum(len(b.events) for b in self.batches.values() if b.stream == stream)

    def unchanged(self, before: tuple[RecordedEvent, ...]) -> None:
        assert self.log.read_all() == before, "a refused or repeated command wrote something"

    # -- invariants ---------------------------------------------------------------------------

    @invariant()
    def no_command_id_appears_twice(self):
        ids = [r.metadata.command_id for r in self.log.read_all()]
        runs = [command_id for command_id, _ in itertools.groupby(ids)]
        assert len(runs) == len(set(runs)), "a command id wrote two batches"
        assert set(runs) == set(self.batches)
        for command_id in self.refused:
            assert self.log.recorded_for(command_id) is None

    @invariant()
    def no_accepted_batch_is_lost(self):
        expected = [(cid, self.batches[cid].stream, e) for cid in self.order for e in self.batches[cid].events]
        assert [(r.metadata.command_id, r.stream_id, r.event) for r in self.log.read_all()] == expected
        for command_id, batch in self.batches.items():
            assert self.log.recorded_for(command_id) == batch.records

    @invariant()
    def every_stream_runs_from_version_1_without_a_gap(self):
        for stream in {b.stream for b in self.batches.values()}:
            records = self.log.read_stream(stream)
            assert [r.stream_version for r in records] == list(range(1, len(records) + 1))
            assert self.log.stream_version(stream) == len(records) == self.version(stream)
            assert [r.event for r in records] == [
                e for cid in self.order for e in self.batches[cid].events if self.batches[cid].stream == stream
            ]

    @invariant()
    def positions_strictly_increase_and_a_catch_up_reader_misses_nothing(self):
        records = self.log.read_all()
        positions = [r.position for r in records]
        assert all(a < b for a, b in itertools.pairwise(positions))
        for p in (1, *positions[-2:], positions[-1] + 1 if positions else 2):
            assert self.log.read_all(p) == tuple(r for r in records if r.position >= p)

    @invariant()
    def the_log_verifies(self):
        result = verify(self.log.read_all(), codec=self.codec)
        assert result.ok, result.reason

    def teardown(self):
        text = self.codec.dumps(self.log.read_all())
        assert self.codec.loads(text) == self.log.read_all()
        result = verify(text)
        assert result.ok, result.reason


# -- two writers on EventLog.append ----------------------------------------------------------------

STREAMS = ("case-1", "case-2", "case-3")
COMMAND_TYPE = "sample.record_note"


def fingerprint(texts: tuple[str, ...]) -> str:
    """What the log compares when a command id comes again (a digest of the content, in `execute`)."""
    return "fp:" + "|".join(texts)


class TwoWritersOnTheLog(SharedLog):
    """Each writer believes a version per stream, and learns better only from a conflict."""

    figure = "two writers (EventLog.append)"

    def __init__(self):
        super().__init__()
        self.believed = {w: dict.fromkeys(STREAMS, 0) for w in WRITERS}
        self.pending: dict[str, tuple[str, str, tuple[str, ...]]] = {}  # writer -> a conflicted command

    def attempt(self, writer: str, command_id: str, stream: str, texts: tuple[str, ...]) -> None:
        expected = self.believed[writer][stream]
        actual = self.version(stream)
        before = self.log.read_all()
        events = [NoteRecorded(writer, text) for text in texts]
        metadata = Metadata(writer, command_id, self.now(), role="officer", command_type=COMMAND_TYPE)
        decision = DecisionRecord((), None, fingerprint(texts))
        if expected != actual:
            try:
                self.log.append(stream, events, expected_version=expected, metadata=metadata, decision=decision)
            except ConcurrencyConflict as conflict:
                assert (conflict.expected, conflict.actual) == (expected, actual)
            else:
                raise AssertionError(f"a stale append (believed {expected}, stream at {actual}) was accepted")
            self.unchanged(before)
            self.refused.add(command_id)
            self.pending[writer] = (command_id, stream, texts)
            self.believed[writer][stream] = self.log.stream_version(stream)  # read it again
            self.step("stale appends refused (ConcurrencyConflict)")
            return
        written = self.log.append(stream, events, expected_version=expected, metadata=metadata, decision=decision)
        assert [r.event for r in written] == events
        assert not before or written[0].position > before[-1].position
        self.accepted(command_id, stream, written)
        self.believed[writer][stream] = expected + len(written)
        if self.pending.get(writer, ("",))[0] == command_id:
            del self.pending[writer]
        self.step("batches accepted")

    @rule(
        writer=st.sampled_from(WRITERS),
        stream=st.sampled_from(STREAMS),
        size=st.integers(1, 3),
    )
    def append_a_batch(self, writer, stream, size):
        command_id = self.new_command_id(writer)
        self.attempt(writer, command_id, stream, tuple(f"{command_id}.{n}" for n in range(size)))

    @precondition(lambda self: self.pending)
    @rule(data=st.data())
    def retry_after_a_conflict(self, data):
        """The writer read the stream again and sends the same command, same id."""
        writer = data.draw(st.sampled_from(sorted(self.pending)))
        self.attempt(writer, *self.pending[writer])

    @rule(writer=st.sampled_from(WRITERS), stream=st.sampled_from(STREAMS))
    def read_a_stream_again(self, writer, stream):
        self.believed[writer][stream] = self.log.stream_version(stream)
        self.step("")

    @precondition(lambda self: self.batches)
    @rule(data=st.data(), writer=st.sampled_from(WRITERS))
    def repeat_a_command(self, data, writer):
        """Either writer sends an accepted command again (a retry after a lost answer)."""
        command_id = data.draw(st.sampled_from(sorted(self.batches)))
        batch = self.batches[command_id]
        texts = tuple(e.text for e in batch.events)
        before = self.log.read_all()
        again = self.log.append(
            batch.stream,
            [NoteRecorded(writer, text) for text in texts],
            expected_version=self.believed[writer][batch.stream],  # stale or not, it does not matter
            metadata=Metadata(writer, command_id, self.now(), role="officer", command_type=COMMAND_TYPE),
            decision=DecisionRecord((), None, fingerprint(texts)),
        )
        assert again == batch.records
        self.unchanged(before)
        self.step("repeated commands answered with their records")

    @precondition(lambda self: self.batches)
    @rule(
        data=st.data(),
        writer=st.sampled_from(WRITERS),
        change=st.sampled_from(["stream", "command type", "content", "no fingerprint"]),
    )
    def reuse_a_command_id(self, data, writer, change):
        """A command id sent again with another command is refused, and nothing is written."""
        command_id = data.draw(st.sampled_from(sorted(self.batches)))
        batch = self.batches[command_id]
        stream = batch.stream
        texts = tuple(e.text for e in batch.events)
        command_type = COMMAND_TYPE
        if change == "stream":
            stream = data.draw(st.sampled_from([s for s in STREAMS if s != batch.stream]))
        elif change == "command type":
            command_type = "sample.other"
        elif change == "content":
            texts = (*texts, "and something else")
        before = self.log.read_all()
        try:
            self.log.append(
                stream,
                [NoteRecorded(writer, text) for text in texts],
                expected_version=self.version(stream),  # even a current version does not let it through
                metadata=Metadata(writer, command_id, self.now(), role="officer", command_type=command_type),
                decision=DecisionRecord((), None, None if change == "no fingerprint" else fingerprint(texts)),
            )
        except CommandIdReused as refused:
            assert batch.stream not in str(refused)
        else:
            raise AssertionError(f"command id {command_id} reused with another {change} was accepted")
        self.unchanged(before)
        self.step("reused command ids refused (CommandIdReused)")


#: Half the profile's examples as runs (100 under ``ci``): each step verifies the whole log,
#: and the suite must stay well inside CI's time. The rest (derandomize, ...) is the profile's.
MACHINE_SETTINGS = settings(max_examples=max(1, settings().max_examples // 2), stateful_step_count=50)

TestTwoWritersOnTheLog = TwoWritersOnTheLog.TestCase
TestTwoWritersOnTheLog.settings = MACHINE_SETTINGS


# -- two writers through kernel.execute, with the toy tally ------------------------------------------

TALLIES = ("1", "2", "3")
LIMIT = TallyLimit(limit=20).limit  # the toy's rulebook v2, in force from START


@attrs.define
class WriterView:
    """One writer's window on the shared log: it decides from each stream as it last read it.

    ``execute`` folds what ``read_stream`` returns, so a stale view makes a stale decision;
    everything else (the append, the command id look-up) goes to the shared log.
    """

    log: EventLog
    seen: dict[str, tuple[RecordedEvent, ...]] = attrs.field(factory=dict)

    def read_stream(self, stream_id, from_version=1):
        return self.seen.get(stream_id, ())[max(from_version, 1) - 1 :]

    def read_again(self, stream_id):
        self.seen[stream_id] = self.log.read_stream(stream_id)

    def __getattr__(self, name):
        return getattr(self.log, name)


class TwoWritersThroughExecute(SharedLog):
    """Two hosts run ``execute`` on one tally store, each from the state it last read."""

    figure = "two writers (kernel.execute)"
    codec = TOY_CODEC

    def __init__(self):
        super().__init__()
        self.views = {w: WriterView(self.log) for w in WRITERS}
        self.commands = {}  # command id -> (tally, command) accepted
        self.pending = {}  # writer -> (tally, command) refused by a conflict

    def total(self, tally: str) -> int:
        """The tally's total in the model: the sum of the counts accepted on it."""
        stream = TALLY.stream_id(tally)
        return sum(
            e.by for b in self.batches.values() if b.stream == stream for e in b.events if isinstance(e, Counted)
        )

    def settled(self, writer, command):
        """A conflicted command, decided again, is no longer waiting."""
        if writer in self.pending and self.pending[writer][1].command_id == command.command_id:
            del self.pending[writer]

    def attempt(self, writer, tally, command):
        view = self.views[writer]
        stream = TALLY.stream_id(tally)
        seen = view.read_stream(stream)
        believed = TALLY.replay(seen).state.total
        before = self.log.read_all()
        # What the writer's decision must be: the toy's rules on the state it read, then the store's version check.
        deny = command.by <= 0 or believed + command.by > LIMIT
        stale = len(seen) != self.version(stream)
        try:
            accepted = execute(view, TALLY, tally, command, CONTEXT)
        except Refused as refused:
            assert deny, refused
            assert set(refused.rule_ids) <= {"TOY-POSITIVE", "TOY-LIMIT"}
            self.unchanged(before)
            self.refused.add(command.command_id)
            self.settled(writer, command)
            self.step("commands refused by a rule")
            return
        except ConcurrencyConflict:
            assert stale and not deny
            self.unchanged(before)
            self.refused.add(command.command_id)
            self.pending[writer] = (tally, command)
            view.read_again(stream)
            self.step("stale decisions refused (ConcurrencyConflict)")
            return
        assert not deny and not stale
        assert not accepted.replayed and accepted.events[0] == Counted(command.by)
        assert self.total(tally) == believed
        self.accepted(command.command_id, stream, accepted.records)
        self.commands[command.command_id] = (tally, command)
        self.settled(writer, command)
        view.read_again(stream)
        assert TALLY.replay(self.log.read_stream(stream)).state.total == self.total(tally)
        self.step("commands accepted")

    @rule(writer=st.sampled_from(WRITERS), tally=st.sampled_from(TALLIES), by=st.integers(-1, 4))
    def count_on_a_tally(self, writer, tally, by):
        self.attempt(writer, tally, counting(self.new_command_id(writer), by, self.now()))

    @precondition(lambda self: self.pending)
    @rule(data=st.data())
    def retry_after_a_conflict(self, data):
        """The writer has read the stream again; it decides again, under the same command id."""
        writer = data.draw(st.sampled_from(sorted(self.pending)))
        tally, command = self.pending[writer]
        self.attempt(writer, tally, attrs.evolve(command, at=self.now()))

    @rule(writer=st.sampled_from(WRITERS), tally=st.sampled_from(TALLIES))
    def read_a_tally_again(self, writer, tally):
        self.views[writer].read_again(TALLY.stream_id(tally))
        self.step("")

    @precondition(lambda self: self.commands)
    @rule(data=st.data(), writer=st.sampled_from(WRITERS), later=st.booleans())
    def repeat_a_command(self, data, writer, later):
        """A host retries an accepted command (the answer was lost): the original result, nothing written."""
        command_id = data.draw(st.sampled_from(sorted(self.commands)))
        tally, command = self.commands[command_id]
        if later:  # a retry is stamped when it is sent; the time is not part of the command's content
            command = attrs.evolve(command, at=self.now())
        before = self.log.read_all()
        again = execute(self.views[writer], TALLY, tally, command, CONTEXT)
        assert again.replayed and again.records == self.batches[command_id].records
        self.unchanged(before)
        self.step("repeated commands answered with their records")

    @precondition(lambda self: self.commands)
    @rule(data=st.data(), writer=st.sampled_from(WRITERS), other_tally=st.booleans())
    def reuse_a_command_id(self, data, writer, other_tally):
        command_id = data.draw(st.sampled_from(sorted(self.commands)))
        tally, command = self.commands[command_id]
        if other_tally:
            tally = data.draw(st.sampled_from([t for t in TALLIES if t != tally]))
        else:
            command = attrs.evolve(command, by=command.by + 1)
        before = self.log.read_all()
        try:
            execute(self.views[writer], TALLY, tally, command, CONTEXT)
        except CommandIdReused:
            pass
        else:
            raise AssertionError(f"command id {command_id} reused for another command was accepted")
        self.unchanged(before)
        self.step("reused command ids refused (CommandIdReused)")


TestTwoWritersThroughExecute = TwoWritersThroughExecute.TestCase
TestTwoWritersThroughExecute.settings = MACHINE_SETTINGS
