"""Reading JSON lines: one record per line, split on newline only, with stdlib json or orjson.

Both JSON backends read every line to the same value, or refuse it with the same
:class:`~pastoral_core.exceptions.CodecError`: the standard library's ``json`` is the
reference, and orjson (the optional ``[fast]`` extra) reads only the lines it reads exactly
as ``json`` does. ``json`` reads the others, and its verdict stands:

- a line holding a run of 19 digits or more (orjson turns an integer beyond 64 bits into
  a float; ``json`` keeps it exact, or refuses one longer than Python converts). Such a
  run inside a string, say a hex digest, sends the line to ``json`` too: the check is
  cheap, and on the safe side;
- a line with more than 256 opening brackets (orjson stops at a nesting of 1024; ``json``
  at the interpreter's recursion limit, less the stack already in use);
- a line orjson refuses: ``NaN``, ``Infinity``, a number too large for a float, a lone
  surrogate, a byte order mark, a control character (``json`` reads or refuses them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pastoral_core.exceptions import CodecError, InvalidType, InvalidValue

#: orjson's reader of UTF-8 bytes, where a codec uses it (``None``: the standard library's alone).
FastLoads = Callable[[bytes], Any]


def _load_orjson() -> FastLoads | None:
    try:
        import orjson
    except ImportError:  # pragma: no cover - the [fast] extra is installed for the suite
        return None
    return orjson.loads


_ORJSON_LOADS = _load_orjson()

#: The JSON backends this installation can use: ``"stdlib"`` always, ``"orjson"`` when the
#: ``[fast]`` extra is installed. ``Codec(json_backend="auto")`` takes the last of them.
JSON_BACKENDS: tuple[str, ...] = ("stdlib", "orjson") if _ORJSON_LOADS is not None else ("stdlib",)

_CHOICES = ("auto", "stdlib", "orjson")
# every digit to 0 and every { to [: one pass gives both the runs of digits and the openings
_MARKED = bytes.maketrans(b"123456789{", b"000000000[")
_LONG_NUMBER = b"0" * 19  # 64 bits hold every integer of up to 18 digits
_MAX_OPENINGS = 256  # far below orjson's nesting limit and the interpreter's recursion limit


def json_parser(backend: object) -> tuple[str, FastLoads | None]:
    """The name and fast reader of a JSON backend choice.

    Args:
        backend: ``"auto"`` (orjson if installed, else the standard library), ``"stdlib"``
            or ``"orjson"``.

    Returns:
        The backend's name (``"stdlib"`` or ``"orjson"``) and orjson's reader for
        :func:`parse_json_line` (``None`` for the standard library alone).

    Raises:
        InvalidType: If ``backend`` is not a string.
        InvalidValue: If it names no backend, or ``"orjson"`` is not installed.
    """
    if not isinstance(backend, str):
        raise InvalidType("Codec", "json_backend", f"must be one of {_CHOICES}, got {type(backend).__name__}")
    if backend not in _CHOICES:
        raise InvalidValue("Codec", "json_backend", f"must be one of {_CHOICES}")
    if backend == "auto":
        backend = "stdlib" if _ORJSON_LOADS is None else "orjson"
    if backend == "stdlib":
        return "stdlib", None
    if _ORJSON_LOADS is None:  # pragma: no cover - the [fast] extra is installed for the suite
        raise InvalidValue("Codec", "json_backend", "orjson is not installed (install pastoral-core[fast])")
    return "orjson", _ORJSON_LOADS


def parse_json_line(fast: FastLoads | None, line_no: int, line: str) -> Any:
    """One line's JSON value, read by orjson where it reads as ``json`` does, else by ``json``.

    ``json`` is always called from this frame, whichever the backend: how deep a line it
    can read depends on how deep the stack already is.

    Raises:
        CodecError: If the line is not valid JSON (including nesting too deep to read, or a
            number too long to convert), naming ``line_no``.
    """
    if fast is not None:
        try:
            data = line.encode()
        except UnicodeEncodeError:  # a lone surrogate: orjson cannot take it
            data = None
        if data is not None:
            marked = data.translate(_MARKED)
            if marked.count(b"[") <= _MAX_OPENINGS and _LONG_NUMBER not in marked:
                try:
                    return fast(data)
                except Exception:  # orjson refuses it: json reads it, or says why not
                    pass
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise CodecError(line_no, "$", f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise CodecError(line_no, "$", f"invalid JSON ({type(exc).__name__})") from None


def is_blank(line: str) -> bool:
    """Whether a line holds nothing but whitespace (a blank line is skipped, never a record)."""
    return not line or line.isspace()


#: The longest chunk split at once (a longer one is cut line by line, so no list of its lines is held).
SPLIT_AT = 1 << 20


def _complete_lines(chunk: str, pending: list[str]) -> list[str] | Iterator[str]:
    """The lines ``chunk`` completes (the first joined to ``pending``); what follows its last newline joins ``pending``.

    A short chunk is split at once; a long one is cut a line at a time (:func:`_cut_lines`).
    """
    if len(chunk) <= SPLIT_AT:
        lines = chunk.split("\n")
        tail = lines.pop()
        if lines and pending:
            pending.append(lines[0])
            lines[0] = "".join(pending)
            pending.clear()
        if tail:
            pending.append(tail)
        return lines
    return _cut_lines(chunk, pending)


def _cut_lines(chunk: str, pending: list[str]) -> Iterator[str]:
    """:func:`_complete_lines` for a long chunk: one line at a time."""
    start = 0
    end = chunk.find("\n")
    while end != -1:
        line = chunk[start:end]
        if pending:
            pending.append(line)
            line = "".join(pending)
            pending.clear()
        yield line
        start = end + 1
        end = chunk.find("\n", start)
    if start < len(chunk):
        pending.append(chunk[start:])


def numbered_lines(chunks: Iterable[str]) -> Iterator[tuple[int, str]]:
    r"""The non-blank lines of the text ``"".join(chunks)``, numbered from 1, one at a time.

    Lines end at ``"\n"`` only, wherever the chunks happen to be cut, so the numbers and
    the lines are those of ``text.split("\n")``. A chunk of up to :data:`SPLIT_AT`
    characters is split at once; a longer one is cut a line at a time, so at most one
    line of it is held.

    Raises:
        CodecError: If a chunk is not text (when it is reached).
    """
    if type(chunks) is tuple and len(chunks) == 1 and type(chunks[0]) is str and len(chunks[0]) <= SPLIT_AT:
        # the whole text in one short string (one case's lines, a small log): split at once,
        # and the lines handed out by a list's own iterator
        numbered = enumerate(chunks[0].split("\n"), start=1)
        return iter([(line_no, line) for line_no, line in numbered if line and not line.isspace()])
    return _numbered_lines(chunks)


def _numbered_lines(chunks: Iterable[str]) -> Iterator[tuple[int, str]]:
    line_no = 0
    pending: list[str] = []  # the pieces of a line that began in an earlier chunk
    for chunk in chunks:
        if type(chunk) is str and not pending and chunk and chunk.find("\n") == len(chunk) - 1:
            # one whole line, as a file the host opened hands them out
            line_no += 1
            if len(chunk) > 1 and not chunk.isspace():
                yield line_no, chunk[:-1]
            continue
        if not isinstance(chunk, str):
            raise CodecError(None, "$", f"expected text, got {type(chunk).__name__}")
        for line in _complete_lines(chunk, pending):
            line_no += 1
            if line and not line.isspace():  # is_blank, inline: this runs once a line
                yield line_no, line
    line = "".join(pending)
    if not is_blank(line):
        yield line_no + 1, line
