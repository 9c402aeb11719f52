"""Builders shared by every domain's tests: commands with fresh ids and Europe/London times."""

import datetime as dt
import enum
import itertools
import typing
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
COORD = "coord-1"
_ids = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A Europe/London wall-clock time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


T0 = at(2027, 1, 11)  # a Monday


def roles_of(cls) -> type[enum.Enum]:
    """The role enum of a command class's domain (from its ``role`` annotation)."""
    return typing.get_type_hints(cls)["role"]


def role_for(cls, role=None):
    """The command's domain role: the coordinator by default, or ``role`` by name or value."""
    roles = roles_of(cls)
    if role is None:
        return roles["COORDINATOR"]
    if isinstance(role, str):
        return roles(role)
    return roles(role.value)


def fresh_id(prefix: str = "cmd") -> str:
    return f"{prefix}-{next(_ids)}"


def command(cls, when=T0, role=None, actor=COORD, **fields):
    """A command with a fresh id; ``role`` is a name such as ``"officer"`` (default: coordinator)."""
    return cls(command_id=fresh_id(), actor=actor, role=role_for(cls, role), at=when, **fields)
