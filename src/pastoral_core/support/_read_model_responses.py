"""Response times per month and nation (PSN-RESPONSE, MOU LMC 4), as of a moment."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import ClassVar

import attrs

from pastoral_core.rules import Rulebooks, half_up
from pastoral_core.support._policies import ResponseTime
from pastoral_core.support._projections import ResponseStatus, response_report
from pastoral_core.support._read_model_common import moment, month_of, received_cases, rulebooks_of
from pastoral_core.support._state import Case
from pastoral_core.tables import RowsTable, columns_of
from pastoral_core.values import london_date


@attrs.frozen
class ResponseMonth:
    """First responses to the requests of one month from one nation.

    ``in_time + late + open + overdue == requests``.

    Attributes:
        month: The month the requests were received, ``"YYYY-MM"`` (Europe/London).
        nation: The nation whose working days count (``ENG``, ``WLS``, ``SCT``, ``NIR``, ``UK-ANY``).
        requests: Requests received.
        in_time: Answered by the time they were due.
        late: Answered after it (PSN-RESPONSE flagged them).
        open: Not answered, and not yet due at the moment asked about.
        overdue: Not answered, and past due at that moment.
        median_working_days: The median number of working days from the day counting
            started to the day of the answer, over the answered requests (``None`` if
            none was answered), half-up to two places.
    """

    month: str
    nation: str
    requests: int
    in_time: int
    late: int
    open: int
    overdue: int
    median_working_days: decimal.Decimal | None


def _median(values: list[int]) -> decimal.Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return half_up(decimal.Decimal(ordered[middle]))
    return half_up((decimal.Decimal(ordered[middle - 1]) + decimal.Decimal(ordered[middle])) / 2)


def _working_days(received_at: dt.datetime, responded_at: dt.datetime, nation: str, rulebooks: Rulebooks) -> int:
    """Working days from the day counting started (PSN-RESPONSE) to the day of the response.

    The calendar is the PSN-RESPONSE rule's in force when the request was received (the
    version that set its deadline), in the client's nation; a response on the day counting
    starts, or before it (a request answered on the Saturday it came), took 0.
    """
    calendar = rulebooks.in_force(received_at).rule(ResponseTime).calendar(nation)
    start = calendar.counts_from(received_at)
    answered = responded_at.astimezone(calendar.zone).date()
    return max(0, calendar.working_days_between(start, answered))


@attrs.frozen
class ResponseTimes(RowsTable[ResponseMonth]):
    """First responses against PSN-RESPONSE, per month of receipt and nation, as of a moment.

    Whether an unanswered request is still open or already overdue depends on the moment
    asked about; everything else is as recorded (each request's due time was fixed by the
    rulebook in force when it arrived). To see the network as it stood at a moment, build
    the cases from ``as_of(records, moment, Timeline.BUSINESS)``.

    Attributes:
        rows: One line per month and nation, in order.
    """

    columns: ClassVar[tuple[str, ...]] = columns_of(ResponseMonth)
    caption: ClassVar[str] = "First responses (PSN-RESPONSE) by month received and nation"

    rows: tuple[ResponseMonth, ...] = ()

    @classmethod
    def of(cls, cases: Mapping[str, Case], now: dt.datetime, rulebooks: Rulebooks) -> ResponseTimes:
        """The response times of ``cases`` as of ``now``.

        Args:
            cases: Case states by id (``Projection.states``, ``cases_from(records)``);
                cases whose request has not been received are left out.
            now: The moment that decides whether an unanswered request is overdue.
            rulebooks: Every version of the network's rulebook: the calendar that counts
                working days is the PSN-RESPONSE rule's in force when each request came.

        Raises:
            InvalidType: If an argument has the wrong type.
            NaiveDatetimeError: If ``now`` has no timezone.
            NoRulebookInForce: If no version was in force when a request was received.
        """
        now = moment("ResponseTimes", now)
        rulebooks = rulebooks_of("ResponseTimes", rulebooks)
        states = dict(received_cases("ResponseTimes", cases))
        groups: dict[tuple[str, str], list[tuple[ResponseStatus, int | None]]] = {}
        for line in response_report(states, now):
            request = states[line.case_id].request
            assert request is not None
            days = None
            if line.responded_at is not None:
                days = _working_days(request.received_at, line.responded_at, request.nation, rulebooks)
            key = (month_of(london_date(request.received_at)), request.nation)
            groups.setdefault(key, []).append((line.status, days))
        rows = []
        for (month, nation), lines in sorted(groups.items()):
            statuses = [status for status, _ in lines]
            rows.append(
                ResponseMonth(
                    month,
                    nation,
                    len(lines),
                    statuses.count(ResponseStatus.ON_TIME),
                    statuses.count(ResponseStatus.LATE),
                    statuses.count(ResponseStatus.AWAITING),
                    statuses.count(ResponseStatus.OVERDUE),
                    _median([days for _, days in lines if days is not None]),
                )
            )
        return cls(tuple(rows))
