"""The value vocabulary: what kinds of text, numbers and dates command and rule fields hold."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Annotated
from zoneinfo import ZoneInfo

import attrs

#: The zone every date of the sources is read in.
LONDON = ZoneInfo("Europe/London")
#: The earliest date or time a command or rule may carry.
EARLIEST = dt.date(1900, 1, 1)
#: The latest date or time a command or rule may carry.
LATEST = dt.date(2199, 12, 31)
#: The earliest date a stored fact may carry (dates derived from commands go beyond them).
STORED_EARLIEST = dt.date(1800, 1, 1)
#: The latest date a stored fact may carry (a retention end, a window end).
STORED_LATEST = dt.date(2999, 12, 31)
#: The most items a tuple or set field may hold.
MAX_ITEMS = 1000


@attrs.frozen
class TextKind:
    """What a text field holds: :data:`Id`, :data:`Label`, :data:`ShortText`, :data:`FreeText`, :data:`Reason`.

    Attributes:
        name: ``"id"``, ``"label"``, ``"short text"``, ``"free text"`` or ``"reason"``
            (used in error messages).
        max_chars: The generous cap; domain limits are rules.
        multiline: Whether newline and tab are allowed.
        free: Whether people write it (free text is redactable and screened).
        required: Whether it must hold something other than spaces.
    """

    name: str
    max_chars: int
    multiline: bool = False
    free: bool = False
    required: bool = True


@attrs.frozen
class Range:
    """Inclusive bounds for an ``int`` or ``Decimal`` field.

    Attributes:
        low: Smallest value allowed.
        high: Largest value allowed.
    """

    low: int | decimal.Decimal
    high: int | decimal.Decimal


ID = TextKind("id", 200)
LABEL = TextKind("label", 1000)
SHORT_TEXT = TextKind("short text", 500, free=True)
FREE_TEXT = TextKind("free text", 100_000, multiline=True, free=True, required=False)
REASON = TextKind("reason", 10_000, multiline=True, free=True)

#: An opaque id chosen by the host (rule MINIMAL: never a name): 1-200 characters, no
#: spaces at either end, no control or invisible formatting characters.
Id = Annotated[str, ID]
#: A short name from a vocabulary (a service, an instrument, an area, a version): up to
#: 1,000 characters on one line. Not screened or redacted: for what people type about a
#: person or a case, use :data:`ShortText`.
Label = Annotated[str, LABEL]
#: Short text people type on one line (the body a disclosure went to, an intervention
#: asked for, where guidance came from): up to 500 characters, not blank. It is free text:
#: rule MINIMAL screens it, a repr hides it, and destroying a case's notes redacts it.
ShortText = Annotated[str, SHORT_TEXT]
#: Text people write (a note): up to 100,000 characters; newline and tab allowed.
FreeText = Annotated[str, FREE_TEXT]
#: Why someone decided something: free text, not blank, up to 10,000 characters.
Reason = Annotated[str, REASON]
#: A count of things (sessions, groups, months): 0 to 10,000.
Count = Annotated[int, Range(0, 10_000)]
#: A duration in whole years: 0 to 100.
Years = Annotated[int, Range(0, 100)]
#: A duration in whole months: 0 to 1,200.
Months = Annotated[int, Range(0, 1200)]
#: A duration in minutes: 0 to 1,000,000.
Minutes = Annotated[int, Range(0, 1_000_000)]
#: A percentage: 0 to 100.
Percent = Annotated[decimal.Decimal, Range(0, 100)]
#: An amount of money in GBP: 0 to 1,000,000,000.
Money = Annotated[decimal.Decimal, Range(0, 1_000_000_000)]

#: The range of a plain ``int`` field (counts, minutes, scores: never negative).
INT_RANGE = Range(0, 1_000_000)
#: The range of a plain ``Decimal`` field.
DECIMAL_RANGE = Range(-1_000_000_000, 1_000_000_000)
