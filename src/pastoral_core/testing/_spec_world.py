"""A spec's world: its service over a new store, and each step made into a command and handled.

Each spec runs on a new in-memory store, through the real service (``PastoralSupport``,
``PeerSupport``, ``PortfolioPlus``), so every rule, the AUTH table, SCOPE and TIME apply
exactly as they do for a host.
"""

from __future__ import annotations

import typing
from typing import Any

import attrs

from pastoral_core.eventlog import EventLog
from pastoral_core.exceptions import CommandIdReused, ConcurrencyConflict, InvalidValue, PastoralCoreError, Refused
from pastoral_core.kernel import Accepted, Aggregate, Command, Service
from pastoral_core.testing._spec_load import Spec, Step
from pastoral_core.testing._spec_services import ServiceKind, service_kind, snake
from pastoral_core.testing._spec_setup import Setup, resolve
from pastoral_core.testing._spec_values import bare, build
from pastoral_core.testing._spec_yaml import Located, SpecError, StepError, nearest, normalise

#: Words a step may use for the fields every command carries.
SAME_AS = {"by": "actor", "as": "role", "occurred": "occurred_at", "id": "command_id"}


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
            name = SAME_AS.get(name, name)
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

    def handle(self, step: Step, service: Service[Any] | None = None) -> tuple[Command, Accepted | Refused]:
        """Run ``step`` through the service (or through ``service``, one over the store as it stood).

        Returns:
            The command, and what the service returned or the refusal it raised.

        Raises:
            StepError: If the library refuses the command itself: input refused as it is
                built or handled (``InvalidValue``), a command id reused, a stale append.
            SpecError: If the service cannot take it otherwise (no rulebook in force on
                that date), pointing at the step.
        """
        command, aggregate_id = self.command(step)
        return command, self.send(step, command, aggregate_id, service)

    def send(
        self, step: Step, command: Command, aggregate_id: str | None, service: Service[Any] | None = None
    ) -> Accepted | Refused:
        """Send ``step``'s command (as :meth:`command` built it) to the service; raises as :meth:`handle`."""
        try:
            return (service or self.service).handle(command, aggregate_id)
        except Refused as refused:
            return refused
        except (InvalidValue, CommandIdReused, ConcurrencyConflict) as error:
            raise StepError(self.spec.path, step.line, f"{step.name}: {error}", error) from None
        except PastoralCoreError as error:
            raise SpecError(self.spec.path, step.line, f"{step.name}: {error}") from None

    def given(self, step: Step, service: Service[Any] | None = None, what: str = "given step") -> None:
        """Run a step of the history; it must be accepted.

        Raises:
            SpecError: If it is refused (the history is not what the spec says).
        """
        _, outcome = self.handle(step, service)
        if isinstance(outcome, Refused):
            lines = "\n".join(f"  - {v}" for v in outcome.verdicts)
            reason = f"the {what} {step.name!r} was refused, so the history is not what the spec says:\n{lines}"
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
