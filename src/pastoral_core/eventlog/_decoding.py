"""Decoding plain data: tagged dicts upcast by their registry, and two-pass structuring.

A fast cattrs pass (no detailed validation) for trusted data, and only if it fails a
detailed pass whose :class:`~pastoral_core.exceptions.CodecError` names the record and
the field path, never the offending value of a text field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import cattrs

from pastoral_core.eventlog._converter import format_exception
from pastoral_core.eventlog._registry import VERSION_KEY, TypeRegistry
from pastoral_core.exceptions import CodecError, PastoralCoreError, UnknownType

T = TypeVar("T")


class Bad(Exception):
    """What is wrong with prepared data, and where (raised before structuring)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason


def prepare_tagged(registry: TypeRegistry, data: Any, path: str, type_key: str) -> dict[str, Any]:
    """A tagged dict upcast to its type's current version, its tag kept.

    Raises:
        Bad: If ``data`` is not an object, lacks its tag or version, or names no type.
    """
    if not isinstance(data, Mapping):
        raise Bad(path, f"expected an object, got {type(data).__name__}")
    fields = dict(data)
    if type_key not in fields:
        raise Bad(f"{path}.{type_key}", "required field missing")
    if VERSION_KEY not in fields:
        raise Bad(f"{path}.{VERSION_KEY}", "required field missing")
    name = fields.pop(type_key)
    version = fields.pop(VERSION_KEY)
    try:
        upcast = registry.upcast(name, version, fields)
    except UnknownType as exc:
        raise Bad(f"{path}.{type_key}", str(exc)) from None
    upcast[type_key] = name
    return upcast


def structure(fast: cattrs.Converter, detailed: cattrs.Converter, record: int | None, prepared: Any, cls: type[T]) -> T:
    """``prepared`` as a ``cls``: the fast pass, else a ``CodecError`` from the detailed one.

    Raises:
        CodecError: Naming ``record`` and the field path of the first problem.
    """
    try:
        return fast.structure(prepared, cls)
    except Exception:  # the detailed pass below says what was wrong
        pass
    try:
        detailed.structure(prepared, cls)
    except cattrs.BaseValidationError as exc:
        message = cattrs.transform_error(exc, path="$", format_exception=format_exception)[0]
        reason, _, path = message.rpartition(" @ ")
        raise CodecError(record, path, reason) from None
    except Exception as exc:
        raise CodecError(record, "$", _reason_of(exc)) from None
    raise CodecError(record, "$", "could not be decoded")  # pragma: no cover


def _reason_of(exc: Exception) -> str:
    # Errors raised while building a validated value (a command) name the field and never
    # quote free text; anything else is reported by its kind only.
    if isinstance(exc, PastoralCoreError):
        return str(exc)
    return f"could not be decoded ({type(exc).__name__})"
