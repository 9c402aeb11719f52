"""Loading a spec file: its service, setup, and each spec's given / when / then, with lines.

The file's shape is checked here (every key known, every step one command with its
fields); the commands themselves are built when a spec runs, so one spec's mistake fails
that spec alone. A list of steps may hold lists of steps one level down (a YAML anchor of
steps reused and extended: ``given: [*six_sessions, {hold_session: ...}]``), flattened in
order; ``when: {concurrently: [step, step]}`` decides two or more steps on one version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from pastoral_core.testing._spec_services import service_kind, unknown_service
from pastoral_core.testing._spec_yaml import Located, SpecError, compose, nearest, normalise

#: File names the pytest plugin collects.
SPEC_SUFFIXES = (".spec.yaml", ".spec.yml")

_FILE_KEYS = ("service", "setup", "background", "specs")
_SPEC_KEYS = ("name", "description", "setup", "given", "when", "then")
_SETUP_KEYS = ("timezone", "coordinator", "organisation", "rulebook", "parameters")
_PASTORAL_SETUP_KEYS = ("lmc", "network", "nation", "officers")
_CONCURRENTLY = "concurrently"


@attrs.frozen
class Step:
    """One step of a spec: a command named as written, with its fields.

    Attributes:
        name: The command's name as written (``hold_session``).
        line: The line of the step.
        fields: The fields written under it (a mapping, maybe empty).
    """

    name: str
    line: int
    fields: Located


@attrs.frozen
class Spec:
    """One specification read from a spec file: given a history, when a command, then an outcome.

    Run it with :func:`~pastoral_core.testing.run_spec`.

    Attributes:
        name: Its name (the file's name, without ``.spec.yaml``, for a file of one spec).
        path: The file, as given to :func:`~pastoral_core.testing.load_spec`.
        line: The line it starts on.
        service: The service it is about: ``pastoral support``, ``peer support`` or
            ``portfolio plus``.
        description: What it shows, if the file says.
        setup: The setup in force (the file's, each key the spec gives replaced).
        given: The steps that happened before, in order (the file's ``background:`` first).
        when: The step under test.
        then: The expected outcome, as written.
        concurrently: Steps decided on the same version of the record as ``when`` and
            appended before it, in order (``when: {concurrently: [first, ..., when]}``);
            empty for a plain ``when``.
    """

    name: str
    path: str
    line: int
    service: str
    description: str | None
    setup: Mapping[str, Located]
    given: tuple[Step, ...]
    when: Step
    then: Located
    concurrently: tuple[Step, ...] = ()


def load_spec(text: str, path: str) -> tuple[Spec, ...]:
    """Read the specs of one spec file.

    Args:
        text: The file's text (YAML).
        path: Where it comes from, as messages should show it (``tests/specs/x.spec.yaml``).

    Returns:
        Its specs, in the order written.

    Raises:
        SpecError: If the file is not YAML or not shaped as a spec file, naming the line.
        ImportError: If PyYAML (the ``[spec]`` extra) is not installed.
    """
    root = compose(text, path)
    if not root.is_mapping:
        raise SpecError(path, root.line, "a spec file is a mapping: service, setup (optional), then the spec(s)")
    entries = {key: loc for key, loc in root.items() if not key.startswith("x-")}  # x-...: a place for anchors
    service_loc = entries.pop("service", None)
    if service_loc is None:
        raise SpecError(path, root.line, "say which service this is about: service: pastoral support")
    kind = service_kind(str(service_loc.value))
    if kind is None:
        raise SpecError(path, service_loc.line, unknown_service(str(service_loc.value)))
    setup = _setup(entries.pop("setup", None), path, kind.name)
    background = _steps(entries.pop("background", None), path, "background")
    listed = entries.pop("specs", None)
    if listed is None:
        _known(entries, tuple(dict.fromkeys(_SPEC_KEYS + _FILE_KEYS)), path, "a spec file")
        stem = re.sub(r"\.spec\.ya?ml$", "", path.replace("\\", "/").rsplit("/", 1)[-1])
        return (_spec(root, entries, setup, background, path, kind.name, stem),)
    for key, loc in entries.items():
        if key in _SPEC_KEYS:
            raise SpecError(path, loc.key_line, f"{key!r} belongs inside one of the specs listed under 'specs:'")
    _known(entries, _FILE_KEYS, path, "a spec file")
    if not listed.is_list or not listed.value:
        raise SpecError(path, listed.line, "specs: is a list of specs, each with a name, given, when and then")
    specs = tuple(
        _spec(item, dict(_mapping(item, path, "a spec").items()), setup, background, path, kind.name, None)
        for item in listed.value
    )
    seen: dict[str, int] = {}
    for spec in specs:
        if spec.name in seen:
            raise SpecError(path, spec.line, f"two specs are named {spec.name!r} (the other on line {seen[spec.name]})")
        seen[spec.name] = spec.line
    return specs


def _mapping(loc: Located, path: str, what: str) -> Located:
    if not loc.is_mapping:
        raise SpecError(path, loc.line, f"expected {what} as a mapping of names to values, got {loc.describe()}")
    return loc


def _known(entries: Mapping[str, Located], keys: tuple[str, ...], path: str, what: str) -> None:
    for key, loc in entries.items():
        if key not in keys:
            raise SpecError(
                path, loc.key_line, f"{what} has no {key!r}{nearest(key, keys)} (it has: {', '.join(keys)})"
            )


def _setup(loc: Located | None, path: str, service: str) -> dict[str, Located]:
    if loc is None:
        return {}
    entries = {normalise(k): v for k, v in _mapping(loc, path, "setup").items()}
    keys = _SETUP_KEYS + (_PASTORAL_SETUP_KEYS if service == "pastoral support" else ())
    _known(entries, keys, path, f"the setup of {service}")
    return entries


def _steps(loc: Located | None, path: str, what: str) -> tuple[Step, ...]:
    """The steps of a list, a list inside it flattened in place (one level: a reused anchor)."""
    if loc is None or loc.value is None:
        return ()
    if not loc.is_list:
        raise SpecError(path, loc.line, f"{what}: is a list of steps, each '- command_name:' with its fields")
    steps: list[Step] = []
    for item in loc.value:
        for inner in item.value if item.is_list else [item]:
            if inner.is_list:
                reason = "a list of steps may hold lists of steps, but not lists of lists"
                raise SpecError(path, inner.line, f"{what}: {reason}")
            steps.append(step(inner, path))
    return tuple(steps)


def _when(loc: Located, path: str) -> tuple[Step, tuple[Step, ...]]:
    """The step under test, and the steps decided on the same version before it."""
    if loc.is_list:
        if len(loc.value) != 1:
            raise SpecError(path, loc.line, "when: is one step (or 'concurrently:' with a list of steps)")
        loc = loc.value[0]
    if loc.is_mapping and len(loc.value) == 1 and normalise(next(iter(loc.value))) == _CONCURRENTLY:
        listed = next(iter(loc.value.values()))
        steps = _steps(listed, path, "concurrently")
        if len(steps) < 2:
            reason = "concurrently: is a list of two or more steps, decided on the same version of the record"
            raise SpecError(path, listed.line, reason)
        return steps[-1], steps[:-1]
    return step(loc, path), ()


def _spec(
    root: Located,
    entries: dict[str, Located],
    setup: dict[str, Located],
    background: tuple[Step, ...],
    path: str,
    service: str,
    stem: str | None,
) -> Spec:
    _known(entries, _SPEC_KEYS, path, "a spec")
    name_loc = entries.get("name")
    if name_loc is None and stem is None:
        raise SpecError(path, root.line, "each spec listed under 'specs:' needs a name")
    name = stem if name_loc is None else (name_loc.text or "").strip()
    if not name or "::" in name:
        raise SpecError(path, name_loc.line if name_loc else root.line, "a spec's name is text, without '::'")
    description = entries.get("description")
    if "when" not in entries:
        raise SpecError(path, root.line, f"spec {name!r} needs when: the command under test")
    if "then" not in entries:
        raise SpecError(path, root.line, f"spec {name!r} needs then: the outcome expected")
    when, concurrently = _when(entries["when"], path)
    return Spec(
        name=name,
        path=path,
        line=root.line,
        service=service,
        description=description.text if description is not None else None,
        setup={**setup, **_setup(entries.get("setup"), path, service)},
        given=background + _steps(entries.get("given"), path, "given"),
        when=when,
        then=_mapping(entries["then"], path, "then:"),
        concurrently=concurrently,
    )


def step(loc: Located, path: str) -> Step:
    """A step from ``- command_name: {fields}``.

    Raises:
        SpecError: If it is not one command name with its fields indented under it.
    """
    if not loc.is_mapping or not loc.value:
        raise SpecError(path, loc.line, f"a step is '- command_name:' with its fields under it, got {loc.describe()}")
    entries = list(loc.items())
    name, fields = entries[0]
    if len(entries) > 1:
        hint = f"indent the fields under '{name}:'" if fields.value is None else "one command per step"
        raise SpecError(path, entries[1][1].key_line, f"a step names one command; {hint}")
    if fields.value is None:
        fields = Located({}, fields.line, None, fields.key_line)
    if not fields.is_mapping:
        raise SpecError(
            path, fields.line, f"the fields of {name!r} are a mapping (field: value), got {fields.describe()}"
        )
    return Step(name, fields.key_line or loc.line, fields)
