"""An event class declared with postponed annotations: its field types are text until resolved."""

from __future__ import annotations

from typing import Annotated

import attrs
from cattrs.gen import override

from pastoral_core.eventlog import Event, EventRegistry

POSTPONED = EventRegistry()


@POSTPONED.register("probe.hidden_later")
@attrs.frozen
class HiddenLater(Event):
    """A field cattrs is told to leave out, named in text."""

    who: str
    hidden: Annotated[str, override(omit=True)] = "kept"
