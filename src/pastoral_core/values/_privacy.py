"""Reprs that never show free text: a note's text is personal data, a repr ends up in logs."""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from typing import Annotated, Any

import attrs

from pastoral_core.values._vocabulary import TextKind

_HIDDEN: dict[type, frozenset[str] | None] = {}


def _is_free_text(tp: Any) -> bool:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):  # FreeText | None
        return any(_is_free_text(a) for a in args)
    return origin is Annotated and any(isinstance(extra, TextKind) and extra.free for extra in args[1:])


def free_text_fields(cls: type) -> tuple[str, ...]:
    """The names of the top-level fields of ``cls`` annotated as free text (:data:`FreeText`, :data:`Reason`)."""
    return _free_text_fields(cls)


@functools.cache  # once per class: the annotations of a class do not change
def _free_text_fields(cls: type) -> tuple[str, ...]:
    hints = typing.get_type_hints(cls, include_extras=True)
    return tuple(f.name for f in attrs.fields(cls) if _is_free_text(hints[f.name]))


def free_text_paths(cls: type) -> tuple[tuple[str, ...], ...]:
    """Where free text sits in ``cls``, at any depth, as paths of field names.

    ``"*"`` stands for every item of a tuple or set: ``("override", "reason")`` in
    ``AllocateOfficer``, ``("recipients", "*", "note")`` for a free-text field of the items
    of a collection.
    """
    return _free_text_paths(cls)


@functools.cache  # once per class
def _free_text_paths(cls: type) -> tuple[tuple[str, ...], ...]:
    def walk(tp: Any, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        if _is_free_text(tp):
            return [path]
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is Annotated:
            return walk(args[0], path)
        if origin in (typing.Union, types.UnionType):
            return [p for a in args for p in walk(a, path)]
        if origin in (tuple, frozenset):
            return [p for a in args if a is not Ellipsis for p in walk(a, (*path, "*"))]
        if isinstance(tp, type) and attrs.has(tp):
            hints = typing.get_type_hints(tp, include_extras=True)
            return [p for f in attrs.fields(tp) for p in walk(hints[f.name], (*path, f.name))]
        return []

    return tuple(dict.fromkeys(walk(cls, ())))


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
    """An attrs-style repr in which every free-text field (``ShortText``, ``FreeText``, ``Reason``) shows its length.

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


def free_text_values(value: Any) -> Iterator[tuple[str, str]]:
    """Every free-text value held in attrs value ``value``, at any depth, with its path.

    Paths read like ``overrides[0].reason``; ``None`` values are skipped.
    """
    for path in free_text_paths(type(value)):
        yield from _walk(value, path, "")


def _walk(value: Any, path: tuple[str, ...], where: str) -> Iterator[tuple[str, str]]:
    if value is None:
        return
    if not path:
        if isinstance(value, str):
            yield where, value
        return
    step, rest = path[0], path[1:]
    if step == "*":
        items = sorted(value, key=repr) if isinstance(value, frozenset) else value
        for n, item in enumerate(items):
            yield from _walk(item, rest, f"{where}[{n}]")
        return
    yield from _walk(getattr(value, step), rest, f"{where}.{step}" if where else step)
