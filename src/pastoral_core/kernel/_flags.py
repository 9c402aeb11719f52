"""The event that records a *flag* verdict, shared by every aggregate and folded by the kernel."""

from __future__ import annotations

import datetime as dt

import attrs

from pastoral_core.eventlog import Event, event_type


@event_type("rule.flagged")
@attrs.frozen
class RuleFlagged(Event):
    """A rule with a *flag* verdict was breached: accepted, and recorded for reporting.

    The kernel writes one for each flag of an accepted decision and folds them for every
    aggregate (see ``Folded.flagged``); domain states never handle it.
    """

    rule_id: str
    message: str
    flagged_at: dt.datetime
