"""Helpers for hosts' tests: histories made by running commands, and the AUTH table's check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pastoral_core.eventlog import Event
from pastoral_core.kernel import Aggregate, Command, Folded, decide, row_for
from pastoral_core.rules import Refused

S = TypeVar("S")
X = TypeVar("X")


def decide_in_turn(
    aggregate: Aggregate[S, Any], context: Any, commands: Iterable[Command], start: Folded[S] | None = None
) -> tuple[tuple[Event, ...], Folded[S]]:
    """Decide ``commands`` one after another from ``start``, folding each decision in.

    Returns:
        Every event recorded, and the aggregate folded after the last command.

    Raises:
        Refused: If a command is refused.
    """
    folded = start if start is not None else aggregate.fold(())
    events: list[Event] = []
    for command in commands:
        decision = decide(aggregate, folded, command, context)
        events.extend(decision.events)
        folded = aggregate.fold(decision.events, folded)
    return tuple(events), folded


def run_commands(aggregate: Aggregate[S, Any], context: Any, *commands: Command) -> tuple[tuple[Event, ...], S]:
    """Decide and apply ``commands`` in order on a new aggregate; every one must be accepted.

    Use it to build the ``given`` history of a :class:`Scenario` from real commands, so
    that derived fields (due dates, charges, windows) are computed by the rules, not by hand.

    Returns:
        All events produced, and the final domain state.

    Raises:
        Refused: If a command is refused (the history is not what the test meant).
    """
    events, folded = decide_in_turn(aggregate, context, commands)
    return events, folded.state


def assert_permission_enforced(
    aggregate: Aggregate[S, Any], folded: Folded[S], command: Command, context: Any
) -> Refused | None:
    """Assert the aggregate's command table holds for ``command``'s role, whatever else the rules say.

    A role the table allows is never refused for its role (other rules may still refuse);
    any other role is refused by the row's role rule alone (``AUTH`` or the source rule
    that names the role).

    Returns:
        The refusal, if the command was refused.

    Raises:
        AssertionError: If the table is not enforced.
    """
    row = row_for(aggregate, command)
    name, role = type(command).__name__, command.role
    rule_id = row.role_rule.rule_id if row.role_rule else "AUTH"
    try:
        decide(aggregate, folded, command, context)
        refused = None
    except Refused as error:
        refused = error
    if role in row.roles:
        if refused is not None and any(f"a {role.value} may not " in v.message for v in refused.verdicts):
            raise AssertionError(f"a {role.value} may {name}, but was refused for their role: {refused}")
    elif refused is None or refused.rule_ids != (rule_id,) or f"a {role.value} may not {name}" not in str(refused):
        raise AssertionError(f"a {role.value} may not {name}, yet the decision was: {refused or 'accepted'}")
    return refused
