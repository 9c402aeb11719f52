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
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

from pastoral_core.eventlog import DEFAULT_CODEC, Codec, EventStore, RecordedEvent
from pastoral_core.exceptions import InvalidType, InvalidValue, Refused
from pastoral_core.kernel._aggregate import Aggregate, Folded, HasRulebooks
from pastoral_core.kernel._cache import StateCache
from pastoral_core.kernel._command import Command
from pastoral_core.kernel._execute import Accepted, execute
from pastoral_core.kernel._explain import Explanation, explain
from pastoral_core.kernel._explain_rules import DatesOf
from pastoral_core.kernel._router import AnyAggregate, Router, check_store
from pastoral_core.kernel._stood import folded_as_of, stood_at
from pastoral_core.kernel._tenancy import Tenancy, picked
from pastoral_core.kernel._what_if import Pricing, what_if
from pastoral_core.kernel._what_if_report import WhatIf, WhatIfMode
from pastoral_core.kernel._what_if_world import WhatIfWorld
from pastoral_core.rules import Rulebook, Rulebooks
from pastoral_core.values import require_aware

S = TypeVar("S")
X = TypeVar("X", bound=HasRulebooks)
#: A context built: the snapshot of streams it came from, those picked, it, their latest business time.
_Built = tuple[Mapping[str, Folded[Any]], Mapping[str, Folded[Any]], object, dt.datetime | None]


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
        self._contexts: dict[tuple[AnyAggregate, object], _Built] = {}

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
            context_for=self.context_for,
        )

    def context(self) -> X:
        """The context decisions consult, built from the store as it is now."""
        raise NotImplementedError

    def context_for(self, command: Command) -> X:
        """The context ``command`` is decided with (by default :meth:`context`)."""
        return self.context()

    def context_over(
        self,
        aggregate: Aggregate[S, Any],
        organisation: str | Tenancy | None,
        build: Callable[[Rulebooks, Mapping[str, S]], X],
        current: str | None = None,
        *,
        as_of: dt.datetime | None = None,
    ) -> X:
        """A context made by ``build`` from the states of ``aggregate`` (the programmes, the listings).

        Built once per organisation, and again only when those states change; ``current``
        is brought up to its latest version first (see :meth:`states`). With ``as_of`` (a
        command's business time), each state is as it stood then (see :meth:`states_as_of`):
        a stream with a fact that happened later (a review entered before this late entry)
        is folded again from the facts that had happened by then. Rules compare business
        times, never the store as it is now.

        Raises:
            InvalidType: If ``organisation`` is not an id, ``None`` or a ``Tenancy``.
            NaiveDatetimeError: If ``as_of`` has no timezone.
        """
        if not (organisation is None or isinstance(organisation, str | Tenancy)):
            raise InvalidType(self._router.owner, "organisation", "must be an organisation id, None or a Tenancy")
        cache = self._cache(aggregate)
        if current is not None:
            cache.folded(self._store, current)
        every = cache.states(self._store)  # the same object until a stream changes
        cached = self._contexts.get((aggregate, organisation))
        if cached is None or cached[0] is not every:
            folded = picked(self._router.owner, every, organisation, "the store")
            latest = max((f.last_occurred_at for f in folded.values() if f.last_occurred_at is not None), default=None)
            cached = (every, folded, build(self._rulebooks, {key: f.state for key, f in folded.items()}), latest)
            self._contexts[(aggregate, organisation)] = cached
        _, folded, context, latest = cached
        if as_of is not None and latest is not None and require_aware(as_of, "as_of") < latest:
            return build(self._rulebooks, self.states_as_of(aggregate, folded, as_of))
        return cast(X, context)

    def context_naming(
        self,
        aggregate: Aggregate[S, Any],
        command: Command,
        build: Callable[[Rulebooks, Mapping[str, S]], X],
        named_by: str,
    ) -> X:
        """:meth:`context_over` for ``command``: the aggregates of its own organisation.

        A command that names one (its ``named_by`` field, e.g. ``"opportunity_id"``) has
        that one caught up with the store first, and is decided on them as they stood at
        its business time; a command that names none consults none, and gets the context
        as it is (nothing is folded again for it).
        """
        named = getattr(command, named_by, None)
        current = named if isinstance(named, str) else None
        as_of = command.occurred if current is not None else None
        return self.context_over(aggregate, command.organisation, build, current, as_of=as_of)

    def states_as_of(
        self, aggregate: Aggregate[S, Any], folded: Mapping[str, Folded[S]], moment: dt.datetime
    ) -> dict[str, S]:
        """The states of ``folded`` as they stood at ``moment`` (business time).

        See :func:`~pastoral_core.kernel.stood_at`: a state with a later fact is folded
        again from its stream, cut at ``moment``; one that began after it is given as it
        began.
        """
        stream_id = aggregate.stream_id
        then = stood_at(aggregate, folded, lambda key: self._store.read_stream(stream_id(key)), moment)
        return {key: f.state for key, f in then.items()}

    def explain(self, subject: Accepted | Refused | RecordedEvent, *, command: Command | None = None) -> Explanation:
        """Why a command of this domain was accepted or refused (see :func:`~pastoral_core.kernel.explain`).

        Args:
            subject: What :meth:`handle` returned or raised, or the first record of a batch.
            command: The command, for a refusal (its type, actor and dates are explained).

        Raises:
            InvalidType: If ``subject`` or ``command`` is of the wrong type.
            InvalidValue: If the record is not the first of its batch.
        """
        return explain(subject, command=command, dates=self.explain_dates(subject), codec=self._codec)

    def explain_dates(self, subject: Accepted | Refused | RecordedEvent) -> DatesOf | None:
        """The dates that mattered to each verdict of ``subject`` beyond those verdicts quote (``None``: none).

        A domain whose deadlines are counted on a calendar gives them here (pastoral support:
        the bank holidays that moved a first-response deadline).
        """
        return None

    def what_if(
        self,
        rulebooks: Rulebooks | Rulebook,
        *,
        mode: WhatIfMode = WhatIfMode.AS_RECORDED,
        organisation: str | Tenancy | None = Tenancy.ONE,
    ) -> WhatIf:
        """Decide every recorded command of this domain again under ``rulebooks`` (see ``kernel.what_if``).

        Each command is decided with the context the service would have built when it was
        recorded (:meth:`what_if_context`), the proposed rulebooks swapped in; money is
        priced by :meth:`what_if_pricing`.

        Args:
            rulebooks: The proposed rulebooks (a proposed version, another organisation's).
            mode: As recorded (default) or counterfactual.
            organisation: As the read models pick streams.

        Raises:
            InvalidType: If an argument has the wrong type.
            InvalidValue: If the streams belong to several organisations and none was picked.
        """
        return self.decide_again(self._store.read_all(), rulebooks, mode, organisation)

    def decide_again(
        self,
        records: Sequence[RecordedEvent],
        rulebooks: Rulebooks | Rulebook,
        mode: WhatIfMode,
        organisation: str | Tenancy | None,
    ) -> WhatIf:
        """What :meth:`what_if` does, over ``records`` (a service that serves part of its store picks them)."""
        return what_if(
            self._router.aggregates,
            records,
            rulebooks,
            self.what_if_context,
            recorded=self._rulebooks,
            mode=mode,
            codec=self._codec,
            price=self.what_if_pricing(),
            organisation=organisation,
        )

    def what_if_context(self, command: Command, world: WhatIfWorld, rulebooks: Rulebooks) -> X:
        """The context ``command`` would have been decided with in ``world``, under ``rulebooks``."""
        raise NotImplementedError

    def what_if_pricing(self) -> Pricing | None:
        """How a what-if prices a decision's events, by payer (``None``: nothing is priced)."""
        return None

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
        return folded_as_of(aggregate, records, require_aware(as_of, "as_of"))

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
        """Drop every cached state and context; call it after redacting records outside the service."""
        self._contexts.clear()
        for cache in self._caches.values():
            cache.forget()

    def _cache(self, aggregate: Aggregate[S, Any]) -> StateCache[S]:
        cache = self._caches.get(aggregate)
        if cache is None:
            raise InvalidValue(self._router.owner, "aggregate", f"{aggregate.name} is not served here")
        return cast(StateCache[S], cache)
