"""Cheap evolution of immutable states: a private draft per fold, frozen once at its end.

Rebuilding a whole frozen state for every event costs a constructor call over every field
(and copies of every collection an event touches); over a long stream that is most of the
fold's time, and copying a growing collection per event makes it quadratic. Instead a fold
opens one :class:`Draft` of its starting state, applies every event to it in place, and
freezes it once. The draft is private to that fold, so nothing ever sees it change; the
states before and after stay frozen and share what did not change.

Collections that only ever grow over a stream's life (note ids) are :class:`Appended`:
immutable sequences that share one buffer, so adding an item to a cached state costs the
same on the first event as on the millionth.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Generic, Protocol, TypeVar, overload

from pastoral_core.eventlog import Event
from pastoral_core.exceptions import InvalidType

S_co = TypeVar("S_co", covariant=True)
T = TypeVar("T", bound=Hashable)
K = TypeVar("K")
V = TypeVar("V")


class Draft(Protocol[S_co]):
    """A mutable working copy of a state, private to one fold (see :class:`~pastoral_core.kernel.Aggregate`)."""

    def apply(self, event: Event) -> None:
        """Apply one fact in place: no rules, no clock (as ``evolve`` would)."""
        ...

    def state(self) -> S_co:
        """The frozen state the draft has reached (the draft may go on from it)."""
        ...


class _Buffer(Generic[T]):
    """The storage :class:`Appended` views share: items in order and the first index of each."""

    __slots__ = ("index", "items", "lock")

    def __init__(self, items: list[T]) -> None:
        self.index = _first_indexes(items, 0)
        self.items = items
        self.lock = threading.Lock()


def _first_indexes(items: Iterable[T], start: int) -> dict[T, int]:
    """Each item's first index, counting from ``start``.

    Raises:
        InvalidType: If an item cannot be hashed (membership is looked up by hash).
    """
    index: dict[T, int] = {}
    try:
        for n, item in enumerate(items, start=start):
            index.setdefault(item, n)
    except TypeError:
        raise InvalidType("Appended", "items", "must be hashable (ids, frozen values)") from None
    return index


class Appended(Sequence[T]):
    """An immutable sequence that grows in O(1): :meth:`added` returns a longer one.

    Every view is a prefix of a shared buffer. Adding to the longest view appends to the
    buffer; adding to a shorter one (a state someone else has grown past) copies its own
    prefix first, so no view ever changes. Membership is a dictionary lookup. Compares
    equal to any :class:`Appended` or tuple with the same items.

    Args:
        items: The first items.
    """

    __slots__ = ("_buffer", "_length")

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._buffer: _Buffer[T] = _Buffer(list(items))
        self._length = len(self._buffer.items)

    @classmethod
    def of(cls, items: Iterable[T]) -> Appended[T]:
        """``items`` as an :class:`Appended` (the same object when it already is one)."""
        return items if isinstance(items, Appended) else cls(items)

    @classmethod
    def _view(cls, buffer: _Buffer[T], length: int) -> Appended[T]:
        view = cls.__new__(cls)
        view._buffer = buffer
        view._length = length
        return view

    def added(self, item: T) -> Appended[T]:
        """This sequence with ``item`` after its last item (this one is unchanged)."""
        return self.extended((item,))

    def extended(self, items: Iterable[T]) -> Appended[T]:
        """This sequence with ``items`` after its last item (this one is unchanged)."""
        items = tuple(items)  # read once: a generator would be spent by the index
        if not items:
            return self
        buffer, length = self._buffer, self._length
        fresh = _first_indexes(items, length)  # before touching the shared buffer: an unhashable item changes nothing
        if length:  # never grow a shared empty default
            with buffer.lock:
                if len(buffer.items) == length:
                    for item, n in fresh.items():
                        buffer.index.setdefault(item, n)
                    buffer.items.extend(items)
                    return self._view(buffer, length + len(items))
        return self._view(_Buffer([*buffer.items[:length], *items]), length + len(items))

    def __reduce__(self) -> tuple[type[Appended[T]], tuple[tuple[T, ...]]]:
        # a copy holds this view's items only, never the shared buffer beyond them
        return (Appended, (tuple(self),))

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return tuple(self._buffer.items[: self._length])[index]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("Appended index out of range")
        return self._buffer.items[index]

    def __iter__(self) -> Iterator[T]:
        items = self._buffer.items
        return (items[n] for n in range(self._length))

    def __contains__(self, item: object) -> bool:
        try:
            found = self._buffer.index.get(item)  # type: ignore[arg-type]
        except TypeError:  # not hashable: not one of ours
            return False
        return found is not None and found < self._length

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Appended):
            return self._length == other._length and ((self._buffer is other._buffer) or tuple(self) == tuple(other))
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Appended({list(self)!r})"


class MapDraft(Generic[K, V]):
    """A mapping of a draft: read from the frozen one, copied on the first change only.

    Args:
        frozen: The state's read-only mapping.
    """

    __slots__ = ("_frozen", "_own")

    def __init__(self, frozen: Mapping[K, V]) -> None:
        self._frozen = frozen
        self._own: dict[K, V] | None = None

    def __getitem__(self, key: K) -> V:
        return (self._own if self._own is not None else self._frozen)[key]

    def get(self, key: K) -> V | None:
        """The value at ``key``, or ``None``."""
        return (self._own if self._own is not None else self._frozen).get(key)

    def items(self) -> Iterable[tuple[K, V]]:
        """Its items, in insertion order."""
        return list((self._own if self._own is not None else self._frozen).items())

    def __setitem__(self, key: K, value: V) -> None:
        if self._own is None:
            self._own = dict(self._frozen)
        self._own[key] = value

    def frozen(self) -> Mapping[K, V]:
        """The read-only mapping it has reached (the same object if nothing changed)."""
        if self._own is None:
            return self._frozen
        frozen: Mapping[K, V] = MappingProxyType(self._own)
        self._frozen, self._own = frozen, None
        return frozen


class SetDraft(Generic[T]):
    """A set of a draft: read from the frozen one, copied on the first addition only.

    Args:
        frozen: The state's frozenset.
    """

    __slots__ = ("_frozen", "_own")

    def __init__(self, frozen: frozenset[T]) -> None:
        self._frozen = frozen
        self._own: set[T] | None = None

    def add(self, item: T) -> None:
        """Add ``item``."""
        if item in self._frozen if self._own is None else item in self._own:
            return
        if self._own is None:
            self._own = set(self._frozen)
        self._own.add(item)

    def frozen(self) -> frozenset[T]:
        """The frozenset it has reached (the same object if nothing was added)."""
        if self._own is not None:
            self._frozen, self._own = frozenset(self._own), None
        return self._frozen
