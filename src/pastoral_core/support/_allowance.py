"""Which session allowance governs an engagement on a date (PSN-ALLOWANCE), by the rulebooks given."""

from __future__ import annotations

import datetime as dt

import attrs
from dateutil.relativedelta import relativedelta

from pastoral_core.exceptions import InvalidType
from pastoral_core.rules import Rulebooks, Transition
from pastoral_core.support._model import Tranche
from pastoral_core.support._policies import SessionAllowance
from pastoral_core.support._state import Engagement


@attrs.frozen
class AllowanceInForce:
    """The allowance that governs an engagement's sessions on a date, and where it comes from.

    Attributes:
        rule: The PSN-ALLOWANCE rule applied, with its parameters.
        tranche: The sessions allowed in all and the window's last day (``None`` before
            the first session fixes it). After a review, the extension it granted.
        rulebook: The label of the rulebook version the rule came from.
        transition: How that version was chosen, for a verdict: empty when it is simply the
            version in force on the date; otherwise which transition applied.
    """

    rule: SessionAllowance
    tranche: Tranche
    rulebook: str
    transition: str

    @property
    def quoted(self) -> str:
        """The version and transition as a verdict quotes them, e.g. ``DEVON_PSN v1, as the engagement started``."""
        return f"{self.rulebook}{self.transition}"

    def spent(self, used: int, on: dt.date) -> bool:
        """Whether ``used`` sessions use the allowance up or its window has passed by ``on`` (PSN-REVIEW)."""
        passed = self.tranche.window_ends is not None and on > self.tranche.window_ends
        return used >= self.tranche.allowed_total or passed


def window_end(rule: SessionAllowance, start: dt.date, months: int | None = None) -> dt.date:
    """Last day of an allowance window: ``months`` (the rule's by default) after ``start``, plus the grace days."""
    end: dt.date = start + relativedelta(months=rule.months if months is None else months)
    return end + dt.timedelta(days=rule.grace_days)


def allowance_on(engagement: Engagement, rulebooks: Rulebooks, on: dt.date) -> AllowanceInForce:
    """The allowance that governs ``engagement``'s sessions on ``on``.

    The rule is PSN-ALLOWANCE in the version of ``rulebooks`` in force on ``on``, unless
    that version keeps engagements under way on the allowance they started with
    (``Transition.AS_STARTED``) and this one's first session came before it took effect;
    then it is the version in force on the first session's date. The initial window runs
    from the first session held; an extension is what its review granted.

    Raises:
        InvalidType: If an argument has the wrong type.
        NoRulebookInForce: If no version is in force on a date needed.
    """
    if not isinstance(engagement, Engagement):
        raise InvalidType("allowance_on", "engagement", f"must be an Engagement, got {type(engagement).__name__}")
    if not isinstance(rulebooks, Rulebooks):
        raise InvalidType("allowance_on", "rulebooks", f"must be Rulebooks, got {type(rulebooks).__name__}")
    if type(on) is not dt.date:
        raise InvalidType("allowance_on", "on", f"must be a date, got {type(on).__name__}")
    book = rulebooks.in_force(on)
    rule, label, how = book.rule(SessionAllowance), book.label, ""
    started = engagement.first_session_on
    if started is not None and started < book.effective_from:
        if rule.in_progress is Transition.AS_STARTED:
            kept = rulebooks.in_force(started)
            rule, label, how = kept.rule(SessionAllowance), kept.label, ", as the engagement started"
        else:
            how = f", for engagements under way from {book.effective_from.isoformat()}"
    if engagement.in_extension:
        tranche = engagement.tranches[-1]
    else:
        tranche = Tranche(rule.sessions, window_end(rule, started) if started is not None else None)
    return AllowanceInForce(rule, tranche, label, how)
