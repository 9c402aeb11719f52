"""Cases and flags from records, and the per-case lines the read models count: first responses, caseloads."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from pastoral_core.eventlog import RecordedEvent
from pastoral_core.kernel import Tenancy, states_from
from pastoral_core.support._aggregates import CASE
from pastoral_core.support._read_model_common import moment, received_cases
from pastoral_core.support._state import Case
from pastoral_core.values import instant


def cases_from(
    records: Iterable[RecordedEvent], organisation: str | Tenancy | None = Tenancy.ONE
) -> Mapping[str, Case]:
    """Every case by its id, from recorded events (other aggregates' streams are ignored).

    ``organisation`` picks one organisation's streams (see :func:`~pastoral_core.kernel.states_from`);
    by default records of several organisations are refused.
    """
    return {case_id: f.state for case_id, f in states_from(CASE, records, organisation).items() if f.state.received}


def flags_by_case(
    records: Iterable[RecordedEvent], organisation: str | Tenancy | None = Tenancy.ONE
) -> Mapping[str, frozenset[str]]:
    """The rule IDs flagged in each case that has any (e.g. PSN-RESPONSE, PSN-SECOND).

    ``organisation`` picks one organisation's streams (see :func:`~pastoral_core.kernel.states_from`);
    by default records of several organisations are refused.
    """
    return {case_id: f.flagged for case_id, f in sorted(states_from(CASE, records, organisation).items()) if f.flagged}


class ResponseStatus(enum.Enum):
    """Where a case's first response stands against PSN-RESPONSE."""

    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    AWAITING = "awaiting"


@attrs.frozen
class ResponseLine:
    """One case in the response-time report."""

    case_id: str
    received_at: dt.datetime
    due_at: dt.datetime
    responded_at: dt.datetime | None
    status: ResponseStatus


def response_report(cases: Mapping[str, Case], now: dt.datetime) -> tuple[ResponseLine, ...]:
    """Every case's first response against its due time, as of ``now``, oldest first.

    The per-case lines that :class:`~pastoral_core.support.ResponseTimes` counts per month
    and nation. Cases whose request has not been received are left out.

    Raises:
        InvalidType: If ``cases`` is not a mapping of ids to ``Case`` states, or ``now``
            not a datetime.
        NaiveDatetimeError: If ``now`` has no timezone.
    """
    now = moment("response_report", now)
    lines = []
    for case_id, case in received_cases("response_report", cases):
        request = case.request
        assert request is not None
        response = case.response
        if response is not None:
            status = ResponseStatus.ON_TIME if response.on_time else ResponseStatus.LATE
        else:
            overdue = instant(now) > instant(request.response_due_at)
            status = ResponseStatus.OVERDUE if overdue else ResponseStatus.AWAITING
        lines.append(
            ResponseLine(
                case_id,
                request.received_at,
                request.response_due_at,
                response.responded_at if response else None,
                status,
            )
        )
    return tuple(sorted(lines, key=lambda line: (instant(line.received_at), line.case_id)))


@attrs.frozen
class Caseload:
    """An officer's open work.

    Attributes:
        officer_id: The officer.
        leads: ``(case id, recipient id)`` pairs the officer leads on, in open cases.
        second_on: Open cases where the officer is the second officer.
    """

    officer_id: str
    leads: tuple[tuple[str, str], ...]
    second_on: tuple[str, ...]


def caseloads(cases: Mapping[str, Case]) -> Mapping[str, Caseload]:
    """Each officer's open caseload, by officer id in order.

    An engagement is open while its case is open (not closed, support not ceased), it has
    a lead and the LMC has not concluded its commitment at review; a second officer's
    case is open while the case is. :class:`~pastoral_core.support.OfficerLoads` counts
    these against a limit.

    Raises:
        InvalidType: If ``cases`` is not a mapping of ids to ``Case`` states.
    """
    leads: dict[str, list[tuple[str, str]]] = {}
    seconds: dict[str, list[str]] = {}
    for case_id, case in received_cases("caseloads", cases):
        if case.closed or case.ceased:
            continue
        for recipient_id, engagement in sorted(case.engagements.items()):
            if engagement.lead and not engagement.concluded:
                leads.setdefault(engagement.lead, []).append((case_id, recipient_id))
        if case.second_officer:
            seconds.setdefault(case.second_officer, []).append(case_id)
    officers = sorted(set(leads) | set(seconds))
    return {o: Caseload(o, tuple(leads.get(o, ())), tuple(seconds.get(o, ()))) for o in officers}
