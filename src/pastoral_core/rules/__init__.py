"""Rules as code: citations, verdicts, the judge, rulebooks, the register, working days, money, screening.

Everything a domain package needs to write and run its rules is public here:
:class:`Judge` runs a command's rules against the :class:`Rulebook` version in force,
:class:`WorkingCalendar` counts UK working days, :func:`gbp` and :func:`half_up` round
money, and :func:`screen` finds sensitive items in free text without repeating them.
:data:`REGISTER` lists every rule the library enforces, with its source clause and what
it protects; :func:`register_markdown` renders it as ``docs/rules-register.md`` and
:func:`register_mismatches` holds it and the code together.
"""

from pastoral_core.exceptions import NoRulebookInForce, Refused, UnknownRule
from pastoral_core.rules._calendar import HOLIDAYS_DATA_VERSION, NATIONS, ResponseDue, WorkingCalendar
from pastoral_core.rules._judge import INPUT_CITATION, MINIMAL_CITATION, STATE_CITATION, Judge
from pastoral_core.rules._late import LateEntry
from pastoral_core.rules._money import gbp, half_up, split_by_percent
from pastoral_core.rules._register import SOURCES, CheckedBy, Domain, Register, RegisterEntry, VerdictKind
from pastoral_core.rules._register_check import Discrepancy, Mismatch, register_mismatches
from pastoral_core.rules._register_entries import REGISTER
from pastoral_core.rules._register_markdown import register_markdown
from pastoral_core.rules._rulebook import (
    CONFIDENTIAL,
    Rule,
    Rulebook,
    Rulebooks,
    collect_denials,
    parameters_of,
    verdict,
)
from pastoral_core.rules._screening import Finding, nhs_number_is_valid, screen
from pastoral_core.rules._transition import Transition
from pastoral_core.rules._verdicts import Citation, Outcome, Override, Verdict, render_parameter

__all__ = [
    "HOLIDAYS_DATA_VERSION",
    "CONFIDENTIAL",
    "INPUT_CITATION",
    "MINIMAL_CITATION",
    "NATIONS",
    "REGISTER",
    "SOURCES",
    "STATE_CITATION",
    "CheckedBy",
    "Citation",
    "Discrepancy",
    "Domain",
    "Finding",
    "Judge",
    "LateEntry",
    "Mismatch",
    "NoRulebookInForce",
    "Outcome",
    "Override",
    "Refused",
    "Register",
    "RegisterEntry",
    "ResponseDue",
    "Rule",
    "Rulebook",
    "Rulebooks",
    "Transition",
    "UnknownRule",
    "Verdict",
    "VerdictKind",
    "WorkingCalendar",
    "collect_denials",
    "gbp",
    "half_up",
    "nhs_number_is_valid",
    "parameters_of",
    "register_markdown",
    "register_mismatches",
    "render_parameter",
    "screen",
    "split_by_percent",
    "verdict",
]
