"""The store contract kit's shared pieces: the hooks a host fills in, sample batches, and checks.

The checks append pastoral support notes (``case.note_recorded`` events, with the
``case.record_note`` command kept beside them) through the default codec, so a store is
tried on what a real host stores: free text to redact, a kept command with its
fingerprint, and timezone-aware times.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from pastoral_core.eventlog import (
    DEFAULT_CODEC,
    Codec,
    DecisionRecord,
    Event,
    EventStore,
    Keyring,
    Metadata,
    RecordedEvent,
    verify,
)
from pastoral_core.exceptions import PastoralCoreError
from pastoral_core.rules import INPUT_CITATION, Outcome, Verdict
from pastoral_core.support import NoteRecorded, RecordNote, SupportRole

#: When the kit's commands are recorded.
AT = dt.datetime(2027, 1, 12, 9, tzinfo=dt.UTC)
#: The keyring of the kit's keyed stores.
KEYS = Keyring({"contract-a": b"store-contract-kit-key-a-0123456789"}, active="contract-a")
#: The same keys and a new active one, to rotate to.
ROTATED = Keyring(
    {"contract-a": b"store-contract-kit-key-a-0123456789", "contract-b": b"store-contract-kit-key-b-0123456789"},
    active="contract-b",
)
#: A keyring with the first key's id and another secret: nothing it verifies should pass.
FORGED = Keyring({"contract-a": b"store-contract-kit-forged-key-0123456"}, active="contract-a")
_VERDICT = Verdict("AUTH", Outcome.PASS, "an officer may record a note", INPUT_CITATION)


class InjectedFault(Exception):
    """The failure a :class:`FaultyCodec` raises when armed: a store that fails part way."""


class FaultyCodec(Codec):
    """The default codec, made to fail on its n-th encoding call once armed.

    Every call that turns a record or one of its parts into plain data counts (encoding
    the metadata, the decision and each event while a batch is sealed, and
    :meth:`to_dict` / :meth:`dumps` while a store writes it), so arming it at 1, 2, 3, ...
    makes an append fail at every point where a store may be part way through.
    """

    def __init__(self) -> None:
        super().__init__()
        self._countdown: int | None = None
        self.faults = 0

    def fail_at(self, call: int | None) -> None:
        """Fail the ``call``-th encoding call from now (``None``: never)."""
        self._countdown = call

    def _tick(self) -> None:
        if self._countdown is None:
            return
        self._countdown -= 1
        if self._countdown == 0:
            self._countdown = None
            self.faults += 1
            raise InjectedFault("the store's connection dropped part way through the append")

    def encode_event(self, event: Event) -> dict[str, Any]:
        """See :meth:`Codec.encode_event`; counts towards the armed failure."""
        self._tick()
        return super().encode_event(event)

    def encode_metadata(self, metadata: Metadata) -> dict[str, Any]:
        """See :meth:`Codec.encode_metadata`; counts towards the armed failure."""
        self._tick()
        return super().encode_metadata(metadata)

    def encode_decision(self, decision: DecisionRecord) -> dict[str, Any]:
        """See :meth:`Codec.encode_decision`; counts towards the armed failure."""
        self._tick()
        return super().encode_decision(decision)

    def to_dict(self, record: RecordedEvent) -> dict[str, Any]:
        """See :meth:`Codec.to_dict`; counts towards the armed failure."""
        self._tick()
        return super().to_dict(record)


@attrs.frozen
class Unregistered(Event):
    """An event no registry knows: a store must refuse it and write nothing."""

    note_id: str


@attrs.frozen
class Batch:
    """What one append sends: the events, metadata and decision record of one command."""

    events: tuple[Event, ...]
    metadata: Metadata
    decision: DecisionRecord | None

    def send(self, store: EventStore, stream_id: str, expected: int | None = None) -> tuple[RecordedEvent, ...]:
        """Append the batch to ``stream_id`` at ``expected`` (default: the version the store says)."""
        version = store.stream_version(stream_id) if expected is None else expected
        return store.append(
            stream_id, self.events, expected_version=version, metadata=self.metadata, decision=self.decision
        )


def note_batch(
    command_id: str,
    texts: Sequence[str] = ("a note",),
    *,
    command_text: str | None = None,
    codec: Codec = DEFAULT_CODEC,
    command_type: str = "case.record_note",
    decided: bool = True,
    at: dt.datetime = AT,
) -> Batch:
    """One note per text, from a ``RecordNote`` command whose text is ``command_text``.

    The fingerprint covers the command's content, not its id nor its time: the same
    texts under the same id are the same command; another ``command_text`` is not.
    """
    command = RecordNote(
        command_id=command_id,
        actor="off-1",
        role=SupportRole.OFFICER,
        at=at,
        note_id=f"{command_id}-n1",
        text=texts[0] if command_text is None else command_text,
    )
    events = tuple(NoteRecorded(f"{command_id}-n{i}", "off-1", text) for i, text in enumerate(texts, start=1))
    metadata = Metadata(
        "off-1", command_id, at, rulebook_version="DEVON_PSN v1", role="officer", command_type=command_type
    )
    decision = DecisionRecord((_VERDICT,), codec.kept_command(command), codec.fingerprint(command)) if decided else None
    return Batch(events, metadata, decision)


def replayed(
    batch: Batch, store: EventStore, stream_id: str, expected: int | None, what: str
) -> tuple[RecordedEvent, ...]:
    """Send a command that was already applied; the store must answer with records, not an error.

    Raises:
        AssertionError: If the store raises instead (it did not find the command).
    """
    try:
        return tuple(batch.send(store, stream_id, expected))
    except PastoralCoreError as exc:
        raise AssertionError(f"{what}: must get its first records, got {type(exc).__name__}: {exc}") from exc


def append_notes(
    store: EventStore, stream_id: str, command_id: str, texts: Sequence[str] = ("a note",), **options: Any
) -> tuple[RecordedEvent, ...]:
    """Append :func:`note_batch` at the stream's current version (``expected=`` to choose)."""
    expected = options.pop("expected", None)
    return note_batch(command_id, texts, **options).send(store, stream_id, expected)


