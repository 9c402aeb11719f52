"""Load a file of ``examples/`` (not a package) as a module, once per process."""

import importlib.util
import pathlib
import sys

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def example(relative: str):
    """``examples/<relative>`` as a module, the same module object for every test of a run."""
    path = EXAMPLES / relative
    name = f"pastoral_examples_{path.stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
