"""Test helpers for pastoral_core and its hosts.

:class:`Scenario` needs nothing extra. Hypothesis strategies live in
``pastoral_core.testing.strategies`` (import it explicitly; it needs ``hypothesis``).
"""

from pastoral_core.testing._helpers import assert_permission_enforced, run_commands
from pastoral_core.testing._scenario import Scenario

__all__ = ["Scenario", "assert_permission_enforced", "run_commands"]
