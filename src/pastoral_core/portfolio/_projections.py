"""Read models for GP Portfolio Plus: stale listings and the retention rate."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping

import attrs

from pastoral_core.eventlog import RecordedEvent
from pastoral_core.kernel import Tenancy, states_from
from pastoral_core.portfolio._aggregates import MEMBER, OPPORTUNITY
from pastoral_core.portfolio._matching import in_force
from pastoral_core.portfolio._model import CareerOutcome
from pastoral_core.portfolio._policies import Freshness
from pastoral_core.portfolio._state import Member, Opportunity
from pastoral_core.rules import Rulebooks, half_up


def listings_from(
    records: Iterable[RecordedEvent], organisation: str | Tenancy | None = Tenancy.ONE
) -> Mapping[str, Opportunity]:
    """Every opportunity by its id, from recorded events (other streams are ignored).

    ``organisation`` picks one organisation's streams (see :func:`~pastoral_core.kernel.states_from`);
    by default records of several organisations are refused.
    """
    return {opportunity_id: f.state for opportunity_id, f in states_from(OPPORTUNITY, records, organisation).items()}


def members_from(
    records: Iterable[RecordedEvent], organisation: str | Tenancy | None = Tenancy.ONE
) -> Mapping[str, Member]:
    """Every member by their id, from recorded events (other streams are ignored).

    ``organisation`` picks one organisation's streams (see :func:`~pastoral_core.kernel.states_from`);
    by default records of several organisations are refused.
    """
    return {member_id: f.state for member_id, f in states_from(MEMBER, records, organisation).items()}


@attrs.frozen
class StaleListing:
    """An open listing not reviewed within the freshness period (PP-FRESH)."""

    opportunity_id: str
    reviewed_on: dt.date
    days: int


def stale_listings(listings: Mapping[str, Opportunity], on: dt.date, rulebooks: Rulebooks) -> tuple[StaleListing, ...]:
    """Open listings last reviewed more than PP-FRESH's ``days`` before ``on``, oldest first.

    The freshness period is the one in the version of ``rulebooks`` in force on ``on``.
    """
    rule = in_force(rulebooks, on).rule(Freshness)
    stale = [
        StaleListing(oid, o.reviewed_on, (on - o.reviewed_on).days)
        for oid, o in listings.items()
        if o.is_live(on) and o.reviewed_on is not None and (on - o.reviewed_on).days > rule.days
    ]
    return tuple(sorted(stale, key=lambda s: (-s.days, s.opportunity_id)))


@attrs.frozen
class Retention:
    """How many members with an outcome are still in general practice.

    Attributes:
        with_outcome: Members whose latest outcome is known.
        retained: Of those, members whose latest outcome is not "left general practice".
        by_outcome: Members by latest outcome.
        rate: ``retained / with_outcome`` as a percentage (2 places), or ``None``.
    """

    with_outcome: int
    retained: int
    by_outcome: tuple[tuple[CareerOutcome, int], ...]
    rate: decimal.Decimal | None


def retention(members: Iterable[Member], as_of: dt.date | None = None) -> Retention:
    """The retention rate over members' latest outcomes (as of a date, if given).

    For the members still in general practice at fixed marks after sign-up (6 and 12
    months), see :class:`~pastoral_core.portfolio.RetentionAfterSignUp`.
    """
    latest: list[CareerOutcome] = []
    for member in members:
        outcomes = [o for o in member.outcomes if as_of is None or o.as_of <= as_of]
        if outcomes:
            latest.append(outcomes[-1].outcome)
    retained = sum(1 for o in latest if o is not CareerOutcome.LEFT_GENERAL_PRACTICE)
    counts = tuple((o, latest.count(o)) for o in CareerOutcome if o in latest)
    rate = half_up(decimal.Decimal(100 * retained) / len(latest)) if latest else None
    return Retention(len(latest), retained, counts, rate)
