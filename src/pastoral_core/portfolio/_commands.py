"""Commands for the Opportunity and Member aggregates."""

from __future__ import annotations

import datetime as dt

import attrs

from pastoral_core.kernel import Command, command_type
from pastoral_core.portfolio._model import CareerOutcome, IntroductionResponse, Listing, Profile, Topic
from pastoral_core.portfolio._roles import PortfolioRole
from pastoral_core.values import Id, Reason


@attrs.frozen(kw_only=True)
class PortfolioCommand(Command):
    """A GP Portfolio Plus command: command id, actor, a :class:`PortfolioRole` and an aware time."""

    role: PortfolioRole


@command_type("opportunity.post")
@attrs.frozen(kw_only=True)
class PostOpportunity(PortfolioCommand):
    """List a role, training opportunity or event."""

    listing: Listing


@command_type("opportunity.update")
@attrs.frozen(kw_only=True)
class UpdateOpportunity(PortfolioCommand):
    """Replace the listing's details (this also counts as a review)."""

    listing: Listing


@command_type("opportunity.review")
@attrs.frozen(kw_only=True)
class ReviewOpportunity(PortfolioCommand):
    """Confirm the listing is still right (PP-FRESH)."""


@command_type("opportunity.withdraw")
@attrs.frozen(kw_only=True)
class WithdrawOpportunity(PortfolioCommand):
    """Withdraw the listing, with the reason."""

    reason: Reason


@command_type("member.sign_up")
@attrs.frozen(kw_only=True)
class SignUpMember(PortfolioCommand):
    """A GP signs up (or is signed up by the team) with intent, interests, area, availability."""

    member_id: Id
    profile: Profile


@command_type("member.update_profile")
@attrs.frozen(kw_only=True)
class UpdateProfile(PortfolioCommand):
    """Change the member's interests, area or availability."""

    profile: Profile


@command_type("member.assign_team_member")
@attrs.frozen(kw_only=True)
class AssignTeamMember(PortfolioCommand):
    """Link the member to an experienced GP of the team."""

    team_member_id: Id


@command_type("member.hold_one_to_one")
@attrs.frozen(kw_only=True)
class HoldOneToOne(PortfolioCommand):
    """Record a one-to-one session with the member's team member."""

    session_id: Id
    topic: Topic


@command_type("member.introduce")
@attrs.frozen(kw_only=True)
class IntroduceToOpportunity(PortfolioCommand):
    """Introduce the member to an open opportunity; the match explanation is recorded."""

    introduction_id: Id
    opportunity_id: Id


@command_type("member.answer_introduction")
@attrs.frozen(kw_only=True)
class AnswerIntroduction(PortfolioCommand):
    """Record what the member did about an introduction."""

    introduction_id: Id
    response: IntroductionResponse


@command_type("member.link_peer_group")
@attrs.frozen(kw_only=True)
class LinkPeerGroup(PortfolioCommand):
    """Link the member to a peer support group."""

    group_id: Id


@command_type("member.record_outcome")
@attrs.frozen(kw_only=True)
class RecordOutcome(PortfolioCommand):
    """Record where the member is, as of a date (in time order)."""

    outcome: CareerOutcome
    as_of: dt.date
