"""Test helpers for pastoral_core and its hosts.

:class:`Scenario` needs nothing extra. :class:`StoreContract` is the store contract kit: a
host subclasses it with a ``make_store(codec, keys)`` method, and pytest runs every clause
of the ``EventStore`` contract against the host's store. Hypothesis strategies live in
``pastoral_core.testing.strategies`` (import it explicitly; it needs ``hypothesis``).
:func:`case_workload` and :func:`long_case` make the deterministic workloads the
benchmarks time and the tests check: realistic cases copied cheaply to any size.
"""

from pastoral_core.testing._helpers import assert_permission_enforced, run_commands
from pastoral_core.testing._scenario import Scenario
from pastoral_core.testing._synthetic import SyntheticHistory, synthetic_history
from pastoral_core.testing._workload import CaseWorkload, LongCase, case_workload, long_case
from pastoral_core.testing._workload_templates import WORKLOAD_NETWORK_ID, CaseTemplate, workload_rulebooks
from pastoral_core.testing.store_contract import StoreContract

__all__ = [
    "WORKLOAD_NETWORK_ID",
    "CaseTemplate",
    "CaseWorkload",
    "LongCase",
    "Scenario",
    "StoreContract",
    "SyntheticHistory",
    "assert_permission_enforced",
    "case_workload",
    "long_case",
    "run_commands",
    "synthetic_history",
    "workload_rulebooks",
]
