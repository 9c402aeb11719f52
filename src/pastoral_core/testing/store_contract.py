"""The store contract kit: every clause of the ``EventStore`` contract, as checks a host runs on its store.

A host subclasses :class:`StoreContract`, says how to make an empty store, and pytest
collects the inherited checks::

    from pastoral_core.testing import StoreContract

    class TestMyStore(StoreContract):
        def make_store(self, codec, keys):
            return MyStore(new_database(), codec, keys=keys)

The checks need nothing but the store: no pytest fixture, and they fail with
``AssertionError``, so a host on another runner calls :meth:`StoreContract.run_check`
for each name in :meth:`StoreContract.checks`. What they cover, clause by clause (see
:class:`~pastoral_core.eventlog.EventStore` and :class:`~pastoral_core.eventlog.EventLog`):

- **append**: one command's batch, atomically, at the expected version (stale, behind or
  ahead: ``ConcurrencyConflict`` and nothing written); never an empty batch; malformed
  input refused with ``InvalidValue`` / ``InvalidType``, and anything the codec cannot read
  back with ``CodecError``, nothing written either way;
- **idempotency**: the same command id, stream, command type and fingerprint gets its
  first records whatever is sent; any other reuse is ``CommandIdReused``, which says
  nothing of the first use; a command without a fingerprint is never replayed;
- **reads**: by stream and from a global position; positions unique and increasing, so a
  catch-up reader asking ``read_all(last + 1)`` sees every record once; lookup by command id;
- **redaction**: only free-text fields, replaced by tombstones in the event and in the
  kept command, whose fingerprint goes too (its id can no longer be replayed);
  ``verify`` still passes; refused redactions change nothing;
- **integrity**: what the store keeps verifies, as records and as JSON lines that load
  back equal, against an earlier checkpoint too; a keyed store seals every record with
  its active key, and key rotation keeps old records verifying;
- **faults**: an append that fails at any step (the codec is armed to fail at each in
  turn) leaves nothing, and the store takes the next append;
- **concurrency**: two writers (threads, each with the store :meth:`~StoreContract.writer`
  returns) on one stream and on their own: conflicts are raised, nothing is lost or
  written twice, a reader running beside them catches up exactly, the same command sent
  by both at once is written once, and so is one command id raced to two streams.

It also runs a real pastoral support case through :func:`~pastoral_core.execute` on the
store. What the kit cannot see from outside is the store's locking: a store must lock
the stream it appends to (or, like SQLite, the whole database) around the command-id
lookup, the version check and the write, and a store that locks only the stream also
needs command ids unique across streams (a unique index), or the concurrency checks
will, in time, fail.
"""

from __future__ import annotations

from pastoral_core.testing._store_contract_concurrency import ConcurrencyChecks
from pastoral_core.testing._store_contract_reads import IntegrityChecks, ReadChecks
from pastoral_core.testing._store_contract_redaction import RedactionChecks
from pastoral_core.testing._store_contract_writes import AppendChecks, IdempotencyChecks

__all__ = ["StoreContract"]


class StoreContract(AppendChecks, IdempotencyChecks, ReadChecks, IntegrityChecks, RedactionChecks, ConcurrencyChecks):
    """Every clause of the store contract as a check; subclass it and implement :meth:`make_store`.

    Hooks (override as needed):

    - :meth:`make_store` ``(codec, keys)``: a new empty store (required);
    - :meth:`reopen` ``(store, codec, keys)``: the same storage opened again, as after a
      restart (default: the store itself);
    - :meth:`writer` ``(store)``: a second writer over the same storage, used from another
      thread (default: the store itself);
    - :meth:`rotate_keys` ``(store, keys)``: seal with a new key (default: ``store.rotate_keys``);
    - :meth:`close_store` ``(store)``: release it (default: ``store.close()`` if it has one).

    The class name does not start with ``Test``, so pytest collects only subclasses.
    """

    @classmethod
    def checks(cls) -> tuple[str, ...]:
        """The names of every check, in a stable order (for runners other than pytest)."""
        return tuple(sorted(name for name in dir(cls) if name.startswith("test_") and callable(getattr(cls, name))))

    def run_check(self, name: str) -> None:
        """Run one check by name, opening and closing its stores as pytest would.

        Raises:
            AssertionError: If the store breaks the clause the check covers.
            ValueError: If ``name`` is not one of :meth:`checks`.
        """
        if name not in self.checks():
            raise ValueError(f"{name!r} is not a store contract check")
        self.setup_method()
        try:
            getattr(self, name)()
        finally:
            self.teardown_method()
