"""The docs pages run as doctests; a page that needs a PostgreSQL server runs only where one is named.

``PASTORAL_TEST_POSTGRES`` names the server (a libpq connection string), as for the
reference store's tests. Without it the page is skipped, unless ``REQUIRE_POSTGRES=1``
(as in CI), where it runs and fails.

Pages that load a reference store from ``examples/stores/`` name it from the project's
root, as a reader running them from a clone would: each page runs there, wherever
pytest was started.
"""

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NEEDS_POSTGRES = {HERE / "how-to" / "host-postgresql.md"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the pages that need PostgreSQL when no server is named and none is required."""
    if os.environ.get("PASTORAL_TEST_POSTGRES") or os.environ.get("REQUIRE_POSTGRES") == "1":
        return
    skip = pytest.mark.skip(reason="no PostgreSQL server: set PASTORAL_TEST_POSTGRES to run this page")
    for item in items:
        if item.path.resolve() in NEEDS_POSTGRES:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each page from the project's root (its examples name files from there)."""
    monkeypatch.chdir(HERE.parent)
