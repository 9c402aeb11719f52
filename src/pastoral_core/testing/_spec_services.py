"""The three services a spec file can be about, and the names of their commands and events.

A step names a command by the command class in snake case (``hold_session``) or by its
stable type name (``case.hold_session``); spaces or hyphens may stand for underscores
(``hold session``). Events are named the same way in ``then: recorded:``
(``session_held`` or ``case.session_held``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

import attrs

from pastoral_core import peer_groups, portfolio, support
from pastoral_core.eventlog import COMMANDS, EVENTS, Event, EventStore
from pastoral_core.kernel import Aggregate, Command, RuleFlagged, Service
from pastoral_core.rules import REGISTER, Rulebooks
from pastoral_core.testing._spec_yaml import nearest, normalise


def snake(name: str) -> str:
    """``HoldSession`` -> ``hold_session``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@attrs.frozen
class ServiceKind:
    """One service a spec can be about.

    Attributes:
        name: What a spec file's ``service:`` calls it (``pastoral support``).
        aliases: Other names accepted for it.
        aggregates: Its aggregates; a step names the one it goes to by category
            (``case: 17``), unless the command names it itself or the service keeps one.
        rulebooks: The rulebooks used when the spec's setup does not change them.
        package: The domain package, whose public event classes ``then: recorded:`` names.
        make: Builds the service over a new store: ``make(store, rulebooks, network_id)``.
        fixed: Categories of which the service keeps exactly one (the LMC's network).
    """

    name: str
    aliases: tuple[str, ...]
    aggregates: tuple[Aggregate[Any, Any], ...]
    rulebooks: Rulebooks
    package: ModuleType
    make: Callable[[EventStore, Rulebooks, str], Service[Any]]
    fixed: frozenset[str] = frozenset()

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories of its aggregates (``case``, ``network``)."""
        return tuple(a.category for a in self.aggregates)

    def command(self, name: str) -> tuple[type[Command], Aggregate[Any, Any]] | None:
        """The command class a step name means, and its aggregate (``None``: no such command)."""
        return _commands(self.name).get(normalise(name))

    def command_names(self) -> tuple[str, ...]:
        """Every command's preferred name (snake case of its class), sorted."""
        return tuple(sorted({snake(cls.__name__) for cls, _ in _commands(self.name).values()}))

    def event(self, name: str) -> type[Event] | None:
        """The event class a name in ``then: recorded:`` means (``None``: no such event)."""
        return _events(self.name).get(normalise(name))

    def event_names(self) -> tuple[str, ...]:
        """Every event's preferred name (snake case of its class), sorted."""
        return tuple(sorted({snake(cls.__name__) for cls in _events(self.name).values()}))

    def rule_ids(self, rulebooks: Rulebooks) -> frozenset[str]:
        """Every rule id a verdict of this service can carry (its rulebooks' and the kernel's)."""
        return frozenset(REGISTER) | {rule_id for book in rulebooks for rule_id in book.rule_ids}


def _pastoral(store: EventStore, rulebooks: Rulebooks, network_id: str) -> Service[Any]:
    return support.PastoralSupport(store, rulebooks, network_id=network_id)


def _peer(store: EventStore, rulebooks: Rulebooks, network_id: str) -> Service[Any]:
    return peer_groups.PeerSupport(store, rulebooks)


def _portfolio(store: EventStore, rulebooks: Rulebooks, network_id: str) -> Service[Any]:
    return portfolio.PortfolioPlus(store, rulebooks)


KINDS = (
    ServiceKind(
        "pastoral support",
        ("pastoral_support", "pastoralsupport", "psn", "lmc pastoral support"),
        (support.CASE, support.NETWORK),
        support.DEVON_PSN,
        support,
        _pastoral,
        frozenset({support.NETWORK.category}),
    ),
    ServiceKind(
        "peer support",
        ("peer_support", "peersupport", "group peer support", "peer groups", "gps"),
        (peer_groups.PROGRAMME, peer_groups.PEER_GROUP),
        peer_groups.PHP_GROUP_PEER_SUPPORT,
        peer_groups,
        _peer,
    ),
    ServiceKind(
        "portfolio plus",
        ("portfolio_plus", "portfolioplus", "portfolio", "gp portfolio plus", "pp"),
        (portfolio.OPPORTUNITY, portfolio.MEMBER),
        portfolio.PORTFOLIO_PLUS,
        portfolio,
        _portfolio,
    ),
)


def service_kind(name: str) -> ServiceKind | None:
    """The service ``name`` means (``"pastoral support"``, ``"peer support"``, ``"portfolio plus"``)."""
    key = normalise(name)
    return next((k for k in KINDS if key in {normalise(n) for n in (k.name, *k.aliases)}), None)


def unknown_service(name: str) -> str:
    """Why ``name`` is not a service, with the nearest one."""
    names = [k.name for k in KINDS]
    return f"unknown service {name!r}{nearest(name, names)} (one of: {', '.join(names)})"


def _table(entries: Iterable[tuple[str, type, Any]]) -> dict[str, Any]:
    """Each entry under its stable type name and its class name in snake case."""
    return {alias: value for stable, cls, value in entries for alias in (normalise(stable), snake(cls.__name__))}


@functools.cache
def _commands(kind: str) -> dict[str, tuple[type[Command], Aggregate[Any, Any]]]:
    service = next(k for k in KINDS if k.name == kind)
    return _table(
        (COMMANDS.of_class(cls).name, cls, (cls, aggregate))
        for aggregate in service.aggregates
        for cls in aggregate.commands
    )


@functools.cache
def _events(kind: str) -> dict[str, type[Event]]:
    package = next(k for k in KINDS if k.name == kind).package
    classes = [getattr(package, n) for n in package.__all__]
    events = [c for c in classes if isinstance(c, type) and issubclass(c, Event) and c is not Event]
    events.append(RuleFlagged)  # the kernel's record of a flag, on every aggregate
    return _table((EVENTS.of_class(cls).name, cls, cls) for cls in events)
