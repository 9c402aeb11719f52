"""Given / when / then for deciders: the executable specification of every rule."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, Generic

import attrs

from pastoral_core._decider import CommandT, ContextT, Decider, Decision, S, fold
from pastoral_core.eventlog import Event
from pastoral_core.rules import Refused


def _describe(value: Any, indent: str = "") -> list[str]:
    if attrs.has(type(value)):
        lines = [f"{indent}{type(value).__name__}("]
        for field in attrs.fields(type(value)):
            lines.append(f"{indent}    {field.name}={getattr(value, field.name)!r},")
        lines.append(f"{indent})")
        return lines
    return [f"{indent}{value!r}"]


def _diff(expected: Iterable[Any], actual: Iterable[Any]) -> str:
    left = [line for item in expected for line in _describe(item)]
    right = [line for item in actual for line in _describe(item)]
    return "\n".join(difflib.unified_diff(left, right, "expected", "actual", lineterm=""))


@attrs.frozen
class Scenario(Generic[S, CommandT, ContextT]):
    """A readable test of one decider: ``given`` past events, ``when`` a command, ``then`` ...

    Example::

        Scenario(case_decider, context).given(received).when(respond).then(responded)
        Scenario(case_decider, context).given(...).when(session).then_refused("PSN-MOU-FIRST")

    Failures raise ``AssertionError`` with a line diff of expected and actual events.

    Attributes:
        decider: The aggregate under test.
        context: The context passed to ``decide`` (rulebook, calendar, directory ...).
        history: Events given so far.
        command: The command under test, once ``when`` is called.

    """

    decider: Decider[S, CommandT, ContextT]
    context: ContextT
    history: tuple[Event, ...] = ()
    command: CommandT | None = None

    def given(self, *events: Event) -> Scenario[S, CommandT, ContextT]:
        """Add past events (appended to any given before)."""
        return Scenario(self.decider, self.context, self.history + events, self.command)

    def when(self, command: CommandT) -> Scenario[S, CommandT, ContextT]:
        """Set the command under test."""
        return Scenario(self.decider, self.context, self.history, command)

    def state(self) -> S:
        """The state folded from the given events."""
        return fold(self.decider.evolve, self.decider.initial, self.history)

    def _decide(self) -> Decision:
        if self.command is None:
            raise AssertionError("Scenario has no command: call .when(command) first")
        return self.decider.decide(self.state(), self.command, self.context)

    def then(self, *expected: Event) -> Decision:
        """Assert the command is accepted and records exactly ``expected``.

        The new events are also folded, so an ``evolve`` that cannot apply them fails here.

        Returns:
            The decision, for further assertions on its verdicts.

        """
        try:
            decision = self._decide()
        except Refused as refused:
            raise AssertionError(f"expected events, but the command was {refused}") from None
        if tuple(decision.events) != expected:
            raise AssertionError("events differ:\n" + _diff(expected, decision.events))
        fold(self.decider.evolve, self.state(), decision.events)
        return decision

    def then_refused(self, *rule_ids: str) -> Refused:
        """Assert the command is refused by exactly the rules ``rule_ids`` (in any order).

        Returns:
            The ``Refused`` exception, for assertions on its messages.

        """
        try:
            decision = self._decide()
        except Refused as refused:
            if sorted(refused.rule_ids) != sorted(rule_ids):
                raise AssertionError(
                    "refused by other rules:\n" + _diff(sorted(rule_ids), sorted(refused.rule_ids))
                ) from None
            return refused
        raise AssertionError(
            f"expected refusal by {', '.join(rule_ids)}, but the command was accepted with:\n"
            + "\n".join(line for e in decision.events for line in _describe(e))
        )
