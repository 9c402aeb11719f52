"""What case and network decisions consult besides the aggregate itself."""

from __future__ import annotations

import attrs

from pastoral_core.rules import Rulebooks
from pastoral_core.support._directory import Directory
from pastoral_core.support._policies import DEVON_PSN
from pastoral_core.values import instance_of


@attrs.frozen
class SupportContext:
    """What case decisions consult besides the case itself.

    Attributes:
        rulebooks: Every version of the rulebook; the one in force at the command decides.
        directory: The network's officers (built from the Network stream).
    """

    rulebooks: Rulebooks = attrs.field(default=DEVON_PSN, validator=instance_of(Rulebooks))
    directory: Directory = attrs.field(factory=Directory, validator=instance_of(Directory))
