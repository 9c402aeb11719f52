"""Every public name is documented; src/ stays pure (DESIGN: no clock, ids, randomness, I/O)."""

import importlib
import inspect
import pathlib
import re

import pytest

PUBLIC_MODULES = [
    "pastoral_core",
    "pastoral_core.eventlog",
    "pastoral_core.rules",
    "pastoral_core.support",
    "pastoral_core.peer_groups",
    "pastoral_core.portfolio",
    "pastoral_core.testing",
    "pastoral_core.testing.strategies",
]
SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "pastoral_core"


def public_names():
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            yield module_name, name, getattr(module, name)


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_modules_have_docstrings_and_all(module_name):
    module = importlib.import_module(module_name)
    assert module.__doc__ and module.__doc__.strip()
    assert module.__all__, f"{module_name} must declare __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{module_name}.__all__ names missing attributes: {missing}"


def test_every_public_class_and_function_has_its_own_docstring():
    undocumented = []
    for module_name, name, obj in public_names():
        if inspect.isclass(obj) or inspect.isfunction(obj):
            doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
            if not (doc and doc.strip()):
                undocumented.append(f"{module_name}.{name}")
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or not inspect.isfunction(member):
                        continue
                    if not (member.__doc__ and member.__doc__.strip()):
                        undocumented.append(f"{module_name}.{name}.{attr}")
    assert not undocumented, f"public names without docstrings: {sorted(set(undocumented))}"


FORBIDDEN = re.compile(
    r"datetime\.now|date\.today|utcnow|uuid4|import random|^\s*print\(|\bopen\(|os\.environ|import logging|time\.time\("
)


def test_src_has_no_clock_ids_randomness_or_io():
    offences = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]
    assert not offences, offences


def test_py_typed_is_shipped():
    assert (SRC / "py.typed").exists()
