"""Read models of retention: members still in general practice 6 and 12 months after sign-up (PP-OUTCOME).

PP: the scheme aims to "help the area retain current GPs"; PP-OUTCOME records where each
member is as of a date (stayed in practice, portfolio career, reduced hours, left general
practice), in time order. Every outcome but "left general practice" is still in it.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.portfolio._model import CareerOutcome, Intent
from pastoral_core.portfolio._read_models import day
from pastoral_core.portfolio._state import Member
from pastoral_core.tables import RowsTable, columns_of, percent, states_of

#: The marks reported by default: 6 and 12 months after sign-up.
MARKS = (6, 12)
_MOST_MONTHS = 1200


def _months(value: Any, owner: str) -> tuple[int, ...]:
    """The marks asked for, in order.

    Raises:
        InvalidType: If ``value`` is not a tuple or list of whole numbers.
        InvalidValue: If it is empty, repeats a mark, or holds one outside 1-1,200.
    """
    if not isinstance(value, tuple | list) or not all(type(m) is int for m in value):
        raise InvalidType(owner, "months", "expected a tuple of whole numbers of months, such as (6, 12)")
    if not value or len(set(value)) != len(value):
        raise InvalidValue(owner, "months", "needs one or more different marks, such as (6, 12)")
    if not all(1 <= m <= _MOST_MONTHS for m in value):
        raise InvalidValue(owner, "months", f"each mark is 1 to {_MOST_MONTHS:,} months after sign-up")
    return tuple(sorted(value))


@attrs.frozen
class MemberMarkRow:
    """Where one member stood at one mark after sign-up.

    Attributes:
        member_id: The member.
        intent: Why they signed up, as their profile now says (``considering_leaving``,
            ``flexible_work``, ``newly_qualified`` or ``returning``).
        signed_up_on: The day they signed up.
        months: The mark: months after sign-up.
        mark_on: Its day (``relativedelta``: from 31 August, 6 months is the last day of
            February; from 29 February, 12 months is 28 February).
        due: Whether the mark has come by the query's day (``mark_on <= on``).
        outcome: Their latest outcome as of the mark, once due (``None``: none recorded).
        in_practice: Whether that outcome is still in general practice (anything but
            ``left_general_practice``); ``None`` if not due or no outcome is recorded.
    """

    member_id: str
    intent: str | None
    signed_up_on: dt.date
    months: int
    mark_on: dt.date
    due: bool
    outcome: str | None
    in_practice: bool | None


def _marks(members: Mapping[str, Member], on: dt.date, months: tuple[int, ...]) -> tuple[MemberMarkRow, ...]:
    rows = []
    for member_id in sorted(members):
        member = members[member_id]
        signed_up = member.signed_up_on
        if signed_up is None:
            continue
        intent = member.profile.intent.value if member.profile else None
        for n in months:
            mark = signed_up + relativedelta(months=n)
            due = mark <= on
            known = sorted((o for o in member.outcomes if o.as_of <= mark), key=lambda o: o.as_of) if due else []
            outcome = known[-1].outcome if known else None  # the latest as of the mark
            in_practice = None if outcome is None else outcome is not CareerOutcome.LEFT_GENERAL_PRACTICE
            rows.append(
                MemberMarkRow(
                    member_id, intent, signed_up, n, mark, due, outcome.value if outcome else None, in_practice
                )
            )
    return tuple(rows)


def _at_marks(
    owner: str, members: object, on: object, months: object
) -> tuple[dt.date, tuple[int, ...], tuple[MemberMarkRow, ...]]:
    """The query checked for ``owner`` (members, day, marks), and each member at each mark."""
    checked = states_of(owner, "members", members, Member)
    when, marks = day(owner, on), _months(months, owner)
    return when, marks, _marks(checked, when, marks)


@attrs.frozen
class MembersAtMarks(RowsTable[MemberMarkRow]):
    """Each member at each mark after sign-up: due yet, and still in general practice then.

    A member's standing at a mark is their latest outcome recorded as of the mark's day
    (an outcome dated after it says nothing about it); with none, it is unknown. Members
    not yet signed up are left out. Rows are by member, then mark.

    Attributes:
        on: The query's day.
        months: The marks, in months after sign-up.
        rows: One :class:`MemberMarkRow` per member and mark.
    """

    columns = columns_of(MemberMarkRow)
    caption = "Members at each mark after sign-up"

    on: dt.date
    months: tuple[int, ...]
    rows: tuple[MemberMarkRow, ...]

    @classmethod
    def of(
        cls, members: Mapping[str, Member], on: dt.date | dt.datetime, months: tuple[int, ...] = MARKS
    ) -> MembersAtMarks:
        """The table for ``members`` as of ``on``.

        Args:
            members: Member states by id (``Projection.states``, ``members_from``).
            on: The query's day (an aware datetime counts by its London date).
            months: The marks, in months after sign-up (default 6 and 12).

        Raises:
            InvalidType: If ``members`` is not a mapping of ids to member states, ``on``
                not a date or datetime, or ``months`` not whole numbers.
            InvalidValue: If ``months`` is empty, repeats a mark or holds one outside
                1-1,200.
            NaiveDatetimeError: If ``on`` is a datetime without a zone.
        """
        return cls(*_at_marks("MembersAtMarks", members, on, months))


@attrs.frozen
class RetentionRow:
    """Retention at one mark after sign-up, over every member or those of one intent.

    Attributes:
        months: The mark: months after sign-up.
        intent: The members' intent (``None``: every member).
        members: Members signed up.
        due: Of those, members whose mark has come by the query's day.
        still_in: Of those, members whose latest outcome as of the mark is still in
            general practice.
        left: Members whose latest outcome as of the mark is "left general practice".
        unknown: Members due with no outcome recorded as of the mark.
        rate: ``still_in / due`` as a percentage, half-up to 2 places (``None`` with none
            due). Members of unknown standing count as not retained, so the rate is a
            floor; ``unknown`` says how far it may rise.
    """

    months: int
    intent: str | None
    members: int
    due: int
    still_in: int
    left: int
    unknown: int
    rate: decimal.Decimal | None


def _summary(months: int, intent: str | None, rows: Iterable[MemberMarkRow]) -> RetentionRow:
    found = list(rows)
    due = [r for r in found if r.due]
    still_in = sum(1 for r in due if r.in_practice is True)
    left = sum(1 for r in due if r.in_practice is False)
    unknown = len(due) - still_in - left
    return RetentionRow(months, intent, len(found), len(due), still_in, left, unknown, percent(still_in, len(due)))


@attrs.frozen
class RetentionAfterSignUp(RowsTable[RetentionRow]):
    """Members still in general practice 6 and 12 months after sign-up: the scheme's retention (PP-OUTCOME).

    For each mark, over the members whose mark has come by the query's day (see
    :class:`MembersAtMarks`): how many were still in general practice at it, how many had
    left, how many are unknown, and the rate ``still_in / due``. One row per mark over
    every member (``intent`` ``None``), then one per intent that has members, in the
    order of :class:`~pastoral_core.portfolio.Intent`.

    Attributes:
        on: The query's day.
        months: The marks, in months after sign-up.
        rows: One :class:`RetentionRow` per mark and intent.
    """

    columns = columns_of(RetentionRow)
    caption = "Still in general practice after sign-up"

    on: dt.date
    months: tuple[int, ...]
    rows: tuple[RetentionRow, ...]

    @classmethod
    def of(
        cls, members: Mapping[str, Member], on: dt.date | dt.datetime, months: tuple[int, ...] = MARKS
    ) -> RetentionAfterSignUp:
        """The table for ``members`` as of ``on``.

        Args:
            members: Member states by id (``Projection.states``, ``members_from``).
            on: The query's day (an aware datetime counts by its London date).
            months: The marks, in months after sign-up (default 6 and 12).

        Raises:
            InvalidType: If ``members`` is not a mapping of ids to member states, ``on``
                not a date or datetime, or ``months`` not whole numbers.
            InvalidValue: If ``months`` is empty, repeats a mark or holds one outside
                1-1,200.
            NaiveDatetimeError: If ``on`` is a datetime without a zone.
        """
        when, marks, at_marks = _at_marks("RetentionAfterSignUp", members, on, months)
        rows = []
        for n in marks:
            at_mark = [r for r in at_marks if r.months == n]
            rows.append(_summary(n, None, at_mark))
            for intent in Intent:
                of_intent = [r for r in at_mark if r.intent == intent.value]
                if of_intent:
                    rows.append(_summary(n, intent.value, of_intent))
        return cls(when, marks, tuple(rows))
