"""What every command carries, and the roles that may issue commands (rules AUTH, TIME)."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from pastoral_core._time import require_aware


class Role(enum.Enum):
    """Who issues a command (rule AUTH). Each domain's table says which roles may do what."""

    COORDINATOR = "coordinator"
    OFFICER = "officer"
    RECIPIENT = "recipient"
    CALDICOTT_GUARDIAN = "caldicott_guardian"
    PROGRAMME_LEAD = "programme_lead"
    FACILITATOR = "facilitator"
    ATTENDEE = "attendee"
    TEAM_MEMBER = "team_member"
    MEMBER = "member"


def aware(_: object, attribute: attrs.Attribute[dt.datetime], value: dt.datetime) -> None:
    """Attrs validator: a timezone-aware datetime (rule TIME)."""
    require_aware(value, attribute.name)


def text(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    """Attrs validator: a non-empty string (an opaque id, a reason)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name} must be a non-empty string, got {value!r}")


def _role(_: object, attribute: attrs.Attribute[Role], value: Role) -> None:
    if not isinstance(value, Role):
        raise ValueError(f"role must be a Role, got {value!r}")


@attrs.frozen(kw_only=True)
class BaseCommand:
    """Fields every command carries (rules AUTH, TIME, IDEMPOTENT).

    Attributes:
        command_id: Unique id chosen by the host.
        actor: Opaque id of the person issuing it.
        role: Their role for this command.
        at: Timezone-aware time it was issued.
    """

    command_id: str = attrs.field(validator=text)
    actor: str = attrs.field(validator=text)
    role: Role = attrs.field(validator=_role)
    at: dt.datetime = attrs.field(validator=aware)
