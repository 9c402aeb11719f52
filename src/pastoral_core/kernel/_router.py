"""Routing a command to its aggregate and stream, and checking a store has every method."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from pastoral_core.eventlog import EventStore
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel._aggregate import Aggregate
from pastoral_core.kernel._command import Command
from pastoral_core.kernel._execute import _STORE_METHODS
from pastoral_core.values import Id, check_value

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
