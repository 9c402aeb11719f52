"""Small helpers for immutable state: read-only mappings and constructor-based replace."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar, cast

import attrs

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

EMPTY: Mapping[Any, Any] = MappingProxyType({})
_FIELDS: dict[type, tuple[str, ...]] = {}


def with_item(mapping: Mapping[K, V], key: K, value: V) -> Mapping[K, V]:
    """A read-only copy of ``mapping`` with ``key`` set to ``value``."""
    copy = dict(mapping)
    copy[key] = value
    return MappingProxyType(copy)


def replace(instance: T, **changes: Any) -> T:
    """A new instance of the same attrs class with ``changes`` applied, via its constructor.

    Cheaper than ``attrs.evolve`` on the replay path: field names are cached per class.
    """
    cls = type(instance)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in attrs.fields(cast(Any, cls)))
    return cls(**{n: changes[n] if n in changes else getattr(instance, n) for n in names})
