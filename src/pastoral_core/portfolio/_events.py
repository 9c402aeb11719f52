"""Events of the Opportunity and Member aggregates."""

from __future__ import annotations

import datetime as dt

import attrs

from pastoral_core.eventlog import Event, event_type
from pastoral_core.portfolio._model import CareerOutcome, IntroductionResponse, Listing, Profile, Topic
from pastoral_core.values import Reason

# -- Opportunity ------------------------------------------------------------------------


@event_type("opportunity.posted")
@attrs.frozen
class OpportunityPosted(Event):
    """A role, training opportunity or event was listed."""

    listing: Listing
    posted_on: dt.date


@event_type("opportunity.updated")
@attrs.frozen
class OpportunityUpdated(Event):
    """The listing's details changed (an update is also a review)."""

    listing: Listing
    updated_on: dt.date


@event_type("opportunity.reviewed")
@attrs.frozen
class OpportunityReviewed(Event):
    """Someone checked the listing is still right (it is fresh again: PP-FRESH)."""

    reviewed_on: dt.date


@event_type("opportunity.withdrawn")
@attrs.frozen
class OpportunityWithdrawn(Event):
    """The listing was withdrawn; it is never offered again."""

    reason: Reason
    withdrawn_on: dt.date


# -- Member -----------------------------------------------------------------------------


@event_type("member.signed_up")
@attrs.frozen
class MemberSignedUp(Event):
    """A GP joined GP Portfolio Plus, with their intent (PP-MEMBER)."""

    member_id: str
    profile: Profile
    signed_up_on: dt.date


@event_type("member.profile_updated")
@attrs.frozen
class ProfileUpdated(Event):
    """The member's interests, area or availability changed."""

    profile: Profile


@event_type("member.team_member_assigned")
@attrs.frozen
class TeamMemberAssigned(Event):
    """An experienced GP of the team was linked to the member (PP-TEAM)."""

    team_member_id: str


@event_type("member.one_to_one_held")
@attrs.frozen
class OneToOneHeld(Event):
    """A one-to-one session with the team member."""

    session_id: str
    team_member_id: str
    topic: Topic
    held_on: dt.date


@event_type("member.introduced")
@attrs.frozen
class Introduced(Event):
    """The member was introduced to an opportunity, with why it matched (PP-MATCH)."""

    introduction_id: str
    opportunity_id: str
    score: int
    reasons: tuple[str, ...]
    introduced_on: dt.date


@event_type("member.introduction_answered")
@attrs.frozen
class IntroductionAnswered(Event):
    """What the member did about an introduction."""

    introduction_id: str
    response: IntroductionResponse


@event_type("member.peer_group_linked")
@attrs.frozen
class PeerGroupLinked(Event):
    """The member was linked to a peer support group (PP-PEER)."""

    group_id: str


@event_type("member.outcome_recorded")
@attrs.frozen
class OutcomeRecorded(Event):
    """Where the member is now (PP-OUTCOME), so retention can be reported."""

    outcome: CareerOutcome
    as_of: dt.date
