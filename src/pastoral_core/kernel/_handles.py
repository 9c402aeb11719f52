"""A row of an aggregate's command table: who may issue a command, who decides it, the scope check."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import attrs

from pastoral_core.eventlog import Event
from pastoral_core.rules import Judge, Rule

S = TypeVar("S")
X = TypeVar("X")

#: A handler decides one command: ``(state, command, context, judge) -> events``. It runs
#: the command's rules through the judge and never mutates anything.
Handler = Callable[[S, Any, X, Judge], Sequence[Event]]
#: A scope check: ``(state, command, context) -> None`` when the actor holds their role on
#: this aggregate, else a sentence saying why not (rule SCOPE).
Scope = Callable[[S, Any, X], "str | None"]


@attrs.frozen
class Handles(Generic[S, X]):
    """One row of an aggregate's command table: who may issue a command, and who decides it.

    Attributes:
        handler: Decides the command (see :data:`Handler`).
        roles: The roles that may issue it (rule AUTH); anyone else is refused.
        role_rule: The source rule that names who may issue it (e.g. PSN-REVIEW), refusing
            under its own id; ``None`` for AUTH.
        scope: Whether the actor holds their role *on this aggregate* (rule SCOPE): the
            officer allocated to this case, the group's facilitator, the recipient acting
            for themselves. Required when ``roles`` holds one of the aggregate's scoped roles.
        scope_rule: The source rule that names the scope check (e.g. PSN-NOTE-AUTHOR);
            ``None`` for SCOPE.
        names_aggregate: A field of the command that names the aggregate itself (e.g.
            ``group_id`` when setting up a group); it must equal the stream's id.
    """

    handler: Handler[S, X]
    roles: frozenset[enum.Enum]
    role_rule: type[Rule] | None = None
    scope: Scope[S, X] | None = None
    scope_rule: type[Rule] | None = None
    names_aggregate: str | None = None


def handles(
    handler: Handler[S, X],
    *roles: enum.Enum,
    role_rule: type[Rule] | None = None,
    scope: Scope[S, X] | None = None,
    scope_rule: type[Rule] | None = None,
    names_aggregate: str | None = None,
) -> Handles[S, X]:
    """A :class:`Handles` row: ``handles(schedule_session, COORDINATOR, OFFICER, scope=...)``."""
    return Handles(handler, frozenset(roles), role_rule, scope, scope_rule, names_aggregate)
