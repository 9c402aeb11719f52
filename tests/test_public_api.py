"""Every public name is documented; src/ stays pure (DESIGN: no clock, ids, randomness, I/O)."""

import importlib
import inspect
import pathlib
import re

import pytest

PUBLIC_MODULES = [
    "pastoral_core",
    "pastoral_core.eventlog",
    "pastoral_core.exceptions",
    "pastoral_core.kernel",
    "pastoral_core.values",
    "pastoral_core.rules",
    "pastoral_core.support",
    "pastoral_core.peer_groups",
    "pastoral_core.portfolio",
    "pastoral_core.testing",
    "pastoral_core.testing.strategies",
    "pastoral_core.testing.specs",
    "pastoral_core.testing.verdict_coverage",
    "pastoral_core.tables",
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


#: The modules that build seeded randomness: the synthetic-history generator and the
#: benchmark workload generator (DESIGN: testing's generators); the rest of the generator
#: only names ``Random`` for type checking.
SEEDED = ["testing/_synthetic.py", "testing/_workload_templates.py"]
RANDOM = re.compile(r"^(import random|from random import)", re.M)


def test_src_has_no_clock_ids_randomness_or_io():
    offences = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if FORBIDDEN.search(line) or (RANDOM.match(line) and path.relative_to(SRC).as_posix() not in SEEDED)
    ]
    assert not offences, offences


def test_the_generators_are_the_only_modules_that_import_randomness():
    importing = sorted(
        path.relative_to(SRC).as_posix() for path in SRC.rglob("*.py") if RANDOM.search(path.read_text())
    )
    assert importing == SEEDED


def test_py_typed_is_shipped():
    assert (SRC / "py.typed").exists()


PRIVATE_IMPORT = re.compile(r"^\s*from (pastoral_core(?:\.[a-z_]+)*)\.(_[a-z_]+) import", re.M)


def test_no_module_imports_a_private_name_from_another_package():
    """What a domain needs from the kernel, the rules or the log is public there."""
    crossings = []
    for path in SRC.rglob("*.py"):
        package = ".".join(("pastoral_core", *path.relative_to(SRC).parent.parts))
        for owner, private in PRIVATE_IMPORT.findall(path.read_text()):
            if owner != package:
                crossings.append(f"{path.relative_to(SRC)}: {owner}.{private}")
    assert not crossings


def test_judge_and_the_exceptions_are_public():
    import pastoral_core.exceptions as exceptions
    import pastoral_core.rules as rules

    assert rules.Judge.__module__.startswith("pastoral_core.rules")
    errors = [getattr(exceptions, name) for name in exceptions.__all__]
    assert all(issubclass(e, exceptions.PastoralCoreError) for e in errors)
