"""Every PP rule as a cited policy object, and the PORTFOLIO_PLUS rulebook.

Source: "LMC sets up scheme to convince GPs to choose portfolio roles over quitting"
(``PP``): Nottinghamshire LMC's GP Portfolio Plus. The article has no clause numbers, so
citations quote the passage.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from pastoral_core.portfolio._model import Intent, OpportunityKind
from pastoral_core.rules import Citation, LateEntry, Rulebook, Rulebooks
from pastoral_core.values import Count, Label, Validated


@attrs.frozen
class Membership(Validated):
    """PP-MEMBER: GPs considering leaving, wanting flexible work, or newly qualified sign up."""

    rule_id: ClassVar[str] = "PP-MEMBER"
    citation: ClassVar[Citation] = Citation(
        "PP", "GPs who are considering leaving ...; retain current GPs and attract the newly qualified"
    )
    max_sessions: Count = 10


@attrs.frozen
class TeamMemberLink(Validated):
    """PP-TEAM: each member is linked to an experienced GP team member for one-to-ones."""

    rule_id: ClassVar[str] = "PP-TEAM"
    citation: ClassVar[Citation] = Citation(
        "PP", "a small team of GPs to work directly with those accessing the support"
    )


@attrs.frozen
class OpenOpportunities(Validated):
    """PP-OPPORTUNITY: withdrawn or past-closing opportunities are not offered."""

    rule_id: ClassVar[str] = "PP-OPPORTUNITY"
    citation: ClassVar[Citation] = Citation("PP", "details of available roles, training opportunities and events")


@attrs.frozen
class Freshness(Validated):
    """PP-FRESH: an opportunity not reviewed within D days is flagged stale."""

    rule_id: ClassVar[str] = "PP-FRESH"
    citation: ClassVar[Citation] = Citation("PP", "a regularly-updated online database")
    days: Count = 30


INTENT_AFFINITY: tuple[tuple[Intent, tuple[OpportunityKind, ...]], ...] = (
    (Intent.CONSIDERING_LEAVING, (OpportunityKind.ROLE, OpportunityKind.TRAINING)),
    (Intent.FLEXIBLE_WORK, (OpportunityKind.ROLE,)),
    (Intent.NEWLY_QUALIFIED, (OpportunityKind.TRAINING, OpportunityKind.EVENT)),
    (Intent.RETURNING, (OpportunityKind.TRAINING,)),
)


@attrs.frozen
class Matching(Validated):
    """PP-MATCH: members are introduced to relevant opportunities by an explained ranking.

    Points: each shared interest, the member's own area, a role that fits their available
    sessions, a kind that suits their intent, and closing soon.
    """

    rule_id: ClassVar[str] = "PP-MATCH"
    citation: ClassVar[Citation] = Citation("PP", "connecting those signed up to relevant opportunities")
    interest: Count = 3
    area: Count = 2
    availability: Count = 1
    intent: Count = 1
    closing_soon: Count = 1
    closing_soon_days: Count = 14
    county_wide_area: Label = "county-wide"
    affinity: tuple[tuple[Intent, tuple[OpportunityKind, ...]], ...] = INTENT_AFFINITY


@attrs.frozen
class PeerSupportLink(Validated):
    """PP-PEER: members may be linked to a peer support group."""

    rule_id: ClassVar[str] = "PP-PEER"
    citation: ClassVar[Citation] = Citation("PP", "a peer support network for GPs to access")


@attrs.frozen
class Outcomes(Validated):
    """PP-OUTCOME: outcomes are recorded in time order, so retention can be reported."""

    rule_id: ClassVar[str] = "PP-OUTCOME"
    citation: ClassVar[Citation] = Citation("PP", "help the area retain current GPs; survey: remain in the profession")


#: GP Portfolio Plus, version 1.
PORTFOLIO_PLUS_V1 = Rulebook(
    "PORTFOLIO_PLUS",
    1,
    dt.date(2019, 1, 1),
    (
        Membership(),
        TeamMemberLink(),
        OpenOpportunities(),
        Freshness(),
        Matching(),
        PeerSupportLink(),
        Outcomes(),
        LateEntry(),
    ),
)
#: Every version of the rulebook (one so far).
PORTFOLIO_PLUS = Rulebooks((PORTFOLIO_PLUS_V1,))
