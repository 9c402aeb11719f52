"""The reference PostgreSQL store (examples/stores/postgres_store.py) passes the whole store contract kit.

It runs against a real server named by ``PASTORAL_TEST_POSTGRES`` (a libpq connection
string); without one these tests skip, unless ``REQUIRE_POSTGRES=1`` (as ``.ci/run`` sets
it), where a missing server fails them. Beyond the kit: two OS processes appending to one
stream and to their own streams at once, and a catch-up reader that never sees a position
before one still in flight.
"""

import datetime as dt
import multiprocessing
import os
import threading
import uuid
from collections import Counter

import pytest

from pastoral_core.eventlog import DEFAULT_CODEC, ConcurrencyConflict, Metadata, verify
from pastoral_core.support import NoteRecorded
from pastoral_core.testing import StoreContract
from tests.examples import EXAMPLES, example

CONNINFO = os.environ.get("PASTORAL_TEST_POSTGRES")
if not CONNINFO:
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        raise RuntimeError("REQUIRE_POSTGRES=1 but PASTORAL_TEST_POSTGRES names no server")
    pytest.skip(
        "no PostgreSQL server: set PASTORAL_TEST_POSTGRES to a libpq connection string to run these",
        allow_module_level=True,
    )

SOURCE = EXAMPLES / "stores/postgres_store.py"
AT = dt.datetime(2027, 1, 12, 9, tzinfo=dt.UTC)


PostgresStore = example("stores/postgres_store.py").PostgresStore


class TestPostgresStore(StoreContract):
    """Every check of the kit, each in a new schema (dropped afterwards)."""

    def make_store(self, codec, keys):
        store = PostgresStore(CONNINFO, codec=codec, keys=keys, schema=f"kit_{uuid.uuid4().hex}")
        if not hasattr(self, "_schemas"):
            self._schemas = []
        self._schemas.append(store)
        return store

    def reopen(self, store, codec, keys):
        return PostgresStore(CONNINFO, codec=codec, keys=keys, schema=store.schema)

    def writer(self, store):
        return PostgresStore(CONNINFO, codec=store.codec, keys=store.keys, schema=store.schema)

    @pytest.fixture(autouse=True)
    def _drop_schemas(self):
        yield
        for store in getattr(self, "_schemas", []):
            _drop(store.schema)


def _drop(schema):
    import psycopg
    from psycopg import sql

    with psycopg.connect(CONNINFO, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def _note(n, writer):
    return NoteRecorded(f"n-{writer}-{n}", "officer-1", "a note")


def _append_many(conninfo, schema, writer, rounds, queue):
    """In a process of its own: append to the shared stream (retrying conflicts) and to its own."""
    store = example("stores/postgres_store.py").PostgresStore(conninfo, schema=schema)
    conflicts = 0
    for n in range(rounds):
        while True:
            version = store.stream_version("case-shared")
            try:
                store.append(
                    "case-shared",
                    [_note(n, writer)],
                    expected_version=version,
                    metadata=Metadata("officer-1", f"{writer}-shared-{n}", AT),
                )
                break
            except ConcurrencyConflict:
                conflicts += 1
        store.append(
            f"case-{writer}",
            [_note(n, writer), _note(n + 1000, writer)],
            expected_version=2 * n,
            metadata=Metadata("officer-1", f"{writer}-own-{n}", AT),
        )
    store.close()
    queue.put(conflicts)


def test_two_processes_appending_at_once_lose_nothing_and_write_nothing_twice():
    schema = f"procs_{uuid.uuid4().hex}"
    store = PostgresStore(CONNINFO, schema=schema)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    rounds = 15
    workers = [context.Process(target=_append_many, args=(CONNINFO, schema, w, rounds, queue)) for w in ("a", "b")]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
            assert worker.exitcode == 0
        conflicts = queue.get(timeout=5) + queue.get(timeout=5)
        records = store.read_all()
        ids = Counter(r.metadata.command_id for r in records)
        assert len(ids) == 4 * rounds and set(ids.values()) <= {1, 2}, "nothing lost, nothing twice"
        assert [r.stream_version for r in store.read_stream("case-shared")] == list(range(1, 2 * rounds + 1))
        assert store.stream_version("case-a") == store.stream_version("case-b") == 2 * rounds
        positions = [r.position for r in records]
        assert positions == sorted(set(positions))
        assert verify(records).ok
        assert conflicts >= 0  # how many depends on timing; each was retried
    finally:
        store.drop()
        store.close()


def test_a_catch_up_reader_never_sees_a_position_before_an_append_still_in_flight():
    """A writer holding its stream's transaction open keeps its reserved position; a later append
    to another stream commits first, at a higher position, and read_all holds it back until the
    first one commits, so the reader never skips a position it has not yet seen."""
    schema = f"reader_{uuid.uuid4().hex}"
    slow = PostgresStore(CONNINFO, schema=schema)
    fast = PostgresStore(CONNINFO, schema=schema)
    reader = PostgresStore(CONNINFO, schema=schema)
    reserved = threading.Event()
    release = threading.Event()
    original = slow._reserve

    def reserve_then_wait(count):
        positions = original(count)
        reserved.set()
        release.wait(10)
        return positions

    slow._reserve = reserve_then_wait
    done = []
    thread = threading.Thread(
        target=lambda: done.append(
            slow.append("case-slow", [_note(1, "s")], expected_version=0, metadata=Metadata("o", "slow-1", AT))
        )
    )
    try:
        thread.start()
        assert reserved.wait(10)
        written = fast.append("case-fast", [_note(1, "f")], expected_version=0, metadata=Metadata("o", "fast-1", AT))
        assert written[0].position == 2
        assert reader.read_all() == (), "position 2 is held back while position 1 is in flight"
        release.set()
        thread.join(10)
        assert [r.position for r in reader.read_all()] == [1, 2]
        assert done and done[0][0].position == 1
    finally:
        release.set()
        slow.drop()
        for store in (slow, fast, reader):
            store.close()


def test_an_abandoned_reservation_becomes_a_gap_and_its_late_append_writes_nothing():
    schema = f"abandon_{uuid.uuid4().hex}"
    store = PostgresStore(CONNINFO, schema=schema, reservation_timeout=0.0)
    try:
        abandoned = store._reserve(1)  # an append that never finished
        store.append("case-1", [_note(1, "x")], expected_version=0, metadata=Metadata("o", "c1", AT))
        records = store.read_all()  # gives the abandoned position up
        assert [r.position for r in records] == [abandoned[-1] + 1]
        assert verify(records).gaps == 1
        # An append whose reservation is given up while it runs rolls back: nothing behind a reader.
        original = store._reserve

        def reserve_then_be_given_up(count):
            positions = original(count)
            store._side.execute(f"DELETE FROM {schema}.reservations")
            return positions

        store._reserve = reserve_then_be_given_up
        with pytest.raises(ConcurrencyConflict):
            store.append("case-2", [_note(2, "x")], expected_version=0, metadata=Metadata("o", "c2", AT))
        assert store.stream_version("case-2") == 0 and store.recorded_for("c2") is None
        assert len(store.read_all()) == 1
    finally:
        store.drop()
        store.close()


def test_the_store_uses_only_public_names_of_pastoral_core():
    import ast

    tree = ast.parse(SOURCE.read_text())
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert all(not any(part.startswith("_") for part in m.split(".")) for m in modules if m.startswith("pastoral"))
    assert DEFAULT_CODEC is not None
