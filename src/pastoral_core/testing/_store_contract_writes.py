"""The store contract's checks of appends: versions, idempotency, malformed input, faults."""

from __future__ import annotations

from typing import Any

import attrs

from pastoral_core.eventlog import MAX_STREAM_ID, DecisionRecord, Metadata
from pastoral_core.exceptions import CodecError, CommandIdReused, ConcurrencyConflict, InvalidType, InvalidValue
from pastoral_core.support import NoteRecorded
from pastoral_core.testing._store_contract_kit import (
    ContractHooks,
    FaultyCodec,
    InjectedFault,
    Unregistered,
    append_notes,
    check,
    expect,
    note_batch,
    nothing_written,
    replayed,
    verified,
)


class AppendChecks(ContractHooks):
    """Appends: one command's batch, all or nothing, at the version the caller decided on."""

    def test_append_numbers_stream_versions_and_global_positions(self) -> None:
        """Each stream counts 1, 2, 3...; positions are unique and increase; reads return what was written."""
        store = self.new_store()
        first = append_notes(store, "case-a", "w-1", ["one", "two"], expected=0)
        second = append_notes(store, "case-b", "w-2", ["three"], expected=0)
        third = append_notes(store, "case-a", "w-3", ["four"], expected=2)
        records = first + second + third
        where = [(r.stream_id, r.stream_version) for r in records]
        check(where == [("case-a", 1), ("case-a", 2), ("case-b", 1), ("case-a", 3)], f"stream versions: {where}")
        positions = [r.position for r in records]
        check(positions[0] >= 1 and positions == sorted(set(positions)), f"positions must increase: {positions}")
        batch = note_batch("w-1", ["one", "two"])
        check([r.event for r in first] == list(batch.events), "the records hold other events than were appended")
        check(all(r.metadata == batch.metadata for r in first), "every record of a batch carries its metadata")
        check(first[0].decision == batch.decision, "the batch's first record keeps the decision record")
        check(first[1].decision is None, "only the batch's first record keeps the decision record")
        check(tuple(store.read_stream("case-a")) == first + third, "read_stream returns other records than written")
        check(tuple(store.read_stream("case-a", 3)) == third, "read_stream(from_version=3) is not the third on")
        check(tuple(store.read_stream("case-a", 4)) == (), "read_stream past the stream's end is not empty")
        check(tuple(store.read_all()) == records, "read_all returns other records than written, or in another order")
        check(store.stream_version("case-a") == 3 and store.stream_version("case-b") == 1, "stream_version is wrong")
        check(store.stream_version("case-none") == 0, "an unknown stream's version is not 0")
        check(tuple(store.read_stream("case-none")) == (), "an unknown stream does not read as empty")

    def test_a_stale_expected_version_is_a_conflict_and_writes_nothing(self) -> None:
        """Behind or ahead of the stream: ``ConcurrencyConflict``, nothing written, the id not used up."""
        store = self.new_store()
        append_notes(store, "case-a", "w-1", ["one"], expected=0)
        before = store.read_all()
        for stale in (0, 2, 7):
            with expect(ConcurrencyConflict, f"an append at version {stale} to a stream at 1") as caught:
                append_notes(store, "case-a", "w-2", ["x", "y"], expected=stale)
            conflict: Any = caught[0]
            said = (conflict.stream_id, conflict.expected, conflict.actual)
            check(said == ("case-a", stale, 1), f"the conflict says {said}, not ('case-a', {stale}, 1)")
            nothing_written(store, before, "w-2", f"an append at stale version {stale}")
        with expect(ConcurrencyConflict, "the first append to a new stream at version 1"):
            append_notes(store, "case-new", "w-3", ["x"], expected=1)
        nothing_written(store, before, "w-3", "the first append to a new stream at version 1")
        again = append_notes(store, "case-a", "w-2", ["x", "y"], expected=1)
        check([r.stream_version for r in again] == [2, 3], "a conflict must not use up the command id")

    def test_malformed_appends_are_refused_and_write_nothing(self) -> None:
        """Bad stream ids, versions, events, metadata or decisions: ``InvalidValue``/``InvalidType``."""
        store = self.new_store()
        append_notes(store, "case-a", "w-1", ["one"], expected=0)
        before = store.read_all()
        batch = note_batch("w-bad")
        good: dict[str, Any] = {
            "stream_id": "case-a",
            "events": batch.events,
            "expected_version": 1,
            "metadata": batch.metadata,
            "decision": batch.decision,
        }
        cases: list[tuple[str, dict[str, Any], type[Exception]]] = [
            ("an empty batch", {"events": []}, InvalidValue),
            ("events given as text", {"events": "ab"}, InvalidValue),
            ("no events (None)", {"events": None}, InvalidValue),
            ("a batch holding a non-event", {"events": [batch.events[0], "an event?"]}, InvalidType),
            ("a blank stream id", {"stream_id": " "}, InvalidValue),
            ("an empty stream id", {"stream_id": ""}, InvalidValue),
            ("a stream id that is not text", {"stream_id": 7}, InvalidValue),
            ("a stream id with a line break", {"stream_id": "case-a\nb"}, InvalidValue),
            ("a stream id that is too long", {"stream_id": "c" * (MAX_STREAM_ID + 1)}, InvalidValue),
            ("a negative expected version", {"expected_version": -1}, InvalidValue),
            ("True as the expected version", {"expected_version": True}, InvalidValue),
            ("the expected version as text", {"expected_version": "1"}, InvalidValue),
            ("metadata that is not Metadata", {"metadata": {"actor": "off-1"}}, InvalidType),
            ("a decision that is not a DecisionRecord", {"decision": "fp"}, InvalidType),
        ]
        for what, change, error in cases:
            arguments = {**good, **change}
            with expect(error, f"an append with {what}"):
                store.append(
                    arguments.pop("stream_id"),
                    arguments.pop("events"),
                    expected_version=arguments["expected_version"],
                    metadata=arguments["metadata"],
                    decision=arguments["decision"],
                )
            nothing_written(store, before, "w-bad", f"an append with {what}")
        check(len(batch.send(store, "case-a", 1)) == 1, "after refusing bad input the store must take good input")

    def test_what_the_codec_cannot_read_back_is_never_written(self) -> None:
        """An unregistered event, or a value that would not decode back equal: ``CodecError``, nothing written."""
        store = self.new_store()
        append_notes(store, "case-a", "w-1", ["one"], expected=0)
        before = store.read_all()
        batch = note_batch("w-bad", ["fine", "fine too"])
        cases: list[tuple[str, Any]] = [
            ("an unregistered event last in the batch", attrs.evolve(batch, events=(*batch.events, Unregistered("x")))),
            ("text given as bytes", attrs.evolve(batch, events=(NoteRecorded("n", "off-1", b"raw"),))),  # type: ignore[arg-type]
            ("an actor that is not UTF-8", attrs.evolve(batch, metadata=attrs.evolve(batch.metadata, actor="a\ud800"))),
            ("a correlation id that is a number", attrs.evolve(batch, metadata=_numbered(batch.metadata))),
            ("a kept command that is not JSON text", attrs.evolve(batch, decision=DecisionRecord((), 5, "fp"))),  # type: ignore[arg-type]
        ]
        for what, bad in cases:
            with expect(CodecError, f"an append with {what}"):
                bad.send(store, "case-a", 1)
            nothing_written(store, before, "w-bad", f"an append with {what}")
        check(len(batch.send(store, "case-a", 1)) == 2, "after a codec error the store must take good input")

    def test_a_failure_part_way_through_an_append_writes_nothing(self) -> None:
        """Fail the append at each encoding step in turn: each time nothing is written, and then it works."""
        codec = FaultyCodec()
        store = self.new_store(codec=codec)
        append_notes(store, "case-a", "w-0", ["before"], expected=0, codec=codec)
        before = store.read_all()
        batch = note_batch("w-1", ["one", "two", "three"], codec=codec)
        for call in range(1, 100):
            codec.fail_at(call)
            try:
                written = batch.send(store, "case-a", 1)
            except InjectedFault:
                nothing_written(store, before, "w-1", f"an append that failed at encoding step {call}")
                continue
            finally:
                codec.fail_at(None)
            break
        else:
            raise AssertionError("an append failed at 100 encoding steps in a row")
        check(codec.faults >= 5, "the store must encode with the codec it is given (make_store(codec, keys))")
        check(tuple(store.read_all()) == (*before, *written), "the append that went through is not what was kept")
        other = self.second_writer(store)
        check(len(append_notes(other, "case-b", "w-2", expected=0)) == 1, "after failed appends, a writer is blocked")
        verified(store.read_all(), "a store after failed appends")


