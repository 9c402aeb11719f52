"""Each officer's caseload: open engagements against a limit, and sessions held in the last 90 days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

import attrs

from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.support._model import SessionStatus
from pastoral_core.support._projections import caseloads
from pastoral_core.support._read_model_common import moment, received_cases
from pastoral_core.support._state import Case
from pastoral_core.tables import RowsTable, columns_of
from pastoral_core.values import london_date

#: Sessions count towards an officer's recent work for this many days, the day asked about included.
RECENT_DAYS = 90


@attrs.frozen
class OfficerLoad:
    """One officer's caseload.

    Attributes:
        officer_id: The officer.
        open_engagements: Engagements the officer leads in open cases (see
            :func:`~pastoral_core.support.caseloads`).
        second_officer_on: Open cases where the officer is the second officer.
        sessions_90_days: Sessions the officer held on one of the 90 days ending on the
            day asked about (Europe/London), in open and closed cases alike.
        limit: The most open engagements an officer should lead (the host's choice).
        over_limit: ``open_engagements > limit``.
    """

    officer_id: str
    open_engagements: int
    second_officer_on: int
    sessions_90_days: int
    limit: int
    over_limit: bool


@attrs.frozen
class OfficerLoads(RowsTable[OfficerLoad]):
    """Each officer's open engagements against a limit, and their sessions in the last 90 days.

    The MoU sets no caseload limit; the host passes its own. A held session counts on the
    day it was booked to start: the case state keeps that, and that it was held, but not
    the day it was held (never earlier). An officer appears with open work or a session in
    the 90 days.

    Attributes:
        rows: One line per officer, by officer id.
    """

    columns: ClassVar[tuple[str, ...]] = columns_of(OfficerLoad)
    caption: ClassVar[str] = "Caseload per officer"

    rows: tuple[OfficerLoad, ...] = ()

    @classmethod
    def of(cls, cases: Mapping[str, Case], now: dt.datetime, limit: int) -> OfficerLoads:
        """The caseloads of ``cases`` as of ``now``.

        Args:
            cases: Case states by id (``Projection.states``, ``cases_from(records)``).
            now: The moment whose day (Europe/London) ends the 90 days; sessions booked
                to start after that day are not counted.
            limit: The most open engagements an officer should lead; one more is over.

        Raises:
            InvalidType: If an argument has the wrong type.
            InvalidValue: If ``limit`` is negative.
            NaiveDatetimeError: If ``now`` has no timezone.
        """
        today = london_date(moment("OfficerLoads", now))
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise InvalidType("OfficerLoads", "limit", f"must be a whole number, got {type(limit).__name__}")
        if limit < 0:
            raise InvalidValue("OfficerLoads", "limit", "must be 0 or more")
        states = received_cases("OfficerLoads", cases)
        first = today - dt.timedelta(days=RECENT_DAYS - 1)
        recent: dict[str, int] = {}
        for _, case in states:
            for session in case.sessions.values():
                if session.status is SessionStatus.HELD and first <= london_date(session.starts_at) <= today:
                    recent[session.officer_id] = recent.get(session.officer_id, 0) + 1
        loads = caseloads(dict(states))
        rows = []
        for officer_id in sorted(set(loads) | set(recent)):
            load = loads.get(officer_id)
            leads = len(load.leads) if load else 0
            rows.append(
                OfficerLoad(
                    officer_id,
                    leads,
                    len(load.second_on) if load else 0,
                    recent.get(officer_id, 0),
                    limit,
                    leads > limit,
                )
            )
        return cls(tuple(rows))
