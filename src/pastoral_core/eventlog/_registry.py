"""Registries of stable type names, schema versions and upcasters, for events and commands."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from pastoral_core.exceptions import DuplicateType, InvalidType, InvalidValue, UnknownType
from pastoral_core.values import redacting_repr

#: The key that carries an event's stable type name in its serialised form.
TYPE_KEY = "event_type"
#: The key that carries a command's stable type name in its serialised form.
COMMAND_TYPE_KEY = "command_type"
#: The key that carries a schema version in the serialised form of events and commands.
VERSION_KEY = "schema_version"

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

#: attrs metadata key marking a field added to a stored class after logs were written.
ADDED_LATER = "pastoral_core.added_later"

T = TypeVar("T")


def added_field(default: T) -> T:
    """Declare a field added to an event, or to a value inside one, after logs were written.

    The stored form leaves the field out while it holds ``default``, and a record
    without it decodes to ``default``: records written before the field existed load,
    re-encode byte for byte as they were sealed, and verify, without a schema version
    or an upcaster.
    """
    result: T = attrs.field(default=default, metadata={ADDED_LATER: True})
    return result


def added_fields(cls: type) -> tuple[str, ...]:
    """Names of the fields of attrs class ``cls`` declared with :func:`added_field`."""
    if not attrs.has(cls):
        return ()
    return tuple(f.name for f in attrs.fields(cls) if f.metadata.get(ADDED_LATER))


@attrs.frozen
class Event:
    """Base class of every domain event: an immutable fact, compared by value.

    Subclasses are frozen attrs classes registered with :func:`event_type`, which gives
    them a stable type name and a schema version independent of the Python class name.
    """


E = TypeVar("E", bound=type)


@attrs.frozen
class RegisteredType:
    """A registered event or command class: its stable name, current schema version and class."""

    name: str
    version: int
    cls: type


class TypeRegistry:
    """Maps stable type names to classes and versions, and holds upcasters.

    A registry refuses a second class with the same name, and a class registered twice.
    Upcasters turn the raw dict of an old schema version into the next version, so a
    stored log written years ago still loads into today's classes. One registry holds
    events (:data:`EVENTS`), another commands (:data:`COMMANDS`).

    Args:
        base: The class every registered class must derive from (``None``: any attrs class).
        noun: ``"event"`` or ``"command"``, for messages.
        type_key: The key that carries the type name in the serialised form.
    """

    def __init__(self, base: type | None = None, noun: str = "event", type_key: str = TYPE_KEY) -> None:
        self.base = base
        self.noun = noun
        self.type_key = type_key
        self._by_name: dict[str, RegisteredType] = {}
        self._by_class: dict[type, RegisteredType] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        self._generation = 0

    @property
    def generation(self) -> int:
        """A counter that changes whenever the registry changes (for caches)."""
        return self._generation

    def register(self, name: str, version: int = 1) -> Callable[[E], E]:
        """Class decorator: register a class under ``name`` at ``version``.

        Args:
            name: Stable dotted type name, e.g. ``"case.request_received"``.
            version: Current schema version of the class, 1 or more.

        Returns:
            A decorator that registers the class and returns it unchanged.

        Raises:
            DuplicateType: If the name or the class is already registered.
            InvalidValue: If the name or version is malformed, or the class is not an
                attrs subclass of the registry's base, or uses a reserved field name.

        """

        def decorate(cls: E) -> E:
            self.add(cls, name, version)
            return cls

        return decorate

    def add(self, cls: type, name: str, version: int = 1) -> RegisteredType:
        """Register ``cls`` (see :meth:`register`) and return its :class:`RegisteredType`."""
        if not isinstance(name, str) or not _NAME.match(name):
            raise InvalidValue(
                self.noun, "name", f"{name!r} must be lower-case dotted words, e.g. 'case.request_received'"
            )
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise InvalidValue(self.noun, "version", f"schema version of {name!r} must be an int >= 1")
        base = self.base or object
        if not (isinstance(cls, type) and issubclass(cls, base) and attrs.has(cls)):
            raise InvalidType(self.noun, "cls", f"{cls!r} must be an attrs class deriving from {base.__name__}")
        reserved = {self.type_key, VERSION_KEY} & {f.name for f in attrs.fields(cls)}
        if reserved:
            raise InvalidValue(self.noun, "cls", f"{cls.__name__} uses reserved field name(s) {sorted(reserved)}")
        if name in self._by_name:
            raise DuplicateType(
                f"{self.noun} type {name!r} is already registered to {self._by_name[name].cls.__name__}"
            )
        if cls in self._by_class:
            raise DuplicateType(f"{cls.__name__} is already registered as {self._by_class[cls].name!r}")
        entry = RegisteredType(name, version, cls)
        cls.__repr__ = redacting_repr  # type: ignore[method-assign]  # free text never shows in a repr
        self._by_name[name] = entry
        self._by_class[cls] = entry
        self._generation += 1
        return entry

    def upcaster(self, name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Register a function turning version ``from_version`` of ``name`` into the next.

        The function receives the raw field dict (without the type and version keys) and
        returns the field dict of version ``from_version + 1``.

        Raises:
            DuplicateType: If an upcaster for that name and version already exists.

        """

        def decorate(fn: Upcaster) -> Upcaster:
            key = (name, from_version)
            if key in self._upcasters:
                raise DuplicateType(f"upcaster for {name!r} v{from_version} already exists")
            self._upcasters[key] = fn
            self._generation += 1
            return fn

        return decorate

    def of_class(self, cls: type) -> RegisteredType:
        """The registration of a class.

        Raises:
            UnknownType: If the class was never registered.

        """
        try:
            return self._by_class[cls]
        except (KeyError, TypeError):
            name = getattr(cls, "__name__", type(cls).__name__)
            raise UnknownType(
                f"{name} is not a registered {self.noun}; decorate it with @{self.noun}_type(...)"
            ) from None

    def of_name(self, name: str) -> RegisteredType:
        """The registration for a stable type name.

        Raises:
            UnknownType: If no class is registered under that name.

        """
        try:
            return self._by_name[name]
        except (KeyError, TypeError):
            shown = name if isinstance(name, str) and len(name) <= 80 else type(name).__name__
            raise UnknownType(f"unknown {self.noun} type {shown!r}") from None

    def upcast(self, name: str, version: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Bring the raw ``fields`` of ``name`` at ``version`` up to the current version.

        Raises:
            UnknownType: If the name is unknown, the version is newer than the code
                knows, an upcaster in the chain is missing, or one fails on these fields.

        """
        current = self.of_name(name).version
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise UnknownType(f"{name!r} has an invalid schema version")
        if version > current:
            raise UnknownType(f"{name!r} v{version} is newer than this code knows (v{current}); upgrade")
        result = dict(fields)
        while version < current:
            try:
                step = self._upcasters[(name, version)]
            except KeyError:
                raise UnknownType(f"no upcaster for {name!r} from v{version}") from None
            try:
                result = step(result)
            except Exception:  # an old record without what its upcaster reads: unreadable, said plainly
                raise UnknownType(
                    f"{name!r} v{version} could not be upcast (a field it needs is missing or wrong)"
                ) from None
            version += 1
        return result

    def __iter__(self) -> Iterator[RegisteredType]:
        """Every registration, in registration order."""
        return iter(tuple(self._by_name.values()))

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, item: object) -> bool:
        return item in self._by_name or item in self._by_class


class EventRegistry(TypeRegistry):
    """A registry of :class:`Event` classes (type key ``event_type``)."""

    def __init__(self) -> None:
        super().__init__(Event, "event", TYPE_KEY)


#: The registry every pastoral_core event is registered in.
EVENTS = EventRegistry()
#: The registry every pastoral_core command is registered in (see ``kernel.command_type``).
COMMANDS = TypeRegistry(None, "command", COMMAND_TYPE_KEY)


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
