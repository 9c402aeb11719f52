"""Opportunity decisions: posting, updating, reviewing and withdrawing listings (PP-OPPORTUNITY, MINIMAL)."""

from __future__ import annotations

import datetime as dt

from pastoral_core.eventlog import Event
from pastoral_core.portfolio import _commands as cmd
from pastoral_core.portfolio import _events as ev
from pastoral_core.portfolio._context import PortfolioContext
from pastoral_core.portfolio._model import Listing, OpportunityKind
from pastoral_core.portfolio._policies import (
    OpenOpportunities,
)
from pastoral_core.portfolio._state import Opportunity
from pastoral_core.rules import MINIMAL_CITATION, Judge, Outcome, Verdict, screen
from pastoral_core.values import london_date


def _check_listing(judge: Judge, listing: Listing, today: dt.date, *, posting: bool) -> None:
    rule = judge.rule(OpenOpportunities)
    last_day = listing.ends_on or listing.starts_on
    judge.refuse_unless(
        listing.ends_on is None or listing.ends_on >= listing.starts_on, "it ends before it starts", invalid_input=True
    )
    judge.refuse_unless(
        listing.sessions_per_week is None
        or (listing.kind is OpportunityKind.ROLE and 1 <= listing.sessions_per_week <= 10),
        "sessions a week (1-10) are given for roles only",
        invalid_input=True,
    )
    judge.check(
        rule,
        listing.closing_on <= last_day,
        f"the closing date {listing.closing_on.isoformat()} is after it ends ({last_day.isoformat()})",
        "dates are consistent",
    )
    if posting:
        judge.check(
            rule,
            listing.closing_on >= today,
            f"the closing date {listing.closing_on.isoformat()} has passed",
            f"open until {listing.closing_on.isoformat()}",
        )
    findings = screen(listing.title)
    if findings:
        judge.record(
            Verdict(
                "MINIMAL",
                Outcome.DENY,
                "the title holds contact details: " + "; ".join(str(f) for f in findings),
                MINIMAL_CITATION,
            )
        )


def post_opportunity(
    opportunity: Opportunity, command: cmd.PostOpportunity, context: PortfolioContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(opportunity.listing is None, "the opportunity is already posted")
    today = london_date(command.occurred)
    _check_listing(judge, command.listing, today, posting=True)
    return [ev.OpportunityPosted(command.listing, today)]


def _live(judge: Judge, opportunity: Opportunity) -> None:
    judge.refuse_unless(opportunity.listing is not None, "the opportunity has not been posted")
    judge.refuse_unless(not opportunity.withdrawn, "the opportunity has been withdrawn")


def update_opportunity(
    opportunity: Opportunity, command: cmd.UpdateOpportunity, context: PortfolioContext, judge: Judge
) -> list[Event]:
    _live(judge, opportunity)
    today = london_date(command.occurred)
    _check_listing(judge, command.listing, today, posting=False)
    return [ev.OpportunityUpdated(command.listing, today)]


def review_opportunity(
    opportunity: Opportunity, command: cmd.ReviewOpportunity, context: PortfolioContext, judge: Judge
) -> list[Event]:
    _live(judge, opportunity)
    return [ev.OpportunityReviewed(london_date(command.occurred))]


def withdraw_opportunity(
    opportunity: Opportunity, command: cmd.WithdrawOpportunity, context: PortfolioContext, judge: Judge
) -> list[Event]:
    _live(judge, opportunity)
    return [ev.OpportunityWithdrawn(command.reason, london_date(command.occurred))]
