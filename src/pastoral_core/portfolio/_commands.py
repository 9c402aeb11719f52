"""Commands for the Opportunity and Member aggregates."""

from __future__ import annotations

import datetime as dt

import attrs

from pastoral_core._command import BaseCommand, text
from pastoral_core.portfolio._model import IntroductionResponse, Listing, Outcome, Profile, Topic


@attrs.frozen(kw_only=True)
class PostOpportunity(BaseCommand):
    """List a role, training opportunity or event."""

    listing: Listing


@attrs.frozen(kw_only=True)
class UpdateOpportunity(BaseCommand):
    """Replace the listing's details (this also counts as a review)."""

    listing: Listing


@attrs.frozen(kw_only=True)
class ReviewOpportunity(BaseCommand):
    """Confirm the listing is still right (PP-FRESH)."""


@attrs.frozen(kw_only=True)
class WithdrawOpportunity(BaseCommand):
    """Withdraw the listing, with the reason."""

    reason: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class SignUpMember(BaseCommand):
    """A GP signs up (or is signed up by the team) with intent, interests, area, availability."""

    member_id: str = attrs.field(validator=text)
    profile: Profile


@attrs.frozen(kw_only=True)
class UpdateProfile(BaseCommand):
    """Change the member's interests, area or availability."""

    profile: Profile


@attrs.frozen(kw_only=True)
class AssignTeamMember(BaseCommand):
    """Link the member to an experienced GP of the team."""

    team_member_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class HoldOneToOne(BaseCommand):
    """Record a one-to-one session with the member's team member."""

    session_id: str = attrs.field(validator=text)
    topic: Topic


@attrs.frozen(kw_only=True)
class IntroduceToOpportunity(BaseCommand):
    """Introduce the member to an open opportunity; the match explanation is recorded."""

    introduction_id: str = attrs.field(validator=text)
    opportunity_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class AnswerIntroduction(BaseCommand):
    """Record what the member did about an introduction."""

    introduction_id: str = attrs.field(validator=text)
    response: IntroductionResponse


@attrs.frozen(kw_only=True)
class LinkPeerGroup(BaseCommand):
    """Link the member to a peer support group."""

    group_id: str = attrs.field(validator=text)


@attrs.frozen(kw_only=True)
class RecordOutcome(BaseCommand):
    """Record where the member is, as of a date (in time order)."""

    outcome: Outcome
    as_of: dt.date
