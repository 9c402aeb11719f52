"""What every domain service shares: routing a command to its stream, states kept current by version.

A domain service (``PastoralSupport``, ``PeerSupport``, ``PortfolioPlus``) is a
:class:`Service`: a :class:`Router` over the domain's aggregates, a context built from the
store, and :func:`~pastoral_core.kernel.execute`. The states a context or a query
needs are kept by a :class:`StateCache`, caught up by stream version or global position:
only what was recorded since the last look is folded, never a whole stream again (unless
a late entry takes its place among earlier facts, which folds that one stream again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

from pastoral_core.eventlog import DEFAULT_CODEC, Codec, EventStore
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel._aggregate import Aggregate, Folded, HasRulebooks
from pastoral_core.kernel._cache import StateCache
from pastoral_core.kernel._command import Command
from pastoral_core.kernel._execute import _STORE_METHODS, Accepted, execute
from pastoral_core.kernel._projection import Timeline
from pastoral_core.kernel._projection import as_of as cut
from pastoral_core.kernel._tenancy import Tenancy, picked
from pastoral_core.rules import Rulebooks
from pastoral_core.values import Id, check_value, require_aware

S = TypeVar("S")
X = TypeVar("X", bound=HasRulebooks)

AnyAggregate = Aggregate[Any, Any]


def check_store(store: object, owner: str) -> EventStore:
    """``store`` if it has every method of an :class:`~pastoral_core.eventlog.EventStore`.

    Raises:
        InvalidType: Naming ``owner`` if it lacks one (nothing is read or written).
    """
    if not all(callable(getattr(store, name, None)) for name in _STORE_METHODS):
        raise InvalidType(
            owner, "store", f"must be an EventStore ({', '.join(_STORE_METHODS)}), got {type(store).__name__}"
        )
    return cast(EventStore, store)


class Router:
    """Which of a domain's aggregates takes each command, and the id of the aggregate it goes to.

    Args:
        owner: Who routes, for error messages (e.g. ``"PastoralSupport"``).
        aggregates: The domain's aggregates; no command class may be in two tables.
        fixed: Aggregates of which the owner keeps exactly one, with its id (e.g. the
            LMC's network): their commands go there without naming it.

    Raises:
        InvalidValue: If a command class is in two tables, or a fixed id is not an id or
            is for an aggregate not routed.
    """

    def __init__(
        self, owner: str, aggregates: Sequence[AnyAggregate], fixed: Mapping[AnyAggregate, str] | None = None
    ) -> None:
        self.owner = owner
        self.aggregates: tuple[AnyAggregate, ...] = tuple(aggregates)
        self._table: dict[type[Command], AnyAggregate] = {}
        for aggregate in self.aggregates:
            if not isinstance(aggregate, Aggregate):
                raise InvalidType(owner, "aggregates", "must be Aggregate declarations")
            for cls in aggregate.commands:
                if cls in self._table:
                    raise InvalidValue(owner, "aggregates", f"{cls.__name__} is in two command tables")
                self._table[cls] = aggregate
        self.fixed: Mapping[AnyAggregate, str] = dict(fixed or {})
        for aggregate, aggregate_id in self.fixed.items():
            if aggregate not in self.aggregates:
                raise InvalidValue(owner, "fixed", f"{aggregate.name} is not one of the aggregates routed")
            check_value(aggregate_id, Id, owner, f"{aggregate.category}_id")

    def route(self, command: object, aggregate_id: str | None = None) -> tuple[AnyAggregate, str]:
        """The aggregate that takes ``command`` and the id of the one it goes to.

        Args:
            command: Any command of the domain.
            aggregate_id: The aggregate it goes to; may be left out for a command that
                names its own aggregate (``SetUpGroup.group_id``) or goes to a fixed one.

        Raises:
            InvalidType: If ``command`` is not a command, or one of another domain.
            InvalidValue: If no aggregate id is given or found, it is not an id, or it is
                not the fixed aggregate's.
        """
        if not isinstance(command, Command):
            raise InvalidType(self.owner, "command", f"must be a Command, got {type(command).__name__}")
        aggregate = self._table.get(type(command))
        if aggregate is None:
            takes = " and ".join(a.name for a in self.aggregates)
            raise InvalidType(
                self.owner, "command", f"{type(command).__name__} is not a command of {takes}, the aggregates it serves"
            )
        row = aggregate.commands[type(command)]
        fixed = self.fixed.get(aggregate)
        if aggregate_id is None:
            if row.names_aggregate is not None:
                aggregate_id = cast(str, getattr(command, row.names_aggregate))
            elif fixed is not None:
                aggregate_id = fixed
            else:
                raise InvalidValue(
                    self.owner,
                    "aggregate_id",
                    f"{type(command).__name__} does not name the {aggregate.name} it goes to: "
                    "pass its id, handle(command, aggregate_id)",
                )
        check_value(aggregate_id, Id, self.owner, "aggregate_id")
        if fixed is not None and aggregate_id != fixed:
            raise InvalidValue(
                self.owner, "aggregate_id", f"it serves {aggregate.name} {fixed!r} only, not {aggregate_id!r}"
            )
        return aggregate, aggregate_id


class Service(Generic[X]):
    """Base of the domain services: route a command, build its context from the store, execute.

    A subclass says which aggregates it serves (its :class:`Router`) and how its context
    is built (:meth:`context`); queries read states through :meth:`folded` and
    :meth:`states`, which keep them cached by version.

    Args:
        store: Where the records are (any ``EventStore``).
        router: The domain's aggregates.
        rulebooks: Every version of the domain's rulebook.
        codec: Encodes commands and events (execute with the one the store uses).

    Raises:
        InvalidType: If ``store`` is not an ``EventStore``, ``rulebooks`` not ``Rulebooks``
            or ``codec`` not a ``Codec``.
    """

    def __init__(self, store: object, router: Router, rulebooks: Rulebooks, *, codec: Codec = DEFAULT_CODEC) -> None:
        owner = router.owner
        self._store = check_store(store, owner)
        if not isinstance(rulebooks, Rulebooks):
            raise InvalidType(owner, "rulebooks", f"must be Rulebooks, got {type(rulebooks).__name__}")
        if not isinstance(codec, Codec):
            raise InvalidType(owner, "codec", f"must be a Codec, got {type(codec).__name__}")
        self._router, self._rulebooks, self._codec = router, rulebooks, codec
        self._caches: dict[AnyAggregate, StateCache[Any]] = {a: StateCache(a) for a in router.aggregates}

    @property
    def store(self) -> EventStore:
        """The store the service reads and appends to."""
        return self._store

    @property
    def rulebooks(self) -> Rulebooks:
        """Every version of the domain's rulebook."""
        return self._rulebooks

    @property
    def codec(self) -> Codec:
        """The codec commands are executed with."""
        return self._codec

    def handle(
        self, command: Command, aggregate_id: str | None = None, *, correlation_id: str | None = None
    ) -> Accepted:
        """Execute ``command`` on its aggregate with a context current as of now.

        Args:
            command: Any command of the domain.
            aggregate_id: The aggregate it goes to (see :meth:`Router.route`).
            correlation_id: Recorded in the metadata, if given.

        Returns:
            :class:`~pastoral_core.kernel.Accepted`, as ``execute`` returns it
            (``replayed=True`` for a command id already applied).

        Raises:
            InvalidType: If ``command`` is not a command of this domain (nothing is read).
            InvalidValue: If the aggregate id is missing or not an id.
            Refused: As ``execute`` raises it (nothing is written).
        """
        aggregate, aggregate_id = self._router.route(command, aggregate_id)
        context = self.context_for(command)
        return execute(
            self._store,
            aggregate,
            aggregate_id,
            command,
            context,
            correlation_id=correlation_id,
            codec=self._codec,
            cache=self._cache(aggregate),
        )

    def context(self) -> X:
        """The context decisions consult, built from the store as it is now."""
        raise NotImplementedError

    def context_for(self, command: Command) -> X:
        """The context ``command`` is decided with (by default :meth:`context`)."""
        return self.context()

    def folded(self, aggregate: Aggregate[S, Any], aggregate_id: str, as_of: dt.datetime | None = None) -> Folded[S]:
        """One aggregate's state now (cached by version), or as of a moment (only facts that had happened by then).

        Raises:
            InvalidValue: If the aggregate is not one of the service's, or the id not an id.
            NaiveDatetimeError: If ``as_of`` has no timezone.
        """
        cache = self._cache(aggregate)
        if as_of is None:
            return cache.folded(self._store, aggregate_id)
        records = self._store.read_stream(aggregate.stream_id(aggregate_id))
        return aggregate.replay(cut(records, require_aware(as_of, "as_of"), Timeline.BUSINESS))

    def states(
        self,
        aggregate: Aggregate[S, Any],
        organisation: str | Tenancy | None = Tenancy.ONE,
        *,
        current: str | None = None,
    ) -> Mapping[str, Folded[S]]:
        """Every aggregate of one kind by id, caught up with the store (see :meth:`StateCache.states`).

        Args:
            aggregate: Which kind.
            organisation: As in :func:`~pastoral_core.kernel.states_from`: one organisation's
                id (or ``None``: streams of none); ``Tenancy.ONE`` to refuse streams of several;
                ``Tenancy.ALL`` to mix them on purpose.
            current: An aggregate id to bring up to its latest version first, even if the
                store still holds back records before it (a context's read-your-writes).

        Raises:
            InvalidValue: If the aggregate is not one of the service's, ``current`` is not an
                id, or the streams belong to several organisations and none was picked.
        """
        cache = self._cache(aggregate)
        if current is not None:
            cache.folded(self._store, current)
        return picked(self._router.owner, cache.states(self._store), organisation, "the store")

    def forget(self) -> None:
        """Drop every cached state; call it after redacting records outside the service."""
        for cache in self._caches.values():
            cache.forget()

    def _cache(self, aggregate: Aggregate[S, Any]) -> StateCache[S]:
        cache = self._caches.get(aggregate)
        if cache is None:
            raise InvalidValue(self._router.owner, "aggregate", f"{aggregate.name} is not served here")
        return cast(StateCache[S], cache)
