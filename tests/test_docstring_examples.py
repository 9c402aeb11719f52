"""Examples written in docstrings run, so they cannot rot."""

import doctest
import importlib
import pkgutil

import pytest

import pastoral_core

FINDER = doctest.DocTestFinder(exclude_empty=True)


def examples_in(name):
    module = importlib.import_module(name)
    return [t for t in FINDER.find(module, name) if t.examples and t.filename == module.__file__]


WITH_EXAMPLES = [m.name for m in pkgutil.walk_packages(pastoral_core.__path__, "pastoral_core.") if examples_in(m.name)]


def test_the_library_has_docstring_examples_to_run():
    assert "pastoral_core.tables" in WITH_EXAMPLES


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_run(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in examples_in(name):
        runner.run(test)
    assert runner.failures == 0
