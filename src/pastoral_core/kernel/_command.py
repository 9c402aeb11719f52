"""What every command carries, and the stable type names commands are registered under."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import ClassVar, TypeVar

import attrs

from pastoral_core.eventlog import COMMANDS, added_field
from pastoral_core.exceptions import InvalidValue
from pastoral_core.rules import Override
from pastoral_core.values import Id, Validated, instant

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
        occurred_at: When the fact happened in the world, if earlier than ``at`` (a session
            held on Monday and entered on Wednesday). Never after ``at``. Rules compare
            this business time and use the rulebook in force on its date (see
            :attr:`occurred`).
        overrides: Rules a coordinator passes on purpose, each with a recorded reason (an
            officer whose background does not suit, a fact entered later than the
            rulebook's lag allows).
        organisation: The organisation (an LMC, a programme) the actor acts for, as the
            host authenticated them, like ``role``. A stream belongs to the organisation
            of its first command; a command for another organisation is refused (rule
            SCOPE). ``None`` (the default) for a host that serves one organisation.
        not_kept: Class variable: fields never stored with the records, nor in the
            fingerprint (input that must not be kept, such as evaluation answers).
        screened_by_rule: Class variable: free-text fields a domain rule screens itself
            (a note's text, by PSN-NOTE-SENSITIVE with the host's terms); the kernel
            screens every other free-text field (rule MINIMAL).
    """

    not_kept: ClassVar[frozenset[str]] = frozenset()
    screened_by_rule: ClassVar[frozenset[str]] = frozenset()

    command_id: Id
    actor: Id
    role: enum.Enum
    at: dt.datetime
    occurred_at: dt.datetime | None = None
    overrides: tuple[Override, ...] = ()
    organisation: Id | None = added_field(None)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.occurred_at is not None and instant(self.occurred_at) > instant(self.at):
            raise InvalidValue(
                type(self).__name__,
                "occurred_at",
                "is after the command is recorded (at): a fact is entered after it happens",
            )
        rule_ids = [o.rule_id for o in self.overrides]
        if len(set(rule_ids)) != len(rule_ids):
            raise InvalidValue(type(self).__name__, "overrides", "overrides one rule twice")

    @property
    def occurred(self) -> dt.datetime:
        """The business time: when the fact happened (``occurred_at``, else ``at``)."""
        return self.occurred_at if self.occurred_at is not None else self.at

    def override_of(self, rule_id: str) -> Override | None:
        """The override given for ``rule_id``, if any."""
        return next((o for o in self.overrides if o.rule_id == rule_id), None)


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
