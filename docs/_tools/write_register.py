"""Write docs/rules-register.md from the code: the register and the shipped rulebooks.

Run from anywhere: ``python docs/_tools/write_register.py``. ``tests/test_register.py``
fails while the committed page differs from what :func:`render` returns. With
``--check`` the script writes nothing and exits 1 if the page is out of date.
"""

from __future__ import annotations

import pathlib
import sys

from pastoral_core.peer_groups import PHP_GROUP_PEER_SUPPORT
from pastoral_core.portfolio import PORTFOLIO_PLUS
from pastoral_core.rules import REGISTER, register_markdown
from pastoral_core.support import DEVON_PSN

PAGE = pathlib.Path(__file__).resolve().parents[1] / "rules-register.md"

#: Every rulebook the library ships, in the register's order of domains.
SHIPPED = (DEVON_PSN, PHP_GROUP_PEER_SUPPORT, PORTFOLIO_PLUS)


def render() -> str:
    """The page as the code renders it now."""
    return register_markdown(REGISTER, SHIPPED)


def main(argv: list[str]) -> int:
    """Write the page (or, with ``--check``, only compare it); the exit status."""
    text = render()
    current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else None
    if "--check" in argv:
        if current != text:
            print(f"{PAGE} is out of date: run python docs/_tools/write_register.py")
            return 1
        return 0
    if current != text:
        PAGE.write_text(text, encoding="utf-8")
        print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
