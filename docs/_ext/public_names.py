"""A directive listing a package's public names, each linked to where it is described.

``pastoral_core`` re-exports names from its packages (``PastoralSupport`` from
``pastoral_core.support``, ``Refused`` from ``pastoral_core.exceptions``). Autodoc would
describe each a second time; this directive lists them instead, each with the first
line of its docstring, linked to the one place the reference describes it.
"""

from __future__ import annotations

import importlib
import inspect
import re
import types

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

#: The packages the reference describes; a name's home is the one whose modules define it.
DOCUMENTED = (
    "pastoral_core.exceptions",
    "pastoral_core.values",
    "pastoral_core.eventlog",
    "pastoral_core.rules",
    "pastoral_core.kernel",
    "pastoral_core.tables",
    "pastoral_core.support",
    "pastoral_core.peer_groups",
    "pastoral_core.portfolio",
    "pastoral_core.testing",
)

ROLE = re.compile(r":[\w:]+:`~?(?:[\w.]*\.)?([^`]+?)`")


def home_of(obj: object, name: str) -> str:
    """The full name under which the reference describes ``obj``, public as ``name``."""
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    defined_in = getattr(obj, "__module__", None) or ""
    for package in DOCUMENTED:
        if (defined_in == package or defined_in.startswith(package + ".")) and name in getattr(
            importlib.import_module(package), "__all__", ()
        ):
            return f"{package}.{name}"
    raise LookupError(f"{name} (defined in {defined_in!r}) is public in no documented package")


def summary_of(obj: object) -> str:
    """The first line of ``obj``'s docstring, as plain text."""
    doc = inspect.getdoc(obj) or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ")
    return ROLE.sub(r"\1", first).replace("``", "")


class PublicNames(SphinxDirective):
    """``public-names`` with a package's name: a table of its ``__all__``, linked to each name's home."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        """One row per public name: the name, linked to its home, and its summary."""
        package = importlib.import_module(self.arguments[0])
        homes = sorted(((home_of(getattr(package, n), n), getattr(package, n)) for n in package.__all__), key=_key)
        body = nodes.tbody()
        for target, obj in homes:
            link = addnodes.pending_xref(
                "", refdomain="py", reftype="mod" if isinstance(obj, types.ModuleType) else "obj", reftarget=target
            )
            link += nodes.literal(target, target)
            body += nodes.row("", _entry(nodes.paragraph("", "", link)), _entry(nodes.paragraph("", summary_of(obj))))
        group = nodes.tgroup(cols=2)
        group += nodes.colspec(colwidth=40)
        group += nodes.colspec(colwidth=60)
        group += body
        return [nodes.table("", group, classes=["public-names"])]


def _key(item: tuple[str, object]) -> str:
    return item[0].lower()


def _entry(child: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    entry += child
    return entry


def setup(app: Sphinx) -> dict[str, object]:
    """Register the directive."""
    app.add_directive("public-names", PublicNames)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
