"""What the command under test came to, as a spec's ``then:`` names it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from pastoral_core.eventlog import RecordedEvent
from pastoral_core.exceptions import CommandIdReused, ConcurrencyConflict, InvalidValue, PastoralCoreError, Refused
from pastoral_core.kernel import Accepted, Command, Service
from pastoral_core.rules import Verdict
from pastoral_core.testing._spec_services import ServiceKind, snake
from pastoral_core.testing._spec_values import Where


def by(ids: Iterable[str]) -> str:
    """Rule ids, sorted, without repeats: ``AUTH, PSN-ALLOWANCE``."""
    return ", ".join(sorted(set(ids)))


def verdicts_of(accepted: Accepted | None, refused: Refused | None) -> tuple[Verdict, ...]:
    """A command's verdicts: every one if accepted, the denials if refused, none otherwise."""
    if accepted is not None:
        return accepted.verdicts
    return refused.verdicts if refused is not None else ()


def describe(accepted: Accepted | None, refused: Refused | None, error: PastoralCoreError | None) -> str:
    """What a command came to: ``accepted``, ``refused by STATE``, ``a conflict: <the library's message>``."""
    if accepted is not None:
        return "accepted"
    if refused is not None:
        return f"refused by {by(refused.rule_ids)}"
    if isinstance(error, InvalidValue):
        return f"invalid input: {error}"
    if isinstance(error, CommandIdReused):
        return f"the id reused: {error}"
    if isinstance(error, ConcurrencyConflict):
        return f"a conflict: {error}"
    return "nothing"  # pragma: no cover - every outcome is one of the above


@attrs.frozen
class Outcome:
    """What the command under test did, and what checking it needs.

    Attributes:
        command: The command (``None`` if its input was refused as it was built).
        accepted: What the service returned, if it accepted it.
        refused: The refusal, if a rule refused it.
        error: The library's own refusal otherwise: ``InvalidValue`` (the input),
            ``CommandIdReused`` or ``ConcurrencyConflict``.
        written: The records it added to the store (none for a replay or a refusal).
        service: The service that decided it.
        where: The spec file and its zone.
        kind: The service the spec is about.
    """

    command: Command | None
    accepted: Accepted | None
    refused: Refused | None
    error: PastoralCoreError | None
    written: tuple[RecordedEvent, ...]
    service: Service[Any]
    where: Where
    kind: ServiceKind

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        """Every verdict if accepted, the denials if refused, none otherwise."""
        return verdicts_of(self.accepted, self.refused)

    def describe(self) -> str:
        """What happened, in the words of ``then:`` (see :func:`describe`)."""
        return describe(self.accepted, self.refused, self.error)

    def written_names(self) -> str:
        """The events it added to the store, by name (``session_held, rule_flagged``), or ``nothing``."""
        return ", ".join(snake(type(r.event).__name__) for r in self.written) or "nothing"
