"""A command's decision on a line of its own, just before its record: reading and pairing such lines.

``dumps`` writes a decision line as ``{"decision_of": {"stream_id": ..., "stream_version":
...}, "decision": {...}}``, just before the first record of the command's batch. Readers
pair each decision line with the record after it (:class:`Pairing`): a decision line that
is not of its shape, or not followed by the record it names, is refused naming it, so a
torn or misplaced line never drops or misattributes a record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from pastoral_core.eventlog._jsonlines import FastLoads, parse_json_line
from pastoral_core.exceptions import CodecError

#: The first key of a decision line: the stream and version of the record it belongs to.
DECISION_LINE_KEY = "decision_of"
#: How every decision line ``dumps`` writes begins.
DECISION_LINE_START = '{"decision_of": '
_DECISION_LINE_KEYS = frozenset((DECISION_LINE_KEY, "decision"))
_BELONGS_KEYS = frozenset(("stream_id", "stream_version"))
_SHOWN = 80  # the most of a stored stream id an error message repeats
#: The decision of a decision line read only for what it names (facts skip the decision unparsed).
UNREAD: dict[str, Any] = {}
#: What :meth:`Pairing.take` gives for a decision line: held for the record after it.
HELD = object()
_LONGEST_VERSION = 10**18  # a version of more digits is read by the usual rules (orjson would make it a float)


class Pairing:
    """Pairs each decision line with the record just after it, one line's value at a time.

    Args:
        join: ``False`` to check only that each decision line stands just before its
            record, leaving the record's data as it is (what reading facts needs);
            ``True`` to put the decision back in its record's data.
    """

    __slots__ = ("_join", "_waiting", "idle")

    def __init__(self, *, join: bool) -> None:
        self._join = join
        self._waiting: tuple[int, dict[str, Any]] | None = None  # a decision line and its data
        self.idle = True  #: Whether no decision line is waiting for its record.

    def take(self, line_no: int, data: Any) -> Any:
        """A line's value: :data:`HELD` for a decision line (held for its record), else the record's data.

        Raises:
            CodecError: At a decision line that is not of its shape, or is not followed by
                the record it names (naming the decision line).
        """
        if type(data) is dict and DECISION_LINE_KEY in data:
            # a line not of the shape is named first (one read only for what it names was checked then)
            decided = data if data.get("decision") is UNREAD else _decision_line(line_no, data)
            if self._waiting is not None:
                raise _unfollowed(self._waiting, "another decision line follows it")
            self._waiting = (line_no, decided)
            self.idle = False
            return HELD
        waiting = self._waiting
        if waiting is not None:
            _check_follows(waiting, data)
            if self._join:
                data = dict(data)
                data["decision"] = waiting[1]["decision"]
            self._waiting = None
            self.idle = True
        return data

    def end(self) -> None:
        """The lines are over.

        Raises:
            CodecError: If a decision line is still waiting for its record.
        """
        if self._waiting is not None:
            raise _unfollowed(self._waiting, "the log ends after it")


def with_decisions(values: Iterable[tuple[int, Any]], *, join: bool = True) -> Iterator[tuple[int, Any]]:
    """Each record's plain data and line number, a decision line's decision put back in its record.

    Args:
        values: Each non-blank line's number and JSON value, in order.
        join: ``False`` to check only that each decision line stands just before its
            record, leaving the record's data as it is.

    Raises:
        CodecError: At a decision line that is not of its shape, or is not followed by
            the record it names (naming the decision line).
    """
    pairing = Pairing(join=join)
    for line_no, data in values:
        record = pairing.take(line_no, data)
        if record is not HELD:
            yield line_no, record
    pairing.end()


def decision_line_value(fast: FastLoads | None, line_no: int, line: str) -> Any:
    """The value of a line that begins as a decision line does, for :class:`Pairing` when reading facts.

    A decision line as ``dumps`` writes it is read only for the record it names (its
    decision left unparsed, :data:`UNREAD`); any other line is parsed whole.

    Raises:
        CodecError: If the line is read whole and is not JSON.
    """
    belongs = _belongs(fast, line)
    if belongs is not None:
        return {DECISION_LINE_KEY: belongs, "decision": UNREAD}
    return parse_json_line(fast, line_no, line)


class DecisionLineNames:
    """Whether a decision line as ``dumps`` writes it names a given record, by comparing text.

    What :func:`decision_line_value` would read of the line is compared with the record's
    stream and version without parsing the line: a stream id of plain printable ASCII
    (no quote, backslash or brace) is written as itself in quotes, so the line begins
    with text known in advance. Anything else answers ``False``, and the line is read.
    """

    __slots__ = ("_start", "_stream")

    def __init__(self) -> None:
        self._stream: str | None = None  # the stream last asked about (a log's records come by stream)
        self._start: str | None = None  # and how its decision lines begin

    def __call__(self, line: str, data: Any) -> bool:
        """Whether ``line`` is a decision line naming the record ``data``, which holds no decision of its own."""
        if type(data) is not dict or "decision" in data:
            return False
        stream_id, version = data.get("stream_id"), data.get("stream_version")
        if type(stream_id) is not str or type(version) is not int or not -_LONGEST_VERSION < version < _LONGEST_VERSION:
            return False
        if stream_id != self._stream:
            self._stream, self._start = stream_id, _start_naming(stream_id)
        start = self._start
        return (
            start is not None
            and line.startswith(start)
            and line.startswith(f"{version}}}, ", len(start))
            and line.endswith("}")
        )


def _start_naming(stream_id: str) -> str | None:
    """How ``dumps`` begins a decision line naming ``stream_id``, if it writes the id as itself."""
    if not (stream_id.isascii() and stream_id.isprintable()) or any(c in stream_id for c in '"\\{}'):
        return None
    return f'{DECISION_LINE_START}{{"stream_id": "{stream_id}", "stream_version": '


def _decision_line(line_no: int, data: dict[str, Any]) -> dict[str, Any]:
    """A decision line's data, checked for its shape (the decision itself is checked with its record)."""
    if data.keys() != _DECISION_LINE_KEYS:
        extra = sorted(data.keys() - _DECISION_LINE_KEYS)
        missing = sorted(_DECISION_LINE_KEYS - data.keys())
        if extra:
            named = len(extra[0]) <= 40 and extra[0].isidentifier()  # never a stored value at length
            reason = f"unexpected field {extra[0]!r}" if named else f"{len(extra)} unexpected field(s)"
        else:
            reason = f"field {missing[0]!r} missing"
        raise CodecError(line_no, "$", f"a decision line holds decision_of and decision only: {reason}")
    if type(data["decision"]) is not dict:
        raise CodecError(line_no, "$.decision", "must be an object")
    if not _names_a_record(data[DECISION_LINE_KEY]):
        raise CodecError(line_no, f"$.{DECISION_LINE_KEY}", "must hold the record's stream_id and stream_version only")
    return data


