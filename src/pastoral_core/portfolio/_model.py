"""The vocabulary of Nottinghamshire LMC's GP Portfolio Plus scheme, as enums and values."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from pastoral_core.values import Count, Id, Label


class OpportunityKind(enum.Enum):
    """What the online database lists: "available roles, training opportunities and events"."""

    ROLE = "role"
    TRAINING = "training"
    EVENT = "event"


class Intent(enum.Enum):
    """Why a GP signs up (the scheme: considering leaving, flexible work, the newly qualified)."""

    CONSIDERING_LEAVING = "considering_leaving"
    FLEXIBLE_WORK = "flexible_work"
    NEWLY_QUALIFIED = "newly_qualified"
    RETURNING = "returning"


class Topic(enum.Enum):
    """One-to-one session topics: working life, training, diversifying ways of working."""

    WORKING_LIFE = "working_life"
    TRAINING = "training"
    DIVERSIFYING = "diversifying"


class IntroductionResponse(enum.Enum):
    """What the member made of an introduction."""

    INTERESTED = "interested"
    APPLIED = "applied"
    ATTENDED = "attended"
    DECLINED = "declined"


class CareerOutcome(enum.Enum):
    """Where the member ended up (for the scheme's retention aim)."""

    STAYED_IN_PRACTICE = "stayed_in_practice"
    PORTFOLIO_CAREER = "portfolio_career"
    REDUCED_HOURS = "reduced_hours"
    LEFT_GENERAL_PRACTICE = "left_general_practice"


@attrs.frozen
class Listing:
    """An opportunity's details as listed (opaque organisation id; no contact details).

    Attributes:
        kind: Role, training or event.
        title: A short description (screened: no names or contact details).
        organisation_id: Opaque id of the organisation offering it.
        area: Where it is (e.g. "Mansfield", "Nottingham City", "county-wide").
        starts_on: First day.
        ends_on: Last day, if any.
        closing_on: Last day to apply or book.
        sessions_per_week: For roles, the sessions a week it needs.
        tags: Subject tags matched against members' interests.
    """

    kind: OpportunityKind
    title: Label
    organisation_id: Id
    area: Label
    starts_on: dt.date
    ends_on: dt.date | None
    closing_on: dt.date
    sessions_per_week: Count | None
    tags: frozenset[Label]


@attrs.frozen
class Profile:
    """What matching needs to know about a member.

    Attributes:
        intent: Why they signed up.
        interests: Tags they are interested in.
        home_area: Where they live or work.
        sessions_available: Sessions a week they could give.
    """

    intent: Intent
    interests: frozenset[Label]
    home_area: Label
    sessions_available: Count
