"""Rules, named and versioned rulebooks, and picking the one in force at a moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, Protocol, TypeVar

import attrs

from pastoral_core.exceptions import InvalidType, InvalidValue, NoRulebookInForce, UnknownRule
from pastoral_core.rules._verdicts import Citation, Outcome, Verdict
from pastoral_core.values import check_fields, london_date


class Rule(Protocol):
    """A policy object: a frozen attrs class whose fields are its parameters.

    Each rule class sets ``rule_id`` and ``citation`` as class variables matching its entry
    in the rules register (:data:`pastoral_core.rules.REGISTER`, ``docs/rules-register.md``).
    """

    rule_id: ClassVar[str]
    citation: ClassVar[Citation]


R = TypeVar("R")


#: Field metadata marking a parameter whose values must not appear in verdicts (e.g. a
#: host's list of names to screen for): verdicts show how many there are instead.
CONFIDENTIAL = {"confidential": True}


def parameters_of(rule: object) -> dict[str, Any]:
    """A rule's parameters: its attrs fields and their values (confidential ones counted)."""
    kind = type(rule)
    if not attrs.has(kind):
        return {}
    return {
        f.name: f"<{len(getattr(rule, f.name))} confidential>"
        if f.metadata.get("confidential")
        else getattr(rule, f.name)
        for f in attrs.fields(kind)
    }


def verdict(
    rule: Rule,
    outcome: Outcome,
    message: str,
    *,
    rulebook: str | None = None,
    used: Mapping[str, Any] | None = None,
) -> Verdict:
    """Make a :class:`Verdict` for ``rule``, filling in its ID, citation and parameters.

    Args:
        rule: The rule that concluded.
        outcome: What it concluded.
        message: What was found, for a coordinator.
        rulebook: The label of the rulebook version whose rule this is (quoted as the
            ``rulebook`` parameter).
        used: Values the check used in place of, or beside, the rule's own parameters
            (e.g. the funding cap fixed when a group was approved).
    """
    parameters = parameters_of(rule)
    if used:
        parameters.update(used)
    if rulebook is not None:
        parameters["rulebook"] = rulebook
    return Verdict(rule.rule_id, outcome, message, rule.citation, parameters)


