"""Session allowances per engagement (PSN-ALLOWANCE) and the commitment reviews due (PSN-REVIEW), on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

import attrs

from pastoral_core.rules import Rulebooks
from pastoral_core.support._allowance import allowance_on
from pastoral_core.support._read_model_common import day, received_cases, rulebooks_of
from pastoral_core.support._state import Case
from pastoral_core.tables import RowsTable, columns_of


@attrs.frozen
class AllowanceLine:
    """One engagement's allowance on the day asked about.

    Attributes:
        case_id: The case.
        recipient_id: Who is supported.
        lead: The current lead officer (``None`` after a switch request, until a new one).
        used: Sessions counted against the allowance (held, and counted non-attendance
            and late cancellations).
        granted: Sessions allowed in all by the allowance in force: the initial one (the
            PSN-ALLOWANCE rule of the version in force that day) or the latest extension.
        window_ends: The last day a session of that allowance may be held (``None``
            until the first session is held).
        extension: Whether sessions now fall under an extension granted at review.
        concluded: Whether the LMC concluded its commitment at review.
        review_due: Whether the LMC owes a commitment review (PSN-REVIEW): the
            allowance is used or its window has passed, the commitment is not concluded,
            and support goes on (the case is open, support not ceased).
        rulebook: The rulebook version whose allowance applies, e.g. ``"DEVON_PSN v1"``.
    """

    case_id: str
    recipient_id: str
    lead: str | None
    used: int
    granted: int
    window_ends: dt.date | None
    extension: bool
    concluded: bool
    review_due: bool
    rulebook: str


@attrs.frozen
class Allowances(RowsTable[AllowanceLine]):
    """Each engagement of the open cases: sessions used of those granted, the window, whether a review is due.

    Each engagement is judged as :func:`~pastoral_core.support.allowance_on` judges it on
    the day asked about, by the rulebook version in force that day (or, under
    ``Transition.AS_STARTED``, the one its first session was held under), so a review is
    due exactly when ``ReviewCommitment`` would pass PSN-REVIEW that day and a further
    session would be refused by PSN-ALLOWANCE.

    Attributes:
        rows: One line per engagement, by case id and recipient id.
    """

    columns: ClassVar[tuple[str, ...]] = columns_of(AllowanceLine)
    caption: ClassVar[str] = "Session allowances (PSN-ALLOWANCE) and reviews due (PSN-REVIEW)"

    rows: tuple[AllowanceLine, ...] = ()

    @classmethod
    def of(cls, cases: Mapping[str, Case], on: dt.date, rulebooks: Rulebooks) -> Allowances:
        """The allowances of the engagements of ``cases`` not closed, on ``on``.

        Args:
            cases: Case states by id (``Projection.states``, ``cases_from(records)``).
            on: The day (Europe/London) asked about: it picks the rulebook version and
                decides whether a window has passed.
            rulebooks: Every version of the network's rulebook.

        Raises:
            InvalidType: If an argument has the wrong type (``on`` must be a date).
            NoRulebookInForce: If no version is in force on a day needed.
        """
        on = day("Allowances", "on", on)
        rulebooks = rulebooks_of("Allowances", rulebooks)
        rows = []
        for case_id, case in received_cases("Allowances", cases):
            if case.closed:
                continue
            for recipient_id, engagement in sorted(case.engagements.items()):
                allowance = allowance_on(engagement, rulebooks, on)
                tranche = allowance.tranche
                rows.append(
                    AllowanceLine(
                        case_id,
                        recipient_id,
                        engagement.lead,
                        engagement.used,
                        tranche.allowed_total,
                        tranche.window_ends,
                        engagement.in_extension,
                        engagement.concluded,
                        allowance.spent(engagement.used, on) and not engagement.concluded and not case.ceased,
                        allowance.rulebook,
                    )
                )
        return cls(tuple(rows))

    @property
    def reviews_due(self) -> tuple[AllowanceLine, ...]:
        """The engagements whose commitment review is due."""
        return tuple(line for line in self.rows if line.review_due)
