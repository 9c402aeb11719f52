"""Every GPS rule as a cited policy object, and the PHP_GROUP_PEER_SUPPORT rulebook.

Source: "Group Peer Support for GPs" (``GPS``): the vision, the concept and the offering.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from pastoral_core.exceptions import InvalidValue
from pastoral_core.peer_groups._instruments import INSTRUMENTS
from pastoral_core.peer_groups._model import ENGLAND_REGIONS, Profession, Tariff
from pastoral_core.rules import Citation, LateEntry, Rulebook, Rulebooks
from pastoral_core.values import Count, Label, Minutes, Validated, Years


@attrs.frozen
class EnglandRemit(Validated):
    """GPS-REMIT: groups are funded in England only (an NHS England region)."""

    rule_id: ClassVar[str] = "GPS-REMIT"
    citation: ClassVar[Citation] = Citation("GPS", "concept (PHP/GPH only have a remit for England)")
    regions: tuple[Label, ...] = ENGLAND_REGIONS


@attrs.frozen
class ProgrammeCapacity(Validated):
    """GPS-CAPACITY: about G groups over Y years from the programme's start."""

    rule_id: ClassVar[str] = "GPS-CAPACITY"
    citation: ClassVar[Citation] = Citation("GPS", "concept (around 50 groups); vision (over the next five years)")
    groups: Count = 50
    years: Years = 5


@attrs.frozen
class EligibleAttendees(Validated):
    """GPS-ELIGIBLE: attendees are GPs or GP trainees."""

    rule_id: ClassVar[str] = "GPS-ELIGIBLE"
    citation: ClassVar[Citation] = Citation("GPS", "vision (all GPs and GP trainees)")
    professions: tuple[Profession, ...] = (Profession.GP, Profession.GP_TRAINEE)


@attrs.frozen
class GroupSize(Validated):
    """GPS-SIZE: circa A attendees: above A is flagged, above A + t refused."""

    rule_id: ClassVar[str] = "GPS-SIZE"
    citation: ClassVar[Citation] = Citation("GPS", "offering (circa 12 attendees)")
    circa: Count = 12
    tolerance: Count = 2


@attrs.frozen
class MeetingLength(Validated):
    """GPS-LENGTH: a meeting is at least 90 minutes; a peer support day is several blocks."""

    rule_id: ClassVar[str] = "GPS-LENGTH"
    citation: ClassVar[Citation] = Citation("GPS", "vision (at least 90 minutes); offering (peer support days)")
    minimum_minutes: Minutes = 90
    day_minimum_blocks: Count = 2


@attrs.frozen
class FundingCap(Validated):
    """GPS-FUNDING-CAP: up to 900 facilitator minutes funded per group."""

    rule_id: ClassVar[str] = "GPS-FUNDING-CAP"
    citation: ClassVar[Citation] = Citation("GPS", "offering (up to 900 minutes of facilitator support per group)")
    minutes: Minutes = 900


@attrs.frozen
class FacilitatorIndependence(Validated):
    """GPS-INDEPENDENT: the facilitator is never an attendee nor a GP of the group."""

    rule_id: ClassVar[str] = "GPS-INDEPENDENT"
    citation: ClassVar[Citation] = Citation("GPS", "offering (the facilitator will need to be independent of the GPs)")


@attrs.frozen
class FacilitatorTariff(Validated):
    """GPS-TARIFF: cost = funded minutes x the tariff in force on the meeting date."""

    rule_id: ClassVar[str] = "GPS-TARIFF"
    citation: ClassVar[Citation] = Citation("GPS", "offering (we will contribute according to our tariff)")
    tariffs: tuple[Tariff, ...] = ()

    def on(self, day: dt.date) -> Tariff | None:
        """The tariff in force on ``day`` (the latest effective on or before it)."""
        found = None
        for tariff in sorted(self.tariffs, key=lambda t: t.effective_from):
            if tariff.effective_from <= day:
                found = tariff
        return found


@attrs.frozen
class Evaluation(Validated):
    """GPS-EVALUATION: one response per enrolled attendee per round, with a declared instrument."""

    rule_id: ClassVar[str] = "GPS-EVALUATION"
    citation: ClassVar[Citation] = Citation("GPS", "concept (attendees contribute to an evaluation)")
    instruments: tuple[Label, ...] = tuple(INSTRUMENTS)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        unknown = sorted(set(self.instruments) - set(INSTRUMENTS))
        if unknown:
            known = ", ".join(INSTRUMENTS)
            raise InvalidValue(
                "Evaluation", "instruments", f"{len(unknown)} instrument(s) the library cannot score; known: {known}"
            )


@attrs.frozen
class MeetingSchedule(Validated):
    """GPS-SCHEDULE: weekly/monthly series or blocks; a plan never exceeds the remaining minutes."""

    rule_id: ClassVar[str] = "GPS-SCHEDULE"
    citation: ClassVar[Citation] = Citation("GPS", "offering (weekly/monthly, or block amounts for peer support days)")


#: Group Peer Support for GPs (PHP / GP Health), version 1. No tariff is set by default:
#: a host states the funder's tariff table (``FacilitatorTariff(tariffs=...)``).
PHP_GROUP_PEER_SUPPORT_V1 = Rulebook(
    "PHP_GROUP_PEER_SUPPORT",
    1,
    dt.date(2019, 1, 1),
    (
        EnglandRemit(),
        ProgrammeCapacity(),
        EligibleAttendees(),
        GroupSize(),
        MeetingLength(),
        FundingCap(),
        FacilitatorIndependence(),
        FacilitatorTariff(),
        Evaluation(),
        MeetingSchedule(),
        LateEntry(),
    ),
)
#: Every version of the rulebook (one so far).
PHP_GROUP_PEER_SUPPORT = Rulebooks((PHP_GROUP_PEER_SUPPORT_V1,))
