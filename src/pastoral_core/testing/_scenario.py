"""Given / when / then for aggregates: the executable specification of every rule."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import attrs

from pastoral_core.eventlog import Event
from pastoral_core.kernel import Aggregate, Command, Decision, Folded, decide
from pastoral_core.rules import Refused
from pastoral_core.testing._helpers import decide_in_turn

S = TypeVar("S")
X = TypeVar("X")


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
class Scenario(Generic[S, X]):
    """A readable test of one aggregate: ``given`` a history, ``when`` a command, ``then`` ...

    The history is stated as events (:meth:`given`), or made by running commands through
    the aggregate (:meth:`given_commands`), or both, in order. The command under test runs
    through the kernel's :func:`~pastoral_core.kernel.decide`, so AUTH, SCOPE and the
    aggregate's precondition apply exactly as they do in ``execute``.

    Example::

        Scenario(CASE, context).given(received).when(respond).then(responded)
        Scenario(CASE, context).given(...).when(session).then_refused("PSN-MOU-FIRST")

    Failures raise ``AssertionError`` with a line diff of expected and actual events.

    Attributes:
        aggregate: The aggregate under test.
        context: The context passed to ``decide`` (rulebooks, directory ...).
        history: Events given so far.
        command: The command under test, once ``when`` is called.

    """

    aggregate: Aggregate[S, X]
    context: X
    history: tuple[Event, ...] = ()
    command: Command | None = None

    def given(self, *events: Event) -> Scenario[S, X]:
        """Add past events (appended to any given before)."""
        return Scenario(self.aggregate, self.context, self.history + events, self.command)

    def given_commands(self, *commands: Command) -> Scenario[S, X]:
        """Add the events that ``commands`` record, run in order on the history so far.

        Raises:
            Refused: If one of them is refused (the history is not what the test meant).
        """
        events, _ = decide_in_turn(self.aggregate, self.context, commands, self.folded())
        return self.given(*events)

    def when(self, command: Command) -> Scenario[S, X]:
        """Set the command under test."""
        return Scenario(self.aggregate, self.context, self.history, command)

    def folded(self) -> Folded[S]:
        """The aggregate folded from the given events (with its flags)."""
        return self.aggregate.fold(self.history)

    def state(self) -> S:
        """The domain state folded from the given events."""
        return self.folded().state

    def _decide(self) -> Decision:
        if self.command is None:
            raise AssertionError("Scenario has no command: call .when(command) first")
        return decide(self.aggregate, self.folded(), self.command, self.context)  # type: ignore[type-var]

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
        self.aggregate.fold(decision.events, self.folded())
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
