"""The JSON-lines half of the codec: one record per line, read all at once, streamed, or as facts.

A command's decision is written on a line of its own, just before the first record of
the command's batch (``decision_of`` first, see ``_decision_lines``), so that a reader of facts can skip
it without parsing it: a decision is most of a record's bytes. Lines written before this
(the decision inside its record's line) are read as they always were.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol

from pastoral_core.eventlog._decision_lines import (
    DECISION_LINE_START,
    HELD,
    DecisionLineNames,
    Pairing,
    decision_line_value,
    with_decisions,
)
from pastoral_core.eventlog._jsonlines import FastLoads, numbered_lines, parse_json_line
from pastoral_core.eventlog._recorded import CODEC_READ, Fact, ReadFacts, RecordedEvent
from pastoral_core.exceptions import CodecError

#: The codec classes whose facts ``checked_facts`` takes as read (the library's ``Codec``, not a subclass).
TRUSTED_READERS: set[type] = set()


class _Reads(Protocol):
    """What the JSON-lines methods need of their codec (``Codec`` has it all)."""

    @property
    def json_reader(self) -> FastLoads | None: ...

    def to_dict(self, record: RecordedEvent) -> dict[str, Any]: ...

    def from_dict(self, data: Mapping[str, Any], *, record: int | None = None) -> RecordedEvent: ...

    def fact_from_dict(self, data: Any, *, record: int | None = None) -> Fact: ...

    def fact_builder(self) -> Callable[[Any], Fact]: ...


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
        facts = JsonLines._iter_facts(self, _pieces(lines))
        # only the library's own codec is trusted to have checked what it read: a subclass
        # may read facts its own way, and they are checked as a host's own facts are
        return ReadFacts(facts, CODEC_READ) if type(self) in TRUSTED_READERS else facts

    def _iter_facts(self: _Reads, lines: Iterable[str]) -> Iterator[Fact]:
        # One pass, as Pairing pairs the lines one at a time, with one shortcut: a decision
        # line as dumps writes it waits unread for the record after it, and when it names
        # that record (compared as text) it is skipped. Anything else is read as Pairing
        # reads it, in the order of the lines, so the errors are the same.
        fast = self.json_reader
        build, fact_from_dict = self.fact_builder(), self.fact_from_dict
        pairing = Pairing(join=False)
        names = DecisionLineNames()
        deferred: tuple[int, str] | None = None  # a decision line, compared with the record after it
        source = numbered_lines(lines)

        def settle() -> None:  # the held decision line, read as Pairing reads it (its error, if any)
            if deferred is not None:
                pairing.take(deferred[0], decision_line_value(fast, *deferred))

        while True:
            try:
                line_no, line = next(source)
            except StopIteration:
                break
            except Exception:  # the text failed (not text, the host's file): a held line is named first
                settle()
                raise
            if line.startswith(DECISION_LINE_START):
                if deferred is None and pairing.idle:
                    deferred = (line_no, line)
                    continue
                settle()
                deferred = None
                data = pairing.take(line_no, decision_line_value(fast, line_no, line))
                if data is not HELD:
                    yield fact_from_dict(data, record=line_no)
                continue
            try:
                data = parse_json_line(fast, line_no, line)
            except CodecError:
                settle()  # the decision line before it is named first, if it is wrong
                raise
            if deferred is None or not names(deferred[1], data):
                settle()
                data = pairing.take(line_no, data)
                if data is HELD:
                    deferred = None
                    continue
            deferred = None
            try:
                made = build(data)
            except Exception:  # not of the usual shape: the codec's paths say why, if anything
                made = fact_from_dict(data, record=line_no)
            yield made
        settle()
        pairing.end()


def _lines(codec: _Reads, record: RecordedEvent) -> str:
    """One record's JSON lines: its decision's line, if it has a decision, then its own."""
    data = codec.to_dict(record)
    decision = data.pop("decision", None)
    line = json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"
    if decision is None:
        return line
    belongs = json.dumps({"stream_id": record.stream_id, "stream_version": record.stream_version}, sort_keys=True)
    decided = json.dumps(decision, ensure_ascii=False, sort_keys=True)
    return f'{DECISION_LINE_START}{belongs}, "decision": {decided}}}\n{line}'


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
