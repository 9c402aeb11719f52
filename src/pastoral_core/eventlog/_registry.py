"""The event registry: stable type names, schema versions and upcasters."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

#: The key that carries an event's stable type name in its serialised form.
TYPE_KEY = "event_type"
#: The key that carries an event's schema version in its serialised form.
VERSION_KEY = "schema_version"

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@attrs.frozen
class Event:
    """Base class of every domain event: an immutable fact, compared by value.

    Subclasses are frozen attrs classes registered with :func:`event_type`, which gives
    them a stable type name and a schema version independent of the Python class name.
    """


E = TypeVar("E", bound=type[Event])


class DuplicateEventType(ValueError):
    """A type name or class was registered twice."""


class UnknownEventType(LookupError):
    """A type name, version or class is not in the registry."""


@attrs.frozen
class EventType:
    """A registered event: its stable name, current schema version and class."""

    name: str
    version: int
    cls: type[Event]


class EventRegistry:
    """Maps stable event type names to classes and versions, and holds upcasters.

    A registry refuses a second class with the same name, and a class registered twice.
    Upcasters turn the raw dict of an old schema version into the next version, so a
    stored log written years ago still loads into today's classes.
    """

    def __init__(self) -> None:
        self._by_name: dict[str, EventType] = {}
        self._by_class: dict[type[Event], EventType] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        self._generation = 0

    @property
    def generation(self) -> int:
        """A counter that changes whenever the registry changes (for caches)."""
        return self._generation

    def register(self, name: str, version: int = 1) -> Callable[[E], E]:
        """Class decorator: register an event class under ``name`` at ``version``.

        Args:
            name: Stable dotted type name, e.g. ``"case.request_received"``.
            version: Current schema version of the class, 1 or more.

        Returns:
            A decorator that registers the class and returns it unchanged.

        Raises:
            DuplicateEventType: If the name or the class is already registered.
            ValueError: If the name or version is malformed, or the class is not a
                attrs subclass of :class:`Event` (which makes it frozen), or uses a
                reserved field name.

        """

        def decorate(cls: E) -> E:
            self.add(cls, name, version)
            return cls

        return decorate

    def add(self, cls: type[Event], name: str, version: int = 1) -> EventType:
        """Register ``cls`` (see :meth:`register`) and return its :class:`EventType`."""
        if not _NAME.match(name):
            raise ValueError(f"event type name {name!r} must be lower-case dotted words, e.g. 'case.request_received'")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ValueError(f"schema version of {name!r} must be an int >= 1, got {version!r}")
        is_attrs_event = isinstance(cls, type) and issubclass(cls, Event) and attrs.has(cls)
        if not is_attrs_event:
            raise ValueError(f"{cls!r} must be an attrs class deriving from Event")
        reserved = {TYPE_KEY, VERSION_KEY} & {f.name for f in attrs.fields(cls)}
        if reserved:
            raise ValueError(f"{cls.__name__} uses reserved field name(s) {sorted(reserved)}")
        if name in self._by_name:
            raise DuplicateEventType(f"event type {name!r} is already registered to {self._by_name[name].cls.__name__}")
        if cls in self._by_class:
            raise DuplicateEventType(f"{cls.__name__} is already registered as {self._by_class[cls].name!r}")
        entry = EventType(name, version, cls)
        self._by_name[name] = entry
        self._by_class[cls] = entry
        self._generation += 1
        return entry

    def upcaster(self, name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Register a function turning version ``from_version`` of ``name`` into the next.

        The function receives the raw field dict (without the type and version keys) and
        returns the field dict of version ``from_version + 1``.

        Raises:
            DuplicateEventType: If an upcaster for that name and version already exists.

        """

        def decorate(fn: Upcaster) -> Upcaster:
            key = (name, from_version)
            if key in self._upcasters:
                raise DuplicateEventType(f"upcaster for {name!r} v{from_version} already exists")
            self._upcasters[key] = fn
            self._generation += 1
            return fn

        return decorate

    def of_class(self, cls: type[Event]) -> EventType:
        """The registration of an event class.

        Raises:
            UnknownEventType: If the class was never registered.

        """
        try:
            return self._by_class[cls]
        except KeyError:
            raise UnknownEventType(
                f"{cls.__name__} is not a registered event; decorate it with @event_type(...)"
            ) from None

    def of_name(self, name: str) -> EventType:
        """The registration for a stable type name.

        Raises:
            UnknownEventType: If no class is registered under that name.

        """
        try:
            return self._by_name[name]
        except (KeyError, TypeError):
            raise UnknownEventType(f"unknown event type {name!r}") from None

    def upcast(self, name: str, version: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Bring the raw ``fields`` of ``name`` at ``version`` up to the current version.

        Raises:
            UnknownEventType: If the name is unknown, the version is newer than the code
                knows, or an upcaster in the chain is missing.

        """
        current = self.of_name(name).version
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise UnknownEventType(f"{name!r} has invalid schema version {version!r}")
        if version > current:
            raise UnknownEventType(f"{name!r} v{version} is newer than this code knows (v{current}); upgrade")
        result = dict(fields)
        while version < current:
            try:
                step = self._upcasters[(name, version)]
            except KeyError:
                raise UnknownEventType(f"no upcaster for {name!r} from v{version}") from None
            result = step(result)
            version += 1
        return result

    def __iter__(self) -> Iterator[EventType]:
        """Every registration, in registration order."""
        return iter(tuple(self._by_name.values()))

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, item: object) -> bool:
        return item in self._by_name or item in self._by_class


#: The registry every pastoral_core event is registered in.
EVENTS = EventRegistry()


def event_type(name: str, version: int = 1) -> Callable[[E], E]:
    """Register an event class in the default registry :data:`EVENTS`.

    Example::

        @event_type("case.request_received", version=1)
        @attrs.frozen
        class RequestReceived(Event): ...

    Args:
        name: Stable dotted type name stored in the log.
        version: Current schema version.

    Returns:
        The class decorator.

    """
    return EVENTS.register(name, version)
