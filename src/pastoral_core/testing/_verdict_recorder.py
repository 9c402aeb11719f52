"""Recording the verdicts a test run produces, by wrapping the kernel's public entry points."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

import pastoral_core
from pastoral_core import kernel
from pastoral_core.exceptions import Refused
from pastoral_core.rules import Outcome, Register, Verdict

#: The kernel's entry points whose results carry verdicts: what the recorder wraps.
ENTRY_POINTS = ("execute", "decide")


def _wrapped(recorder: VerdictRecorder, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def recording(*args: Any, **kwargs: Any) -> Any:
        try:
            result = function(*args, **kwargs)
        except Refused as refused:
            recorder.record(refused.verdicts)
            raise
        if not getattr(result, "replayed", False):  # a command sent again: verdicts read back, no rule ran
            recorder.record(getattr(result, "verdicts", ()))
        return result

    return recording


def _holders() -> list[object]:
    """Where the entry points are bound: the public packages, and this package's own modules."""
    own = sorted(name for name in sys.modules if name == __package__ or name.startswith(f"{__package__}."))
    return [pastoral_core, kernel, *(sys.modules[name] for name in own)]


@attrs.define
class VerdictRecorder:
    """Every ``(rule_id, outcome)`` the kernel's entry points produced while installed.

    :meth:`install` wraps :meth:`pastoral_core.kernel.Service.handle`,
    :func:`pastoral_core.kernel.execute` and :func:`pastoral_core.kernel.decide` (where the
    public packages and this package's own modules bind them): the verdicts of what they
    return (``Accepted``, ``Decision``) and of the ``Refused`` they raise are recorded,
    but not those of a command sent again (``Accepted.replayed``): they are read back from
    the store, and no rule produced them in this run.
    :meth:`uninstall` puts back exactly what was there.

    Attributes:
        seen: Each ``(rule_id, outcome)`` produced so far.
    """

    seen: set[tuple[str, Outcome]] = attrs.field(factory=set)
    _restore: list[tuple[object, str, Any]] = attrs.field(factory=list, init=False, repr=False)

    def record(self, verdicts: Iterable[Verdict]) -> None:
        """Record the rule and outcome of each of ``verdicts``."""
        for verdict in verdicts:
            self.seen.add((verdict.rule_id, verdict.outcome))

    @property
    def installed(self) -> bool:
        """Whether the entry points are wrapped now."""
        return bool(self._restore)

    def install(self) -> None:
        """Wrap the entry points (once; installing again changes nothing)."""
        if self.installed:
            return
        service = kernel.Service
        handle = service.__dict__["handle"]
        self._patch(service, "handle", handle, _wrapped(self, handle))
        for name in ENTRY_POINTS:
            original = getattr(kernel, name)
            wrapper = _wrapped(self, original)  # one wrapper wherever it is bound, so it stays one object
            for holder in _holders():
                if getattr(holder, name, None) is original:
                    self._patch(holder, name, original, wrapper)

    def _patch(self, holder: object, name: str, original: Any, wrapper: Any) -> None:
        self._restore.append((holder, name, original))
        setattr(holder, name, wrapper)

    def uninstall(self) -> None:
        """Put back what :meth:`install` wrapped, in reverse order."""
        while self._restore:
            holder, name, original = self._restore.pop()
            setattr(holder, name, original)

    def missing(self, register: Register) -> dict[str, tuple[Outcome, ...]]:
        """Each rule of ``register`` with the outcomes it can produce but was never seen producing.

        What a rule can produce comes from the register (:attr:`RegisterEntry.outcomes`):
        a deny rule must be seen denying and passing, a flag rule flagging and passing, a
        record rule passing (and denying where it can deny); a check that only refuses,
        denying; a store behaviour, nothing.
        """
        found: dict[str, tuple[Outcome, ...]] = {}
        for entry in register.entries:
            never = tuple(o for o in Outcome if o in entry.outcomes and (entry.rule_id, o) not in self.seen)
            if never:
                found[entry.rule_id] = never
        return found

    def beyond(self, register: Register) -> dict[str, tuple[Outcome, ...]]:
        """Each rule of ``register`` seen producing an outcome the register says it cannot.

        The register is then wrong about the rule: it says what a rule can conclude
        (:attr:`RegisterEntry.outcomes`), and the rule concluded something else.
        """
        found: dict[str, tuple[Outcome, ...]] = {}
        for entry in register.entries:
            extra = tuple(o for o in Outcome if (entry.rule_id, o) in self.seen and o not in entry.outcomes)
            if extra:
                found[entry.rule_id] = extra
        return found

    def unregistered(self, register: Register) -> tuple[str, ...]:
        """The rule IDs seen in verdicts that ``register`` does not list (a host's or a test's own rules)."""
        return tuple(sorted({rule_id for rule_id, _ in self.seen if rule_id not in register}))


def describe(missing: Mapping[str, tuple[Outcome, ...]]) -> list[str]:
    """One line per rule: ``PSN-CLOSE: never deny``."""
    return [f"{rule_id}: never {', '.join(o.value for o in outcomes)}" for rule_id, outcomes in missing.items()]
