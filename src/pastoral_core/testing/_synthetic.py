"""A seeded synthetic history: a year of one LMC's pastoral support, one peer-group programme and Portfolio Plus.

Every record is a decision the rules accepted: the history is written through the real
services (:class:`~pastoral_core.support.PastoralSupport`,
:class:`~pastoral_core.peer_groups.PeerSupport`,
:class:`~pastoral_core.portfolio.PortfolioPlus`) over one
:class:`~pastoral_core.eventlog.EventLog`, with commands built from the world as the log
stands at each moment. The same seed and sizes give the same log, record for record.
Nothing in it is real: ids are opaque, notes are bland synthetic text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

import attrs
from dateutil.relativedelta import relativedelta

from pastoral_core.eventlog import EventLog
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.peer_groups import PHP_GROUP_PEER_SUPPORT_V1, FacilitatorTariff, PeerSupport, Tariff
from pastoral_core.portfolio import PORTFOLIO_PLUS, PortfolioPlus
from pastoral_core.rules import Rulebooks
from pastoral_core.support import DEVON_PSN_V1, ChargeableServices, CostShare, PastoralSupport
from pastoral_core.testing._synthetic_case import case_script, plan_case
from pastoral_core.testing._synthetic_kit import Script, Tally, at_london, run, whole_number, working_moment
from pastoral_core.testing._synthetic_peer import PeerPeople, group_script, plan_groups, programme_script
from pastoral_core.testing._synthetic_portfolio import Scheme, listing_script, member_script
from pastoral_core.testing._synthetic_support import SupportWorld, arrivals, network_script

#: The cases a default history holds (see :func:`synthetic_history` for the time it takes).
DEFAULT_CASES = 600
#: The first day of a default history: the NHS financial year 2026-27.
DEFAULT_START = dt.date(2026, 4, 1)


@attrs.frozen(eq=False)
class SyntheticHistory:
    """A generated history and everything needed to read it.

    Attributes:
        seed: The seed it was generated from.
        log: The event log holding every record (in time order of recording).
        start: The first day of the history.
        end: The moment it ends (midnight, Europe/London, ``months`` after ``start``):
            nothing is recorded at or after it; cases, groups and members still under
            way stay open.
        support_rulebooks: The LMC's rulebooks (Devon's, with a session rate of £80 and
            legal and career counselling referrals chargeable).
        peer_rulebooks: The programme's rulebooks (the GPS rulebook with a tariff table).
        portfolio_rulebooks: The Portfolio Plus rulebooks.
        network_id: The LMC's network (its stream is ``network-<id>``).
        coordinator_id: The LMC coordinator's id.
        guardian_id: The LMC's Caldicott Guardian's id.
        officer_ids: Every officer enrolled.
        case_ids: Every case whose request was received, in order of arrival.
        programme_id: The peer-group programme.
        programme_lead_id: The programme lead's id.
        group_ids: Every group set up.
        facilitator_ids: Their facilitators, in the same order.
        member_ids: Every Portfolio Plus member signed up.
        opportunity_ids: Every listing posted.
        team_member_ids: The Portfolio Plus team.
        commands: How many commands were accepted.
        redactions: How many notes destructions were carried out in the log.
    """

    seed: int
    log: EventLog
    start: dt.date
    end: dt.datetime
    support_rulebooks: Rulebooks
    peer_rulebooks: Rulebooks
    portfolio_rulebooks: Rulebooks
    network_id: str
    coordinator_id: str
    guardian_id: str
    officer_ids: tuple[str, ...]
    case_ids: tuple[str, ...]
    programme_id: str
    programme_lead_id: str
    group_ids: tuple[str, ...]
    facilitator_ids: tuple[str, ...]
    member_ids: tuple[str, ...]
    opportunity_ids: tuple[str, ...]
    team_member_ids: tuple[str, ...]
    commands: int
    redactions: int

    def support(self) -> PastoralSupport:
        """A new :class:`~pastoral_core.support.PastoralSupport` over the log, with the LMC's rulebooks."""
        return PastoralSupport(self.log, self.support_rulebooks, network_id=self.network_id)

    def peer(self) -> PeerSupport:
        """A new :class:`~pastoral_core.peer_groups.PeerSupport` over the log, with the programme's rulebooks."""
        return PeerSupport(self.log, self.peer_rulebooks)

    def portfolio(self) -> PortfolioPlus:
        """A new :class:`~pastoral_core.portfolio.PortfolioPlus` over the log."""
        return PortfolioPlus(self.log, self.portfolio_rulebooks)


