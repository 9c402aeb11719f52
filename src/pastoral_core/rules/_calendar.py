"""UK working days per nation, built on the ``holidays`` package (never a hand-written list)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import holidays

from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.values import EARLIEST, LATEST, require_aware

#: The version of the ``holidays`` package whose bank-holiday data count working days;
#: deadline verdicts quote it, since a later release can add a holiday (as 0.91 added
#: Scotland's 15 June 2026).
HOLIDAYS_DATA_VERSION: str = str(vars(holidays)["__version__"])

#: The nations a working calendar can follow. ``UK-ANY`` treats a bank holiday in any
#: part of the UK as a non-working day (as the Freedom of Information Act counts).
NATIONS = ("ENG", "WLS", "SCT", "NIR", "UK-ANY")


@functools.cache
def _bank_holidays(nation: str) -> holidays.HolidayBase:
    """Built once per nation; ``holidays`` expands years lazily as dates are asked about."""
    if nation == "UK-ANY":
        parts = [holidays.country_holidays("GB", subdiv=n) for n in NATIONS[:-1]]
        return functools.reduce(lambda a, b: a + b, parts)
    return holidays.country_holidays("GB", subdiv=nation)


@functools.lru_cache(maxsize=1 << 16)
def _is_working_day(nation: str, day: dt.date) -> bool:
    return _bank_holidays(nation).is_working_day(day)


@functools.lru_cache(maxsize=1 << 16)
def _nth_working_day(nation: str, day: dt.date, n: int) -> dt.date:
    """``holidays``' answer, kept: deadlines are asked about the same few days again and again."""
    return _bank_holidays(nation).get_nth_working_day(day, n)


