"""The TIME rule's guard: no naive datetimes; dates of the sources read in Europe/London."""

from __future__ import annotations

import datetime as dt

from pastoral_core.exceptions import InvalidType, NaiveDatetimeError
from pastoral_core.values._vocabulary import LONDON


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
    """
    if not isinstance(value, dt.datetime):
        raise InvalidType(what, "", f"must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            what,
            "",
            f"must be timezone-aware (rule TIME), got naive {value.isoformat()}; "
            "attach a zone, e.g. datetime(..., tzinfo=ZoneInfo('Europe/London'))",
        )
    return value


def london_date(value: dt.datetime | dt.date) -> dt.date:
    """The calendar date of ``value`` in Europe/London (a plain date is returned as is)."""
    if isinstance(value, dt.datetime):
        return require_aware(value, "moment").astimezone(LONDON).date()
    return value


def instant(moment: dt.datetime) -> dt.datetime:
    """The same moment in UTC, for comparing moments.

    Python compares two datetimes of one zone by their wall clocks and ignores ``fold``,
    so 01:45 BST and 01:30 GMT on the night the clocks go back compare the wrong way
    round; their instants do not.
    """
    return require_aware(moment, "moment").astimezone(dt.UTC)
