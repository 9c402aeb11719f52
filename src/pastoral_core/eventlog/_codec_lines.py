"""The JSON-lines half of the codec: one record per line, read all at once, streamed, or as facts.

A command's decision is written on a line of its own, just before the first record of
the command's batch (:data:`DECISION_LINE_KEY` first), so that a reader of facts can skip
it without parsing it: a decision is most of a record's bytes. Lines written before this
(the decision inside its record's line) are read as they always were.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from pastoral_core.eventlog._jsonlines import FastLoads, numbered_lines, parse_json_line
from pastoral_core.eventlog._recorded import Fact, ReadFacts, RecordedEvent
from pastoral_core.exceptions import CodecError

#: The first key of a decision line: the stream and version of the record it belongs to.
DECISION_LINE_KEY = "decision_of"
_DECISION_LINE_START = '{"decision_of": '
_DECISION_LINE_KEYS = frozenset((DECISION_LINE_KEY, "decision"))
_BELONGS_KEYS = frozenset(("stream_id", "stream_version"))
_SHOWN = 80  # the most of a stored stream id an error message repeats
_UNREAD: dict[str, Any] = {}  # the decision of a decision line iter_facts skips unparsed


class _Reads(Protocol):
    """What the JSON-lines methods need of their codec (``Codec`` has it all)."""

    @property
    def json_reader(self) -> FastLoads | None: ...

    def to_dict(self, record: RecordedEvent) -> dict[str, Any]: ...

    def from_dict(self, data: Mapping[str, Any], *, record: int | None = None) -> RecordedEvent: ...

    def fact_from_dict(self, data: Any, *, record: int | None = None) -> Fact: ...


class JsonLines:
    """Recorded events as JSON lines and back: :class:`~pastoral_core.eventlog.Codec`'s methods for text."""

    def dumps(self: _Reads, records: Iterable[RecordedEvent]) -> str:
        """Serialise recorded events as JSON lines (UTF-8 text, keys sorted).

        One line per record, and before the first record of each command's batch a line
        holding the command's decision: ``{"decision_of": {"stream_id": ..., "stream_version":
        ...}, "decision": {...}}``. :meth:`loads` and :meth:`iter_loads` join the two again;
        :meth:`iter_facts` skips decision lines without parsing them.
        """
        return "".join(_lines(self, record) for record in records)

    def loads(self: _Reads, text: str) -> tuple[RecordedEvent, ...]:
        """Parse JSON lines into recorded events; all or nothing.

        Blank lines are ignored. The record number in errors is the line number: a
        decision's own line where it does not stand just before its record or is not of
        its shape, the record's line for what is wrong in the decision itself. A line
        that is not JSON is named before any line that is JSON but not a valid record,
        wherever the two are in the text (:meth:`iter_loads` names whichever comes first).

        Raises:
            CodecError: On the first malformed line; no partial result is returned.

        """
        if not isinstance(text, str):
            raise CodecError(None, "$", f"expected text, got {type(text).__name__}")
        # Each record is structured as soon as it is read, so the plain data of the whole
        # log is never held at once; after a record that cannot be structured the rest of
        # the lines are still read, since a later line that is not JSON is the one to name.
        fast = self.json_reader
        records = []
        lines = numbered_lines((text,))
        try:
            for line_no, data in with_decisions(_parsed_or_stop(fast, lines)):
                records.append(self.from_dict(data, record=line_no))
        except _NotJson as not_json:  # the first line that is not JSON: nothing before it was
            raise not_json.error from None
        except Exception:
            for later_no, later in lines:
                parse_json_line(fast, later_no, later)
            raise
        return tuple(records)

    def iter_loads(self: _Reads, lines: Iterable[str]) -> Iterator[RecordedEvent]:
        r"""Parse JSON lines one record at a time, so a long log is never held whole.

        ``lines`` is the text in pieces: the lines of a file the host opened (with
        ``newline="\n"``, so that a stray carriage return stays what it is in the text),
        chunks of any size, or the whole text as one string. Their concatenation is read
        exactly as :meth:`loads` reads text: split on ``"\n"`` only, blank lines skipped,
        each record numbered by its line. Pieces are joined, never separated: bare lines
        need their ``"\n"`` (``(line + "\n" for line in lines)``).

        Example::

            # stored: the log's file, opened by the host as UTF-8 text with newline="\n"
            for record in codec.iter_loads(stored):
                ...

        Args:
            lines: Text in pieces (any iterable of ``str``), or one ``str``.

        Returns:
            An iterator of recorded events, read as it is consumed.

        Raises:
            CodecError: At once if ``lines`` is not text or an iterable; while iterating,
                at the first malformed line (naming it: the same error :meth:`loads` gives
                when that line is the first bad one), or a piece that is not text. The
                records before it have been yielded.

        """
        return JsonLines._iter_loads(self, _pieces(lines))

    def _iter_loads(self: _Reads, lines: Iterable[str]) -> Iterator[RecordedEvent]:
        try:
            for line_no, data in with_decisions(_parsed_or_stop(self.json_reader, numbered_lines(lines))):
                yield self.from_dict(data, record=line_no)
        except _NotJson as not_json:
            raise not_json.error from None

    def iter_facts(self: _Reads, lines: Iterable[str]) -> Iterator[Fact]:
        """Read from JSON lines only what folding needs: one :class:`Fact` per record, as it is consumed.

        Each record's line is parsed as :meth:`iter_loads` parses it, but of a record of
        the usual shape only its stream, version, times, organisation and event are built
        and checked; its actor, decision and digests are not, and a decision line (one
        that begins ``{"decision_of": ``) is skipped unparsed (check whole records with
        :meth:`loads` or :meth:`iter_loads`, and the chain with ``verify``). Give the
        facts to ``states_from`` or ``Aggregate.replay_facts`` for the states, to
        ``Payments.of`` for the money: a log's states without building its records.

        Args:
            lines: Text in pieces (any iterable of ``str``), or one ``str`` (see :meth:`iter_loads`).

        Raises:
            CodecError: As :meth:`iter_loads` raises it: at once for what is not text,
                while iterating at a line that is not JSON or whose record cannot be read.
        """
        return ReadFacts(JsonLines._iter_facts(self, _pieces(lines)))

    def _iter_facts(self: _Reads, lines: Iterable[str]) -> Iterator[Fact]:
        for line_no, data in with_decisions(_values_for_facts(self.json_reader, lines), join=False):
            yield self.fact_from_dict(data, record=line_no)


