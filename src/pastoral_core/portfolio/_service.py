"""PortfolioPlus: a Portfolio Plus scheme's opportunities and members as a service over an event store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pastoral_core.eventlog import DEFAULT_CODEC, Codec, EventStore
from pastoral_core.kernel import (
    Command,
    Router,
    Service,
    Tenancy,
    WhatIfWorld,
)
from pastoral_core.portfolio._aggregates import MEMBER, OPPORTUNITY
from pastoral_core.portfolio._context import PortfolioContext
from pastoral_core.portfolio._policies import PORTFOLIO_PLUS
from pastoral_core.portfolio._projections import Retention, StaleListing, retention, stale_listings
from pastoral_core.portfolio._state import Member, Opportunity
from pastoral_core.rules import Rulebooks


class PortfolioPlus(Service[PortfolioContext]):
    """Handles every opportunity and member command, and answers the scheme's queries.

    It finds each command's aggregate (an ``Opportunity`` or a ``Member``) and stream,
    builds the :class:`PortfolioContext` (the rulebooks and every listing in the store,
    of every organisation, caught up with what was recorded since the last command; the
    opportunity a command names is brought up to its latest version first), and
    executes. Read models take an ``organisation`` as the projections do: by default,
    streams of several organisations are refused rather than mixed.

    Example::

        scheme = PortfolioPlus(store)
        scheme.handle(PostOpportunity(...), "opp-1")   # to stream "opportunity-opp-1"
        scheme.handle(SignUpMember(member_id="m-1", ...))  # names its member: "member-m-1"
        scheme.retention().rate

    Args:
        store: Any ``EventStore``.
        rulebooks: Every version of the scheme's rulebook.
        codec: The codec the store uses.

    Raises:
        InvalidType: If ``store`` is not an ``EventStore``, ``rulebooks`` not ``Rulebooks``
            or ``codec`` not a ``Codec``.
    """

    def __init__(
        self, store: EventStore, rulebooks: Rulebooks = PORTFOLIO_PLUS, *, codec: Codec = DEFAULT_CODEC
    ) -> None:
        super().__init__(store, Router("PortfolioPlus", (OPPORTUNITY, MEMBER)), rulebooks, codec=codec)

    def context(self) -> PortfolioContext:
        """The context opportunity and member decisions consult now: rulebooks and every listing."""
        return self.context_over(OPPORTUNITY, Tenancy.ALL, PortfolioContext)

    def context_for(self, command: Command) -> PortfolioContext:
        """The context: for a command that names a listing, the listings as they stood at its business time.

        The one it names is caught up with the store first. A command that names none
        consults no listing, and gets the context as it is (kept while the listings stand
        still): nothing is folded again for a one-to-one entered late.
        """
        # Only the command's own organisation's listings, as they stood at its business time.
        return self.context_naming(OPPORTUNITY, command, PortfolioContext, "opportunity_id")

    def opportunity(self, opportunity_id: str, as_of: dt.datetime | None = None) -> Opportunity | None:
        """Opportunity ``opportunity_id`` now, or as of a moment; ``None`` if nothing is recorded (by then).

        Raises:
            InvalidValue: If ``opportunity_id`` is not an id.
            NaiveDatetimeError: If ``as_of`` has no timezone.
        """
        folded = self.folded(OPPORTUNITY, opportunity_id, as_of)
        return folded.state if folded.version else None

    def member(self, member_id: str, as_of: dt.datetime | None = None) -> Member | None:
        """Member ``member_id`` now, or as of a moment; ``None`` if nothing is recorded (by then).

        Raises:
            InvalidValue: If ``member_id`` is not an id.
            NaiveDatetimeError: If ``as_of`` has no timezone.
        """
        folded = self.folded(MEMBER, member_id, as_of)
        return folded.state if folded.version else None

    def listings(self, organisation: str | Tenancy | None = Tenancy.ONE) -> Mapping[str, Opportunity]:
        """Every opportunity by id (as :func:`~pastoral_core.portfolio.listings_from` over the store)."""
        return {opportunity_id: f.state for opportunity_id, f in self.states(OPPORTUNITY, organisation).items()}

    def members(self, organisation: str | Tenancy | None = Tenancy.ONE) -> Mapping[str, Member]:
        """Every member by id (as :func:`~pastoral_core.portfolio.members_from` over the store)."""
        return {member_id: f.state for member_id, f in self.states(MEMBER, organisation).items()}

    def stale_listings(self, on: dt.date, organisation: str | Tenancy | None = Tenancy.ONE) -> tuple[StaleListing, ...]:
        """Open listings not reviewed within PP-FRESH's period on ``on`` (see ``stale_listings``)."""
        return stale_listings(self.listings(organisation), on, self.rulebooks)

    def retention(self, as_of: dt.date | None = None, organisation: str | Tenancy | None = Tenancy.ONE) -> Retention:
        """The retention rate over members' latest outcomes (see :func:`~pastoral_core.portfolio.retention`)."""
        return retention(self.members(organisation).values(), as_of)

    def what_if_context(self, command: Command, world: WhatIfWorld, rulebooks: Rulebooks) -> PortfolioContext:
        """The listings of ``command``'s organisation as they stood in ``world``, under ``rulebooks``.

        The scheme records no money: a what-if prices nothing.
        """
        listings = world.states(OPPORTUNITY, command.organisation, as_of=command.occurred)
        return PortfolioContext(rulebooks, {opportunity_id: f.state for opportunity_id, f in listings.items()})
