"""Test helpers for pastoral_core and its hosts.

:class:`Scenario` needs nothing extra. :class:`StoreContract` is the store contract kit: a
host subclasses it with a ``make_store(codec, keys)`` method, and pytest runs every clause
of the ``EventStore`` contract against the host's store. Hypothesis strategies live in
``pastoral_core.testing.strategies`` (import it explicitly; it needs ``hypothesis``).
"""

from pastoral_core.testing._helpers import assert_permission_enforced, run_commands
from pastoral_core.testing._scenario import Scenario
from pastoral_core.testing._synthetic import SyntheticHistory, synthetic_history
from pastoral_core.testing.store_contract import StoreContract

__all__ = [
    "Scenario",
    "StoreContract",
    "SyntheticHistory",
    "assert_permission_enforced",
    "run_commands",
    "synthetic_history",
]
