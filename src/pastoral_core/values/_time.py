"""The TIME rule's guard: no naive datetimes; dates of the sources read in Europe/London."""

from __future__ import annotations

import datetime as dt

from pastoral_core.exceptions import InvalidType, InvalidValue, NaiveDatetimeError
from pastoral_core.values._vocabulary import LONDON, STORED_EARLIEST, STORED_LATEST


def require_aware(value: dt.datetime, what: str) -> dt.datetime:
    """Return ``value`` unchanged if it is a timezone-aware datetime (rule TIME).

    Args:
        value: The datetime to check.
        what: What the value is, for the error message (e.g. ``"received_at"``).

    Returns:
        The same datetime.

    Raises:
        NaiveDatetimeError: If ``value`` has no timezone (or a tzinfo giving no offset).
        InvalidType: If ``value`` is not a datetime at all.
        InvalidValue: If it falls outside the years 1800-2999 the library reasons about.
    """
    if not isinstance(value, dt.datetime):
        raise InvalidType(what, "", f"must be a datetime, got {type(value).__name__}")
    if not STORED_EARLIEST <= value.date() <= STORED_LATEST:
        raise InvalidValue(what, "", f"must fall between {STORED_EARLIEST.year} and {STORED_LATEST.year}")
    try:
        offset = value.utcoffset()
    except Exception:
        raise InvalidType(what, "", "has a zone that cannot give its offset") from None
    if offset is None:
        raise NaiveDatetimeError(
            what,
            "",
            f"must be timezone-aware (rule TIME), got naive {value.isoformat()}; "
            "attach a zone, e.g. datetime(..., tzinfo=ZoneInfo('Europe/London'))",
        )
    return value


def london_date(value: dt.datetime | dt.date) -> dt.date:
    """The calendar date of ``value`` in Europe/London (a plain date is returned as is).

    Raises:
        InvalidType: If ``value`` is neither a date nor a datetime.
        NaiveDatetimeError: If it is a datetime without a zone.
    """
    if isinstance(value, dt.datetime):
        return require_aware(value, "moment").astimezone(LONDON).date()
    if not isinstance(value, dt.date):
        raise InvalidType("moment", "", f"must be a date or a datetime, got {type(value).__name__}")
    return value


def instant(moment: dt.datetime) -> dt.datetime:
    """The same moment in UTC, for comparing moments.

    Python compares two datetimes of one zone by their wall clocks and ignores ``fold``,
    so 01:45 BST and 01:30 GMT on the night the clocks go back compare the wrong way
    round; their instants do not.
    """
    return require_aware(moment, "moment").astimezone(dt.UTC)
