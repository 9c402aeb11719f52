"""Who acts in pastoral support (rule AUTH): each command's table row says which of these may."""

from __future__ import annotations

import enum


class SupportRole(enum.Enum):
    """The roles of the Devon LMC Pastoral Support Network (MOU).

    - ``COORDINATOR``: the LMC's staff who run the network (MOU LMC 1-4).
    - ``OFFICER``: a pastoral support officer, acting only on cases they are allocated to.
    - ``RECIPIENT``: a GP, practice manager or practice being supported, acting for themselves.
    - ``CALDICOTT_GUARDIAN``: who destroys notes after retention (MOU NOTE 1).
    """

    COORDINATOR = "coordinator"
    OFFICER = "officer"
    RECIPIENT = "recipient"
    CALDICOTT_GUARDIAN = "caldicott_guardian"