@functools.cache
def _zone_of(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def _known_nation(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in NATIONS:
        raise InvalidValue("WorkingCalendar", attribute.name, f"must be one of {', '.join(NATIONS)}")


def _is_time(_: object, attribute: attrs.Attribute[dt.time], value: dt.time) -> None:
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise InvalidValue("WorkingCalendar", attribute.name, "must be a local wall-clock time such as time(17, 0)")


def _zone(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    try:
        ZoneInfo(value)
    except Exception:
        raise InvalidValue("WorkingCalendar", attribute.name, "is not a known IANA time zone") from None


@attrs.frozen
class ResponseDue:
    """When a response is due, and why: the explanation behind :meth:`WorkingCalendar.due_by`.

    Attributes:
        received_at: When the request arrived (as given).
        counts_from: The working day counting starts from (the day of receipt, or the next
            working day if it arrived at/after the cut-off or on a non-working day).
        working_days: How many working days are allowed.
        due_at: The cut-off time on the last allowed working day, in the calendar's zone.
        bank_holidays: The bank holidays between receipt and the due date that pushed it back.

    """

    received_at: dt.datetime
    counts_from: dt.date
    working_days: int
    due_at: dt.datetime
    bank_holidays: tuple[tuple[dt.date, str], ...]

    def __str__(self) -> str:
        moved = "; ".join(f"{d:%a %d %b %Y} {name}" for d, name in self.bank_holidays)
        because = f" (bank holidays: {moved})" if moved else ""
        return f"due by {self.due_at:%a %d %b %Y %H:%M %Z}{because}"


@attrs.frozen
class WorkingCalendar:
    """Working days for one UK nation, with a daily cut-off time in a time zone.

    Attributes:
        nation: ``ENG``, ``WLS``, ``SCT``, ``NIR`` or ``UK-ANY``.
        cutoff: Local time after which a request counts as received next working day.
        tz: IANA time zone of the cut-off (default Europe/London).

    """

    nation: str = attrs.field(default="ENG", validator=_known_nation)
    cutoff: dt.time = attrs.field(default=dt.time(17, 0), validator=_is_time)
    tz: str = attrs.field(default="Europe/London", validator=_zone)

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return _zone_of(self.tz)

    def is_working_day(self, day: dt.date) -> bool:
        """True on a weekday that is not a bank holiday in this calendar's nation."""
        return _is_working_day(self.nation, _plain_date(day))

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return _nth_working_day(self.nation, _plain_date(day), 1)

    def counts_from(self, received_at: dt.datetime) -> dt.date:
        """The working day from which a request received at ``received_at`` is counted.

        Raises:
            NaiveDatetimeError: If ``received_at`` has no timezone (rule TIME).

        """
        local = require_aware(received_at, "received_at").astimezone(self.zone)
        day = _plain_date(local.date())
        if not _is_working_day(self.nation, day):
            return _nth_working_day(self.nation, day, 0)
        if local.time() >= self.cutoff:
            return _nth_working_day(self.nation, day, 1)
        return day

    def explain_due(self, received_at: dt.datetime, working_days: int) -> ResponseDue:
        """When a response to a request received at ``received_at`` is due, and why.

        Rule PSN-RESPONSE (MOU LMC 4): counting starts on the day of receipt, or on the next
        working day if the request came at or after the cut-off or on a non-working day;
        the response is due at the cut-off on the ``working_days``-th working day after.

        Args:
            received_at: Timezone-aware time of receipt.
            working_days: Working days allowed (0 means by the cut-off of the counting day).

        Raises:
            NaiveDatetimeError: If ``received_at`` has no timezone.
            InvalidValue: If ``working_days`` is not a whole number from 0 to 10,000.

        """
        start, due_at = self._due(received_at, working_days)
        received_day = received_at.astimezone(self.zone).date()
        return ResponseDue(received_at, start, working_days, due_at, self.bank_holidays(received_day, due_at.date()))

    def due_by(self, received_at: dt.datetime, working_days: int) -> dt.datetime:
        """The moment a response is due (see :meth:`explain_due` for the rule, the reasons and errors).

        Answers are kept per calendar, moment and day count: a deadline is asked about
        again and again (every read model, every verdict), and the answer never changes.
        """
        if isinstance(working_days, bool) or not isinstance(working_days, int):
            raise InvalidValue("WorkingCalendar", "working_days", "must be a whole number from 0 to 10,000")
        # kept by the exact instant (a plain timedelta since the epoch): equal wall times an
        # hour apart on an autumn night, or a datetime subclass, never share or break a key
        since = require_aware(received_at, "received_at") - _EPOCH
        return _due_by(self, since, working_days)

    def _due(self, received_at: dt.datetime, working_days: int) -> tuple[dt.date, dt.datetime]:
        if isinstance(working_days, bool) or not isinstance(working_days, int) or not 0 <= working_days <= 10_000:
            raise InvalidValue("WorkingCalendar", "working_days", "must be a whole number from 0 to 10,000")
        start = self.counts_from(received_at)
        due = _nth_working_day(self.nation, start, working_days) if working_days else start
        return start, dt.datetime.combine(due, self.cutoff, tzinfo=self.zone)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``.

        ``working_days_between(d, due_by(...).date())`` equals the days allowed when ``d``
        is the counting day. Negative if ``end`` is before ``start``.
        """
        start, end = _plain_date(start), _plain_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        if end == start:
            return 0
        return _bank_holidays(self.nation).get_working_days_count(start + dt.timedelta(days=1), end)

    def bank_holidays(self, start: dt.date, end: dt.date) -> tuple[tuple[dt.date, str], ...]:
        """The bank holidays from ``start`` to ``end`` inclusive, with their names."""
        calendar = _bank_holidays(self.nation)
        start, end = _plain_date(start), _plain_date(end)
        # HolidayBase supports date slices (end exclusive); its stubs only declare keys.
        by_range: Any = calendar
        days = by_range[start : end + dt.timedelta(days=1)] if start <= end else []
        return tuple((day, "; ".join(calendar.get_list(day))) for day in days)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@functools.lru_cache(maxsize=1 << 16)
def _due_by(calendar: WorkingCalendar, since: dt.timedelta, working_days: int) -> dt.datetime:
    return calendar._due(_EPOCH + since, working_days)[1]


def _plain_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidType(
            "WorkingCalendar", "day", "expected a date, got a datetime; pass value.date() in the right zone"
        )
    if not isinstance(value, dt.date):
        raise InvalidType("WorkingCalendar", "day", f"expected a date, got {type(value).__name__}")
    if not EARLIEST <= value <= LATEST:
        raise InvalidValue("WorkingCalendar", "day", f"must fall between {EARLIEST.year} and {LATEST.year}")
    return value
