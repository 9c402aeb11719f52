"""Verdict coverage: a pytest plugin that fails a run in which a rule never produced an outcome it can produce.

Opt in from a ``conftest.py`` at the top of the tests::

    pytest_plugins = ["pastoral_core.testing.verdict_coverage"]

While the tests run, the plugin records every verdict the kernel's public entry points
produce (:meth:`pastoral_core.kernel.Service.handle`,
:func:`pastoral_core.kernel.execute` and :func:`pastoral_core.kernel.decide`: the
verdicts they return, and those of the ``Refused`` they raise; not those an idempotent
repeat reads back from the store). At the end it compares them with the rules register:
each rule must have been seen producing every outcome the register says it can produce
(a deny rule denying and passing, a flag rule flagging and passing, a record rule
passing, and denying where it can deny), and never seen producing one the register says
it cannot (a register that says a rule only records, while it refuses, is wrong). A
"verdict coverage" section lists each rule and the outcome(s) it never produced, or
produced beyond it.

The run fails (exit status 1) only when the whole default suite ran: no paths on the
command line, not run in a subdirectory of the root (pytest then collects that directory
alone), nothing selected or deselected (``-k``, ``-m``, ``--lf``, ``--deselect``,
``--ignore``), and not stopped early (``-x``, ``--maxfail``). A partial run only reports.

The register checked is :data:`pastoral_core.rules.REGISTER` unless the ini option
``verdict_coverage_register`` names another (``"module:attribute"``, a
:class:`~pastoral_core.rules.Register`), e.g. a host's register of its own rules. Turn the
plugin off for one run with ``-p no:pastoral_core.testing.verdict_coverage``.
"""

from __future__ import annotations

import importlib

import pytest

from pastoral_core.rules import Outcome, Register
from pastoral_core.testing._verdict_recorder import VerdictRecorder, describe

__all__ = [
    "DEFAULT_REGISTER",
    "INI_OPTION",
    "load_register",
    "partial_because",
    "pytest_addoption",
    "pytest_configure",
    "pytest_deselected",
    "pytest_runtestloop",
    "pytest_terminal_summary",
    "pytest_unconfigure",
]

#: The ini option naming the register to check (``"module:attribute"``).
INI_OPTION = "verdict_coverage_register"
#: The register checked unless the ini option names another.
DEFAULT_REGISTER = "pastoral_core.rules:REGISTER"

_RECORDER = pytest.StashKey[VerdictRecorder]()
_REGISTER = pytest.StashKey[Register]()
_DESELECTED = pytest.StashKey[int]()
_VERDICT = pytest.StashKey[tuple[dict[str, tuple[Outcome, ...]], str | None]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the ini option ``verdict_coverage_register``."""
    parser.addini(
        INI_OPTION,
        "the rules register verdict coverage checks, as module:attribute",
        default=DEFAULT_REGISTER,
    )


def load_register(spec: str) -> Register:
    """The :class:`~pastoral_core.rules.Register` that ``spec`` (``"module:attribute"``) names.

    Raises:
        pytest.UsageError: If ``spec`` is malformed, cannot be imported, or is not a register.
    """
    module_name, _, attribute = str(spec).strip().partition(":")
    if not module_name or not attribute:
        raise pytest.UsageError(f"{INI_OPTION} must be module:attribute, got {spec!r}")
    try:
        register = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise pytest.UsageError(f"{INI_OPTION} = {spec}: cannot load it ({error})") from None
    if not isinstance(register, Register):
        raise pytest.UsageError(f"{INI_OPTION} = {spec}: is a {type(register).__name__}, not a Register")
    return register


def pytest_configure(config: pytest.Config) -> None:
    """Load the register and wrap the kernel's entry points for the whole session."""
    config.stash[_REGISTER] = load_register(config.getini(INI_OPTION))
    config.stash[_DESELECTED] = 0
    recorder = VerdictRecorder()
    recorder.install()
    config.stash[_RECORDER] = recorder


def pytest_unconfigure(config: pytest.Config) -> None:
    """Put the kernel's entry points back as they were."""
    recorder = config.stash.get(_RECORDER, None)
    if recorder is not None:
        recorder.uninstall()


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Count deselected tests: a run with any is partial."""
    if items:
        config = items[0].config
        config.stash[_DESELECTED] = config.stash.get(_DESELECTED, 0) + len(items)


def partial_because(session: pytest.Session) -> str | None:
    """Why this run is not the whole default suite, or ``None`` if it is."""
    config = session.config
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        return "paths were given on the command line"
    if (
        config.args_source is pytest.Config.ArgsSource.INVOCATION_DIR
        and config.invocation_params.dir != config.rootpath
    ):
        return "pytest ran in a subdirectory, which it collects alone"
    for option, flag in (
        ("keyword", "-k"),
        ("markexpr", "-m"),
        ("lf", "--lf"),
        ("deselect", "--deselect"),
        ("ignore", "--ignore"),
        ("ignore_glob", "--ignore-glob"),
        ("collectonly", "--collect-only"),
    ):
        if config.getoption(option, None):
            return f"tests were selected with {flag}"
    if config.stash.get(_DESELECTED, 0):
        return f"{config.stash[_DESELECTED]} test(s) were deselected"
    if session.shouldstop or session.shouldfail:
        return "the run stopped early"
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session) -> object:
    """After the tests: find the outcomes never produced (or produced beyond the register); fail a whole run."""
    completed = False
    try:
        result = yield
        completed = True
        return result
    finally:
        config = session.config
        recorder, register = config.stash[_RECORDER], config.stash[_REGISTER]
        missing = recorder.missing(register)
        partial = partial_because(session) if completed else "the run stopped early"
        config.stash[_VERDICT] = (missing, partial)
        if (missing or recorder.beyond(register)) and partial is None:
            session.testsfailed += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """The "verdict coverage" section: each rule and the outcome(s) it never produced."""
    if _VERDICT not in config.stash:
        return
    missing, partial = config.stash[_VERDICT]
    register, recorder = config.stash[_REGISTER], config.stash[_RECORDER]
    write = terminalreporter.write_line
    terminalreporter.section("verdict coverage")
    outcomes = sum(len(e.outcomes) for e in register.entries)
    if not missing:
        write(f"every rule of the register produced each outcome it can ({len(register)} rules, {outcomes} outcomes)")
    elif partial is None:
        write(
            f"FAILED: {len(missing)} rule(s) of the register never produced an outcome they can produce; "
            "add a test through the service that produces it (or correct the register):",
            red=True,
            bold=True,
        )
    else:
        write(f"not enforced ({partial}): {len(missing)} rule(s) never produced an outcome they can in this run")
    if missing and (partial is None or config.get_verbosity() >= 0):
        for line in describe(missing):
            write(f"  {line}")
    beyond = recorder.beyond(register)
    if beyond:
        failed = "FAILED: " if partial is None else f"not enforced ({partial}): "
        write(f"{failed}{len(beyond)} rule(s) produced an outcome the register says they cannot; correct the register:")
        for rule_id, produced in beyond.items():
            write(f"  {rule_id}: {', '.join(o.value for o in produced)}")
    unknown = recorder.unregistered(register)
    if unknown:
        write(f"verdicts of rules the register does not list (not checked): {', '.join(unknown)}")