def _rulebooks(start: dt.date) -> tuple[Rulebooks, Rulebooks]:
    support = DEVON_PSN_V1.adapted(
        "SYNTHETIC_LMC_PSN",
        CostShare(session_rate=Decimal("80.00")),
        ChargeableServices(chargeable=("legal", "career_counselling")),
    )
    raise_on = start.replace(day=1) + relativedelta(months=6)
    tariffs = (Tariff(start.replace(month=1, day=1), Decimal("60.00")), Tariff(raise_on, Decimal("63.00")))
    peer = PHP_GROUP_PEER_SUPPORT_V1.adapted("SYNTHETIC_GPS", FacilitatorTariff(tariffs=tariffs))
    return Rulebooks((support,)), Rulebooks((peer,))


def synthetic_history(
    seed: int,
    *,
    cases: int = DEFAULT_CASES,
    start: dt.date = DEFAULT_START,
    months: int = 12,
    groups: int = 9,
    members: int = 60,
    listings: int = 30,
    officers: int | None = None,
) -> SyntheticHistory:
    """Generate a seeded, realistic history through the real services; the same arguments give the same log.

    One LMC's pastoral support network: officers enrolled (a few joining later, one
    suspended for a while, one leaving); requests arriving on working days with a monthly
    mix across the four nations (mostly England), some after the cut-off or logged the
    next morning; first responses mostly on time, some late; MoUs, allocations, sessions
    held, not attended or cancelled within the allowance and its window, reviews that
    extend (sessions then charged as the review decided) or conclude, switches of
    officer, disputes, second officers, referrals (some chargeable), facilitated
    meetings, bland notes, rare safety concerns and cessations, closures with retention,
    and a few notes destroyed early and redacted. One peer-group programme: groups of
    about twelve GPs with WEMWBS and CBI evaluations at baseline and follow-up, meeting
    for 90 minutes every few weeks within the 900 funded facilitator minutes. A modest
    Portfolio Plus scheme: listings, members with intents, introductions and outcomes.

    The default sizes make about 9,500 commands, generated in 10 to 13 seconds on a small
    two-core machine; 85% of that is the services executing the commands (about 1.1 ms
    each), so time grows in proportion to ``cases`` (2,000 cases: about 30,000 commands,
    40 seconds).

    Args:
        seed: Any whole number.
        cases: Requests for support arriving over the period (0 to 20,000).
        start: The first day.
        months: How long the history runs (1 to 36).
        groups: Peer groups approved and set up (0 to 50: the programme funds 50).
        members: Portfolio Plus members signing up (0 to 5,000).
        listings: Portfolio Plus listings posted (0 to 2,000).
        officers: Officers enrolled at the start (default: one for every 40 cases, at
            least 8); two more join during the period.

    Returns:
        The :class:`SyntheticHistory`.

    Raises:
        InvalidType: If an argument has the wrong type.
        InvalidValue: If an argument is out of range.
        Refused: Never by design: a refusal is a bug of the generator, raised as it is.
    """
    whole_number("synthetic_history", seed, "seed", -(2**63), 2**63)
    for name, value, high in (("cases", cases, 20_000), ("groups", groups, 50), ("members", members, 5_000)):
        whole_number("synthetic_history", value, name, 0, high)
    whole_number("synthetic_history", listings, "listings", 0, 2_000)
    whole_number("synthetic_history", months, "months", 1, 36)
    if type(start) is not dt.date:
        raise InvalidType("synthetic_history", "start", f"must be a date, got {type(start).__name__}")
    if not dt.date(2000, 1, 1) <= start <= dt.date(2150, 1, 1):
        raise InvalidValue("synthetic_history", "start", "must fall between 2000 and 2150")
    initial = (
        max(8, cases // 40) if officers is None else whole_number("synthetic_history", officers, "officers", 4, 2_000)
    )
    end = at_london(start + relativedelta(months=months), 0)
    support_books, peer_books = _rulebooks(start)
    log = EventLog()
    support = PastoralSupport(log, support_books, network_id="lmc")
    peer = PeerSupport(log, peer_books)
    portfolio = PortfolioPlus(log, PORTFOLIO_PLUS)
    practices = tuple(f"P-{n:04d}" for n in range(1, max(40, cases // 3) + 1))
    world = SupportWorld(support, practices=practices)

    def rng(name: str) -> Random:
        return Random(f"{seed}:{name}")

    scripts: list[tuple[str, Script]] = [("network", network_script(world, rng("network"), start, end, initial, 2))]
    plans = [
        plan_case(rng(f"case:{n}"), n, received, nation, practices)
        for n, (received, nation) in enumerate(arrivals(rng("arrivals"), cases, start, end), start=1)
    ]
    scripts += [(f"case {p.case_id}", case_script(world, p, rng(f"case:{p.case_id}"))) for p in plans]
    people = PeerPeople(peer, "gps-programme")
    group_plans = plan_groups(rng("programme"), groups, start)
    approved = [g for g in group_plans if g.approved]
    facilitators = {g.group_id: f"fac-{n:02d}" for n, g in enumerate(approved, start=1)}
    scripts.append(("programme", programme_script(people, start, group_plans)))
    scripts += [
        (f"group {g.group_id}", group_script(people, g, rng(f"group:{g.group_id}"), facilitators[g.group_id]))
        for g in approved
    ]
    scheme = Scheme(portfolio, ("tm-01", "tm-02", "tm-03"), tuple(g.group_id for g in approved))
    opened, days = at_london(start, 8 * 60), (end - at_london(start, 0)).days
    when = rng("portfolio")
    posts = sorted(working_moment(when, opened, days=(0, max(0, days - 30))) for _ in range(listings))
    joins = sorted(working_moment(when, opened, days=(7, max(7, days - 1))) for _ in range(members))
    opportunity_ids = [f"opp-{n:03d}" for n in range(1, listings + 1)]
    member_ids = [f"pp-{n:04d}" for n in range(1, members + 1)]
    scripts += [
        (f"listing {o}", listing_script(scheme, rng(f"listing:{o}"), o, p))
        for o, p in zip(opportunity_ids, posts, strict=True)
    ]
    scripts += [
        (f"member {m}", member_script(scheme, rng(f"member:{m}"), m, j)) for m, j in zip(member_ids, joins, strict=True)
    ]
    tally = Tally()
    run(scripts, end, tally)

    def recorded(category: str, ids: list[str]) -> tuple[str, ...]:
        return tuple(i for i in ids if log.stream_version(f"{category}-{i}"))

    set_up = recorded("group", [g.group_id for g in approved])
    return SyntheticHistory(
        seed=seed,
        log=log,
        start=start,
        end=end,
        support_rulebooks=support_books,
        peer_rulebooks=peer_books,
        portfolio_rulebooks=PORTFOLIO_PLUS,
        network_id=support.network_id,
        coordinator_id=world.coordinator,
        guardian_id=world.guardian,
        officer_ids=tuple(sorted(world.officers)),
        case_ids=recorded("case", [p.case_id for p in plans]),
        programme_id=people.programme_id,
        programme_lead_id=people.lead,
        group_ids=set_up,
        facilitator_ids=tuple(facilitators[g] for g in set_up),
        member_ids=recorded("member", member_ids),
        opportunity_ids=recorded("opportunity", opportunity_ids),
        team_member_ids=scheme.team,
        commands=tally.commands,
        redactions=tally.redactions,
    )
