"""The rules register as a Markdown page (MyST, readable on GitHub), with each rulebook's parameters."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any

import attrs

from pastoral_core.exceptions import InvalidType
from pastoral_core.rules._register import CheckedBy, Domain, Register, RegisterEntry
from pastoral_core.rules._rulebook import Rule, Rulebook, Rulebooks, parameters_of
from pastoral_core.rules._verdicts import render_parameter

_INTRO = """\
# Rules register

Every rule `pastoral_core` enforces, the clause it comes from, what it protects, and the
parameters each shipped rulebook gives it. This page is rendered from the register in the
code (`pastoral_core.rules.REGISTER`) and the rulebooks themselves by
`pastoral_core.rules.register_markdown`; do not edit it by hand: run
`python docs/_tools/write_register.py` (a test fails while the page and the code differ).

Sources: `MOU` is the Devon LMC Pastoral Support Network Memorandum of Understanding
(clauses `LMC n`, `CLIENT n`, `NOTE n`); `GPS` is *Group Peer Support for GPs* (its
vision, concept and offering); `PP` is the article on Nottinghamshire LMC's GP Portfolio
Plus (no clause numbers, so the passage is named); `DERIVED` is not written in a source,
but what the people running such a service expect.

Verdicts: **deny** refuses the command, writes nothing, and lists every failed rule with
its clause; **flag** accepts it and records the breach for the read models; **record**
accepts it and writes the fact as an event. A rule that can deny or flag records a pass
when it holds, unless it only refuses (INPUT, STATE, MINIMAL). Parameters are data in a
rulebook: another LMC or funder changes parameters, not code.
"""


def _cell(text: str) -> str:
    """``text`` as Markdown keeps it literally in a table cell or a list item (no emphasis, no tags)."""
    for char in "\\`*_|<>[]":
        text = text.replace(char, "\\" + char)
    return text


def _code(text: str) -> str:
    """``text`` as an inline code span that a Markdown table cell keeps whole."""
    text = text.replace("|", "\\|") if text else '""'
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _books(rulebooks: Iterable[Rulebooks | Rulebook]) -> tuple[Rulebook, ...]:
    if isinstance(rulebooks, Rulebooks | Rulebook):
        rulebooks = (rulebooks,)
    books: list[Rulebook] = []
    for item in rulebooks:
        if isinstance(item, Rulebooks):
            books.extend(item.versions)
        elif isinstance(item, Rulebook):
            books.append(item)
        else:
            raise InvalidType(
                "register_markdown", "rulebooks", f"must be Rulebooks or Rulebook, not {type(item).__name__}"
            )
    return tuple(books)


def _default(field: Any) -> str:
    default = field.default
    if default is attrs.NOTHING:
        return "(required)"
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    if field.metadata.get("confidential"):
        return f"<{len(default)} confidential>"
    return render_parameter(default)


def _found(entry: RegisterEntry, books: tuple[Rulebook, ...]) -> list[tuple[Rulebook, Rule]]:
    """The rulebook versions that have the entry's rule, with the rule object in each."""
    if entry.rule_class is None:
        return []
    return [(book, book.rule_by_id(entry.rule_id)) for book in books if entry.rule_id in book.rule_ids]


def _parameter_table(entry: RegisterEntry, found: list[tuple[Rulebook, Rule]]) -> list[str]:
    if not found:
        return [f"Parameters: none of the rulebooks given has rule {entry.rule_id}."]
    kind = type(found[0][1])
    fields = attrs.fields(kind) if attrs.has(kind) else ()
    if not fields:
        in_books = ", ".join(f"{book.label}" for book, _ in found)
        return [f"Parameters: none (in {in_books})."]
    header = ["Parameter", "Default", *(f"{book.label} (from {book.effective_from.isoformat()})" for book, _ in found)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    values = [parameters_of(rule) for _, rule in found]
    for field in fields:
        cells = [_code(field.name), _code(_default(field))]
        cells += [_code(render_parameter(v[field.name])) if field.name in v else "-" for v in values]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _public_home(kind: type) -> str:
    """The public package a rule class is exported from (its module path up to the first private part)."""
    parts = []
    for part in kind.__module__.split("."):
        if part.startswith("_"):
            break
        parts.append(part)
    return ".".join(parts)


def _checked_by(entry: RegisterEntry, found: list[tuple[Rulebook, Rule]]) -> str:
    if entry.checked_by is CheckedBy.STORE:
        return "the event store, as it appends; it reaches no verdict"
    named = entry.rule_class or entry.rule_id
    if found:
        named = f"{_code(f'{_public_home(type(found[0][1]))}.{named}')}"
        names = ", ".join(_code(name) for name in dict.fromkeys(book.name for book, _ in found))
    else:
        named, names = _code(named), "no rulebook given"
    if entry.checked_by is CheckedBy.KERNEL:
        with_rule = f", with the parameters of the rule {named} ({names})" if entry.rule_class else ""
        only = "; it only refuses: a command it lets through carries no verdict of it" if entry.refuses_only else ""
        return f"the kernel, on every command{with_rule}{only}"
    return f"the rule {named} in {names}"


def _paragraph(text: str) -> str:
    return textwrap.fill(_cell(text), width=90, break_long_words=False, break_on_hyphens=False)


def _section(entry: RegisterEntry, books: tuple[Rulebook, ...]) -> list[str]:
    found = _found(entry, books)
    overridable = " (overridable by a coordinator, with a recorded reason)" if entry.overridable else ""
    lines = [f"### {entry.rule_id}", "", _paragraph(entry.protects), ""]
    lines.append(f"- Source: {_cell(entry.source)} {_cell(entry.clause)}")
    lines.append(f"- Verdicts: {entry.verdicts_text}{overridable}")
    lines.append(f"- Checked by: {_checked_by(entry, found)}")
    lines.append("")
    if entry.rule_class is not None:
        lines += [*_parameter_table(entry, found), ""]
    return lines


def _domain(domain: Domain, entries: tuple[RegisterEntry, ...], books: tuple[Rulebook, ...]) -> list[str]:
    lines = [f"## {domain.title}", "", "| ID | Source | Verdicts |", "|---|---|---|"]
    lines += [f"| {e.rule_id} | {_cell(e.source)} {_cell(e.clause)} | {e.verdicts_text} |" for e in entries]
    lines.append("")
    for entry in entries:
        lines += _section(entry, books)
    return lines


def register_markdown(register: Register, rulebooks: Iterable[Rulebooks | Rulebook]) -> str:
    """The register as a Markdown page (MyST; plain Markdown on GitHub): ``docs/rules-register.md``.

    One section per domain, a table of its rules, then each rule: what it protects, its
    source clause, its verdicts, where it is checked, and a table of its parameters with
    the class default and the value in each version of ``rulebooks`` that has the rule.

    Args:
        register: The register (:data:`REGISTER`).
        rulebooks: The rulebooks whose parameters the page shows (every version of each).

    Returns:
        The page, ending with one newline.

    Raises:
        InvalidType: If ``register`` is not a :class:`Register` or a rulebook is not one.
    """
    if not isinstance(register, Register):
        raise InvalidType("register_markdown", "register", f"must be a Register, not {type(register).__name__}")
    books = _books(rulebooks)
    lines = [_INTRO]
    for domain in Domain:
        entries = register.in_domain(domain)
        if entries:
            lines += _domain(domain, entries, books)
    return "\n".join(lines).rstrip("\n") + "\n"
