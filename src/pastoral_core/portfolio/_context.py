"""What member decisions consult besides the member."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from pastoral_core.kernel import EMPTY
from pastoral_core.portfolio._policies import PORTFOLIO_PLUS
from pastoral_core.portfolio._state import Opportunity
from pastoral_core.rules import Rulebooks
from pastoral_core.values import instance_of, mapping_of


@attrs.frozen
class PortfolioContext:
    """What member decisions consult besides the member.

    Attributes:
        rulebooks: Every version of the rulebook; the one in force at the command decides.
        listings: Opportunities by id (see ``listings_from``).
    """

    rulebooks: Rulebooks = attrs.field(default=PORTFOLIO_PLUS, validator=instance_of(Rulebooks))
    listings: Mapping[str, Opportunity] = attrs.field(default=EMPTY, validator=mapping_of(Opportunity))
