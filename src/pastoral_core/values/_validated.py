"""Validated attrs classes and the validators of fields that hold whole objects."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

import attrs

from pastoral_core.exceptions import InvalidType
from pastoral_core.values._checks import _kind_of, check_fields


@attrs.frozen
class Validated:
    """Base for attrs classes whose fields are all checked when built (see :func:`check_fields`)."""

    def __attrs_post_init__(self) -> None:
        check_fields(self)


def instance_of(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator: the value must be exactly a ``cls`` (``InvalidType`` naming the field)."""

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not cls:
            raise InvalidType(
                type(instance).__name__, attribute.name, f"expected a {cls.__name__}, got {_kind_of(value)}"
            )

    return validate


def mapping_of(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator: a mapping from ids (strings) to exactly ``cls`` values."""

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        owner = type(instance).__name__
        if not isinstance(value, typing.Mapping):
            raise InvalidType(owner, attribute.name, f"expected a mapping of {cls.__name__}, got {_kind_of(value)}")
        for key, item in value.items():
            if type(key) is not str or type(item) is not cls:
                raise InvalidType(owner, attribute.name, f"expected ids mapped to {cls.__name__} values")

    return validate
