"""PortfolioPlus: a Portfolio Plus scheme's opportunities and members as a service over an event store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pastoral_core.eventlog import DEFAULT_CODEC, Codec, EventStore, RecordedEvent
from pastoral_core.exceptions import Refused
from pastoral_core.kernel import (
    Accepted,
    Command,
    Explanation,
    Folded,
    Router,
    Service,
    Tenancy,
    WhatIf,
    WhatIfMode,
    WhatIfWorld,
    explain,
    what_if,
)
from pastoral_core.portfolio._aggregates import MEMBER, OPPORTUNITY
from pastoral_core.portfolio._context import PortfolioContext
from pastoral_core.portfolio._policies import PORTFOLIO_PLUS
from pastoral_core.portfolio._projections import Retention, StaleListing, retention, stale_listings
from pastoral_core.portfolio._state import Member, Opportunity
from pastoral_core.rules import Rulebook, Rulebooks


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
        self._context: tuple[Mapping[str, Folded[Opportunity]], PortfolioContext] | None = None

    def context(self) -> PortfolioContext:
        """The context opportunity and member decisions consult now: rulebooks and every listing."""
        return self._built(self.states(OPPORTUNITY, Tenancy.ALL))

    def context_for(self, command: Command) -> PortfolioContext:
        """The context, with the opportunity ``command`` names (if any) at its latest version."""
        opportunity_id = getattr(command, "opportunity_id", None)
        current = opportunity_id if isinstance(opportunity_id, str) else None
        # Only the command's own organisation's listings: nobody acts on another's.
        return self._built(self.states(OPPORTUNITY, command.organisation, current=current))

    def _built(self, listings: Mapping[str, Folded[Opportunity]]) -> PortfolioContext:
        cached = self._context
        if cached is None or cached[0] is not listings:
            states = {opportunity_id: f.state for opportunity_id, f in listings.items()}
            cached = (listings, PortfolioContext(self.rulebooks, states))
            self._context = cached
        return cached[1]

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

    def explain(self, subject: Accepted | Refused | RecordedEvent, *, command: Command | None = None) -> Explanation:
        """Why an opportunity or member command was accepted or refused (see :func:`~pastoral_core.kernel.explain`).

        Raises:
            InvalidType: If ``subject`` or ``command`` is of the wrong type.
            InvalidValue: If the record is not the first of its batch.
        """
        return explain(subject, command=command, codec=self.codec)

    def what_if(
        self,
        rulebooks: Rulebooks | Rulebook,
        *,
        mode: WhatIfMode = WhatIfMode.AS_RECORDED,
        organisation: str | Tenancy | None = Tenancy.ONE,
    ) -> WhatIf:
        """Decide every recorded opportunity and member command again under ``rulebooks`` (see ``kernel.what_if``).

        Each command is decided with its organisation's listings as they stood when it
        was recorded (as :meth:`context_for` built them then), the proposed rulebooks
        swapped in. The scheme records no money: nothing is priced.

        Args:
            rulebooks: The proposed rulebooks.
            mode: As recorded (default) or counterfactual.
            organisation: As the read models pick streams.

        Raises:
            InvalidType: If an argument has the wrong type.
            InvalidValue: If the streams belong to several organisations and none was picked.
        """

        def context(command: Command, world: WhatIfWorld, books: Rulebooks) -> PortfolioContext:
            listings = world.states(OPPORTUNITY, command.organisation)
            return PortfolioContext(books, {opportunity_id: f.state for opportunity_id, f in listings.items()})

        return what_if(
            (OPPORTUNITY, MEMBER),
            self.store.read_all(),
            rulebooks,
            context,
            recorded=self.rulebooks,
            mode=mode,
            codec=self.codec,
            organisation=organisation,
        )
