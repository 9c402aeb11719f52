"""The codec over the default registries, and the module-level functions that use it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pastoral_core.eventlog._codec import Codec
from pastoral_core.eventlog._recorded import Fact, RecordedEvent

#: The codec over the default registries.
DEFAULT_CODEC = Codec()


def to_dict(record: RecordedEvent) -> dict[str, Any]:
    """Unstructure a recorded event with the default codec."""
    return DEFAULT_CODEC.to_dict(record)


def from_dict(data: Mapping[str, Any]) -> RecordedEvent:
    """Structure a recorded event with the default codec.

    Raises:
        CodecError: If the dict is malformed.

    """
    return DEFAULT_CODEC.from_dict(data)


def dumps(records: Iterable[RecordedEvent]) -> str:
    """Serialise recorded events as JSON lines with the default codec."""
    return DEFAULT_CODEC.dumps(records)


def loads(text: str) -> tuple[RecordedEvent, ...]:
    """Parse JSON lines with the default codec (all or nothing).

    Raises:
        CodecError: Naming the line and field path of the first problem.

    """
    return DEFAULT_CODEC.loads(text)


def iter_facts(lines: Iterable[str]) -> Iterator[Fact]:
    """Read facts from JSON lines with the default codec (see :meth:`Codec.iter_facts`).

    Raises:
        CodecError: Naming the line and field path of the first problem.

    """
    return DEFAULT_CODEC.iter_facts(lines)


def iter_loads(lines: Iterable[str]) -> Iterator[RecordedEvent]:
    """Parse JSON lines with the default codec, one record at a time (see :meth:`Codec.iter_loads`).

    Raises:
        CodecError: Naming the line and field path of the first problem.

    """
    return DEFAULT_CODEC.iter_loads(lines)
