"""What the pastoral-support read models share: checking their arguments, months, rows from attrs lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pastoral_core.exceptions import InvalidType
from pastoral_core.rules import Rulebooks
from pastoral_core.support._state import Case
from pastoral_core.values import require_aware


def received_cases(owner: str, cases: Mapping[str, Case]) -> list[tuple[str, Case]]:
    """The cases whose request has been received, by id in order.

    Raises:
        InvalidType: If ``cases`` is not a mapping of ids to ``Case`` states.
    """
    if not isinstance(cases, Mapping):
        raise InvalidType(owner, "cases", f"must be a mapping of case ids to Case states, got {type(cases).__name__}")
    for case_id, case in cases.items():
        if type(case_id) is not str or not isinstance(case, Case):
            raise InvalidType(owner, "cases", "must map case ids (str) to Case states")
    return [(case_id, case) for case_id, case in sorted(cases.items()) if case.request is not None]


def moment(owner: str, now: dt.datetime) -> dt.datetime:
    """``now``, checked to be an aware datetime.

    Raises:
        InvalidType: If ``now`` is not a datetime.
        NaiveDatetimeError: If it has no timezone.
    """
    if not isinstance(now, dt.datetime):
        raise InvalidType(owner, "now", f"must be a timezone-aware datetime, got {type(now).__name__}")
    return require_aware(now, f"{owner}.now")


def day(owner: str, field: str, on: dt.date) -> dt.date:
    """``on``, checked to be a plain date (a datetime would hide which zone's day it is).

    Raises:
        InvalidType: If ``on`` is not a date, or is a datetime.
    """
    if type(on) is not dt.date:
        raise InvalidType(owner, field, f"must be a date, got {type(on).__name__}")
    return on


def rulebooks_of(owner: str, rulebooks: Rulebooks) -> Rulebooks:
    """``rulebooks``, checked.

    Raises:
        InvalidType: If it is not ``Rulebooks``.
    """
    if not isinstance(rulebooks, Rulebooks):
        raise InvalidType(owner, "rulebooks", f"must be Rulebooks, got {type(rulebooks).__name__}")
    return rulebooks


def month_of(day: dt.date) -> str:
    """The ISO month of a date, ``"YYYY-MM"`` (how every read model names a month)."""
    return f"{day.year:04d}-{day.month:02d}"
