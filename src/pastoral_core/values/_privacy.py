"""Reprs that never show free text: a note's text is personal data, a repr ends up in logs."""

from __future__ import annotations

from typing import Any

import attrs

from pastoral_core.values._checks import free_text_fields

_HIDDEN: dict[type, frozenset[str] | None] = {}


def _hidden_fields(cls: type) -> frozenset[str] | None:
    if cls not in _HIDDEN:
        try:
            _HIDDEN[cls] = frozenset(free_text_fields(cls))
        except Exception:  # annotations that cannot be resolved: hide every text field instead
            _HIDDEN[cls] = None
    return _HIDDEN[cls]


def hidden_text(value: object) -> str:
    """How a free-text value shows in a repr: its length, never its content."""
    if value is None:
        return "None"
    if isinstance(value, str):
        return f"<{len(value)} characters hidden>"
    return f"<{type(value).__name__} hidden>"


def redacting_repr(self: Any) -> str:
    """An attrs-style repr in which every free-text field (``FreeText``, ``Reason``) shows only its length.

    Nested values show through their own repr, so a command's ``Override`` hides its reason
    as well. Used by every registered command and event, and by ``Override``.
    """
    cls = type(self)
    hidden = _hidden_fields(cls)
    parts = []
    for field in attrs.fields(cls):
        if not field.repr:
            continue
        value = getattr(self, field.name)
        secret = field.name in hidden if hidden is not None else isinstance(value, str)
        parts.append(f"{field.name}={hidden_text(value) if secret else repr(value)}")
    return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({', '.join(parts)})"
