"""How late a fact may be entered: the lag part of rule TIME, a parameter of every rulebook."""

from __future__ import annotations

from typing import ClassVar

import attrs

from pastoral_core.rules._verdicts import Citation
from pastoral_core.values import Count, Validated


@attrs.frozen
class LateEntry(Validated):
    """TIME: a fact may be entered up to ``max_days`` after it happened.

    Coordinators record sessions and meetings after they happen; how far back a fact may
    be dated is the rulebook's to say. A coordinator may enter an older fact with an
    override (``Override("TIME", reason, by)``), its reason recorded.
    """

    rule_id: ClassVar[str] = "TIME"
    citation: ClassVar[Citation] = Citation("DERIVED", "TIME")
    max_days: Count = 31
