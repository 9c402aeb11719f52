"""Who acts in group peer support (rule AUTH): each command's table row says which of these may."""

from __future__ import annotations

import enum


class PeerSupportRole(enum.Enum):
    """The roles of a funder's group peer support programme (GPS).

    - ``PROGRAMME_LEAD``: the funder's lead, who starts the programme and approves groups.
    - ``COORDINATOR``: who sets groups up and runs them day to day.
    - ``FACILITATOR``: the group's independent facilitator, acting only on their own group.
    - ``ATTENDEE``: a GP or GP trainee in the group, acting for themselves.
    """

    PROGRAMME_LEAD = "programme_lead"
    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    ATTENDEE = "attendee"
