"""Helpers for hosts' tests: histories made by running commands, and AUTH checks."""

from __future__ import annotations

from pastoral_core._command import BaseCommand
from pastoral_core._decider import ContextT, Decider, S, fold
from pastoral_core.eventlog import Event
from pastoral_core.rules import Refused
from pastoral_core.rules._permissions import Permissions


def run_commands(
    decider: Decider[S, BaseCommand, ContextT], context: ContextT, *commands: BaseCommand
) -> tuple[tuple[Event, ...], S]:
    """Decide and apply ``commands`` in order; every one must be accepted.

    Use it to build the ``given`` history of a :class:`Scenario` from real commands, so
    that derived fields (due dates, charges, windows) are computed by the rules, not by hand.

    Returns:
        All events produced, and the final state.

    Raises:
        Refused: If a command is refused (the history is not what the test meant).
    """
    state = decider.initial
    events: list[Event] = []
    for command in commands:
        decision = decider.decide(state, command, context)
        events.extend(decision.events)
        state = fold(decider.evolve, state, decision.events)
    return tuple(events), state


def assert_permission_enforced(
    decider: Decider[S, BaseCommand, ContextT],
    state: S,
    command: BaseCommand,
    context: ContextT,
    permissions: Permissions,
) -> Refused | None:
    """Assert the AUTH table holds for ``command``'s role, whatever else the rules say.

    A role the table allows is never refused for its role (other rules may still refuse);
    any other role is refused by the table's rule alone (``AUTH`` or the source rule that
    names the role).

    Returns:
        The refusal, if the command was refused.

    Raises:
        AssertionError: If the table is not enforced.
    """
    name, role = type(command).__name__, command.role.value
    permission = permissions.table[name]
    try:
        decider.decide(state, command, context)
        refused = None
    except Refused as error:
        refused = error
    if role in permission.roles:
        if refused is not None and any(f"a {role} may not " in v.message for v in refused.verdicts):
            raise AssertionError(f"a {role} may {name}, but was refused for their role: {refused}")
    elif refused is None or refused.rule_ids != (permission.rule_id,) or f"a {role} may not {name}" not in str(refused):
        raise AssertionError(f"a {role} may not {name}, yet the decision was: {refused or 'accepted'}")
    return refused
