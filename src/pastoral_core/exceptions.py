"""Every error pastoral_core raises, under one base class.

A host catches :class:`PastoralCoreError` to handle anything the library refuses. Nothing
else escapes from a command, a codec call or a store operation: wrong types, values out
of range and broken input are turned into one of these, with a message that names the
class and the field but never repeats free text (a note, a reason) back.

- :class:`Refused`: a command was decided and refused; it carries every failed rule's
  verdict (a source rule, or ``AUTH``, ``SCOPE``, ``TIME``, ``INPUT``, ``STATE``).
- :class:`InvalidValue` (a ``ValueError``) and :class:`InvalidType` (also a
  ``TypeError``): a command, rule parameter or value was rejected as it was built.
  :class:`NaiveDatetimeError` is the TIME rule's special case.
- :class:`CommandIdReused`: a command id already applied was sent again with another
  stream, type or payload.
- :class:`ConcurrencyConflict`: the stream moved on between reading and appending.
- :class:`CodecError`: stored or incoming data could not be decoded (or an event would
  not decode again after encoding).
- :class:`NoRulebookInForce`, :class:`UnknownRule`, :class:`UnknownType`,
  :class:`DuplicateType`, :class:`RedactionError`: lookups and registrations.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pastoral_core.rules import Verdict

__all__ = [
    "CodecError",
    "CommandIdReused",
    "ConcurrencyConflict",
    "DuplicateType",
    "InvalidType",
    "InvalidValue",
    "NaiveDatetimeError",
    "NoRulebookInForce",
    "PastoralCoreError",
    "RedactionError",
    "Refused",
    "UnknownRule",
    "UnknownType",
]


class PastoralCoreError(Exception):
    """Base class of every error pastoral_core raises on purpose."""


class InvalidValue(PastoralCoreError, ValueError):
    """A value was rejected when a command, rule or value object was built.

    The message is ``"<Owner>.<field path>: <reason>"``; the reason says what is wrong
    (too long, a control character at position 12, not a finite number) and never quotes
    the text itself.

    Attributes:
        owner: The class whose field was rejected, e.g. ``"RecordNote"``.
        field: The field path, e.g. ``"recipients[0].kind"``.
        reason: What is wrong with it.
    """

    def __init__(self, owner: str, field: str, reason: str) -> None:
        super().__init__(f"{owner}.{field}: {reason}" if field else f"{owner}: {reason}")
        self.owner = owner
        self.field = field
        self.reason = reason


class InvalidType(InvalidValue, TypeError):
    """A value of the wrong type was given (also a ``TypeError``)."""


class NaiveDatetimeError(InvalidValue):
    """A datetime without a timezone was given where an instant in time is needed (rule TIME)."""


class Refused(PastoralCoreError):
    """A command was refused; carries every failed rule's verdict, each with its clause.

    Nothing was written. ``rule_ids`` names the rules: a source rule (``PSN-ALLOWANCE``),
    or ``AUTH`` (role), ``SCOPE`` (not held on this aggregate), ``TIME`` (recorded time
    going backwards), ``INPUT`` (the command's content) or ``STATE`` (the record as it
    stands).

    Attributes:
        verdicts: The denying verdicts, in the order the rules ran.
    """

    def __init__(self, verdicts: Iterable[Verdict]) -> None:
        self.verdicts = tuple(verdicts)
        if not self.verdicts:
            raise ValueError("Refused needs at least one verdict")
        lines = "\n".join(f"  - {v}" for v in self.verdicts)
        super().__init__(f"refused by {len(self.verdicts)} rule(s):\n{lines}")

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The IDs of the rules that refused, in order."""
        return tuple(v.rule_id for v in self.verdicts)


class CommandIdReused(PastoralCoreError, ValueError):
    """A command id already applied was sent again for another stream, type or payload.

    Nothing is written, and the error says nothing about what the id was used for.
    """

    def __init__(self, command_id: str) -> None:
        super().__init__(
            f"command id {command_id!r} was already used for a different command; "
            "choose a new id for a new command (nothing was written)"
        )
        self.command_id = command_id


class ConcurrencyConflict(PastoralCoreError):
    """Append refused: the stream moved on since the caller read it (rule CONCURRENCY).

    Attributes:
        stream_id: The stream appended to.
        expected: The version the caller expected.
        actual: The stream's version now.
    """

    def __init__(self, stream_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"stream {stream_id!r} is at version {actual}, not the expected {expected}; "
            "reload it and decide again (nothing was written)"
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class CodecError(PastoralCoreError, ValueError):
    """Input could not be decoded; names the record and the field path.

    Attributes:
        record: 1-based line / record number in the input, or ``None`` for a single dict.
        path: Field path such as ``$.event.text`` (``$`` is the whole record).
        reason: What was wrong.
    """

    def __init__(self, record: int | None, path: str, reason: str) -> None:
        where = f"record {record}" if record is not None else "record"
        super().__init__(f"{where}: {reason} @ {path}")
        self.record = record
        self.path = path
        self.reason = reason


class NoRulebookInForce(PastoralCoreError, LookupError):
    """No rulebook version was in force at the moment asked about."""


class UnknownRule(PastoralCoreError, LookupError):
    """The rulebook has no rule with that ID or class."""


class UnknownType(PastoralCoreError, LookupError):
    """A type name, version or class is not in the registry (events or commands)."""


class DuplicateType(PastoralCoreError, ValueError):
    """A type name or class was registered twice."""


class RedactionError(PastoralCoreError, ValueError):
    """A redaction was asked for a record or field that cannot be redacted."""
