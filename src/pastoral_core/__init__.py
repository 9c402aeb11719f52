"""pastoral_core: rules, explanations and auditable history for services that support GPs.

Local Medical Committees' pastoral support networks, funded peer support groups and
peer-mentoring / portfolio-career schemes share one need: apply their rules exactly,
explain every decision with its source clause, and keep an auditable history. State is
rebuilt from immutable events; every decision is made by an explicit, dated, cited
policy object. No I/O: hosts store the events wherever they like.
"""

# Importing the domain packages registers their events, so ``loads`` can read any log.
from pastoral_core import peer_groups, portfolio, support
from pastoral_core._command import BaseCommand, Role
from pastoral_core._decider import Command, Decider, Decision, execute, fold, fold_by_stream
from pastoral_core.eventlog import (
    EVENTS,
    Codec,
    CodecError,
    ConcurrencyConflict,
    Event,
    EventLog,
    EventStore,
    Metadata,
    RecordedEvent,
    dumps,
    event_type,
    loads,
    verify,
)
from pastoral_core.rules import (
    Citation,
    NaiveDatetimeError,
    NoRulebookInForce,
    Outcome,
    Override,
    Refused,
    Rulebook,
    Rulebooks,
    Verdict,
    WorkingCalendar,
)

__version__ = "0.1.0"

__all__ = [
    "BaseCommand",
    "Role",
    "EVENTS",
    "Citation",
    "Codec",
    "CodecError",
    "Command",
    "ConcurrencyConflict",
    "Decider",
    "Decision",
    "Event",
    "EventLog",
    "EventStore",
    "Metadata",
    "NaiveDatetimeError",
    "NoRulebookInForce",
    "Outcome",
    "Override",
    "RecordedEvent",
    "Refused",
    "Rulebook",
    "Rulebooks",
    "Verdict",
    "WorkingCalendar",
    "dumps",
    "event_type",
    "execute",
    "fold",
    "fold_by_stream",
    "loads",
    "peer_groups",
    "portfolio",
    "support",
    "verify",
]
