"""The rules register as data: every rule the library enforces, its source clause and what it protects."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar, overload

import attrs

from pastoral_core.exceptions import InvalidType, InvalidValue, UnknownRule
from pastoral_core.rules._verdicts import Citation, Outcome


class VerdictKind(enum.Enum):
    """What a rule can conclude, in the register's words.

    ``DENY``: the command is refused, nothing is written, and the refusal lists every
    failed rule. ``FLAG``: accepted, with the breach recorded for the read models.
    ``RECORD``: accepted, the fact written as an event.
    """

    DENY = "deny"
    FLAG = "flag"
    RECORD = "record"


class Domain(enum.Enum):
    """The part of the library a rule belongs to."""

    SUPPORT = "pastoral support"
    PEER_GROUPS = "group peer support"
    PORTFOLIO = "GP Portfolio Plus"
    EVERYWHERE = "everywhere"

    @property
    def title(self) -> str:
        """The heading the register's page gives the domain, with its source."""
        return _TITLES[self]


_TITLES = {
    Domain.SUPPORT: "Pastoral support (MOU)",
    Domain.PEER_GROUPS: "Group peer support (GPS)",
    Domain.PORTFOLIO: "GP Portfolio Plus (PP)",
    Domain.EVERYWHERE: "Everywhere",
}


class CheckedBy(enum.Enum):
    """Where a rule is checked.

    ``RULEBOOK``: by a rule object in the domain's rulebook, with its parameters.
    ``KERNEL``: by the kernel, for every command (AUTH, SCOPE, TIME, MINIMAL, INPUT, STATE).
    ``STORE``: by the event store as it appends (IDEMPOTENT, CONCURRENCY); no verdict.
    """

    RULEBOOK = "rulebook"
    KERNEL = "kernel"
    STORE = "store"


T = TypeVar("T")

#: The sources a citation may name.
SOURCES = ("MOU", "GPS", "PP", "DERIVED")


def _as_kinds(kinds: Iterable[VerdictKind | str]) -> frozenset[VerdictKind]:
    if isinstance(kinds, str | VerdictKind):
        kinds = (kinds,)
    try:
        return frozenset(VerdictKind(k) for k in kinds)
    except (TypeError, ValueError):
        raise InvalidValue("RegisterEntry", "verdicts", "each verdict kind is deny, flag or record") from None


def _text(owner: str, field: str, value: object) -> None:
    if not isinstance(value, str):
        raise InvalidType(owner, field, f"must be a str, got {type(value).__name__}")
    if not value.strip() or value != value.strip():
        raise InvalidValue(owner, field, "must be non-empty text without surrounding spaces")


@attrs.frozen
class RegisterEntry:
    """One rule of the register.

    Attributes:
        rule_id: The rule's ID, as verdicts carry it (``"PSN-RESPONSE"``, ``"AUTH"``).
        source: ``MOU``, ``GPS``, ``PP`` or ``DERIVED`` (not written in a source, but what
            people running such a service expect).
        clause: The clause of the source (``"LMC 4"``); for DERIVED, what it derives from.
        protects: What the rule protects, in one sentence a coordinator can check.
        verdicts: What it can conclude: :class:`VerdictKind` deny, flag and/or record
            (none for a store behaviour).
        domain: :class:`Domain`.
        checked_by: :class:`CheckedBy`.
        rule_class: The name of the rule class whose object carries its parameters
            (``"ResponseTime"``), or ``None`` for a check with no rule object.
        overridable: Whether a coordinator may pass it with a recorded reason.
        refuses_only: Whether it only ever refuses: a command it lets through carries no
            verdict of it (INPUT, STATE, MINIMAL). Otherwise a rule that can deny or flag
            also records a pass when it holds.

    Raises:
        InvalidValue: If a field is empty or out of its vocabulary.
        InvalidType: If a field has the wrong type.
    """

    rule_id: str
    source: str
    clause: str
    protects: str
    verdicts: frozenset[VerdictKind] = attrs.field(converter=_as_kinds)
    domain: Domain
    checked_by: CheckedBy = CheckedBy.RULEBOOK
    rule_class: str | None = None
    overridable: bool = False
    refuses_only: bool = False

    def __attrs_post_init__(self) -> None:
        for field in ("rule_id", "clause", "protects"):
            _text("RegisterEntry", field, getattr(self, field))
        if self.source not in SOURCES:
            raise InvalidValue("RegisterEntry", "source", f"must be one of {', '.join(SOURCES)}")
        for field, kind in (("domain", Domain), ("checked_by", CheckedBy)):
            if not isinstance(getattr(self, field), kind):
                raise InvalidType("RegisterEntry", field, f"must be a {kind.__name__}")
        if self.rule_class is not None:
            _text("RegisterEntry", "rule_class", self.rule_class)
        for field in ("overridable", "refuses_only"):
            if not isinstance(getattr(self, field), bool):
                raise InvalidType("RegisterEntry", field, "must be True or False")
        if (self.checked_by is CheckedBy.STORE) != (not self.verdicts):
            raise InvalidValue(
                "RegisterEntry", "verdicts", f"{self.rule_id}: only a store behaviour reaches no verdict"
            )
        if self.refuses_only and self.verdicts != {VerdictKind.DENY}:
            raise InvalidValue("RegisterEntry", "refuses_only", f"{self.rule_id}: only a deny rule refuses only")

    @property
    def citation(self) -> Citation:
        """The :class:`Citation` its verdicts carry (source and clause)."""
        return Citation(self.source, self.clause)

    @property
    def outcomes(self) -> frozenset[Outcome]:
        """Every :class:`Outcome` its verdicts can carry.

        DENY if it can deny, FLAG if it can flag, and PASS if it records, or if it can
        deny or flag and does not refuse only.
        """
        found = set()
        if VerdictKind.DENY in self.verdicts:
            found.add(Outcome.DENY)
        if VerdictKind.FLAG in self.verdicts:
            found.add(Outcome.FLAG)
        if VerdictKind.RECORD in self.verdicts or (self.verdicts and not self.refuses_only):
            found.add(Outcome.PASS)
        return frozenset(found)

    @property
    def verdicts_text(self) -> str:
        """Its verdict kinds as the register writes them: ``"record / deny"``, ``"-"`` for none."""
        ordered = [k.value for k in (VerdictKind.RECORD, VerdictKind.FLAG, VerdictKind.DENY) if k in self.verdicts]
        return " / ".join(ordered) or "-"


