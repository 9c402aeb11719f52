"""Reading JSON lines: one record per line, split on newline only."""

from __future__ import annotations

import json
from typing import Any

from pastoral_core.exceptions import CodecError


def parse_json_lines(text: str) -> list[tuple[int, Any]]:
    """Parse JSON lines into ``(line number, value)`` pairs, skipping blank lines.

    Raises:
        CodecError: If a line is not valid JSON (including nesting too deep to read, or a
            number too long to convert).

    """
    parsed: list[tuple[int, Any]] = []
    # Split on "\n" only: str.splitlines() would also split inside JSON strings holding
    # U+0085, U+2028 and other separators (dumps writes them raw).
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            parsed.append((line_no, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise CodecError(line_no, "$", f"invalid JSON: {exc.msg} at column {exc.colno}") from None
        except (ValueError, RecursionError) as exc:
            raise CodecError(line_no, "$", f"invalid JSON ({type(exc).__name__})") from None
    return parsed
