"""A reference event store over SQLite, with the standard library's ``sqlite3`` only.

It implements :class:`pastoral_core.eventlog.EventStore` with the public pieces every
store shares, so it checks, seals, replays and redacts exactly as the in-memory
``EventLog`` does, and it passes the store contract kit (``pastoral_core.testing.StoreContract``).

Storage: one table, ``records``, one row per record: the record as the codec's JSON
(``codec.to_dict``, read back with ``codec.from_dict``) beside the columns it is found by
(``position`` the primary key, ``(stream_id, stream_version)`` unique, ``command_id``
indexed, and ``key_id``). The JSON holds the digests, so ``verify(store.read_all())``
needs nothing else.

Concurrency: **SQLite has a single writer per database file.** Every append (and every
redaction) is one ``BEGIN IMMEDIATE`` transaction, which takes the database's write lock
before it reads anything: the command-id lookup, the expected-version check, the stream's
last record and the next position are all read under that lock and the rows written
before it is released. So appends from any number of threads and processes are
serialised: a global lock, which SQLite imposes (the contract needs only the stream
locked; a PostgreSQL store locks just that). Positions are taken under the lock and
committed in that order, so they have no gaps and a catch-up reader never sees a
position below one it has already read. Readers do not wait for the writer (the
database is put in WAL mode). A writer waits for the lock up to ``timeout`` seconds.

Each thread uses its own connection (made on first use), so one store may be shared by
the threads of a process; each process opens its own store on the same file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence

from pastoral_core.eventlog import (
    DEFAULT_CODEC,
    Codec,
    DecisionRecord,
    Event,
    Keyring,
    Metadata,
    RecordedEvent,
    answer_repeat,
    check_append,
    check_store_keys,
    forgotten_record,
    redacted_record,
    redaction_fields,
    seal_batch,
)
from pastoral_core.exceptions import (
    ConcurrencyConflict,
    InvalidValue,
    RedactionError,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    position       INTEGER PRIMARY KEY,
    stream_id      TEXT    NOT NULL,
    stream_version INTEGER NOT NULL,
    command_id     TEXT    NOT NULL,
    key_id         TEXT,
    record         TEXT    NOT NULL,
    UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS records_by_command ON records (command_id, position);
"""


