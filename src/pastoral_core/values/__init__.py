"""The value vocabulary of commands and rules, and the one check every field goes through.

A command's fields are annotated with what they hold, and :class:`Validated` checks every
field against its annotation when the object is built, so nothing the codec cannot write
and read back ever reaches a decision or the log:

- text: :data:`Id` (an opaque id), :data:`Label` (a short name from a vocabulary, such as
  a service or an area), :data:`ShortText` (one line people type: the body a disclosure
  went to), :data:`FreeText` (what people write: notes) and :data:`Reason` (free text that
  must not be blank); each has a generous size cap, never lone surrogates, and no
  control characters (free text may hold a newline or a tab). Domain limits, such as a
  note's 1,000 characters, stay rules. ``ShortText``, ``FreeText`` and ``Reason`` are free
  text: screened (rule MINIMAL), hidden in reprs and redactable.
- numbers: ``int`` (never ``bool``) and ``Decimal`` (finite) within a :class:`Range`;
  :data:`Count`, :data:`Years`, :data:`Months`, :data:`Minutes`, :data:`Percent` and
  :data:`Money` name the usual ones.
- times: aware datetimes that exist on the wall clock of their zone, dates and times of
  day, all within :data:`EARLIEST` and :data:`LATEST`.
- enums, ``tuple[X, ...]``, fixed tuples, ``frozenset[X]``, ``X | None`` and nested
  attrs classes, checked all the way down.

Errors are :class:`~pastoral_core.exceptions.InvalidValue` (or ``InvalidType``) naming the
class and the field path, and never quoting the text.
"""

from pastoral_core.values._checks import TOMBSTONE, check_fields, check_value
from pastoral_core.values._privacy import (
    free_text_fields,
    free_text_paths,
    free_text_values,
    hidden_text,
    redacting_repr,
)
from pastoral_core.values._time import instant, london_date, require_aware
from pastoral_core.values._validated import Validated, instance_of, mapping_of
from pastoral_core.values._vocabulary import (
    DECIMAL_RANGE,
    EARLIEST,
    FREE_TEXT,
    ID,
    INT_RANGE,
    LABEL,
    LATEST,
    LONDON,
    MAX_ITEMS,
    REASON,
    SHORT_TEXT,
    STORED_EARLIEST,
    STORED_LATEST,
    Count,
    FreeText,
    Id,
    Label,
    Minutes,
    Money,
    Months,
    Percent,
    Range,
    Reason,
    ShortText,
    TextKind,
    Years,
)

__all__ = [
    "free_text_values",
    "TOMBSTONE",
    "hidden_text",
    "redacting_repr",
    "DECIMAL_RANGE",
    "EARLIEST",
    "FREE_TEXT",
    "ID",
    "INT_RANGE",
    "LABEL",
    "REASON",
    "SHORT_TEXT",
    "STORED_EARLIEST",
    "STORED_LATEST",
    "LATEST",
    "MAX_ITEMS",
    "LONDON",
    "Count",
    "FreeText",
    "Id",
    "Label",
    "Minutes",
    "Months",
    "Money",
    "Percent",
    "Range",
    "Reason",
    "ShortText",
    "TextKind",
    "Validated",
    "Years",
    "check_fields",
    "check_value",
    "free_text_fields",
    "free_text_paths",
    "instance_of",
    "instant",
    "london_date",
    "mapping_of",
    "require_aware",
]
