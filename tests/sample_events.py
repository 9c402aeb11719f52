"""Kernel-level sample events in their own registry, covering every field type we support."""

import datetime as dt
import decimal
import enum

import attrs

from pastoral_core.eventlog import Codec, Event, EventRegistry
from pastoral_core.values import FreeText

SAMPLES = EventRegistry()
CODEC = Codec(SAMPLES)


class Kind(enum.Enum):
    ROLE = "role"
    TRAINING = "training"


@attrs.frozen
class Money:
    amount: decimal.Decimal
    currency: str = "GBP"


@SAMPLES.register("sample.note_recorded")
@attrs.frozen
class NoteRecorded(Event):
    author: str
    text: FreeText


@SAMPLES.register("sample.session_held")
@attrs.frozen
class SessionHeld(Event):
    officer: str
    on: dt.date
    starts: dt.time
    minutes: int
    cost: decimal.Decimal
    attended: bool
    kind: Kind


@SAMPLES.register("sample.everything")
@attrs.frozen
class Everything(Event):
    at: dt.datetime
    tags: frozenset[str]
    members: tuple[str, ...]
    price: Money
    maybe: int | None = None


@SAMPLES.register("sample.officer_named", version=2)
@attrs.frozen
class OfficerNamed(Event):
    """v1 called the field ``who``; v2 calls it ``officer`` and adds ``lead``."""

    officer: str
    lead: bool


@SAMPLES.upcaster("sample.officer_named", from_version=1)
def _officer_named_v1(fields: dict[str, object]) -> dict[str, object]:
    fields = dict(fields)
    fields["officer"] = fields.pop("who")
    fields["lead"] = True
    return fields
