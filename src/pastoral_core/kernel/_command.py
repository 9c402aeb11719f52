"""What every command carries, and the stable type names commands are registered under."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import ClassVar, TypeVar

import attrs

from pastoral_core.eventlog import COMMANDS
from pastoral_core.values import Id, Validated

C = TypeVar("C", bound=type)


@attrs.frozen(kw_only=True)
class Command(Validated):
    """Fields every command carries (rules AUTH, TIME, IDEMPOTENT), all checked when built.

    A domain's commands derive from a base that narrows ``role`` to the domain's own
    roles, and are registered with :func:`command_type`. Every field is checked against
    its annotation when the command is built (see :mod:`pastoral_core.values`): a command
    that exists is one the codec can write and read back.

    Attributes:
        command_id: Unique id chosen by the host (rule IDEMPOTENT).
        actor: Opaque id of the person issuing it.
        role: Their role for this command (a member of the domain's role enum).
        at: Timezone-aware time it is recorded; never earlier than the stream's last
            record (rule TIME).
        not_kept: Class variable: fields never stored with the records, nor in the
            fingerprint (input that must not be kept, such as evaluation answers).
    """

    not_kept: ClassVar[frozenset[str]] = frozenset()

    command_id: Id
    actor: Id
    role: enum.Enum
    at: dt.datetime


def command_type(name: str, version: int = 1) -> Callable[[C], C]:
    """Register a command class under a stable type name (like ``event_type`` for events).

    Example::

        @command_type("case.record_note")
        @attrs.frozen(kw_only=True)
        class RecordNote(SupportCommand): ...

    Args:
        name: Stable dotted type name stored in the log's metadata.
        version: Current schema version.

    Returns:
        The class decorator.
    """

    def decorate(cls: C) -> C:
        if not (isinstance(cls, type) and issubclass(cls, Command)):
            raise TypeError(f"{cls!r} must derive from Command")
        COMMANDS.add(cls, name, version)
        return cls

    return decorate
