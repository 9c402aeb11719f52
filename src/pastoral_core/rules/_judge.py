"""The verdicts of one decision in progress, so a refusal lists every failed rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pastoral_core.exceptions import Refused
from pastoral_core.rules._rulebook import Rule, Rulebook, collect_denials, verdict
from pastoral_core.rules._verdicts import Citation, Outcome, Verdict

#: Citation for refusals because the command does not fit the aggregate's current state.
STATE_CITATION = Citation("DERIVED", "the command must fit the record as it stands")
#: Citation for refusals because the command's own content is incomplete or invalid.
INPUT_CITATION = Citation("DERIVED", "the command's content must be complete and valid")
#: Citation for refusals because free text holds contact details or identifiers.
MINIMAL_CITATION = Citation(
    "DERIVED", "MINIMAL: the library stores opaque ids and roles, never names or contact details"
)

R = TypeVar("R")


class Judge:
    """Runs the rules of one command against one rulebook version and keeps every verdict.

    Two ways to apply a rule:

    - :meth:`check` records the rule's verdict and lets the decision go on, so that a
      refusal can list every failed rule;
    - :meth:`refuse_unless` refuses at once: for preconditions without which the other
      rules make no sense (an unknown session, a closed case).

    Args:
        book: The rulebook version in force for the command.
        flagged: Rule IDs already flagged on this aggregate.

    Attributes:
        book: The rulebook version deciding.
        flagged: Rule IDs already flagged on this aggregate.
        verdicts: Every verdict reached so far, in order.
    """

    def __init__(self, book: Rulebook, flagged: frozenset[str] = frozenset()) -> None:
        self.book = book
        self.flagged = flagged
        self.verdicts: list[Verdict] = []

    def rule(self, kind: type[R]) -> R:
        """The rulebook's rule of class ``kind``, with the parameters of this version."""
        return self.book.rule(kind)

    def record(self, result: Verdict) -> Verdict:
        """Keep a verdict reached elsewhere (e.g. the AUTH check) and go on."""
        self.verdicts.append(result)
        return result

    def check(
        self,
        rule: Rule,
        ok: bool,
        failure: str,
        success: str = "satisfied",
        outcome: Outcome = Outcome.DENY,
        *,
        rulebook: str | None = None,
        used: Mapping[str, Any] | None = None,
    ) -> bool:
        """Record ``rule``'s verdict and go on: pass with ``success``, else ``outcome`` with ``failure``.

        Every verdict quotes the rule's parameters and the rulebook version it came from.

        Args:
            rule: The rule applied.
            ok: Whether it holds.
            failure: What is wrong, for the coordinator.
            success: What was found when it holds.
            outcome: DENY (refuse) or FLAG (accept and record) when it does not hold.
            rulebook: The label of the version the rule came from, when not this
                judge's book (a transition keeping an earlier version).
            used: Values the check used beside or instead of the rule's parameters.

        Returns:
            ``ok``, so a caller can skip work that needs the rule to pass.
        """
        self.verdicts.append(
            self._verdict(rule, Outcome.PASS if ok else outcome, success if ok else failure, rulebook, used)
        )
        return ok

    def _verdict(
        self, rule: Rule, outcome: Outcome, message: str, rulebook: str | None, used: Mapping[str, Any] | None
    ) -> Verdict:
        return verdict(rule, outcome, message, rulebook=rulebook or self.book.label, used=used)

    def refuse_unless(
        self,
        ok: bool,
        failure: str,
        *,
        rule: Rule | None = None,
        success: str | None = None,
        invalid_input: bool = False,
    ) -> None:
        """Refuse at once (with every denying verdict so far) unless ``ok``.

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
                self.verdicts.append(self._verdict(rule, Outcome.PASS, success, None, None))
            return
        if rule is not None:
            self.verdicts.append(self._verdict(rule, Outcome.DENY, failure, None, None))
        elif invalid_input:
            self.verdicts.append(Verdict("INPUT", Outcome.DENY, failure, INPUT_CITATION))
        else:
            self.verdicts.append(Verdict("STATE", Outcome.DENY, failure, STATE_CITATION))
        raise Refused(collect_denials(self.verdicts))

    def already_flagged(self, rule_id: str) -> bool:
        """Whether ``rule_id`` was flagged on this aggregate before (for rules that flag once)."""
        return rule_id in self.flagged

    def conclude(self) -> tuple[Verdict, ...]:
        """Every verdict reached, once the rules have run.

        Raises:
            Refused: Carrying every denying verdict, if any rule denied.
        """
        denied = collect_denials(self.verdicts)
        if denied:
            raise Refused(denied)
        return tuple(self.verdicts)
