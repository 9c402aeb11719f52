"""The pytest plugin that runs specification files: every ``*.spec.yaml`` (or ``*.spec.yml``).

Opt in with ``-p pastoral_core.testing.specs`` on the command line, or in a conftest.py
at the root of the tests::

    pytest_plugins = ["pastoral_core.testing.specs"]

Each spec of a file is one test, named by the file and the spec
(``tests/specs/PSN-ALLOWANCE/seventh.spec.yaml::seventh session refused``). A spec that
does not hold fails with the file and line of each expectation missed and the verdicts
the command met; a spec that cannot be read or run fails with the file and line of the
mistake. Reading the files needs PyYAML (the ``[spec]`` extra).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pastoral_core.testing._spec_load import SPEC_SUFFIXES, Spec, load_spec
from pastoral_core.testing._spec_run import run_spec
from pastoral_core.testing._spec_yaml import SpecError

__all__ = ["SpecFailed", "SpecFile", "SpecItem", "pytest_collect_file"]


class SpecFailed(AssertionError):
    """A spec ran, and an expectation of its ``then:`` did not hold (the message says which, and where)."""


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> SpecFile | None:
    """Collect ``*.spec.yaml`` and ``*.spec.yml`` files as :class:`SpecFile`."""
    if file_path.name.endswith(SPEC_SUFFIXES):
        file: SpecFile = SpecFile.from_parent(parent, path=file_path)
        return file
    return None


def _short(excinfo: pytest.ExceptionInfo[BaseException]) -> str | None:
    if isinstance(excinfo.value, SpecError | SpecFailed | ImportError):
        return str(excinfo.value)
    return None


class SpecFile(pytest.File):
    """A spec file: one test item per spec."""

    def collect(self) -> Iterator[SpecItem]:
        """Read the file and yield one :class:`SpecItem` per spec.

        Raises:
            SpecError: If the file cannot be read as a spec file (reported as a
                collection error with its line).
        """
        shown = self.nodeid or str(self.path)
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise SpecError(shown, 1, "a spec file is UTF-8 text") from None
        for spec in load_spec(text, shown):
            item: SpecItem = SpecItem.from_parent(self, name=spec.name, spec=spec)
            yield item

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:  # type: ignore[override]
        """A spec file's mistake as its one line, without a traceback."""
        return _short(excinfo) or super().repr_failure(excinfo)


class SpecItem(pytest.Item):
    """One spec of a spec file, run as a test."""

    def __init__(self, *, spec: Spec, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec

    def runtest(self) -> None:
        """Run the spec.

        Raises:
            SpecFailed: If an expectation does not hold.
            SpecError: If the spec cannot be run as written.
        """
        result = run_spec(self.spec)
        if not result.ok:
            raise SpecFailed(result.report())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:  # type: ignore[override]
        """The mismatches (or the mistake) with their file and line, without a traceback."""
        return _short(excinfo) or super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the spec is, for pytest's report."""
        return self.path, self.spec.line - 1, f"spec {self.spec.name}"
