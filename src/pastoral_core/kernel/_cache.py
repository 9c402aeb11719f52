"""States kept current by stream version or global position, for services and hosts.

Only what was recorded since the last look is folded, never a whole stream again (unless
a late entry takes its place among earlier facts, which folds that one stream again).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import attrs

from pastoral_core.eventlog import EventStore, RecordedEvent
from pastoral_core.exceptions import InvalidValue
from pastoral_core.kernel._aggregate import Aggregate, Folded
from pastoral_core.kernel._occurrence import latest_recorded, occurred_at, occurrence_order
from pastoral_core.values import instant

S = TypeVar("S")


def advance(aggregate: Aggregate[S, Any], folded: Folded[S], records: Iterable[RecordedEvent]) -> Folded[S] | None:
    """Fold a stream's newer records into ``folded``, as :meth:`Aggregate.replay` of the whole stream would.

    Args:
        aggregate: The stream's aggregate.
        folded: The stream's state so far.
        records: Records of the same stream in version order; those at or below
            ``folded.version`` are skipped.

    Returns:
        The state at the newest record, or ``None`` when the stream must be folded again
        from its start: a record happened before the latest fact already folded (a late
        entry takes its place among earlier facts), or versions are missing.
    """
    newer = [r for r in records if r.stream_version > folded.version]
    if not newer:
        return folded
    if [r.stream_version for r in newer] != list(range(folded.version + 1, folded.version + 1 + len(newer))):
        return None
    if folded.version == 0:
        return aggregate.replay(newer)  # the stream from its first record: folding it is replaying it
    ordered, keys = occurrence_order(newer)
    if folded.last_occurred_at is not None and keys[0] < instant(folded.last_occurred_at):
        return None
    state, flagged = aggregate.fold_records(folded.state, folded.flagged, ordered)
    latest = max(range(len(keys)), key=keys.__getitem__)
    last_occurred = occurred_at(ordered[latest])
    last_recorded = latest_recorded(ordered)
    # attrs.evolve keeps what the first records fixed (when the aggregate began, and any
    # other field replay takes from them)
    return attrs.evolve(
        folded,
        state=state,
        version=newer[-1].stream_version,
        flagged=flagged,
        last_recorded_at=max([*_known(folded.last_recorded_at), last_recorded], key=instant),
        last_occurred_at=max([*_known(folded.last_occurred_at), last_occurred], key=instant),
    )


def _known(moment: dt.datetime | None) -> list[dt.datetime]:
    return [] if moment is None else [moment]


class StateCache(Generic[S]):
    """The streams of one aggregate, each folded once and then caught up (one store per cache).

    :meth:`folded` reads a stream's version: at the version cached, the cached state is
    returned as it is; ahead of it, only the newer records are read and folded.
    :meth:`states` gives every stream of the category, as
    :func:`~pastoral_core.kernel.states_from` folds them from ``store.read_all()``, reading
    only the records after the last position seen. Safe to share between threads. A
    cache serves the one store it is first used with; another is refused.
    """

    def __init__(self, aggregate: Aggregate[S, Any]) -> None:
        self.aggregate = aggregate
        self._store: EventStore | None = None
        self._folded: dict[str, Folded[S]] = {}
        self._position = 0
        self._snapshot: Mapping[str, Folded[S]] | None = None
        self._lock = threading.RLock()

    def folded(self, store: EventStore, aggregate_id: str) -> Folded[S]:
        """The state of aggregate ``aggregate_id`` as ``store`` holds it now.

        Raises:
            InvalidValue: If ``aggregate_id`` is not an id.
        """
        stream_id = self.aggregate.stream_id(aggregate_id)
        with self._lock:
            self._bind(store)
            cached = self._folded.get(aggregate_id)
            version = store.stream_version(stream_id)
            if cached is not None and cached.version == version:
                return cached
            if cached is None or cached.version > version:
                cached = Folded(self.aggregate.initial)
            return self._advance(store, aggregate_id, cached, store.read_stream(stream_id, cached.version + 1))

    def states(self, store: EventStore) -> Mapping[str, Folded[S]]:
        """Every stream's state by aggregate id, caught up; the same mapping object until one changes.

        A store may hold back records still being written (see ``EventStore.read_all``);
        :meth:`folded` brings one stream up to its version at once.
        """
        aggregate = self.aggregate
        with self._lock:
            self._bind(store)
            records = store.read_all(self._position + 1)
            self._position = max([self._position, *(r.position for r in records)])
            by_id: dict[str, list[RecordedEvent]] = {}
            for record in records:
                if aggregate.owns(record.stream_id):
                    by_id.setdefault(aggregate.aggregate_id(record.stream_id), []).append(record)
            for aggregate_id, newer in by_id.items():
                before = self._folded.get(aggregate_id, Folded(aggregate.initial))
                self._advance(store, aggregate_id, before, newer)
            if self._snapshot is None:
                self._snapshot = MappingProxyType(dict(self._folded))
            return self._snapshot

    def _bind(self, store: EventStore) -> None:
        """Keep to the one store this cache was first used with: another store's versions would mean other states."""
        if self._store is None:
            self._store = store
        elif store is not self._store:
            raise InvalidValue("StateCache", "store", "a cache serves the one store it was first used with")

    def _advance(
        self, store: EventStore, aggregate_id: str, before: Folded[S], records: Sequence[RecordedEvent]
    ) -> Folded[S]:
        after = advance(self.aggregate, before, records)
        if after is None:
            after = self.aggregate.replay(store.read_stream(self.aggregate.stream_id(aggregate_id)))
        if after is not before and after.version:
            self._folded[aggregate_id] = after
            self._snapshot = None
        return after

    def forget(self) -> None:
        """Drop every state (after records were redacted: their text may be in it); the next look folds again."""
        with self._lock:
            self._folded.clear()
            self._position = 0
            self._snapshot = None
