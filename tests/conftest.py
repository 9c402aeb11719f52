"""Hypothesis profiles, and the figures a run measured (printed at the end of the run).

Profiles (``HYPOTHESIS_PROFILE=<name>`` picks one; otherwise ``ci`` when the ``CI``
environment variable is set, as in ``.ci/run``, and ``dev`` when it is not):

- ``dev``: quick, for working locally (30 examples per property).
- ``ci``: 200 examples per property, derandomized (each test draws the same examples on
  every run, so the counts below repeat run to run and can be quoted in
  ``docs/reliability.md``), a reproduction blob printed on failure, and nothing that
  depends on the machine's speed (no deadline, no "too slow" health check).
- ``thorough``: 500 random examples per property, for a long run before a release.

A test with its own ``@settings(max_examples=...)`` keeps that number under every profile
(and inherits the rest, such as ``derandomize``, from the profile loaded).

Figures: call :func:`count` where a test feeds an input, and the total is printed under
"figures" at the end of the run, beside anything a test put in :data:`FIGURES`.
"""

import collections
import os

from hypothesis import HealthCheck, settings

pytest_plugins = ["pastoral_core.testing.verdict_coverage", "pastoral_core.testing.specs", "pytester"]

settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _in_ci() else "dev")
settings.load_profile(PROFILE)

#: Figures a test measured (screen recall, ...), printed at the end of the run so
#: docs/reliability.md can quote the run that produced them. Keys are the printed names.
FIGURES: dict[str, str] = {}

#: Running counts kept by :func:`count`, printed with :data:`FIGURES` at the end of the run.
COUNTS: collections.Counter[str] = collections.Counter()


def count(name: str, n: int = 1) -> None:
    """Add ``n`` to the figure ``name``: how many inputs of a kind the tests tried.

    Call it inside the test body (a Hypothesis test counts each example it runs), e.g.::

        from tests.conftest import count

        count("integrity: edits tried")          # one edit made to a sealed log
        if not verify(edited).ok:
            count("integrity: edits detected")

    Each name is printed once under "figures" with its total for the whole run, as
    ``integrity: edits tried: 1,250``. Use one name per thing counted, prefixed by the
    area it belongs to so related figures sort together. Under the ``ci`` profile the
    examples are derandomized, so a full run prints the same totals every time; a run of
    some of the tests, or under another profile, prints other totals.
    """
    COUNTS[name] += n


def pytest_terminal_summary(terminalreporter):
    lines = dict(FIGURES)
    lines.update((name, f"{total:,}") for name, total in COUNTS.items())
    if lines:
        terminalreporter.section(f"figures (hypothesis profile {PROFILE!r})")
        for name, value in sorted(lines.items()):
            terminalreporter.write_line(f"{name}: {value}")
