"""How a rulebook version treats what is already under way when it takes effect."""

from __future__ import annotations

import enum


class Transition(enum.Enum):
    """A rule parameter saying how a new version applies to things in progress.

    - ``FROM_EFFECTIVE_DATE`` (the default everywhere): the version governs every fact
      dated on or after its effective date, whatever was under way (an engagement that
      began under v1 takes v2's allowance for sessions from v2's first day).
    - ``AS_STARTED``: something under way keeps the version in force when it started
      (an engagement keeps the allowance it began with).
    """

    FROM_EFFECTIVE_DATE = "from_effective_date"
    AS_STARTED = "as_started"
