"""GP Portfolio Plus: opportunities, members, explained matching and outcomes.

Source: Nottinghamshire LMC's GP Portfolio Plus, which links GPs considering leaving
general practice (or wanting flexible work, or newly qualified) with roles, training and
events through a regularly-updated database, one-to-ones with experienced GPs and a peer
support network. Every ``PP-*`` rule of the rules register
(:data:`pastoral_core.rules.REGISTER`) is a policy object in
:data:`PORTFOLIO_PLUS`.
"""

from pastoral_core.portfolio._aggregates import MEMBER, OPPORTUNITY
from pastoral_core.portfolio._commands import (
    AnswerIntroduction,
    AssignTeamMember,
    HoldOneToOne,
    IntroduceToOpportunity,
    LinkPeerGroup,
    PortfolioCommand,
    PostOpportunity,
    RecordOutcome,
    ReviewOpportunity,
    SignUpMember,
    UpdateOpportunity,
    UpdateProfile,
    WithdrawOpportunity,
)
from pastoral_core.portfolio._context import PortfolioContext
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
    CareerOutcome,
    Intent,
    IntroductionResponse,
    Listing,
    OpportunityKind,
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
from pastoral_core.portfolio._projections import (
    Retention,
    StaleListing,
    listings_from,
    members_from,
    retention,
    stale_listings,
)
from pastoral_core.portfolio._read_models_retention import (
    MemberMarkRow,
    MembersAtMarks,
    RetentionAfterSignUp,
    RetentionRow,
)
from pastoral_core.portfolio._roles import PortfolioRole
from pastoral_core.portfolio._service import PortfolioPlus
from pastoral_core.portfolio._state import Member, Opportunity, evolve_member, evolve_opportunity

__all__ = [
    "PortfolioPlus",
    "MEMBER",
    "OPPORTUNITY",
    "PORTFOLIO_PLUS",
    "PORTFOLIO_PLUS_V1",
    "AnswerIntroduction",
    "AssignTeamMember",
    "CareerOutcome",
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
    "OutcomeRecorded",
    "Outcomes",
    "PeerGroupLinked",
    "PeerSupportLink",
    "PortfolioCommand",
    "PortfolioContext",
    "PortfolioRole",
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
    "MemberMarkRow",
    "MembersAtMarks",
    "RetentionAfterSignUp",
    "RetentionRow",
    "evolve_member",
    "evolve_opportunity",
    "explain",
    "listings_from",
    "members_from",
    "not_offered_because",
    "rank",
    "retention",
    "stale_listings",
    "why_not",
]