def _as_entries(entries: Iterable[RegisterEntry]) -> tuple[RegisterEntry, ...]:
    if isinstance(entries, str | RegisterEntry) or not isinstance(entries, Iterable):
        raise InvalidType(
            "Register", "entries", f"must be RegisterEntry objects (a list or tuple), not {type(entries).__name__}"
        )
    return tuple(entries)


@attrs.frozen
class Register(Mapping[str, RegisterEntry]):
    """The rules register: entries by rule ID, in the order given.

    A read-only mapping: ``REGISTER["PSN-RESPONSE"]`` is the entry; iterating gives the
    IDs; ``REGISTER.entries`` the entries. An unknown ID raises
    :class:`~pastoral_core.exceptions.UnknownRule`, which names the register's IDs of
    that prefix.

    Attributes:
        entries: Every :class:`RegisterEntry`, in order.

    Raises:
        InvalidType: If ``entries`` is not a collection of ``RegisterEntry`` objects.
        InvalidValue: If two entries share an ID.
    """

    entries: tuple[RegisterEntry, ...] = attrs.field(converter=_as_entries)
    _by_id: dict[str, RegisterEntry] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_id: dict[str, RegisterEntry] = {}
        for entry in self.entries:
            if not isinstance(entry, RegisterEntry):
                raise InvalidType(
                    "Register", "entries", f"every entry must be a RegisterEntry, not {type(entry).__name__}"
                )
            if entry.rule_id in by_id:
                raise InvalidValue("Register", "entries", f"rule {entry.rule_id} is listed twice")
            by_id[entry.rule_id] = entry
        object.__setattr__(self, "_by_id", by_id)

    def __getitem__(self, rule_id: str) -> RegisterEntry:
        try:
            return self._by_id[rule_id]
        except (KeyError, TypeError):
            raise UnknownRule(self._unknown(rule_id)) from None

    def _unknown(self, rule_id: object) -> str:
        prefix = rule_id.split("-")[0] + "-" if isinstance(rule_id, str) and "-" in rule_id else None
        near = [i for i in self._by_id if prefix and i.startswith(prefix)]
        hint = f"; its {prefix}* rules are {', '.join(near)}" if near else f"; known IDs: {', '.join(self._by_id)}"
        return f"the rules register has no rule {rule_id!r}{hint}"

    def __contains__(self, rule_id: object) -> bool:
        return isinstance(rule_id, str) and rule_id in self._by_id

    @overload
    def get(self, rule_id: str, /) -> RegisterEntry | None: ...
    @overload
    def get(self, rule_id: str, default: RegisterEntry, /) -> RegisterEntry: ...
    @overload
    def get(self, rule_id: str, default: T, /) -> RegisterEntry | T: ...
    def get(self, rule_id: str, default: Any = None, /) -> Any:
        """The entry for ``rule_id``, or ``default`` if the register has none."""
        return self._by_id.get(rule_id, default) if isinstance(rule_id, str) else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def in_domain(self, domain: Domain) -> tuple[RegisterEntry, ...]:
        """The entries of ``domain``, in order."""
        return tuple(e for e in self.entries if e.domain is domain)


def rulebook_entry(
    rule_id: str,
    domain: Domain,
    rule_class: str,
    source: str,
    clause: str,
    verdicts: tuple[str, ...],
    protects: str,
    *,
    overridable: bool = False,
) -> RegisterEntry:
    """A register entry for a rule checked by a rule object of the domain's rulebook (for the entry modules)."""
    return RegisterEntry(
        rule_id, source, clause, protects, verdicts, domain, CheckedBy.RULEBOOK, rule_class, overridable
    )