class SqliteStore:
    """An :class:`~pastoral_core.eventlog.EventStore` in one SQLite database file.

    Args:
        path: The database file (created, with its table, if missing).
        codec: Encodes and decodes the records (default: every registered domain).
        keys: The host's keyring; its active key seals new records. It must hold every
            key a stored record was sealed with.
        timeout: How long, in seconds, a writer waits for another's write lock.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        codec: Codec = DEFAULT_CODEC,
        *,
        keys: Keyring | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.path = os.fspath(path)
        self._codec = codec
        self._timeout = timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        try:
            self._db().executescript(SCHEMA)  # a new file gets its table at once
            self._keys = self._checked(keys)
        except BaseException:
            self.close()
            raise

    # -- the EventStore protocol --------------------------------------------------------

    def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        metadata: Metadata,
        decision: DecisionRecord | None = None,
    ) -> tuple[RecordedEvent, ...]:
        """Append one command's batch atomically (see ``EventLog.append``)."""
        check_append(stream_id, events, expected_version, metadata, decision)
        with self._write() as db:
            earlier = answer_repeat(self._recorded_for(db, metadata.command_id), stream_id, metadata, decision)
            if earlier is not None:
                return earlier
            last = self._one(db, "WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1", (stream_id,))
            actual = last.stream_version if last else 0
            if actual != expected_version:
                raise ConcurrencyConflict(stream_id, expected_version, actual)
            (top,) = db.execute("SELECT COALESCE(MAX(position), 0) FROM records").fetchone()
            batch = seal_batch(
                stream_id,
                events,
                metadata=metadata,
                decision=decision,
                last=last,
                positions=range(top + 1, top + 1 + len(events)),
                codec=self._codec,
                keys=self._keys,
            )
            for record in batch:  # one row at a time: a failure part way rolls back the rows before it
                db.execute(
                    "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        record.position,
                        stream_id,
                        record.stream_version,
                        metadata.command_id,
                        record.key_id,
                        self._json(record),
                    ),
                )
        return batch

    def read_stream(self, stream_id: str, from_version: int = 1) -> tuple[RecordedEvent, ...]:
        """The stream's records from ``from_version`` on; empty if unknown."""
        if not isinstance(stream_id, str):
            return ()
        where = "WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version"
        return self._many(self._db(), where, (stream_id, from_version))

    def stream_version(self, stream_id: str) -> int:
        """The stream's current version (0 if it has no events)."""
        if not isinstance(stream_id, str):
            return 0
        sql = "SELECT COALESCE(MAX(stream_version), 0) FROM records WHERE stream_id = ?"
        (version,) = self._db().execute(sql, (stream_id,)).fetchone()
        return int(version)

    def read_all(self, from_position: int = 1) -> tuple[RecordedEvent, ...]:
        """Every record from global ``from_position`` on, in position order."""
        return self._many(self._db(), "WHERE position >= ? ORDER BY position", (from_position,))

    def recorded_for(self, command_id: str) -> tuple[RecordedEvent, ...] | None:
        """The records a command id wrote, or ``None`` if it was never applied."""
        if not isinstance(command_id, str):
            return None
        return self._recorded_for(self._db(), command_id) or None

    def redact(self, position: int, fields: Iterable[str]) -> RecordedEvent:
        """Replace free-text fields of one record by tombstones (see ``EventLog.redact``).

        The record and its batch's first record (whose kept command loses its free text
        and its fingerprint) are rewritten in one transaction.
        """
        names = redaction_fields(fields)
        with self._write() as db:
            found = None
            if isinstance(position, int) and not isinstance(position, bool):
                found = self._one(db, "WHERE position = ?", (position,))
            if found is None:
                raise RedactionError(f"no record at position {position!r}")
            redacted = redacted_record(found, names, self._keys)
            if redacted is found and names:  # every named field was already destroyed
                return found
            first = self._recorded_for(db, found.metadata.command_id)[0]
            first = redacted if first.position == found.position else first
            forgotten = forgotten_record(first, self._codec, self._keys)
            changed = {redacted.position: redacted, forgotten.position: forgotten}
            for record in changed.values():
                db.execute("UPDATE records SET record = ? WHERE position = ?", (self._json(record), record.position))
            return changed[found.position]

    # -- keys and life cycle ------------------------------------------------------------

    @property
    def codec(self) -> Codec:
        """The codec the records are stored with."""
        return self._codec

    @property
    def keys(self) -> Keyring | None:
        """The keyring that seals new records, if any."""
        return self._keys

    def rotate_keys(self, keys: Keyring) -> None:
        """Seal new records with ``keys.active`` from now on; nothing written changes.

        Raises:
            InvalidValue: If ``keys`` has no active key, or lacks a key a record was sealed with.
        """
        if keys is None:
            raise InvalidValue("SqliteStore", "keys", "a rotated keyring is a Keyring")
        self._keys = self._checked(keys)

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._guard:
            connections, self._connections = self._connections, []
        for db in connections:
            db.close()
        self._local = threading.local()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- SQL ----------------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode = WAL")
            self._local.db = db
            with self._guard:
                self._connections.append(db)
        return db

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the database's write lock from its first statement."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        try:
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _checked(self, keys: Keyring | None) -> Keyring | None:
        rows = self._db().execute("SELECT DISTINCT key_id FROM records WHERE key_id IS NOT NULL").fetchall()
        return check_store_keys(keys, [key_id for (key_id,) in rows], owner="SqliteStore")

    def _json(self, record: RecordedEvent) -> str:
        return json.dumps(self._codec.to_dict(record), ensure_ascii=False, sort_keys=True)

    def _many(self, db: sqlite3.Connection, where: str, arguments: tuple[object, ...]) -> tuple[RecordedEvent, ...]:
        rows = db.execute(f"SELECT record FROM records {where}", arguments).fetchall()
        return tuple(self._codec.from_dict(json.loads(text)) for (text,) in rows)

    def _one(self, db: sqlite3.Connection, where: str, arguments: tuple[object, ...]) -> RecordedEvent | None:
        found = self._many(db, where, arguments)
        return found[0] if found else None

    def _recorded_for(self, db: sqlite3.Connection, command_id: str) -> tuple[RecordedEvent, ...]:
        return self._many(db, "WHERE command_id = ? ORDER BY position", (command_id,))
