"""The vocabulary of the PHP / GP Health group peer support offer, as enums and values."""

from __future__ import annotations

import datetime as dt
import decimal
import enum

import attrs

from pastoral_core.eventlog import added_field
from pastoral_core.values import Money

#: NHS England's seven regions: the programme's remit ("PHP/GPH only have a remit for England").
ENGLAND_REGIONS = (
    "East of England",
    "London",
    "Midlands",
    "North East and Yorkshire",
    "North West",
    "South East",
    "South West",
)


class Modality(enum.Enum):
    """What kind of peer support a group offers (GPS concept and offering)."""

    BALINT = "balint"
    REFLECTIVE_PRACTICE = "reflective_practice"
    ACTION_LEARNING_SET = "action_learning_set"
    YOUNG_PRACTITIONER_GROUP = "young_practitioner_group"
    RESILIENCE = "resilience"
    MINDFULNESS = "mindfulness"
    RELAXATION = "relaxation"
    COACHING = "coaching"
    OTHER = "other"


class Profession(enum.Enum):
    """An attendee's profession; the offer is for GPs and GP trainees (GPS vision)."""

    GP = "gp"
    GP_TRAINEE = "gp_trainee"
    OTHER = "other"


class Frequency(enum.Enum):
    """How a planned series of meetings recurs (GPS offering: weekly/monthly)."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


class MeetingStatus(enum.Enum):
    """Where a planned meeting stands."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class RoundKind(enum.Enum):
    """Evaluation rounds: wellbeing at baseline and at follow-up (GPS concept)."""

    BASELINE = "baseline"
    FOLLOW_UP = "follow_up"


@attrs.frozen
class Tariff:
    """A facilitator tariff in force from a date (GPS offering: "according to our tariff").

    Attributes:
        effective_from: First day it applies (meeting date, Europe/London).
        hourly_rate: GBP per facilitator hour; cost = funded minutes x rate / 60.
    """

    effective_from: dt.date
    hourly_rate: Money


@attrs.frozen
class PlannedMeeting:
    """A meeting in the plan: a 90-minute session, or a peer support day of several blocks.

    Attributes:
        meeting_id: Opaque id.
        starts_at: Aware start time.
        minutes: Planned length in all.
        blocks: 1 for a meeting; 2 or more for a peer support day.
        self_funded_minutes: Minutes of it the group pays for itself, outside the funded
            cap (GPS-FUNDING-CAP); all of them for a wholly self-funded meeting.
    """

    meeting_id: str
    starts_at: dt.datetime
    minutes: int
    blocks: int = 1
    self_funded_minutes: int = added_field(0)

    @property
    def funded_minutes(self) -> int:
        """Minutes of the plan that count against the group's funded cap."""
        return self.minutes - self.self_funded_minutes


@attrs.frozen
class Score:
    """One named score of an evaluation response (``total``, or a subscale)."""

    name: str
    value: decimal.Decimal