def _values_for_facts(fast: FastLoads | None, lines: Iterable[str]) -> Iterator[tuple[int, Any]]:
    """Each line's number and value for :meth:`JsonLines.iter_facts`.

    A decision line as ``dumps`` writes it is read only for the record it names (its
    decision left unparsed); any other line is parsed whole.
    """
    for line_no, line in numbered_lines(lines):
        belongs = _belongs(fast, line) if line.startswith(_DECISION_LINE_START) else None
        if belongs is not None:
            yield line_no, {DECISION_LINE_KEY: belongs, "decision": _UNREAD}
        else:
            yield line_no, parse_json_line(fast, line_no, line)


def _lines(codec: _Reads, record: RecordedEvent) -> str:
    """One record's JSON lines: its decision's line, if it has a decision, then its own."""
    data = codec.to_dict(record)
    decision = data.pop("decision", None)
    line = json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"
    if decision is None:
        return line
    belongs = json.dumps({"stream_id": record.stream_id, "stream_version": record.stream_version}, sort_keys=True)
    decided = json.dumps(decision, ensure_ascii=False, sort_keys=True)
    return f'{_DECISION_LINE_START}{belongs}, "decision": {decided}}}\n{line}'


def with_decisions(values: Iterable[tuple[int, Any]], *, join: bool = True) -> Iterator[tuple[int, Any]]:
    """Each record's plain data and line number, a decision line's decision put back in its record.

    Args:
        values: Each non-blank line's number and JSON value, in order.
        join: ``False`` to check only that each decision line stands just before its
            record, leaving the record's data as it is (what reading facts needs).

    Raises:
        CodecError: At a decision line that is not of its shape, or is not followed by
            the record it names (naming the decision line).
    """
    waiting: tuple[int, dict[str, Any]] | None = None  # a decision line and its data
    for line_no, data in values:
        if type(data) is dict and DECISION_LINE_KEY in data:
            # a line not of the shape is named first (one iter_facts read in part was checked then)
            decided = data if data.get("decision") is _UNREAD else _decision_line(line_no, data)
            if waiting is not None:
                raise _unfollowed(waiting, "another decision line follows it")
            waiting = (line_no, decided)
            continue
        if waiting is not None:
            _check_follows(waiting, data)
            if join:
                data = dict(data)
                data["decision"] = waiting[1]["decision"]
            waiting = None
        yield line_no, data
    if waiting is not None:
        raise _unfollowed(waiting, "the log ends after it")


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
    start = len(_DECISION_LINE_START)
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
    shown = str(version) if -(10**18) < version < 10**18 else "a number too long to show"
    return CodecError(
        waiting[0],
        f"$.{DECISION_LINE_KEY}",
        f"a decision line must come just before its record ({stream} version {shown}): {why}",
    )


class _NotJson(Exception):
    """A line that is not JSON, carried past the pairing of decisions (``loads`` names it at once)."""

    def __init__(self, error: CodecError) -> None:
        super().__init__(error)
        self.error = error


def _parsed_or_stop(fast: FastLoads | None, lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, Any]]:
    """Each numbered line's JSON value, as it is read; a line that is not JSON raised as :class:`_NotJson`."""
    for line_no, line in lines:
        try:
            value = parse_json_line(fast, line_no, line)
        except CodecError as error:
            raise _NotJson(error) from None
        yield line_no, value


def _pieces(lines: Iterable[str]) -> Iterable[str]:
    if isinstance(lines, str):
        return (lines,)
    if isinstance(lines, bytes | bytearray | memoryview) or not isinstance(lines, Iterable):
        raise CodecError(None, "$", f"expected text or an iterable of text, got {type(lines).__name__}")
    return lines
