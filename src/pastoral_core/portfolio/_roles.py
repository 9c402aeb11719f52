"""Who acts in GP Portfolio Plus (rule AUTH): each command's table row says which of these may."""

from __future__ import annotations

import enum


class PortfolioRole(enum.Enum):
    """The roles of GP Portfolio Plus (PP).

    - ``COORDINATOR``: who runs the scheme and its database of opportunities.
    - ``TEAM_MEMBER``: an experienced GP of the small team, acting for the members linked to them.
    - ``MEMBER``: a GP who signed up, acting for themselves.
    """

    COORDINATOR = "coordinator"
    TEAM_MEMBER = "team_member"
    MEMBER = "member"
