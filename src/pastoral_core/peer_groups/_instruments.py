"""Wellbeing instruments as data with their scoring; no item wording is shipped (GPS-EVALUATION).

- WEMWBS (Warwick-Edinburgh Mental Wellbeing Scale): 14 items scored 1-5; the total,
  14-70, is the score. (Its use is licensed by the University of Warwick; the library only
  scores answers the host collected under that licence.)
- CBI (Copenhagen Burnout Inventory, public domain): 19 items, each scored 0, 25, 50, 75
  or 100; three subscales, each the mean of its items: personal burnout (items 1-6),
  work-related burnout (items 7-13, the last reverse-scored) and client-related burnout
  (items 14-19).
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence

import attrs

from pastoral_core.peer_groups._model import Score
from pastoral_core.rules import half_up


@attrs.frozen
class Subscale:
    """Items (1-based) whose scores combine into one named score."""

    name: str
    items: tuple[int, ...]
    reversed_items: tuple[int, ...] = ()


@attrs.frozen
class Instrument:
    """A questionnaire's shape and scoring.

    Attributes:
        name: ``"WEMWBS"`` or ``"CBI"``.
        items: How many answers a response has.
        allowed: The values an answer may take.
        subscales: How answers combine into scores.
        combine: ``"sum"`` or ``"mean"`` of each subscale's items.
        reverse_from: For reverse-scored items, the score is ``reverse_from - answer``.
    """

    name: str
    items: int
    allowed: tuple[int, ...]
    subscales: tuple[Subscale, ...]
    combine: str
    reverse_from: int = 0

    def problems(self, answers: Sequence[int]) -> list[str]:
        """What is wrong with ``answers`` for this instrument (empty if nothing)."""
        if len(answers) != self.items:
            return [f"{self.name} has {self.items} items; {len(answers)} answers were given"]
        allowed = ", ".join(str(a) for a in self.allowed)
        return [
            f"item {n} is {a!r}; {self.name} items take {allowed}"
            for n, a in enumerate(answers, start=1)
            if isinstance(a, bool) or a not in self.allowed
        ]

    def score(self, answers: Sequence[int]) -> tuple[Score, ...]:
        """The named scores of a valid response (means rounded half-up to 2 places).

        Raises:
            ValueError: If the answers are not valid for this instrument.
        """
        problems = self.problems(answers)
        if problems:
            raise ValueError("; ".join(problems))
        scores = []
        for subscale in self.subscales:
            values = [
                decimal.Decimal(self.reverse_from - answers[i - 1] if i in subscale.reversed_items else answers[i - 1])
                for i in subscale.items
            ]
            total = sum(values, decimal.Decimal(0))
            value = total if self.combine == "sum" else half_up(total / len(values))
            scores.append(Score(subscale.name, value))
        return tuple(scores)


WEMWBS = Instrument("WEMWBS", 14, (1, 2, 3, 4, 5), (Subscale("total", tuple(range(1, 15))),), "sum")
CBI = Instrument(
    "CBI",
    19,
    (0, 25, 50, 75, 100),
    (
        Subscale("personal", tuple(range(1, 7))),
        Subscale("work", tuple(range(7, 14)), reversed_items=(13,)),
        Subscale("client", tuple(range(14, 20))),
    ),
    "mean",
    reverse_from=100,
)
#: The instruments a programme may declare, by name.
INSTRUMENTS = {i.name: i for i in (WEMWBS, CBI)}
