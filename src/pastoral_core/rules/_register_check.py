"""Holding the register and the code together: every rule class registered, every registered rule in the code."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

from pastoral_core.exceptions import InvalidType
from pastoral_core.rules._register import CheckedBy, Register
from pastoral_core.rules._rulebook import Rulebook, Rulebooks
from pastoral_core.rules._verdicts import Citation


class Discrepancy(enum.Enum):
    """What kind of difference :func:`register_mismatches` found.

    ``UNREGISTERED``: the code has a rule (a class, or a kernel citation) whose ID the
    register lacks. ``NO_RULE_CLASS``: the register names a rule class the code does not
    ship under that ID (or a rule checked by a rulebook names none).
    ``NOT_IN_RULEBOOK``: a rule the register says a rulebook checks has its class, but no
    rulebook given holds it, so nothing enforces it. ``WRONG_CLASS``: the ID's class has
    another name than the register says. ``WRONG_CITATION``: the code cites another
    source or clause than the register. ``NO_CITATION``: a kernel check of the register
    has no citation to compare.
    """

    UNREGISTERED = "unregistered"
    NO_RULE_CLASS = "no rule class"
    NOT_IN_RULEBOOK = "in no rulebook"
    WRONG_CLASS = "wrong class"
    WRONG_CITATION = "wrong citation"
    NO_CITATION = "no citation"


@attrs.frozen
class Mismatch:
    """One difference between the register and the code.

    Attributes:
        rule_id: The rule concerned.
        discrepancy: :class:`Discrepancy`.
        detail: What differs, for the person fixing it.
    """

    rule_id: str
    discrepancy: Discrepancy
    detail: str

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.discrepancy.value}: {self.detail}"


def _classes(rulebooks: Iterable[Rulebooks | Rulebook], classes: Iterable[type]) -> tuple[dict[type, str], set[type]]:
    """Every rule class found, with where it was found; and those a rulebook holds."""
    found: dict[type, str] = {}
    if isinstance(rulebooks, Rulebooks | Rulebook):
        rulebooks = (rulebooks,)
    for item in rulebooks:
        if not isinstance(item, Rulebooks | Rulebook):
            raise InvalidType(
                "register_mismatches", "rulebooks", f"must be Rulebooks or Rulebook, not {type(item).__name__}"
            )
        for book in item.versions if isinstance(item, Rulebooks) else (item,):
            for rule in book.rules:
                found.setdefault(type(rule), f"rulebook {book.label}")
    in_books = set(found)
    for cls in classes:
        if not isinstance(cls, type):
            raise InvalidType("register_mismatches", "classes", f"must be classes, not {type(cls).__name__}")
        found.setdefault(cls, f"class {cls.__module__}.{cls.__qualname__}")
    return found, in_books


def _citation_of(cls: type) -> tuple[str | None, Citation | None]:
    rule_id, citation = getattr(cls, "rule_id", None), getattr(cls, "citation", None)
    return (rule_id if isinstance(rule_id, str) else None), (citation if isinstance(citation, Citation) else None)


def register_mismatches(
    register: Register,
    rulebooks: Iterable[Rulebooks | Rulebook],
    *,
    classes: Iterable[type] = (),
    citations: Mapping[str, Citation] | None = None,
) -> tuple[Mismatch, ...]:
    """Every difference between ``register`` and the rules the code ships, both ways.

    - Each rule class (every rule of every version of ``rulebooks``, and each of
      ``classes``) has its ``rule_id`` in the register, under the class name the register
      gives, with the register's citation (source and clause).
    - Each register entry that names a rule class has a class of that name with its ID
      among those found; one checked by a rulebook names its class, and a rulebook given
      holds that class (a class no rulebook holds enforces nothing).
    - Each kernel check of the register (AUTH, SCOPE, TIME, MINIMAL, INPUT, STATE) has
      the register's citation in ``citations``, and every ID of ``citations`` is
      registered. Store behaviours (IDEMPOTENT, CONCURRENCY) reach no verdict and cite
      nothing in code.

    Args:
        register: The register (:data:`REGISTER`).
        rulebooks: The rulebooks shipped (each :class:`Rulebooks`, every version checked).
        classes: Further rule classes (those with a ``rule_id`` class variable outside
            any rulebook, such as :class:`LateEntry`).
        citations: The kernel's citation constants by rule ID (``{"AUTH": AUTH_CITATION,
            ...}``); ``None`` skips the kernel checks.

    Returns:
        The mismatches, the code's rules first, then the register's entries; empty when they agree.

    Raises:
        InvalidType: If an argument has the wrong type.
    """
    if not isinstance(register, Register):
        raise InvalidType("register_mismatches", "register", f"must be a Register, not {type(register).__name__}")
    found, in_books = _classes(rulebooks, classes)
    by_id: dict[str, list[type]] = {}
    problems: list[Mismatch] = []
    for cls, where in found.items():
        rule_id, citation = _citation_of(cls)
        if rule_id is None:
            problems.append(Mismatch(cls.__name__, Discrepancy.UNREGISTERED, f"{where} has no rule_id class variable"))
            continue
        by_id.setdefault(rule_id, []).append(cls)
        entry = register.get(rule_id)
        if entry is None:
            problems.append(
                Mismatch(rule_id, Discrepancy.UNREGISTERED, f"{cls.__name__} ({where}) is not in the register")
            )
            continue
        if entry.rule_class != cls.__name__:
            problems.append(
                Mismatch(
                    rule_id,
                    Discrepancy.WRONG_CLASS,
                    f"the register names {entry.rule_class}, {where} has {cls.__name__}",
                )
            )
        if citation != entry.citation:
            problems.append(
                Mismatch(
                    rule_id,
                    Discrepancy.WRONG_CITATION,
                    f"{cls.__name__} cites {citation}, the register {entry.citation}",
                )
            )
    for entry in register.entries:
        named = [c for c in by_id.get(entry.rule_id, ()) if c.__name__ == entry.rule_class]
        by_rulebook = entry.checked_by is CheckedBy.RULEBOOK
        if entry.rule_class is not None and not named:
            problems.append(
                Mismatch(
                    entry.rule_id,
                    Discrepancy.NO_RULE_CLASS,
                    f"no rule class {entry.rule_class} with this ID is shipped",
                )
            )
        elif by_rulebook and entry.rule_class is None:
            problems.append(
                Mismatch(entry.rule_id, Discrepancy.NO_RULE_CLASS, "checked by a rulebook, it names no class")
            )
        elif by_rulebook and not in_books.intersection(named):
            problems.append(
                Mismatch(
                    entry.rule_id,
                    Discrepancy.NOT_IN_RULEBOOK,
                    f"{entry.rule_class} is shipped, but no rulebook given holds it: nothing enforces the rule",
                )
            )
        if citations is None or entry.checked_by is not CheckedBy.KERNEL:
            continue
        if entry.rule_id not in citations:
            problems.append(Mismatch(entry.rule_id, Discrepancy.NO_CITATION, "no kernel citation was given for it"))
        elif citations[entry.rule_id] != entry.citation:
            problems.append(
                Mismatch(
                    entry.rule_id,
                    Discrepancy.WRONG_CITATION,
                    f"the kernel cites {citations[entry.rule_id]}, the register {entry.citation}",
                )
            )
    for rule_id in citations or {}:
        if rule_id not in register:
            problems.append(
                Mismatch(rule_id, Discrepancy.UNREGISTERED, "a kernel citation names it; the register does not")
            )
    return tuple(problems)
