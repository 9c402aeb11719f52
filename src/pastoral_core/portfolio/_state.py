"""State of an Opportunity (and the Listings read model) and of a Member; evolve only applies facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from pastoral_core.eventlog import Event
from pastoral_core.kernel import EMPTY, replace, with_item
from pastoral_core.portfolio._events import (
    Introduced,
    IntroductionAnswered,
    MemberSignedUp,
    OneToOneHeld,
    OpportunityPosted,
    OpportunityReviewed,
    OpportunityUpdated,
    OpportunityWithdrawn,
    OutcomeRecorded,
    PeerGroupLinked,
    ProfileUpdated,
    TeamMemberAssigned,
)
from pastoral_core.portfolio._model import IntroductionResponse, Listing, Profile

# -- Opportunity ------------------------------------------------------------------------


@attrs.frozen
class Opportunity:
    """A listing and its standing.

    Attributes:
        listing: The details, once posted.
        reviewed_on: When it was last posted, updated or reviewed (PP-FRESH).
        withdrawn: Withdrawn listings are never offered.
    """

    listing: Listing | None = None
    reviewed_on: dt.date | None = None
    withdrawn: bool = False

    def is_live(self, on: dt.date) -> bool:
        """Whether it can be offered on ``on``: posted, not withdrawn, not past its closing date."""
        return self.listing is not None and not self.withdrawn and on <= self.listing.closing_on

    def days_since_review(self, on: dt.date) -> int | None:
        """Days from the last review to ``on`` (``None`` if never posted)."""
        return (on - self.reviewed_on).days if self.reviewed_on else None


def evolve_opportunity(state: Opportunity, event: Event) -> Opportunity:
    """Apply one opportunity event."""
    match event:
        case OpportunityPosted(listing=listing, posted_on=on):
            return Opportunity(listing, on, state.withdrawn)
        case OpportunityUpdated(listing=listing, updated_on=on):
            return Opportunity(listing, on, state.withdrawn)
        case OpportunityReviewed(reviewed_on=on):
            return Opportunity(state.listing, on, state.withdrawn)
        case OpportunityWithdrawn():
            return Opportunity(state.listing, state.reviewed_on, True)
    return state


# -- Member -----------------------------------------------------------------------------


@attrs.frozen
class Member:
    """A GP Portfolio Plus member, folded from their events.

    Attributes:
        member_id: Opaque id.
        profile: Intent, interests, area and availability.
        signed_up_on: When they joined.
        team_member: Their experienced GP team member (PP-TEAM), once assigned.
        one_to_ones: Ids of one-to-one sessions held.
        introductions: Introductions by id.
        answers: The member's response to each introduction.
        peer_groups: Peer support groups they are linked to.
        outcomes: Outcomes in time order.
    """

    member_id: str | None = None
    profile: Profile | None = None
    signed_up_on: dt.date | None = None
    team_member: str | None = None
    one_to_ones: frozenset[str] = frozenset()
    introductions: Mapping[str, Introduced] = EMPTY
    answers: Mapping[str, IntroductionResponse] = EMPTY
    peer_groups: frozenset[str] = frozenset()
    outcomes: tuple[OutcomeRecorded, ...] = ()

    @property
    def introduced_to(self) -> frozenset[str]:
        """Opportunity ids the member has been introduced to."""
        return frozenset(i.opportunity_id for i in self.introductions.values())


def evolve_member(state: Member, event: Event) -> Member:
    """Apply one member event."""
    match event:
        case MemberSignedUp(member_id=mid, profile=profile, signed_up_on=on):
            return replace(state, member_id=mid, profile=profile, signed_up_on=on)
        case ProfileUpdated(profile=profile):
            return replace(state, profile=profile)
        case TeamMemberAssigned(team_member_id=tid):
            return replace(state, team_member=tid)
        case OneToOneHeld(session_id=sid):
            return replace(state, one_to_ones=state.one_to_ones | {sid})
        case Introduced(introduction_id=iid):
            return replace(state, introductions=with_item(state.introductions, iid, event))
        case IntroductionAnswered(introduction_id=iid, response=response):
            return replace(state, answers=with_item(state.answers, iid, response))
        case PeerGroupLinked(group_id=gid):
            return replace(state, peer_groups=state.peer_groups | {gid})
        case OutcomeRecorded():
            return replace(state, outcomes=(*state.outcomes, event))
    return state
