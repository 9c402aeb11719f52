"""Reading a spec file's YAML into values that remember their line (PyYAML, imported lazily)."""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from pastoral_core.exceptions import PastoralCoreError

#: What to install for spec files, named in the error when PyYAML is missing.
SPEC_EXTRA = "pastoral-core[spec]"


class SpecError(PastoralCoreError, ValueError):
    """A spec file cannot be read or run as written; points at the file and line.

    The message is ``"<path>:<line>: <what is wrong>"``, e.g.
    ``"tests/specs/late.spec.yaml:12: unknown step 'hold_sesion'; did you mean 'hold_session'?"``.

    Attributes:
        path: The spec file, as given to :func:`~pastoral_core.testing.load_spec`.
        line: 1-based line in that file.
        reason: What is wrong.
    """

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


class StepError(SpecError):
    """A step's command refused by the library itself, not by a rule, pointing at its line.

    Input refused as the command is built (:class:`~pastoral_core.exceptions.InvalidValue`),
    a command id reused (:class:`~pastoral_core.exceptions.CommandIdReused`) or a stale
    append (:class:`~pastoral_core.exceptions.ConcurrencyConflict`). In a ``given`` step
    it is a mistake in the spec; of the command under test, ``then:`` may expect it
    (``invalid:``, ``id_reused:``, ``conflict:``).

    Attributes:
        error: The library's error; an ``InvalidValue`` names the outermost class and the
            whole field path (``HoldSession.overrides[0].reason``).
    """

    def __init__(self, path: str, line: int, reason: str, error: PastoralCoreError) -> None:
        super().__init__(path, line, reason)
        self.error = error


def import_yaml() -> Any:
    """The ``yaml`` module (PyYAML), imported only when a spec file is read.

    Raises:
        ImportError: Naming the ``[spec]`` extra if PyYAML is not installed.
    """
    try:
        return importlib.import_module("yaml")
    except ImportError:
        raise ImportError(
            f"spec files are read with PyYAML, which is not installed; install it with pip install '{SPEC_EXTRA}'"
        ) from None


@attrs.frozen
class Located:
    """A YAML value and where it was written.

    Attributes:
        value: ``str``, ``int``, ``float``, ``bool`` or ``None`` for a scalar (as YAML
            reads it); ``list[Located]`` for a sequence; ``dict[str, Located]`` for a mapping.
        line: 1-based line of the value.
        text: A scalar as written (``"17:00"``, ``"no"``); ``None`` for a sequence or mapping.
        key_line: The line of the key it stands under (its own line in a sequence).
    """

    value: Any
    line: int
    text: str | None = None
    key_line: int = 0

    @property
    def is_mapping(self) -> bool:
        """Whether it is a mapping."""
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        """Whether it is a sequence."""
        return isinstance(self.value, list)

    def items(self) -> Iterator[tuple[str, Located]]:
        """The entries of a mapping, in the order written."""
        yield from self.value.items()

    def plain(self) -> Any:
        """The value with every line dropped (lists and dicts of scalars)."""
        if self.is_mapping:
            return {key: item.plain() for key, item in self.items()}
        if self.is_list:
            return [item.plain() for item in self.value]
        return self.value

    def describe(self) -> str:
        """What kind of value it is, for messages ("a list", "a mapping", "the text 'x'")."""
        if self.is_mapping:
            return "a mapping"
        if self.is_list:
            return "a list"
        if self.value is None:
            return "nothing"
        return f"{self.text!r}"


def compose(text: str, path: str) -> Located:
    """Parse one YAML document, keeping the line of every value.

    Aliases (``*name``) and merge keys (``<<: *name``) are resolved as YAML defines them.

    Raises:
        SpecError: If the text is not YAML (with the line of the problem), holds several
            documents, repeats a key in one mapping, or uses a key that is not text.
        ImportError: If PyYAML is not installed.
    """
    yaml = import_yaml()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = error.problem or "unreadable"
        if error.context and error.context_mark is not None:
            problem += f" ({error.context} started on line {error.context_mark.line + 1})"
        raise SpecError(path, line, f"not valid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise SpecError(path, 1, f"not valid YAML: {error}") from None
    if node is None:
        raise SpecError(path, 1, "the file is empty")
    return _located(yaml, node, path, node.start_mark.line + 1)


def _located(yaml: Any, node: Any, path: str, key_line: int) -> Located:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key_node, _ in node.value:
            key_at = key_node.start_mark.line + 1
            if key_node.tag == _MERGE:
                continue
            if not isinstance(key_node, yaml.ScalarNode) or not isinstance(key_node.value, str):
                raise SpecError(path, key_at, "a key must be a plain name")
            if key_node.value in first:
                raise SpecError(
                    path, key_at, f"{key_node.value!r} is given twice here (first on line {first[key_node.value]})"
                )
            first[key_node.value] = key_at
        try:
            yaml.constructor.SafeConstructor().flatten_mapping(node)
        except yaml.YAMLError as error:
            raise SpecError(path, line, f"not valid YAML: {getattr(error, 'problem', error)}") from None
        entries: dict[str, Located] = {}
        for key_node, value_node in node.value:  # merged entries come first: written ones win
            entries[key_node.value] = _located(yaml, value_node, path, key_node.start_mark.line + 1)
        return Located(entries, line, None, key_line)
    if isinstance(node, yaml.SequenceNode):
        return Located([_located(yaml, item, path, item.start_mark.line + 1) for item in node.value], line, None, line)
    return Located(_scalar(yaml, node), line, node.value, key_line)


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


def _scalar(yaml: Any, node: Any) -> Any:
    """A scalar as YAML reads it, except dates and times, which stay as written."""
    if node.tag == _TIMESTAMP or node.tag == "tag:yaml.org,2002:str":
        return node.value
    try:
        return yaml.constructor.SafeConstructor().construct_object(node)
    except yaml.YAMLError:
        return node.value


def nearest(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def normalise(name: str) -> str:
    """A name as a key: lower case, spaces and hyphens as underscores (``"Hold session"`` -> ``"hold_session"``)."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())
