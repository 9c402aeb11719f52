"""The event that records a *flag* verdict, shared by every aggregate."""

from __future__ import annotations

import datetime as dt

import attrs

from pastoral_core.eventlog import Event, event_type


@event_type("rule.flagged")
@attrs.frozen
class RuleFlagged(Event):
    """A rule with a *flag* verdict was breached: accepted, and recorded for reporting."""

    rule_id: str
    message: str
    flagged_at: dt.datetime
