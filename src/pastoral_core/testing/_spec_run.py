"""Running a spec through its service: the setup, each given step (accepted, or the spec is wrong), the command.

Each spec runs on a new in-memory store, through the real service (``PastoralSupport``,
``PeerSupport``, ``PortfolioPlus``), so every rule, the AUTH table, SCOPE and TIME apply
exactly as they do for a host.
"""

from __future__ import annotations

import typing
from typing import Any

import attrs

from pastoral_core.eventlog import EventLog
from pastoral_core.exceptions import PastoralCoreError, Refused
from pastoral_core.kernel import Accepted, Aggregate, Command, Service
from pastoral_core.rules import Verdict
from pastoral_core.testing._spec_load import Spec, Step
from pastoral_core.testing._spec_services import ServiceKind, service_kind, snake
from pastoral_core.testing._spec_setup import Setup, resolve
from pastoral_core.testing._spec_then import Outcome, check_then
from pastoral_core.testing._spec_values import bare, build
from pastoral_core.testing._spec_yaml import Located, SpecError, nearest, normalise

#: Words a step may use for the fields every command carries.
_SAME_AS = {"by": "actor", "as": "role", "occurred": "occurred_at", "id": "command_id"}


@attrs.frozen
class SpecResult:
    """What running a :class:`~pastoral_core.testing.Spec` found.

    Attributes:
        spec: The spec run.
        command: The command under test, as built from ``when:``.
        accepted: What the service returned, if it accepted the command.
        refused: The refusal, if it refused it.
        mismatches: Each expectation that did not hold, as ``"<path>:<line>: <what>"``
            (empty when the spec holds).
    """

    spec: Spec
    command: Command
    accepted: Accepted | None
    refused: Refused | None
    mismatches: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether every expectation held."""
        return not self.mismatches

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        """The command's verdicts: every one if accepted, the denials if refused."""
        if self.accepted is not None:
            return self.accepted.verdicts
        return self.refused.verdicts if self.refused is not None else ()

    def report(self) -> str:
        """The mismatches, then what the command did and every verdict, for a failure message."""
        spec, when = self.spec, self.spec.when
        got = "accepted" if self.accepted is not None else "refused"
        lines = [
            *self.mismatches,
            f"  spec {spec.name!r} ({spec.path}:{spec.line}); when: {when.name} (line {when.line}) was {got}",
            "  verdicts:",
            *(f"    - {verdict}" for verdict in self.verdicts),
        ]
        if self.accepted is not None:
            lines.append(
                "  recorded: " + (", ".join(snake(type(e).__name__) for e in self.accepted.events) or "nothing")
            )
        return "\n".join(lines)


