"""The context peer-support decisions consult."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from pastoral_core.kernel import EMPTY
from pastoral_core.peer_groups._policies import (
    PHP_GROUP_PEER_SUPPORT,
)
from pastoral_core.peer_groups._state import Programme
from pastoral_core.rules import Rulebooks
from pastoral_core.values import instance_of, mapping_of


@attrs.frozen
class PeerSupportContext:
    """What peer-support decisions consult besides the aggregate itself.

    Attributes:
        rulebooks: Every version of the rulebook; the one in force at the command decides.
        programmes: Programme states by programme id (see ``programmes_from``).
    """

    rulebooks: Rulebooks = attrs.field(default=PHP_GROUP_PEER_SUPPORT, validator=instance_of(Rulebooks))
    programmes: Mapping[str, Programme] = attrs.field(default=EMPTY, validator=mapping_of(Programme))
