"""The kernel every domain is built on: commands, the aggregate declaration, decide and execute.

An aggregate is declared once (:class:`Aggregate`): its stream category, initial state,
``evolve`` and one command table of :class:`Handles` rows (handler, roles, scope). The
kernel reads that table to dispatch, to check AUTH and SCOPE, to document the aggregate
and to test it. :func:`decide` runs every rule once; :func:`execute` binds a command to
its aggregate and stream, decides, and appends with the expected version. A domain's
:class:`Service` routes any of its commands (:class:`Router`), builds its context from the
store and keeps the states it needs current by version (:class:`StateCache`).

Two questions any decision answers: :func:`explain` says why a command was accepted or
refused, rule by rule with clauses, parameters and the dates that mattered; and
:func:`what_if` decides a real history's recorded commands again under other rulebooks
(:class:`WhatIfMode`: as recorded, or counterfactual) and reports what would change.
"""

from pastoral_core.kernel._aggregate import (
    Aggregate,
    Folded,
    HasRulebooks,
    fold,
)
from pastoral_core.kernel._cache import StateCache, advance
from pastoral_core.kernel._command import Command, command_type
from pastoral_core.kernel._decide import (
    AUTH_CITATION,
    SCOPE_CITATION,
    TIME_CITATION,
    Decision,
    authorise,
    decide,
    domain_verdicts,
    other_organisation,
    recheck,
    row_for,
)
from pastoral_core.kernel._draft import Appended, Draft, MapDraft, SetDraft
from pastoral_core.kernel._execute import Accepted, execute
from pastoral_core.kernel._explain import Explanation, explain
from pastoral_core.kernel._explain_rules import DatesOf, KeyDate, RuleExplained, deadline_dates
from pastoral_core.kernel._flags import RuleFlagged
from pastoral_core.kernel._handles import Handler, Handles, Scope, handles
from pastoral_core.kernel._immutable import EMPTY, replace, with_item
from pastoral_core.kernel._late import Unreadable, batches, folded_for, is_redecided, recorded_command
from pastoral_core.kernel._occurrence import in_order_of_occurrence, occurred_at
from pastoral_core.kernel._projection import Projection, Timeline, as_of
from pastoral_core.kernel._router import Router, check_store
from pastoral_core.kernel._service import Service
from pastoral_core.kernel._stood import stood_at
from pastoral_core.kernel._tenancy import Tenancy, refuse_mixed, states_from
from pastoral_core.kernel._tenancy import picked as picked_streams
from pastoral_core.kernel._what_if import Pricing, what_if
from pastoral_core.kernel._what_if_report import WhatIf, WhatIfChange, WhatIfLine, WhatIfMode, WhatIfTotals
from pastoral_core.kernel._what_if_world import WhatIfWorld

__all__ = [
    "AUTH_CITATION",
    "EMPTY",
    "SCOPE_CITATION",
    "TIME_CITATION",
    "Accepted",
    "Appended",
    "Draft",
    "MapDraft",
    "SetDraft",
    "Projection",
    "Timeline",
    "as_of",
    "stood_at",
    "refuse_mixed",
    "picked_streams",
    "Aggregate",
    "Command",
    "Decision",
    "Folded",
    "Handler",
    "Handles",
    "HasRulebooks",
    "RuleFlagged",
    "Scope",
    "Router",
    "Service",
    "StateCache",
    "advance",
    "authorise",
    "check_store",
    "command_type",
    "decide",
    "domain_verdicts",
    "other_organisation",
    "execute",
    "fold",
    "handles",
    "in_order_of_occurrence",
    "occurred_at",
    "replace",
    "recheck",
    "row_for",
    "Tenancy",
    "states_from",
    "with_item",
    "DatesOf",
    "Explanation",
    "KeyDate",
    "RuleExplained",
    "deadline_dates",
    "explain",
    "Unreadable",
    "batches",
    "folded_for",
    "is_redecided",
    "recorded_command",
    "Pricing",
    "WhatIf",
    "WhatIfChange",
    "WhatIfLine",
    "WhatIfMode",
    "WhatIfTotals",
    "WhatIfWorld",
    "what_if",
]
