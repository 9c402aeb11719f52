"""Running a spec: the setup, each given step (accepted, or the spec is wrong), the command, its ``then:``.

Each spec runs on a new in-memory store, through the real service (``PastoralSupport``,
``PeerSupport``, ``PortfolioPlus``), so every rule, the AUTH table, SCOPE and TIME apply
exactly as they do for a host. Steps written ``when: {concurrently: [...]}`` are each
decided on the store as it stood before the first of them, and appended in order with
the version each read, as two people acting at once would.
"""

from __future__ import annotations

from typing import Any

import attrs

from pastoral_core.eventlog import RecordedEvent
from pastoral_core.exceptions import InvalidValue, PastoralCoreError, Refused
from pastoral_core.kernel import Accepted, Command, Service
from pastoral_core.rules import Verdict
from pastoral_core.testing._spec_load import Spec
from pastoral_core.testing._spec_outcome import Outcome, describe, verdicts_of
from pastoral_core.testing._spec_services import snake
from pastoral_core.testing._spec_then import check_then, expects_invalid
from pastoral_core.testing._spec_view import StoreAsItStood, last_position
from pastoral_core.testing._spec_world import World, start
from pastoral_core.testing._spec_yaml import StepError


@attrs.frozen
class SpecResult:
    """What running a :class:`~pastoral_core.testing.Spec` found.

    Attributes:
        spec: The spec run.
        command: The command under test, as built from ``when:`` (``None`` if its input
            was refused as it was built, and ``then:`` expected that: ``invalid:``).
        accepted: What the service returned, if it accepted the command.
        refused: The refusal, if a rule refused it.
        mismatches: Each expectation that did not hold, as ``"<path>:<line>: <what>"``
            (empty when the spec holds).
        error: The library's own refusal of the command, if it came to that: its input
            (``InvalidValue``), its id used for another command (``CommandIdReused``), or
            a stale append (``ConcurrencyConflict``).
        written: The records the command added to the store (none for a replay, a
            refusal or an error).
    """

    spec: Spec
    command: Command | None
    accepted: Accepted | None
    refused: Refused | None
    mismatches: tuple[str, ...]
    error: PastoralCoreError | None = None
    written: tuple[RecordedEvent, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every expectation held."""
        return not self.mismatches

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        """The command's verdicts: every one if accepted, the denials if refused."""
        return verdicts_of(self.accepted, self.refused)

    def report(self) -> str:
        """The mismatches, then what the command did and every verdict, for a failure message."""
        spec, when = self.spec, self.spec.when
        got = describe(self.accepted, self.refused, self.error)
        if self.accepted is not None and self.accepted.replayed:
            got += ", a replay of the command already applied (nothing new was written)"
        came = "was" if self.error is None else "ended in"
        lines = [
            *self.mismatches,
            f"  spec {spec.name!r} ({spec.path}:{spec.line}); when: {when.name} (line {when.line}) {came} {got}",
        ]
        if spec.concurrently:
            steps = ", ".join(f"{step.name} (line {step.line})" for step in spec.concurrently)
            lines.append(f"  decided on the same version as: {steps}")
        lines += ["  verdicts:" if self.verdicts else "  verdicts: none"]
        lines += [f"    - {verdict}" for verdict in self.verdicts]
        if self.accepted is not None:
            lines.append(
                "  recorded: " + (", ".join(snake(type(e).__name__) for e in self.accepted.events) or "nothing")
            )
        return "\n".join(lines)


def _service_for(spec: Spec, world: World) -> Service[Any]:
    """The service ``when`` is decided by: the world's, or one over the store as it stood before concurrent steps."""
    if not spec.concurrently:
        return world.service
    stood = StoreAsItStood(world.service.store, last_position(world.service.store))
    for step in spec.concurrently:
        alongside = world.kind.make(stood, world.setup.rulebooks, world.setup.network)
        world.given(step, alongside, "step decided concurrently")
    return world.kind.make(stood, world.setup.rulebooks, world.setup.network)


def run_spec(spec: Spec) -> SpecResult:
    """Run one spec: its setup, each ``given`` step, then ``when``, and check ``then``.

    Example::

        for spec in load_spec(path.read_text(), str(path)):
            result = run_spec(spec)
            assert result.ok, result.report()

    Returns:
        What was found, with the mismatches (none when the spec holds).

    Raises:
        SpecError: If the spec cannot be run as written: a step or field that does not
            exist or cannot be read, a given step that is refused, input the library
            refuses when ``then:`` does not expect it (``invalid:``), an expectation that
            cannot be checked. The message names the file and line.
    """
    world = start(spec)
    for step in spec.given:
        world.given(step)
    service = _service_for(spec, world)
    store = world.service.store
    before = last_position(store)
    command: Command | None = None
    result: Accepted | Refused | None = None
    error: PastoralCoreError | None = None
    try:
        command, aggregate_id = world.command(spec.when)
        result = world.send(spec.when, command, aggregate_id, service)
    except StepError as failed:
        if isinstance(failed.error, InvalidValue) and not expects_invalid(spec):
            raise
        error = failed.error
    accepted = result if isinstance(result, Accepted) else None
    refused = result if isinstance(result, Refused) else None
    written = store.read_all(before + 1)
    outcome = Outcome(command, accepted, refused, error, written, world.service, world.setup.where, world.kind)
    return SpecResult(spec, command, accepted, refused, check_then(spec, outcome), error, written)