def check(condition: object, message: str) -> None:
    """Fail the check with ``message`` unless ``condition`` holds (works under ``python -O`` too).

    Raises:
        AssertionError: If ``condition`` is false.
    """
    if not condition:
        raise AssertionError(message)


@contextlib.contextmanager
def expect(error: type[Exception] | tuple[type[Exception], ...], what: str) -> Iterator[list[Exception]]:
    """Fail unless the block raises ``error``; the list it yields holds what was raised.

    Raises:
        AssertionError: If nothing, or another exception, was raised.
    """
    caught: list[Exception] = []
    names = error.__name__ if isinstance(error, type) else " or ".join(e.__name__ for e in error)
    try:
        yield caught
    except error as exc:
        caught.append(exc)
        return
    except Exception as exc:
        raise AssertionError(f"{what}: expected {names}, got {type(exc).__name__}: {exc}") from exc
    raise AssertionError(f"{what}: expected {names}, nothing was raised")


def nothing_written(store: EventStore, before: Sequence[RecordedEvent], command_id: str, what: str) -> None:
    """Check that the store holds exactly ``before`` and that ``command_id`` wrote nothing.

    Raises:
        AssertionError: If anything changed.
    """
    check(tuple(store.read_all()) == tuple(before), f"{what}: the store changed, though the append was refused")
    check(store.recorded_for(command_id) is None, f"{what}: the refused command id {command_id!r} is recorded")


