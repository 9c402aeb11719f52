"""A reference PostgreSQL event store for pastoral_core (psycopg 3), passing the store contract kit.

Install with ``pip install "pastoral-core[postgres]"``. What is serialised, and what is not:

- **Appends to one stream** run one after another: each takes a row lock on that stream
  (``SELECT ... FOR UPDATE`` on its row in ``streams``) for the command-id lookup, the
  version check, sealing and the write. Appends to **different streams** never wait on
  one another's transactions: each record is chained to its own stream
  (:func:`pastoral_core.eventlog.seal_batch`), so there is no global head to lock.
- **Global positions** come from a one-row counter, updated and committed on its own
  (microseconds), and are *reserved* in ``reservations`` in the same statement. The
  append's transaction writes its records and deletes its reservation; if it fails the
  positions are a gap. ``read_all`` reads, in one snapshot, the lowest reservation still
  there and returns only records below it, so a catch-up reader never sees a position
  before one still in flight: once it has read position *p*, nothing below *p* appears.
  A reservation older than ``reservation_timeout`` is an abandoned append's: ``read_all``
  removes it, and an append that finds its reservation gone rolls back (its positions
  are then a gap, never a record behind a reader).
- **Command ids** are unique by a primary key, so two writers racing with one id cannot
  both write: the loser sees the winner's records (same command) or ``CommandIdReused``.

Records are stored as the codec's JSON, with their position, stream, version and command
id as indexed columns; :func:`pastoral_core.eventlog.verify` checks what ``read_all``
returns. Only public names of pastoral_core are used.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

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
from pastoral_core.exceptions import CommandIdReused, ConcurrencyConflict, RedactionError

_TABLES = """
CREATE TABLE IF NOT EXISTS {s}.records (
    position bigint PRIMARY KEY,
    stream_id text NOT NULL,
    stream_version integer NOT NULL,
    command_id text NOT NULL,
    data text NOT NULL,
    UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS records_by_command ON {s}.records (command_id);
CREATE TABLE IF NOT EXISTS {s}.streams (stream_id text PRIMARY KEY, version integer NOT NULL);
CREATE TABLE IF NOT EXISTS {s}.commands (command_id text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS {s}.counter (one boolean PRIMARY KEY DEFAULT true CHECK (one), next bigint NOT NULL);
INSERT INTO {s}.counter (next) VALUES (1) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS {s}.reservations (
    position bigint PRIMARY KEY,
    reserved_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
"""


class PostgresStore:
    """An :class:`~pastoral_core.eventlog.EventStore` in one PostgreSQL schema.

    Args:
        conninfo: A libpq connection string, e.g. ``"dbname=pastoral user=pastoral"``.
        codec: The codec (default: the default registries').
        keys: The keyring whose active key seals new records (see ``Keyring``).
        schema: The schema holding the tables (created if missing).
        reservation_timeout: Seconds after which a reserved position whose append never
            finished is given up as a gap (longer than any append takes).
    """

    def __init__(
        self,
        conninfo: str,
        *,
        codec: Codec = DEFAULT_CODEC,
        keys: Keyring | None = None,
        schema: str = "pastoral",
        reservation_timeout: float = 30.0,
    ) -> None:
        self._codec = codec
        self._timeout = reservation_timeout
        self._lock = threading.Lock()  # one connection pair per store object
        self._conn = psycopg.connect(conninfo, autocommit=True)
        self._side = psycopg.connect(conninfo, autocommit=True)  # reservations commit on their own
        self.schema = schema
        self._schema = sql.Identifier(schema)
        with self._conn.transaction():
            self._conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(self._schema))
            for statement in _TABLES.strip().split(";\n"):
                self._conn.execute(sql.SQL(statement).format(s=self._schema))
        used = [key_id for (key_id,) in self._q("SELECT DISTINCT data::json->>'key_id' FROM {s}.records")]
        self._keys = check_store_keys(keys, used, owner="PostgresStore")

    @property
    def codec(self) -> Codec:
        """The codec the store encodes with."""
        return self._codec

    @property
    def keys(self) -> Keyring | None:
        """The keyring that seals new records, if any."""
        return self._keys

    # -- appending ---------------------------------------------------------------------

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
        with self._lock:
            earlier = self._answer_repeat(stream_id, metadata, decision)
            if earlier is not None:
                return earlier
            try:
                return self._append(stream_id, events, expected_version, metadata, decision)
            except psycopg.errors.UniqueViolation:  # another writer took this command id first
                earlier = self._answer_repeat(stream_id, metadata, decision)
                if earlier is not None:
                    return earlier
                raise CommandIdReused(metadata.command_id) from None

    def _answer_repeat(
        self, stream_id: str, metadata: Metadata, decision: DecisionRecord | None
    ) -> tuple[RecordedEvent, ...] | None:
        return answer_repeat(self._recorded_for(metadata.command_id), stream_id, metadata, decision)

    def _append(
        self,
        stream_id: str,
        events: Sequence[Event],
        expected_version: int,
        metadata: Metadata,
        decision: DecisionRecord | None,
    ) -> tuple[RecordedEvent, ...]:
        positions: list[int] = []
        try:
            with self._conn.transaction():
                self._q("INSERT INTO {s}.streams VALUES (%s, 0) ON CONFLICT DO NOTHING", stream_id)
                (actual,) = self._q("SELECT version FROM {s}.streams WHERE stream_id = %s FOR UPDATE", stream_id)[0]
                if actual != expected_version:
                    raise ConcurrencyConflict(stream_id, expected_version, actual)
                self._q("INSERT INTO {s}.commands VALUES (%s)", metadata.command_id)
                last = self._records("WHERE stream_id = %s AND stream_version = %s", stream_id, actual)
                positions = self._reserve(len(events))  # after the stream lock: above its last position
                batch = seal_batch(
                    stream_id,
                    events,
                    metadata=metadata,
                    decision=decision,
                    last=last[0] if last else None,
                    positions=positions,
                    codec=self._codec,
                    keys=self._keys,
                )
                with self._conn.cursor() as cursor:
                    cursor.executemany(
                        sql.SQL("INSERT INTO {s}.records VALUES (%s, %s, %s, %s, %s)").format(s=self._schema),
                        [
                            (r.position, r.stream_id, r.stream_version, metadata.command_id, self._dump(r))
                            for r in batch
                        ],
                    )
                self._q("UPDATE {s}.streams SET version = %s WHERE stream_id = %s", actual + len(batch), stream_id)
                kept = self._q("DELETE FROM {s}.reservations WHERE position = ANY(%s) RETURNING 1", positions)
                if len(kept) != len(positions):  # given up as abandoned: write nothing behind a reader
                    raise ConcurrencyConflict(stream_id, expected_version, actual)
                positions = []
                return batch
        finally:
            if positions:  # the append failed: its positions become a gap
                self._side.execute(
                    sql.SQL("DELETE FROM {s}.reservations WHERE position = ANY(%s)").format(s=self._schema), [positions]
                )

    def _reserve(self, count: int) -> list[int]:
        with self._side.transaction():
            (start,) = self._side.execute(
                sql.SQL("UPDATE {s}.counter SET next = next + %s RETURNING next - %s").format(s=self._schema),
                [count, count],
            ).fetchone() or (0,)
            positions = list(range(start, start + count))
            self._side.cursor().executemany(
                sql.SQL("INSERT INTO {s}.reservations (position) VALUES (%s)").format(s=self._schema),
                [(p,) for p in positions],
            )
        return positions

    # -- reading -----------------------------------------------------------------------

    def read_stream(self, stream_id: str, from_version: int = 1) -> tuple[RecordedEvent, ...]:
        """The stream's records from ``from_version`` on."""
        if not isinstance(stream_id, str):
            return ()
        with self._lock:
            return self._records(
                "WHERE stream_id = %s AND stream_version >= %s ORDER BY stream_version", stream_id, from_version
            )

    def stream_version(self, stream_id: str) -> int:
        """How many events the stream has (0 if none)."""
        if not isinstance(stream_id, str):
            return 0
        with self._lock:
            rows = self._q("SELECT version FROM {s}.streams WHERE stream_id = %s", stream_id)
        return int(rows[0][0]) if rows else 0

    def read_all(self, from_position: int = 1) -> tuple[RecordedEvent, ...]:
        """Every record from ``from_position`` on that no append still in flight can precede."""
        with self._lock:
            self._q(
                "DELETE FROM {s}.reservations WHERE reserved_at < clock_timestamp() - make_interval(secs => %s)",
                self._timeout,
            )
            with self._conn.transaction():
                self._conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                (horizon,) = self._q("SELECT min(position) FROM {s}.reservations")[0]
                where = "WHERE position >= %s" + ("" if horizon is None else " AND position < %s")
                args = (from_position,) if horizon is None else (from_position, horizon)
                return self._records(where + " ORDER BY position", *args)

    def recorded_for(self, command_id: str) -> tuple[RecordedEvent, ...] | None:
        """The records a command id wrote, or ``None``."""
        with self._lock:
            return self._recorded_for(command_id)

    def _recorded_for(self, command_id: object) -> tuple[RecordedEvent, ...] | None:
        if not isinstance(command_id, str):
            return None
        return self._records("WHERE command_id = %s ORDER BY position", command_id) or None

    # -- redaction ---------------------------------------------------------------------

    def redact(self, position: int, fields: Iterable[str]) -> RecordedEvent:
        """Replace free-text fields of one record by tombstones (see ``EventLog.redact``)."""
        if isinstance(position, bool) or not isinstance(position, int):
            raise RedactionError(f"no record at position {position!r}")
        names = redaction_fields(fields)
        with self._lock, self._conn.transaction():
            found = self._records("WHERE position = %s FOR UPDATE", position)
            if not found:
                raise RedactionError(f"no record at position {position!r}")
            record = found[0]
            redacted = redacted_record(record, names, self._keys)
            if redacted is record and names:
                return record
            self._save(redacted)
            first = self._records(
                "WHERE command_id = %s ORDER BY position LIMIT 1 FOR UPDATE", record.metadata.command_id
            )[0]
            self._save(forgotten_record(first, self._codec, self._keys))
            return self._records("WHERE position = %s", position)[0]

    def _save(self, record: RecordedEvent) -> None:
        self._q("UPDATE {s}.records SET data = %s WHERE position = %s", self._dump(record), record.position)

    # -- plumbing ----------------------------------------------------------------------

    def rotate_keys(self, keys: Keyring) -> None:
        """Seal new records with ``keys.active``; the keyring must hold every key in use."""
        with self._lock:
            used = [key_id for (key_id,) in self._q("SELECT DISTINCT data::json->>'key_id' FROM {s}.records")]
            self._keys = check_store_keys(keys, used, owner="PostgresStore")

    def drop(self) -> None:
        """Remove the schema and everything in it (for tests)."""
        with self._lock:
            self._conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(self._schema))

    def close(self) -> None:
        """Close the connections."""
        self._conn.close()
        self._side.close()

    def _q(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        cursor = self._conn.execute(sql.SQL(query).format(s=self._schema), args)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []

    def _records(self, where: str, *args: Any) -> tuple[RecordedEvent, ...]:
        rows = self._q("SELECT data FROM {s}.records " + where, *args)
        return tuple(self._codec.from_dict(json.loads(data)) for (data,) in rows)

    def _dump(self, record: RecordedEvent) -> str:
        return json.dumps(self._codec.to_dict(record), ensure_ascii=False, sort_keys=True)


@contextmanager
def connected(conninfo: str, **options: Any) -> Iterator[PostgresStore]:
    """A store for the length of a ``with`` block."""
    store = PostgresStore(conninfo, **options)
    try:
        yield store
    finally:
        store.close()
