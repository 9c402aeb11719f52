"""GP Portfolio Plus: opportunities, members, explained matching and outcomes.

Source: Nottinghamshire LMC's GP Portfolio Plus, which links GPs considering leaving
general practice (or wanting flexible work, or newly qualified) with roles, training and
events through a regularly-updated database, one-to-ones with experienced GPs and a peer
support network. Every ``PP-*`` rule of RULES.md is a policy object in
:data:`PORTFOLIO_PLUS`.
"""

from pastoral_core._command import BaseCommand
from pastoral_core._decider import Decider
from pastoral_core.portfolio._auth import PORTFOLIO_PERMISSIONS
from pastoral_core.portfolio._commands import (
    AnswerIntroduction,
    AssignTeamMember,
    HoldOneToOne,
    IntroduceToOpportunity,
    LinkPeerGroup,
    PostOpportunity,
    RecordOutcome,
    ReviewOpportunity,
    SignUpMember,
    UpdateOpportunity,
    UpdateProfile,
    WithdrawOpportunity,
)
from pastoral_core.portfolio._decide import (
    MEMBER_COMMANDS,
    OPPORTUNITY_COMMANDS,
    PortfolioContext,
    decide_member,
    decide_opportunity,
)
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
from pastoral_core.portfolio._matching import Match, explain, not_offered_because, rank, why_not
from pastoral_core.portfolio._model import (
    Intent,
    IntroductionResponse,
    Listing,
    OpportunityKind,
    Outcome,
    Profile,
    Topic,
)
from pastoral_core.portfolio._policies import (
    PORTFOLIO_PLUS,
    PORTFOLIO_PLUS_V1,
    Freshness,
    Matching,
    Membership,
    OpenOpportunities,
    Outcomes,
    PeerSupportLink,
    TeamMemberLink,
)
from pastoral_core.portfolio._projections import Retention, StaleListing, retention, stale_listings
from pastoral_core.portfolio._state import Member, Opportunity, evolve_member, evolve_opportunity, listings_from

#: The Opportunity aggregate: one stream per listing.
OPPORTUNITY: Decider[Opportunity, BaseCommand, PortfolioContext] = Decider(
    Opportunity(), decide_opportunity, evolve_opportunity
)
#: The Member aggregate: one stream per member.
MEMBER: Decider[Member, BaseCommand, PortfolioContext] = Decider(Member(), decide_member, evolve_member)

__all__ = [
    "MEMBER",
    "MEMBER_COMMANDS",
    "OPPORTUNITY",
    "OPPORTUNITY_COMMANDS",
    "PORTFOLIO_PERMISSIONS",
    "PORTFOLIO_PLUS",
    "PORTFOLIO_PLUS_V1",
    "AnswerIntroduction",
    "AssignTeamMember",
    "Freshness",
    "HoldOneToOne",
    "Intent",
    "IntroduceToOpportunity",
    "Introduced",
    "IntroductionAnswered",
    "IntroductionResponse",
    "LinkPeerGroup",
    "Listing",
    "Match",
    "Matching",
    "Member",
    "MemberSignedUp",
    "Membership",
    "OneToOneHeld",
    "OpenOpportunities",
    "Opportunity",
    "OpportunityKind",
    "OpportunityPosted",
    "OpportunityReviewed",
    "OpportunityUpdated",
    "OpportunityWithdrawn",
    "Outcome",
    "OutcomeRecorded",
    "Outcomes",
    "PeerGroupLinked",
    "PeerSupportLink",
    "PortfolioContext",
    "PostOpportunity",
    "Profile",
    "ProfileUpdated",
    "RecordOutcome",
    "Retention",
    "ReviewOpportunity",
    "SignUpMember",
    "StaleListing",
    "TeamMemberAssigned",
    "TeamMemberLink",
    "Topic",
    "UpdateOpportunity",
    "UpdateProfile",
    "WithdrawOpportunity",
    "decide_member",
    "decide_opportunity",
    "evolve_member",
    "evolve_opportunity",
    "explain",
    "listings_from",
    "not_offered_because",
    "rank",
    "retention",
    "stale_listings",
    "why_not",
]
