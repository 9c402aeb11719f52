"""The reference SQLite store (examples/stores/sqlite_store.py) passes the whole store contract kit.

And, beyond the kit: two OS processes appending to one database file at once, a database
failure part way through a batch, a restart, and the store's imports (public names of
pastoral_core and the standard library only).
"""

import ast
import datetime as dt
import itertools
import multiprocessing
import sqlite3
import sys
from collections import Counter

import pytest

from pastoral_core.eventlog import DEFAULT_CODEC, ConcurrencyConflict, Keyring, Metadata, verify
from pastoral_core.exceptions import InvalidValue
from pastoral_core.support import NoteRecorded
from pastoral_core.testing import StoreContract
from tests.examples import EXAMPLES, example

SOURCE = EXAMPLES / "stores/sqlite_store.py"


SqliteStore = example("stores/sqlite_store.py").SqliteStore
AT = dt.datetime(2027, 1, 12, 9, tzinfo=dt.UTC)
KEYS = Keyring({"host-1": b"a host key of at least 32 bytes, 0123"}, active="host-1")


class TestSqliteStore(StoreContract):
    """Every check of the kit, each on a new database file."""

    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path):
        self.directory = tmp_path
        self.files = itertools.count(1)

    def make_store(self, codec, keys):
        return SqliteStore(self.directory / f"store-{next(self.files)}.db", codec, keys=keys)

    def reopen(self, store, codec, keys):
        return SqliteStore(store.path, codec, keys=keys)

    def writer(self, store):
        return SqliteStore(store.path, store.codec, keys=store.keys)


def note(writer, n, text="note"):
    return [NoteRecorded(f"{writer}-{n}", writer, f"{text} {n}")]


def meta(command_id, writer="w1"):
    return Metadata(writer, command_id, AT, role="officer", command_type="case.record_note")


ROUNDS = 8


def append_from_a_process(path, name, barrier, results):
    """One process's work: each round, race the other for the shared stream, then write its own."""
    store = SqliteStore(path)
    conflicts = 0
    try:
        for n in range(ROUNDS):
            barrier.wait()
            version = store.stream_version("case-shared")
            barrier.wait()  # both read the same version before either writes
            while True:
                try:
                    store.append(
                        "case-shared", note(name, n), expected_version=version, metadata=meta(f"{name}-s{n}", name)
                    )
                    break
                except ConcurrencyConflict:
                    conflicts += 1
                    version = store.stream_version("case-shared")  # re-read, and try again
            barrier.wait()
            store.append(f"case-{name}", note(name, n), expected_version=n, metadata=meta(f"{name}-o{n}", name))
        results.put((name, conflicts, None))
    except BaseException as exc:
        barrier.abort()
        results.put((name, conflicts, f"{type(exc).__name__}: {exc}"))
    finally:
        store.close()


def test_two_processes_appending_at_once_lose_nothing_and_conflicts_are_raised(tmp_path):
    path = str(tmp_path / "shared.db")
    SqliteStore(path).close()  # the file and its table exist before either process opens it
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2, timeout=60), spawn.Queue()
    workers = [
        spawn.Process(target=append_from_a_process, args=(path, name, barrier, results)) for name in ("p1", "p2")
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=90) for _ in workers]
    for worker in workers:
        worker.join(30)
    assert [error for _, _, error in reports] == [None, None]
    assert all(worker.exitcode == 0 for worker in workers)
    # Each round, both appended at the version they had both read: one won, the other was refused once.
    assert sum(conflicts for _, conflicts, _ in reports) == ROUNDS
    with SqliteStore(path) as store:
        records = store.read_all()
        assert Counter(r.metadata.command_id for r in records) == Counter(
            f"{name}-{kind}{n}" for name in ("p1", "p2") for kind in "so" for n in range(ROUNDS)
        ), "an event was lost or written twice"
        assert [r.stream_version for r in store.read_stream("case-shared")] == list(range(1, 2 * ROUNDS + 1))
        assert store.stream_version("case-p1") == store.stream_version("case-p2") == ROUNDS
        assert [r.position for r in records] == list(range(1, 4 * ROUNDS + 1)), "one writer: no gaps"
        result = verify(records)
        assert result.ok and verify(DEFAULT_CODEC.dumps(records)).ok


def test_a_database_failure_part_way_through_a_batch_writes_nothing(tmp_path):
    with SqliteStore(tmp_path / "faulty.db") as store:
        store.append("case-a", note("w1", 0), expected_version=0, metadata=meta("c0"))
        before = store.read_all()
        with sqlite3.connect(store.path) as db:  # the disk fills up at the batch's second row
            db.execute(
                "CREATE TRIGGER full BEFORE INSERT ON records WHEN NEW.stream_version = 3 "
                "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
            )
        db.close()
        with pytest.raises(sqlite3.IntegrityError, match="disk is full"):
            store.append("case-a", note("w1", 1) + note("w1", 2), expected_version=1, metadata=meta("c1"))
        assert store.read_all() == before and store.recorded_for("c1") is None
        with sqlite3.connect(store.path) as db:
            db.execute("DROP TRIGGER full")
        db.close()
        written = store.append("case-a", note("w1", 1) + note("w1", 2), expected_version=1, metadata=meta("c1"))
        assert [r.stream_version for r in written] == [2, 3] and verify(store.read_all()).ok


def test_a_restart_keeps_everything_and_refuses_a_keyring_that_lost_a_key(tmp_path):
    path = tmp_path / "restart.db"
    with SqliteStore(path, keys=KEYS) as store:
        store.append("case-a", note("w1", 0, "a note"), expected_version=0, metadata=meta("c0"))
        before = store.read_all()
    with SqliteStore(path, keys=KEYS) as store:
        assert store.read_all() == before and store.recorded_for("c0") == before
        assert verify(store.read_all(), keys=KEYS).ok
    for keys in (None, Keyring({"other": b"another host key, 32 bytes or more!"}, active="other")):
        with pytest.raises(InvalidValue, match="every key a record was sealed with"):
            SqliteStore(path, keys=keys)


def test_the_schema_refuses_a_second_record_at_one_stream_version(tmp_path):
    with SqliteStore(tmp_path / "schema.db") as store:
        store.append("case-a", note("w1", 0), expected_version=0, metadata=meta("c0"))
        db = sqlite3.connect(store.path)
        try:
            with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
                db.execute("INSERT INTO records VALUES (2, 'case-a', 1, 'c9', NULL, '{}')")
            assert "records_by_command" in {row[1] for row in db.execute("PRAGMA index_list(records)")}
        finally:
            db.close()


def test_the_store_imports_only_the_standard_library_and_public_names_of_pastoral_core():
    tree = ast.parse(SOURCE.read_text())
    modules = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    ours = [m for m in modules if m.startswith("pastoral_core")]
    assert ours and not [m for m in ours if any(part.startswith("_") for part in m.split("."))]
    others = {m.split(".")[0] for m in modules} - {"pastoral_core", "__future__"}
    assert others <= set(sys.stdlib_module_names), others