@attrs.define
class World:
    """A spec's service over a new store, and the ids its steps have been about."""

    spec: Spec
    kind: ServiceKind
    setup: Setup
    service: Service[Any]
    current: dict[str, str] = attrs.field(factory=dict)
    steps: int = 0

    def command(self, step: Step) -> tuple[Command, str | None]:
        """The command ``step`` writes, and the id of the aggregate it goes to.

        Raises:
            SpecError: If the step names no command of the service, or a field is wrong.
        """
        found = self.kind.command(step.name)
        if found is None:
            names = self.kind.command_names()
            reason = f"unknown step {step.name!r}{nearest(normalise(step.name), names)}"
            raise SpecError(
                self.spec.path, step.line, f"{reason}; the commands of {self.kind.name} are: {', '.join(names)}"
            )
        cls, aggregate = found
        fields: dict[str, Located] = {}
        target: Located | None = None
        for key, loc in step.fields.items():
            name = normalise(key)
            if name == aggregate.category:
                target = loc
                continue
            name = _SAME_AS.get(name, name)
            if name in fields:
                raise SpecError(self.spec.path, loc.key_line, f"{name} is given twice in this step")
            fields[name] = loc
        self.steps += 1
        roles = bare(typing.get_type_hints(cls)["role"])
        defaults: dict[str, Any] = {
            "command_id": f"step-{self.steps}",
            "actor": self.setup.coordinator,
            "role": roles["COORDINATOR"],
        }
        if self.setup.organisation is not None:
            defaults["organisation"] = self.setup.organisation
        if self.setup.nation is not None and "nation" in typing.get_type_hints(cls):
            defaults["nation"] = self.setup.nation
        mapping = Located(fields, step.line, None, step.line)
        command = build(cls, mapping, self.setup.where, cls.__name__, defaults=defaults, label=snake(cls.__name__))
        return command, self._target(step, aggregate, cls, command, target)

    def _target(
        self, step: Step, aggregate: Aggregate[Any, Any], cls: type[Command], command: Command, target: Located | None
    ) -> str | None:
        category, path = aggregate.category, self.spec.path
        given = None
        if target is not None:
            if target.text is None or target.value is None:
                raise SpecError(path, target.line, f"{category}: is an id, got {target.describe()}")
            given = target.text
        if category in self.kind.fixed:
            if given is not None and given != self.setup.network:
                raise SpecError(
                    path, target.line if target else step.line, f"the {category} here is {self.setup.network!r}"
                )
            return None
        named = aggregate.commands[cls].names_aggregate
        if named is not None:
            own = str(getattr(command, named))
            if given is not None and given != own:
                raise SpecError(path, step.line, f"{category}: {given} but {named}: {own}; leave out {category}:")
            self.current[category] = own
            return own
        chosen = given if given is not None else self.current.get(category)
        if chosen is None:
            reason = f"say which {category} {step.name!r} is about: add '{category}: <id>' (later steps keep it)"
            raise SpecError(path, step.line, reason)
        self.current[category] = chosen
        return chosen

    def handle(self, step: Step) -> tuple[Command, Accepted | Refused]:
        """Run ``step`` through the service.

        Returns:
            The command, and what the service returned or the refusal it raised.

        Raises:
            SpecError: If the service refuses the input itself (an id that is not an id,
                no rulebook in force on that date), pointing at the step.
        """
        command, aggregate_id = self.command(step)
        try:
            return command, self.service.handle(command, aggregate_id)
        except Refused as refused:
            return command, refused
        except PastoralCoreError as error:
            raise SpecError(self.spec.path, step.line, f"{step.name}: {error}") from None

    def given(self, step: Step) -> None:
        """Run a step of the history; it must be accepted.

        Raises:
            SpecError: If it is refused (the history is not what the spec says).
        """
        _, outcome = self.handle(step)
        if isinstance(outcome, Refused):
            lines = "\n".join(f"  - {v}" for v in outcome.verdicts)
            reason = f"the given step {step.name!r} was refused, so the history is not what the spec says:\n{lines}"
            raise SpecError(self.spec.path, step.line, reason)


def start(spec: Spec) -> World:
    """A new store and service for ``spec``, its setup's officers enrolled.

    Raises:
        SpecError: If the setup cannot be used.
    """
    kind = service_kind(spec.service)
    if kind is None:  # pragma: no cover - load_spec checked it
        raise SpecError(spec.path, spec.line, f"unknown service {spec.service!r}")
    setup = resolve(spec, kind)
    world = World(spec, kind, setup, kind.make(EventLog(), setup.rulebooks, setup.network))
    for step in setup.officers:
        world.given(step)
    return world


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
            exist or cannot be read, a given step that is refused, an expectation that
            cannot be checked. The message names the file and line.
    """
    world = start(spec)
    for step in spec.given:
        world.given(step)
    command, outcome = world.handle(spec.when)
    accepted = outcome if isinstance(outcome, Accepted) else None
    refused = outcome if isinstance(outcome, Refused) else None
    result = Outcome(command, accepted, refused, world.service, world.setup.where, world.kind)
    return SpecResult(spec, command, accepted, refused, check_then(spec, result))
