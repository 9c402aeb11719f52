"""What the peer-group read models share beyond :mod:`pastoral_core.tables`: their inputs and a group's programme.

Each read model is a :class:`~pastoral_core.tables.RowsTable` made by a classmethod ``of``
from the states a :class:`~pastoral_core.kernel.Projection` holds (or ``groups_from`` /
``programmes_from`` give). The states alone decide it, so it is the same whether they were
folded from a whole history or a record at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pastoral_core.peer_groups._state import PeerGroup, Programme
from pastoral_core.tables import states_of


def groups_and_programmes(
    owner: str, groups: Any, programmes: Any
) -> tuple[Mapping[str, PeerGroup], Mapping[str, Programme]]:
    """Both inputs checked (see :func:`pastoral_core.tables.states_of`)."""
    return states_of(owner, "groups", groups, PeerGroup), states_of(owner, "programmes", programmes, Programme)


def programme_of(group: PeerGroup) -> str | None:
    """The programme the group was set up in (``None`` before set-up)."""
    return group.setup.programme_id if group.setup else None