def _numbered(metadata: Metadata) -> Metadata:
    return attrs.evolve(metadata, correlation_id=7)  # type: ignore[arg-type]


class IdempotencyChecks(ContractHooks):
    """Command ids: the same command again gets its first records; any other reuse is refused."""

    def test_the_same_command_again_gets_its_first_records_and_writes_nothing(self) -> None:
        """Same id, stream, type and fingerprint: the original records, whatever version or events are sent."""
        store = self.new_store()
        first = append_notes(store, "case-a", "w-1", ["one", "two"], expected=0)
        append_notes(store, "case-b", "w-2", expected=0)
        before = store.read_all()
        for expected in (0, 2, 9):
            what = f"the same command again at version {expected}"
            again = replayed(note_batch("w-1", ["one", "two"]), store, "case-a", expected, what)
            check(again == first, f"{what} must get its first records")
        what = "the same command with other events decided"
        again = replayed(note_batch("w-1", ["other"], command_text="one"), store, "case-a", 2, what)
        check(again == first, f"{what} must get its first records")
        check(tuple(store.read_all()) == before, "sending the same command again wrote something")
        check(tuple(store.recorded_for("w-1") or ()) == first, "recorded_for does not return the command's records")
        reopened = self.reopened(store)
        what = "the same command again after reopening the store"
        check(replayed(note_batch("w-1", ["one", "two"]), reopened, "case-a", 0, what) == first, f"{what} is lost")

    def test_a_command_id_reused_for_another_command_is_refused_and_writes_nothing(self) -> None:
        """Another stream, command type or fingerprint, or none: ``CommandIdReused``, saying nothing of the first."""
        store = self.new_store()
        first = append_notes(store, "case-a", "w-1", ["the first case's secret"], expected=0)
        before = store.read_all()
        original = note_batch("w-1", ["the first case's secret"])
        unprinted = attrs.evolve(original, decision=DecisionRecord((), None, None))
        cases = [
            ("another stream", original, "case-b", 0),
            ("another command type", _retyped(original), "case-a", 1),
            ("other content", note_batch("w-1", ["the first case's secret"], command_text="other"), "case-a", 1),
            ("no fingerprint", unprinted, "case-a", 1),
            ("no decision record", attrs.evolve(original, decision=None), "case-a", 1),
        ]
        for what, batch, stream, expected in cases:
            with expect(CommandIdReused, f"the command id reused with {what}") as caught:
                batch.send(store, stream, expected)
            said = str(caught[0])
            check("secret" not in said and "case-a" not in said, f"the refusal tells what the id was used for: {said}")
            check(tuple(store.read_all()) == before, f"the command id reused with {what} wrote something")
            check(tuple(store.recorded_for("w-1") or ()) == first, f"reusing the id with {what} changed its records")

    def test_a_command_without_a_decision_record_is_never_replayed(self) -> None:
        """With no fingerprint kept there is nothing to compare: the id is refused, even for equal input."""
        store = self.new_store()
        append_notes(store, "case-a", "w-1", expected=0, decided=False)
        before = store.read_all()
        with expect(CommandIdReused, "a command id without a decision record sent again"):
            append_notes(store, "case-a", "w-1", expected=1, decided=False)
        check(tuple(store.read_all()) == before, "a command id sent again wrote something")

    def test_recorded_for_returns_each_commands_whole_batch(self) -> None:
        """The records a command id wrote, in order, across streams and after a restart; ``None`` if never used."""
        store = self.new_store()
        written = {
            "w-1": append_notes(store, "case-a", "w-1", ["a", "b", "c"], expected=0),
            "w-2": append_notes(store, "case-b", "w-2", ["d"], expected=0),
            "w-3": append_notes(store, "case-a", "w-3", ["e", "f"], expected=3),
        }
        for label, handle in (("", store), (" after reopening", self.reopened(store))):
            for command_id, records in written.items():
                found = handle.recorded_for(command_id)
                check(found is not None and tuple(found) == records, f"recorded_for({command_id!r}){label} is wrong")
            check(handle.recorded_for("w-never") is None, f"recorded_for an unknown id{label} is not None")


def _retyped(batch: Any) -> Any:
    return attrs.evolve(batch, metadata=attrs.evolve(batch.metadata, command_type="case.raise_safety_concern"))
