"""Explained, deterministic matching of members to open opportunities (PP-MATCH)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from pastoral_core.exceptions import InvalidType
from pastoral_core.portfolio._model import OpportunityKind, Profile
from pastoral_core.portfolio._policies import Matching
from pastoral_core.portfolio._state import Opportunity
from pastoral_core.rules import Rulebook, Rulebooks


def matching_in_force(rulebooks: Rulebooks, on: dt.date) -> Matching:
    """PP-MATCH's weights in the version of ``rulebooks`` in force on ``on``.

    Raises:
        InvalidType: If ``rulebooks`` is not a :class:`~pastoral_core.rules.Rulebooks`.
        NoRulebookInForce: If no version is in force on ``on``.
    """
    return in_force(rulebooks, on).rule(Matching)


def in_force(rulebooks: Rulebooks, on: dt.date) -> Rulebook:
    """The version of ``rulebooks`` in force on ``on``, for a portfolio query (types checked).

    Raises:
        InvalidType: If ``rulebooks`` is not Rulebooks or ``on`` is not a date.
        NoRulebookInForce: If no version is in force on ``on``.
    """
    if not isinstance(rulebooks, Rulebooks):
        raise InvalidType("portfolio query", "rulebooks", f"must be Rulebooks, got {type(rulebooks).__name__}")
    if type(on) is not dt.date:
        raise InvalidType("portfolio query", "on", f"must be a date, got {type(on).__name__}")
    return rulebooks.in_force(on)


@attrs.frozen
class Match:
    """An opportunity offered to a member, with its score and the reasons for it."""

    opportunity_id: str
    score: int
    reasons: tuple[str, ...]
    closing_on: dt.date


def _kind_name(kind: OpportunityKind) -> str:
    return {"role": "a role", "training": "training", "event": "an event"}[kind.value]


def not_offered_because(profile: Profile, opportunity: Opportunity, on: dt.date, rule: Matching) -> tuple[str, ...]:
    """Why ``opportunity`` is not offered to the member on ``on`` (empty if it is)."""
    listing = opportunity.listing
    if listing is None:
        return ("it has not been posted",)
    reasons = list(opportunity.not_live_because(on))
    if listing.sessions_per_week and listing.sessions_per_week > profile.sessions_available:
        reasons.append(
            f"it needs {listing.sessions_per_week} sessions a week; {profile.sessions_available} are available"
        )
    shared = profile.interests & listing.tags
    local = listing.area in (profile.home_area, rule.county_wide_area)
    if not shared and not local:
        reasons.append(f"no shared interest and it is in {listing.area}, not {profile.home_area}")
    return tuple(reasons)


def explain(profile: Profile, opportunity_id: str, opportunity: Opportunity, on: dt.date, rule: Matching) -> Match:
    """Score one opportunity for a member and say why, whether or not it would be offered."""
    listing = opportunity.listing
    if listing is None:
        return Match(opportunity_id, 0, ("it has not been posted",), on)
    score, reasons = 0, []
    shared = sorted(profile.interests & listing.tags)
    if shared:
        score += rule.interest * len(shared)
        reasons.append(f"shares your interests: {', '.join(shared)}")
    if listing.area == profile.home_area:
        score += rule.area
        reasons.append(f"in your area ({listing.area})")
    elif listing.area == rule.county_wide_area:
        score += rule.area
        reasons.append("county-wide")
    if listing.sessions_per_week and listing.sessions_per_week <= profile.sessions_available:
        score += rule.availability
        reasons.append(
            f"needs {listing.sessions_per_week} of your {profile.sessions_available} available sessions a week"
        )
    suited = dict(rule.affinity).get(profile.intent, ())
    if listing.kind in suited:
        score += rule.intent
        reasons.append(f"{_kind_name(listing.kind)} suits your aim ({profile.intent.value.replace('_', ' ')})")
    days_left = (listing.closing_on - on).days
    if 0 <= days_left <= rule.closing_soon_days:
        score += rule.closing_soon
        reasons.append(f"closes soon ({listing.closing_on.isoformat()}, in {days_left} days)")
    return Match(opportunity_id, score, tuple(reasons), listing.closing_on)


def rank(profile: Profile, listings: Mapping[str, Opportunity], on: dt.date, rulebooks: Rulebooks) -> tuple[Match, ...]:
    """The opportunities offered to a member on ``on``, best first, each explained.

    Withdrawn, closed, unaffordable (too many sessions) and irrelevant listings are never
    offered. Deterministic: ties go to the earlier closing date, then the id. The weights
    are PP-MATCH's in the version of ``rulebooks`` in force on ``on``.
    """
    rule = matching_in_force(rulebooks, on)
    offered = [
        explain(profile, oid, opportunity, on, rule)
        for oid, opportunity in listings.items()
        if not not_offered_because(profile, opportunity, on, rule)
    ]
    return tuple(sorted(offered, key=lambda m: (-m.score, m.closing_on, m.opportunity_id)))


def why_not(
    profile: Profile,
    listings: Mapping[str, Opportunity],
    opportunity_id: str,
    on: dt.date,
    rulebooks: Rulebooks,
) -> tuple[str, ...]:
    """Why a given opportunity is not offered to the member on ``on`` (empty if it is).

    Judged by PP-MATCH in the version of ``rulebooks`` in force on ``on``.
    """
    rule = matching_in_force(rulebooks, on)
    opportunity = listings.get(opportunity_id)
    if opportunity is None:
        return (f"there is no opportunity {opportunity_id}",)
    return not_offered_because(profile, opportunity, on, rule)