def verified(records: Sequence[RecordedEvent], what: str, *, keys: Keyring | None = None) -> None:
    """Check that ``records`` verify, as records and as the JSON lines the codec writes.

    Raises:
        AssertionError: If either fails to verify.
    """
    result = verify(records, keys=keys)
    check(result.ok, f"{what}: verify fails at position {result.broken_position}: {result.reason}")
    text = DEFAULT_CODEC.dumps(records)
    as_text = verify(text, keys=keys)
    check(as_text.ok, f"{what}: the JSON lines fail to verify: {as_text.reason}")
    check(DEFAULT_CODEC.loads(text) == tuple(records), f"{what}: records do not round-trip through dumps/loads")


class ContractHooks:
    """The hooks the kit calls; a host overrides :meth:`make_store`, and others if needed."""

    def make_store(self, codec: Codec, keys: Keyring | None) -> EventStore:
        """A new, empty store that encodes with ``codec`` and seals with ``keys``.

        The one hook every host writes (e.g. a store over a new database file). Use
        ``codec`` for everything the store encodes and decodes: the fault checks arm it.
        """
        raise NotImplementedError("a store contract test implements make_store(codec, keys)")

    def reopen(self, store: EventStore, codec: Codec, keys: Keyring | None) -> EventStore:
        """The store as a restarted host would open it again over the same storage.

        Default: ``store`` itself (an in-memory store has nothing to reopen). A store
        over a database returns a new store over the same database, so the kit checks
        that command ids, redactions and keys survive a restart.
        """
        return store

    def writer(self, store: EventStore) -> EventStore:
        """Another writer over the same storage as ``store``, for the concurrency checks.

        It is used from another thread. Default: ``store`` itself, for a store whose
        methods are safe to call from several threads at once. A store over a database
        may return a new store (a new connection) over the same database. The in-memory
        ``EventLog`` is safe to share between threads (appends and redactions take a lock).
        """
        return store

    def rotate_keys(self, store: EventStore, keys: Keyring) -> EventStore:
        """``store`` sealing new records with ``keys.active`` from now on; returns the store to use.

        Default: calls ``store.rotate_keys(keys)`` (as ``EventLog`` has). A store that
        takes its keys only when opened reopens itself with ``keys`` instead.

        Raises:
            InvalidValue: If ``keys`` lacks a key some stored record was sealed with.
        """
        rotate: Callable[[Keyring], None] | None = getattr(store, "rotate_keys", None)
        check(callable(rotate), "the store has no rotate_keys(keys): override StoreContract.rotate_keys")
        rotate(keys)  # type: ignore[misc]
        return store

    def close_store(self, store: EventStore) -> None:
        """Release what ``store`` holds (default: call its ``close()``, if it has one)."""
        close = getattr(store, "close", None)
        if callable(close):
            close()

    # -- what the checks use ------------------------------------------------------------

    def setup_method(self, method: object = None) -> None:
        """Start a check with no store opened (pytest calls it before each check)."""
        self._opened: list[EventStore] = []

    def teardown_method(self, method: object = None) -> None:
        """Close every store a check opened (pytest calls it after each check)."""
        opened, self._opened = getattr(self, "_opened", []), []
        seen: set[int] = set()
        for store in reversed(opened):
            if id(store) not in seen:
                seen.add(id(store))
                self.close_store(store)

    def opened(self, store: EventStore) -> EventStore:
        """Remember ``store`` so that it is closed when the check ends; returns it."""
        if not hasattr(self, "_opened"):
            self._opened = []
        self._opened.append(store)
        return store

    def new_store(self, keys: Keyring | None = None, codec: Codec = DEFAULT_CODEC) -> EventStore:
        """A new empty store from :meth:`make_store`, closed when the check ends."""
        store = self.opened(self.make_store(codec, keys))
        check(tuple(store.read_all()) == (), "make_store must return an empty store")
        return store

    def reopened(self, store: EventStore, keys: Keyring | None = None, codec: Codec = DEFAULT_CODEC) -> EventStore:
        """:meth:`reopen`, closed when the check ends."""
        return self.opened(self.reopen(store, codec, keys))

    def second_writer(self, store: EventStore) -> EventStore:
        """:meth:`writer`, closed when the check ends."""
        return self.opened(self.writer(store))
