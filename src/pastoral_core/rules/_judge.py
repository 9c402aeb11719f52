"""Collecting verdicts while one command is decided, so a refusal lists every failed rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from pastoral_core._command import BaseCommand, Role
from pastoral_core._decider import Decision
from pastoral_core.eventlog import Event
from pastoral_core.rules._flags import RuleFlagged
from pastoral_core.rules._permissions import Permissions
from pastoral_core.rules._rulebook import Rule, Rulebook, Rulebooks, collect_denials, verdict
from pastoral_core.rules._verdicts import Citation, Outcome, Refused, Verdict

#: Citation for refusals because the command does not fit the aggregate's current state.
STATE_CITATION = Citation("DERIVED", "the command must fit the record as it stands")
#: Citation for refusals because the command's own content is incomplete or invalid.
INPUT_CITATION = Citation("DERIVED", "the command's content must be complete and valid")

R = TypeVar("R")


class Judge:
    """Runs rules for one command and keeps every verdict.

    ``require`` records a rule's verdict and lets the decision go on, so that a refusal can
    list every failed rule. ``must`` is for preconditions without which the other rules
    make no sense (an unknown session, a closed case): it refuses at once.

    Args:
        book: The rulebook in force at the command's time.
    """

    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self.verdicts: list[Verdict] = []

    @classmethod
    def for_command(cls, rulebooks: Rulebooks, permissions: Permissions, command: BaseCommand) -> Judge:
        """A judge for ``command``: the rulebook in force at its time, and its AUTH verdict.

        Raises:
            Refused: If the command's role may not issue it (rule AUTH, or the source rule
                that names the role).
            NoRulebookInForce: If the command predates every rulebook version.
        """
        judge = cls(rulebooks.in_force(command.at))
        judge.note(permissions.check(type(command).__name__, command.role.value))
        return judge

    def acting_for_themselves(self, command: BaseCommand, role: Role, person: str | None) -> None:
        """Refuse (INPUT) if someone in ``role`` acts for anyone but themselves (``person``)."""
        if command.role is role:
            self.must(command.actor == person, f"a {role.value} may act only for themselves", invalid_input=True)

    def rule(self, kind: type[R]) -> R:
        """The rulebook's rule of class ``kind``."""
        return self.book.rule(kind)

    def note(self, result: Verdict) -> Verdict:
        """Keep a verdict reached elsewhere (e.g. the AUTH check)."""
        self.verdicts.append(result)
        return result

    def require(
        self,
        rule: Rule,
        ok: bool,
        failure: str,
        success: str = "satisfied",
        outcome: Outcome = Outcome.DENY,
    ) -> bool:
        """Record ``rule``'s verdict: pass with ``success``, else ``outcome`` with ``failure``."""
        self.verdicts.append(verdict(rule, Outcome.PASS if ok else outcome, success if ok else failure))
        return ok

    def must(
        self,
        ok: bool,
        failure: str,
        *,
        rule: Rule | None = None,
        success: str | None = None,
        invalid_input: bool = False,
    ) -> None:
        """Refuse at once (with every verdict so far) unless ``ok``.

        Args:
            ok: The precondition.
            failure: What is wrong, for the coordinator.
            rule: The rule that refuses, if a source rule does; else a STATE or INPUT
                refusal (DERIVED).
            success: With ``rule``, the passing verdict's message when ``ok``.
            invalid_input: Refuse as INPUT (bad command content) rather than STATE.

        Raises:
            Refused: If not ``ok``.
        """
        if ok:
            if rule is not None and success is not None:
                self.verdicts.append(verdict(rule, Outcome.PASS, success))
            return
        if rule is not None:
            self.verdicts.append(verdict(rule, Outcome.DENY, failure))
        elif invalid_input:
            self.verdicts.append(Verdict("INPUT", Outcome.DENY, failure, INPUT_CITATION))
        else:
            self.verdicts.append(Verdict("STATE", Outcome.DENY, failure, STATE_CITATION))
        raise Refused(collect_denials(self.verdicts))

    def decision(self, events: Sequence[Event], at: dt.datetime) -> Decision:
        """Refuse if any verdict denies; else the decision, each flag recorded as an event.

        Args:
            events: The events the command produces.
            at: The command's time, recorded with any :class:`RuleFlagged`.

        Raises:
            Refused: Carrying every denying verdict.
        """
        denied = collect_denials(self.verdicts)
        if denied:
            raise Refused(denied)
        flags = [RuleFlagged(v.rule_id, v.message, at) for v in self.verdicts if v.outcome is Outcome.FLAG]
        return Decision([*events, *flags], self.verdicts, self.book.label)