def _belongs(fast: FastLoads | None, line: str) -> dict[str, Any] | None:
    """What a decision line as ``dumps`` writes it names, read without its decision; ``None`` if not so written.

    orjson reads it where installed: a version it would read as a float (past 64 bits) is
    not a whole number, so such a line is read whole, by the codec's usual rules.
    """
    start = len(DECISION_LINE_START)
    end = line.find("}", start)
    if end == -1 or not line.endswith("}"):
        return None
    named = line[start : end + 1]
    try:
        belongs = json.loads(named) if fast is None else fast(named.encode())
    except Exception:  # a "}" inside the stream id, a lone surrogate: the whole line is read instead
        return None
    return belongs if _names_a_record(belongs) else None


def _names_a_record(belongs: object) -> bool:
    """Whether ``belongs`` is what a decision line names: a record's stream id and version, and nothing else."""
    return (
        type(belongs) is dict
        and belongs.keys() == _BELONGS_KEYS
        and type(belongs["stream_id"]) is str
        and type(belongs["stream_version"]) is int
    )


def _check_follows(waiting: tuple[int, dict[str, Any]], data: Any) -> None:
    """Refuse a record that is not the one the waiting decision line names, or holds a decision of its own."""
    belongs = waiting[1][DECISION_LINE_KEY]
    if type(data) is not dict or "decision" in data:
        raise _unfollowed(waiting, "the next line is not a record without a decision")
    if data.get("stream_id") != belongs["stream_id"] or data.get("stream_version") != belongs["stream_version"]:
        raise _unfollowed(waiting, "the next record is another")


def _unfollowed(waiting: tuple[int, dict[str, Any]], why: str) -> CodecError:
    belongs = waiting[1][DECISION_LINE_KEY]
    stream = repr(belongs["stream_id"][:_SHOWN]) + ("..." if len(belongs["stream_id"]) > _SHOWN else "")
    version = belongs["stream_version"]
    shown = str(version) if -_LONGEST_VERSION < version < _LONGEST_VERSION else "a number too long to show"
    return CodecError(
        waiting[0],
        f"$.{DECISION_LINE_KEY}",
        f"a decision line must come just before its record ({stream} version {shown}): {why}",
    )
