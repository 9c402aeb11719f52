"""Sphinx configuration for the pastoral_core documentation site.

The pages are Markdown (MyST); the API reference is generated from the docstrings
(autodoc, Google style through napoleon). Build with
``python -m sphinx -W --keep-going -b html docs <outdir>``, never into ``docs/``: pytest
runs every ``*.md`` under ``docs/`` as a doctest.
"""

from __future__ import annotations

import enum
import re
import sys
from pathlib import Path

import attrs
from docutils import nodes
from sphinx.application import Sphinx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # document the checkout, not an installed copy
sys.path.insert(0, str(HERE / "_ext"))

import pastoral_core  # noqa: E402

project = "pastoral_core"
author = "pastoral_core contributors"
copyright = "pastoral_core contributors"
release = pastoral_core.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "public_names",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "Thumbs.db", ".DS_Store"]

# MyST: headings get anchors, so [text](#read-models) and page.md#section links resolve.
myst_heading_anchors = 3

# autodoc: each package's __all__ is its public API; members in source order.
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "signature"
autodoc_preserve_defaults = True  # `rulebooks=DEVON_PSN`, not the whole rulebook's repr

napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_attr_annotations = False  # the signature gives each field's type already

html_theme = "furo"
html_title = f"pastoral_core {release}"


def skip_named_tuple_aliases(
    app: Sphinx, what: str, name: str, obj: object, skip: bool, options: object
) -> bool | None:
    """Leave out a named tuple's field accessors ("Alias for field number 0").

    Its class docstring describes the fields (``Attributes:``); the accessors would
    describe them a second time.
    """
    return True if (getattr(obj, "__doc__", None) or "").startswith("Alias for field number") else None


ATTRS_DEFAULT = re.compile(r"attr_dict\['(\w+)'\]\.default")


def short_repr(value: object) -> str:
    """A default as a reader wants it: ``Transition.AS_STARTED``, ``()``, ``...`` when long."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    text = repr(value)
    return text if len(text) <= 40 else "..."


def attrs_defaults(
    app: Sphinx, what: str, name: str, obj: object, options: object, signature: str | None, annotation: str | None
) -> tuple[str, str | None] | None:
    """Show an attrs class's defaults, not the ``attr_dict['x'].default`` of its generated ``__init__``."""
    if not signature or not isinstance(obj, type) or not attrs.has(obj):
        return None
    fields = attrs.fields(obj)
    defaults = {field.name: field.default for field in fields}
    signature = ATTRS_DEFAULT.sub(lambda found: short_repr(defaults[found[1]]), signature)
    for field in fields:  # a factory's default reads NOTHING in the generated __init__
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            signature = re.sub(rf"\b({field.alias}(?:: [^=]+?)?) = NOTHING\b", r"\1 = ...", signature)
    return signature, annotation


def trim_doctest_blocks(app: Sphinx, doctree: nodes.document) -> None:
    """Drop the blank line that closes each block of examples.

    A doctest's expected output runs to the next blank line, so in the Markdown pages
    every block of examples ends with one before its closing fence; the reader need not
    see it. (The pages fence examples as ``python-console``, the same lexer as ``pycon``,
    because ``ruff format`` would rewrap ``pycon`` blocks one argument to a line.)
    """
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if block.rawsource == text and text.endswith("\n"):
            block.rawsource = text.rstrip("\n")
            block[:] = [nodes.Text(block.rawsource)]


def setup(app: Sphinx) -> None:
    """Connect the hooks above."""
    app.connect("doctree-read", trim_doctest_blocks)
    app.connect("autodoc-skip-member", skip_named_tuple_aliases)
    app.connect("autodoc-process-signature", attrs_defaults)
