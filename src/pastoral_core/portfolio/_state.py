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
from pastoral_core.portfolio._state_rows import MEMBER_COLUMNS, OPPORTUNITY_COLUMNS, member_rows, opportunity_rows
from pastoral_core.tables import Row, Table

# -- Opportunity ------------------------------------------------------------------------


@attrs.frozen
class Opportunity(Table):
    """A listing and its standing.

    As a table: the listing and its dates, one row each (under ``OPPORTUNITY_COLUMNS``).

    Attributes:
        listing: The details, once posted.
        reviewed_on: When it was last posted, updated or reviewed (PP-FRESH).
        withdrawn_on: When it was withdrawn, if it was; it is never offered from then.
        posted_on: When it was first posted (by default, ``reviewed_on``); it is not
            offered before.
    """

    columns = OPPORTUNITY_COLUMNS
    caption = "Opportunity: the listing and its dates"

    listing: Listing | None = None
    reviewed_on: dt.date | None = None
    withdrawn_on: dt.date | None = None
    posted_on: dt.date | None = attrs.field(default=attrs.Factory(lambda self: self.reviewed_on, takes_self=True))

    @property
    def withdrawn(self) -> bool:
        """Whether the listing has been withdrawn (on any date)."""
        return self.withdrawn_on is not None

    def not_live_because(self, on: dt.date) -> tuple[str, ...]:
        """Why it cannot be offered on ``on`` (empty if it can): not yet posted, withdrawn, closed."""
        if self.listing is None:
            return ("it has not been posted",)
        reasons = []
        if self.posted_on is not None and on < self.posted_on:
            reasons.append(f"it was not posted until {self.posted_on.isoformat()}")
        if self.withdrawn_on is not None and on >= self.withdrawn_on:
            reasons.append(f"it was withdrawn on {self.withdrawn_on.isoformat()}")
        if on > self.listing.closing_on:
            reasons.append(f"it closed on {self.listing.closing_on.isoformat()}")
        return tuple(reasons)

    def is_live(self, on: dt.date) -> bool:
        """Whether it can be offered on ``on``: posted by then, not withdrawn by then, not closed."""
        return not self.not_live_because(on)

    def days_since_review(self, on: dt.date) -> int | None:
        """Days from the last review to ``on`` (``None`` if never posted)."""
        return (on - self.reviewed_on).days if self.reviewed_on else None

    def to_rows(self) -> list[Row]:
        """The listing and its dates, one row each (no withdrawal reason)."""
        return opportunity_rows(self)


def evolve_opportunity(state: Opportunity, event: Event) -> Opportunity:
    """Apply one opportunity event."""
    match event:
        case OpportunityPosted(listing=listing, posted_on=on):
            return Opportunity(listing, on, state.withdrawn_on, on)
        case OpportunityUpdated(listing=listing, updated_on=on):
            return replace(state, listing=listing, reviewed_on=on)
        case OpportunityReviewed(reviewed_on=on):
            return replace(state, reviewed_on=on)
        case OpportunityWithdrawn(withdrawn_on=on):
            return replace(state, withdrawn_on=on)
    return state


# -- Member -----------------------------------------------------------------------------


@attrs.frozen
class Member(Table):
    """A GP Portfolio Plus member, folded from their events.

    As a table: sign-up, team member, one-to-ones, introductions, peer groups and
    outcomes, one row each (under ``MEMBER_COLUMNS``).

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

    columns = MEMBER_COLUMNS
    caption = "Portfolio Plus member"

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

    def to_rows(self) -> list[Row]:
        """The member's facts and items, one row each."""
        return member_rows(self)


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