def _as_rules(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(rules)


def _as_books(books: Iterable[Rulebook]) -> tuple[Rulebook, ...]:
    return tuple(books)


@attrs.frozen
class Rulebook:
    """A named, versioned set of rules in force from a date (Europe/London).

    Attributes:
        name: e.g. ``"DEVON_PSN"``.
        version: 1, 2, ...
        effective_from: First day (Europe/London) this version is in force.
        rules: The rule objects, each with its parameters.

    """

    name: str
    version: int
    effective_from: dt.date
    rules: tuple[Rule, ...] = attrs.field(converter=_as_rules)
    _by_id: dict[str, Rule] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidValue("Rulebook", "name", "must be a non-empty string")
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            raise InvalidValue("Rulebook", "version", f"must be a whole number >= 1, got {self.version!r}")
        if type(self.effective_from) is not dt.date:
            raise InvalidType("Rulebook", "effective_from", "must be a date")
        by_id: dict[str, Rule] = {}
        for rule in self.rules:
            rule_id = getattr(rule, "rule_id", None)
            if not isinstance(rule_id, str) or not isinstance(getattr(rule, "citation", None), Citation):
                raise InvalidType("Rulebook", "rules", f"{type(rule).__name__} is not a rule (no rule_id or citation)")
            if rule_id in by_id:
                raise InvalidValue("Rulebook", "rules", f"{self.name} lists rule {rule_id} twice")
            if attrs.has(type(rule)):
                check_fields(rule)
            by_id[rule_id] = rule
        object.__setattr__(self, "_by_id", by_id)

    @property
    def label(self) -> str:
        """``"NAME vN"``, the text recorded in event metadata."""
        return f"{self.name} v{self.version}"

    def rule(self, kind: type[R]) -> R:
        """The rule object of class ``kind`` (typed, for use in ``decide``).

        Raises:
            UnknownRule: If the rulebook has no rule of that class.

        """
        rule = self._by_id.get(getattr(kind, "rule_id", ""))
        if type(rule) is not kind:
            raise UnknownRule(f"{self.label} has no {kind.__name__} rule")
        return rule

    def rule_by_id(self, rule_id: str) -> Rule:
        """The rule with ID ``rule_id``, e.g. ``book.rule_by_id("PSN-ALLOWANCE")``.

        Raises:
            UnknownRule: If there is none.

        """
        try:
            return self._by_id[rule_id]
        except (KeyError, TypeError):
            raise UnknownRule(f"{self.label} has no rule {rule_id!r}") from None

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The IDs of the rules in this version, in order."""
        return tuple(self._by_id)

    def revised(self, version: int, effective_from: dt.date, *rules: Rule) -> Rulebook:
        """A new version, in force from ``effective_from``, with ``rules`` replacing those with the same ID (or added).

        Raises:
            InvalidValue: If ``version`` is not later than this one's: two different
                rulebooks must never record the same label.
        """
        if isinstance(version, bool) or not isinstance(version, int) or version <= self.version:
            raise InvalidValue("Rulebook", "version", f"a revision of {self.label} needs a later version number")
        return Rulebook(self.name, version, effective_from, self._with(rules))

    def adapted(self, name: str, *rules: Rule) -> Rulebook:
        """This version under another name, with ``rules`` replacing those with the same ID.

        For an LMC or funder whose rules differ only in parameters (its own session rate,
        its tariff table): ``DEVON_PSN_V1.adapted("EXETER_PSN", CostShare(session_rate=...))``
        records ``"EXETER_PSN v1"``, never the library's label.

        Raises:
            InvalidValue: If ``name`` is this rulebook's own name.
        """
        if name == self.name:
            raise InvalidValue("Rulebook", "name", f"an adapted rulebook needs a name of its own, not {self.name}")
        return Rulebook(name, self.version, self.effective_from, self._with(rules))

    def _with(self, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        replaced = {r.rule_id: r for r in rules}
        kept = tuple(replaced.pop(r.rule_id, r) for r in self.rules)
        return kept + tuple(replaced.values())


@attrs.frozen
class Rulebooks:
    """Every version of one rulebook; picks the one in force at a moment.

    Raises:
        InvalidValue: If there is no version, versions have different names, or versions
            and dates do not both increase.

    """

    versions: tuple[Rulebook, ...] = attrs.field(converter=_as_books)

    def __attrs_post_init__(self) -> None:
        if not all(isinstance(b, Rulebook) for b in self.versions):
            raise InvalidType("Rulebooks", "versions", "every version must be a Rulebook")
        if not self.versions:
            raise InvalidValue("Rulebooks", "versions", "needs at least one version")
        names = {b.name for b in self.versions}
        if len(names) > 1:
            raise InvalidValue("Rulebooks", "versions", f"mixes rulebooks {sorted(names)}")
        for earlier, later in zip(self.versions, self.versions[1:], strict=False):
            if later.version <= earlier.version or later.effective_from <= earlier.effective_from:
                raise InvalidValue(
                    "Rulebooks", "versions", f"{later.label} must follow {earlier.label} in version and effective date"
                )

    @classmethod
    def of(cls, *versions: Rulebook) -> Rulebooks:
        """Collect versions, sorting them by effective date."""
        return cls(tuple(sorted(versions, key=_effective_from)))

    def in_force(self, at: dt.datetime | dt.date) -> Rulebook:
        """The version in force at ``at`` (an aware datetime, or a Europe/London date).

        Raises:
            NoRulebookInForce: If ``at`` is before the first version's effective date.
            NaiveDatetimeError: If ``at`` is a naive datetime.

        """
        day = london_date(at)
        chosen = None
        for book in self.versions:
            if book.effective_from <= day:
                chosen = book
        if chosen is None:
            first = self.versions[0]
            raise NoRulebookInForce(
                f"no {first.name} rulebook in force on {day.isoformat()}; "
                f"the first version is effective from {first.effective_from.isoformat()}"
            )
        return chosen

    def __iter__(self) -> Iterator[Rulebook]:
        return iter(self.versions)


def _effective_from(book: Rulebook) -> dt.date:
    return book.effective_from


def collect_denials(verdicts: Iterable[Verdict]) -> tuple[Verdict, ...]:
    """The denying verdicts among ``verdicts``."""
    return tuple(v for v in verdicts if v.denied)
