"""The store contract's checks of concurrent writers: conflicts raised, nothing lost or written twice."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from pastoral_core.eventlog import EventStore, RecordedEvent
from pastoral_core.exceptions import CommandIdReused, ConcurrencyConflict
from pastoral_core.testing._store_contract_kit import (
    ContractHooks,
    append_notes,
    check,
    expect,
    note_batch,
    replayed,
    verified,
)

#: How long a concurrency check waits for its threads before it calls the store stuck.
PATIENCE = 30.0
_ROUNDS = 10


def _in_threads(*work: Callable[[], None]) -> None:
    """Run each callable in its own thread; fail if one raises or does not finish."""
    errors: list[BaseException] = []

    def guarded(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as exc:  # re-raised in the checking thread below
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(job,), daemon=True) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE)
    check(not any(t.is_alive() for t in threads), f"concurrent writers did not finish within {PATIENCE:.0f} s")
    for error in errors:
        if isinstance(error, AssertionError):
            raise error
    if errors:
        raise AssertionError(f"a concurrent writer failed: {type(errors[0]).__name__}: {errors[0]}") from errors[0]


def append_with_retry(store: EventStore, stream_id: str, command_id: str, text: str) -> int:
    """Append one note, re-reading the version after each conflict; returns how many conflicts it met."""
    conflicts = 0
    while True:
        try:
            append_notes(store, stream_id, command_id, [text])
            return conflicts
        except ConcurrencyConflict:
            conflicts += 1


class ConcurrencyChecks(ContractHooks):
    """Two writers at once: the loser of a race gets ``ConcurrencyConflict``; the log stays whole."""

    def test_two_writers_with_stale_views_conflict_and_retry(self) -> None:
        """Both read version 1; the second to append conflicts, re-reads (seeing the other's write), and succeeds."""
        one = self.new_store()
        two = self.second_writer(one)
        append_notes(one, "case-a", "w-0", ["start"], expected=0)
        seen_by_one, seen_by_two = one.stream_version("case-a"), two.stream_version("case-a")
        check(seen_by_two == 1, "a second writer does not see what the first committed")
        append_notes(one, "case-a", "w-1", ["one won"], expected=seen_by_one)
        with expect(ConcurrencyConflict, "the second writer appending at the version it read"):
            append_notes(two, "case-a", "w-2", ["two lost"], expected=seen_by_two)
        check(two.stream_version("case-a") == 2, "after a conflict the second writer re-reads an old version")
        append_notes(two, "case-a", "w-2", ["two retried"], expected=2)
        append_notes(one, "case-b", "w-3", ["own stream"], expected=0)
        append_notes(two, "case-c", "w-4", ["own stream"], expected=0)
        again = replayed(note_batch("w-1", ["one won"]), two, "case-a", 0, "one writer's command sent by the other")
        check(again == tuple(one.recorded_for("w-1") or ()), "a writer replays another writer's command wrongly")
        texts = [getattr(r.event, "text", None) for r in one.read_stream("case-a")]
        check(texts == ["start", "one won", "two retried"], f"the shared stream holds {texts}")
        verified(one.read_all(), "two writers")

    def test_two_threads_appending_at_once_lose_and_duplicate_nothing(self) -> None:
        """Two threads append to one shared stream (retrying conflicts) and to their own; a reader catches up."""
        store = self.new_store()
        writers = {name: self.second_writer(store) for name in ("w1", "w2")}
        reader = self.second_writer(store)
        start = threading.Barrier(3, timeout=PATIENCE)
        finished = threading.Event()
        seen: list[RecordedEvent] = []

        def write(name: str) -> Callable[[], None]:
            def run() -> None:
                start.wait()
                for n in range(_ROUNDS):
                    append_with_retry(writers[name], "case-shared", f"{name}-shared-{n}", f"{name} {n}")
                    append_notes(writers[name], f"case-{name}", f"{name}-own-{n}", [f"{name} own {n}"], expected=n)

            return run

        def read() -> None:
            start.wait()
            while True:
                done = finished.wait(0.002)
                seen.extend(reader.read_all((seen[-1].position if seen else 0) + 1))
                if done:
                    return

        def writers_then_finish() -> None:
            try:
                _in_threads(write("w1"), write("w2"))
            finally:
                finished.set()

        _in_threads(writers_then_finish, read)
        records = tuple(store.read_all())
        ids = Counter(r.metadata.command_id for r in records)
        check(len(ids) == 4 * _ROUNDS and set(ids.values()) == {1}, "a command was lost or written twice")
        shared = [r.stream_version for r in store.read_stream("case-shared")]
        check(shared == list(range(1, 2 * _ROUNDS + 1)), f"the shared stream's versions are {shared}")
        for name in writers:
            check(store.stream_version(f"case-{name}") == _ROUNDS, f"{name}'s own stream lost an event")
        check(tuple(seen) == records, "a catch-up reader running beside the writers missed or repeated a record")
        verified(records, "two threads writing at once")

    def test_the_same_command_from_two_writers_at_once_is_written_once(self) -> None:
        """Both send one command id at once: one batch is written; both get it (a conflict, retried, gets it too)."""
        store = self.new_store()
        writers = [self.second_writer(store), self.second_writer(store)]
        both = threading.Barrier(2, timeout=PATIENCE)
        answers: list[list[tuple[RecordedEvent, ...]]] = [[], []]

        def send(index: int) -> Callable[[], None]:
            def run() -> None:
                try:
                    for n in range(5):
                        batch = note_batch(f"same-{n}", [f"sent twice {n}"])
                        both.wait()
                        try:
                            answer = tuple(batch.send(writers[index], "case-same", n))
                        except ConcurrencyConflict:
                            answer = replayed(batch, writers[index], "case-same", None, "a command sent at once")
                        answers[index].append(answer)
                except BaseException:
                    both.abort()  # the other writer stops waiting for this one
                    raise

            return run

        _in_threads(send(0), send(1))
        check(answers[0] == answers[1], "two writers sending one command got different records")
        check(len(store.read_all()) == 5, f"5 commands sent twice each wrote {len(store.read_all())} records")
        for n, answer in enumerate(answers[0]):
            check(tuple(store.recorded_for(f"same-{n}") or ()) == answer, "the answer is not what was recorded")

    def test_one_command_id_sent_to_two_streams_at_once_is_written_once(self) -> None:
        """Locking each stream is not enough: one id raced to two streams is written once, the other refused."""
        store = self.new_store()
        writers = [self.second_writer(store), self.second_writer(store)]
        both = threading.Barrier(2, timeout=PATIENCE)
        outcomes: list[list[str]] = [[], []]

        def send(index: int) -> Callable[[], None]:
            def run() -> None:
                try:
                    for n in range(5):
                        batch = note_batch(f"raced-{n}", [f"one id, two streams {n}"])
                        both.wait()
                        try:
                            batch.send(writers[index], f"case-{n}-{index}", 0)
                            outcomes[index].append("written")
                        except CommandIdReused:
                            outcomes[index].append("refused")
                except BaseException:
                    both.abort()
                    raise

            return run

        _in_threads(send(0), send(1))
        for n, pair in enumerate(zip(*outcomes, strict=True)):
            check(sorted(pair) == ["refused", "written"], f"one id sent to two streams at once: {pair}")
            found = store.recorded_for(f"raced-{n}")
            check(found is not None and len(found) == 1, f"one id sent to two streams at once wrote {found}")
        check(len(store.read_all()) == 5, "a command id raced to two streams was written twice")
