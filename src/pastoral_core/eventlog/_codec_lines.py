"""The JSON-lines half of the codec: one record per line, read all at once, streamed, or as facts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from pastoral_core.eventlog._jsonlines import FastLoads, is_blank, numbered_lines, parse_json_line
from pastoral_core.eventlog._recorded import Fact, RecordedEvent
from pastoral_core.exceptions import CodecError


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
        """Serialise recorded events as JSON lines (one record per line, UTF-8 text)."""
        return "".join(json.dumps(self.to_dict(r), ensure_ascii=False, sort_keys=True) + "\n" for r in records)

    def loads(self: _Reads, text: str) -> tuple[RecordedEvent, ...]:
        """Parse JSON lines into recorded events; all or nothing.

        Blank lines are ignored. The record number in errors is the line number. A line
        that is not JSON is named before any line that is JSON but not a valid record,
        wherever the two are in the text (:meth:`iter_loads` names whichever comes first).

        Raises:
            CodecError: On the first malformed line; no partial result is returned.

        """
        if not isinstance(text, str):
            raise CodecError(None, "$", f"expected text, got {type(text).__name__}")
        # Each line is structured as soon as it is read, so the plain data of the whole
        # log is never held at once; after a line that cannot be structured the rest are
        # still read, since a later line that is not JSON is the one to name.
        fast = self.json_reader
        records = []
        lines = enumerate(text.split("\n"), start=1)
        for line_no, line in lines:
            if not is_blank(line):
                raw = parse_json_line(fast, line_no, line)
                try:
                    records.append(self.from_dict(raw, record=line_no))
                except Exception:
                    for later_no, later in lines:
                        if not is_blank(later):
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
        fast = self.json_reader
        for line_no, line in numbered_lines(lines):
            yield self.from_dict(parse_json_line(fast, line_no, line), record=line_no)

    def iter_facts(self: _Reads, lines: Iterable[str]) -> Iterator[Fact]:
        """Read from JSON lines only what folding needs: one :class:`Fact` per record, as it is consumed.

        Each line is parsed as :meth:`iter_loads` parses it, but of a record of the usual
        shape only its stream, version, times, organisation and event are built and
        checked; its actor, decision and digests are not (check whole records with
        :meth:`loads` or :meth:`iter_loads`, and the chain with ``verify``). Give the
        facts to ``states_from`` or ``Aggregate.replay_facts`` for the states, to
        ``Payments.of`` for the money: a log's states without building its records.

        Args:
            lines: Text in pieces (any iterable of ``str``), or one ``str`` (see :meth:`iter_loads`).

        Raises:
            CodecError: As :meth:`iter_loads` raises it: at once for what is not text,
                while iterating at a line that is not JSON or whose record cannot be read.
        """
        return JsonLines._iter_facts(self, _pieces(lines))

    def _iter_facts(self: _Reads, lines: Iterable[str]) -> Iterator[Fact]:
        fast = self.json_reader
        for line_no, line in numbered_lines(lines):
            yield self.fact_from_dict(parse_json_line(fast, line_no, line), record=line_no)


def _pieces(lines: Iterable[str]) -> Iterable[str]:
    if isinstance(lines, str):
        return (lines,)
    if isinstance(lines, bytes | bytearray | memoryview) or not isinstance(lines, Iterable):
        raise CodecError(None, "$", f"expected text or an iterable of text, got {type(lines).__name__}")
    return lines
