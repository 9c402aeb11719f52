"""pastoral_core: rules, explanations and auditable history for services that support GPs.

Local Medical Committees' pastoral support networks, funded peer support groups and
peer-mentoring / portfolio-career schemes share one need: apply their rules exactly,
explain every decision with its source clause, and keep an auditable history. State is
rebuilt from immutable events; every decision is made by an explicit, dated, cited
policy object. No I/O: hosts store the events wherever they like, and hand the store to
one service per domain (:class:`PastoralSupport`, :class:`PeerSupport`,
:class:`PortfolioPlus`), which routes each command to its stream, keeps the context its
decisions consult current, and answers queries.

Every error the library raises derives from :class:`PastoralCoreError` (see
:mod:`pastoral_core.exceptions`).
"""

# Importing the domain packages registers their events and commands, so ``loads`` can read any log.
from pastoral_core import exceptions, peer_groups, portfolio, support, tables, values
from pastoral_core.eventlog import (
    COMMANDS,
    EVENTS,
    Checkpoint,
    Codec,
    DecisionRecord,
    Event,
    EventLog,
    EventStore,
    Fact,
    Metadata,
    RecordedEvent,
    dumps,
    event_type,
    iter_facts,
    iter_loads,
    loads,
    verify,
)
from pastoral_core.exceptions import (
    CodecError,
    CommandIdReused,
    ConcurrencyConflict,
    InvalidType,
    InvalidValue,
    NaiveDatetimeError,
    NoRulebookInForce,
    PastoralCoreError,
    Refused,
)
from pastoral_core.kernel import (
    Accepted,
    Aggregate,
    Command,
    Decision,
    Explanation,
    Folded,
    Handles,
    Projection,
    RuleFlagged,
    Timeline,
    WhatIf,
    WhatIfChange,
    WhatIfMode,
    as_of,
    command_type,
    decide,
    execute,
    explain,
    fold,
    handles,
    states_from,
    what_if,
)
from pastoral_core.peer_groups import PeerSupport
from pastoral_core.portfolio import PortfolioPlus
from pastoral_core.rules import (
    Citation,
    Judge,
    Outcome,
    Override,
    Rulebook,
    Rulebooks,
    Verdict,
    WorkingCalendar,
)
from pastoral_core.support import PastoralSupport

#: The package's one version: pyproject.toml reads it from here (hatch).
__version__ = "0.1.0"

__all__ = [
    "Checkpoint",
    "COMMANDS",
    "EVENTS",
    "Accepted",
    "Aggregate",
    "Citation",
    "Codec",
    "CodecError",
    "Command",
    "CommandIdReused",
    "ConcurrencyConflict",
    "Decision",
    "DecisionRecord",
    "Event",
    "EventLog",
    "EventStore",
    "Folded",
    "Handles",
    "InvalidType",
    "InvalidValue",
    "Judge",
    "Metadata",
    "NaiveDatetimeError",
    "NoRulebookInForce",
    "Outcome",
    "Override",
    "PastoralCoreError",
    "PastoralSupport",
    "PeerSupport",
    "PortfolioPlus",
    "Projection",
    "RecordedEvent",
    "Refused",
    "RuleFlagged",
    "Timeline",
    "Fact",
    "Rulebook",
    "Rulebooks",
    "Verdict",
    "WorkingCalendar",
    "as_of",
    "command_type",
    "decide",
    "dumps",
    "event_type",
    "exceptions",
    "tables",
    "execute",
    "fold",
    "handles",
    "iter_facts",
    "iter_loads",
    "loads",
    "peer_groups",
    "portfolio",
    "states_from",
    "support",
    "values",
    "verify",
    "Explanation",
    "WhatIf",
    "WhatIfChange",
    "WhatIfMode",
    "explain",
    "what_if",
]
