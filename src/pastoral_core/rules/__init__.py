"""Rules as code: citations, verdicts, refusals, overrides, rulebooks, working days."""

from pastoral_core._time import NaiveDatetimeError, require_aware
from pastoral_core.rules._calendar import NATIONS, ResponseDue, WorkingCalendar
from pastoral_core.rules._flags import RuleFlagged
from pastoral_core.rules._rulebook import (
    CONFIDENTIAL,
    NoRulebookInForce,
    Rule,
    Rulebook,
    Rulebooks,
    UnknownRule,
    collect_denials,
    parameters_of,
    verdict,
)
from pastoral_core.rules._verdicts import Citation, Outcome, Override, Refused, Verdict, render_parameter

__all__ = [
    "CONFIDENTIAL",
    "NATIONS",
    "Citation",
    "NaiveDatetimeError",
    "NoRulebookInForce",
    "Outcome",
    "Override",
    "Refused",
    "ResponseDue",
    "Rule",
    "RuleFlagged",
    "Rulebook",
    "Rulebooks",
    "UnknownRule",
    "Verdict",
    "WorkingCalendar",
    "collect_denials",
    "parameters_of",
    "render_parameter",
    "require_aware",
    "verdict",
]
