"""Test helpers for pastoral_core and its hosts.

:class:`Scenario` needs nothing extra. :class:`StoreContract` is the store contract kit: a
host subclasses it with a ``make_store(codec, keys)`` method, and pytest runs every clause
of the ``EventStore`` contract against the host's store. Hypothesis strategies live in
``pastoral_core.testing.strategies`` (import it explicitly; it needs ``hypothesis``).
:func:`case_workload` and :func:`long_case` make the deterministic workloads the
benchmarks time and the tests check: realistic cases copied cheaply to any size.
:func:`load_spec` and :func:`run_spec` read and run specification files (given / when /
then in YAML, for people who do not write Python; they need the ``[spec]`` extra), and
``pastoral_core.testing.specs`` is the pytest plugin that collects them.
"""

from pastoral_core.testing._helpers import assert_permission_enforced, run_commands
from pastoral_core.testing._long_case import LongCase, long_case
from pastoral_core.testing._scenario import Scenario
from pastoral_core.testing._spec_load import SPEC_SUFFIXES, Spec, load_spec
from pastoral_core.testing._spec_run import SpecResult, run_spec
from pastoral_core.testing._spec_yaml import SpecError
from pastoral_core.testing._synthetic import SyntheticHistory, synthetic_history
from pastoral_core.testing._workload import CaseWorkload, case_workload
from pastoral_core.testing._workload_templates import WORKLOAD_NETWORK_ID, CaseTemplate, workload_rulebooks
from pastoral_core.testing.store_contract import StoreContract

__all__ = [
    "WORKLOAD_NETWORK_ID",
    "CaseTemplate",
    "CaseWorkload",
    "LongCase",
    "SPEC_SUFFIXES",
    "Scenario",
    "Spec",
    "SpecError",
    "SpecResult",
    "StoreContract",
    "SyntheticHistory",
    "assert_permission_enforced",
    "case_workload",
    "load_spec",
    "long_case",
    "run_commands",
    "run_spec",
    "synthetic_history",
    "workload_rulebooks",
]
