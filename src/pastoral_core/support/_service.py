"""PastoralSupport: one LMC's pastoral support network as a service over an event store."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping, Sequence

from pastoral_core.eventlog import DEFAULT_CODEC, Codec, Event, EventStore, RecordedEvent
from pastoral_core.exceptions import InvalidType, InvalidValue, PastoralCoreError, Refused
from pastoral_core.kernel import (
    Accepted,
    Command,
    DatesOf,
    Folded,
    KeyDate,
    Pricing,
    Router,
    Service,
    Tenancy,
    WhatIf,
    WhatIfMode,
    WhatIfWorld,
    deadline_dates,
    other_organisation,
)
from pastoral_core.rules import Rulebook, Rulebooks, Verdict, gbp
from pastoral_core.support._aggregates import CASE, NETWORK
from pastoral_core.support._context import SupportContext
from pastoral_core.support._directory import Directory
from pastoral_core.support._events import RequestReceived, SessionHeld
from pastoral_core.support._policies import DEVON_PSN, ResponseTime, SecondOfficer
from pastoral_core.support._projections import Caseload, ResponseLine, caseloads, response_report
from pastoral_core.support._retention import redact_destroyed_notes
from pastoral_core.support._session_price import session_price
from pastoral_core.support._state import Case
from pastoral_core.values import london_date

#: Who pays for what the LMC funds, in what-if money totals (other payers by their ids).
LMC = "LMC"


class PastoralSupport(Service[SupportContext]):
    """Handles every case and network command of one LMC, and answers its queries.

    It finds each command's aggregate (a ``Case`` or the ``Network``) and stream, builds
    the :class:`SupportContext` (the rulebooks and the officer :class:`Directory` of the
    network's stream, folded again only when the network has changed), and executes.
    Read models take an ``organisation`` as the projections do: by default, cases of
    several organisations are refused rather than mixed. The pieces stay usable on their
    own: ``execute(store, CASE, case_id, command, SupportContext(rulebooks, directory))``
    does the same for one command.

    Example::

        support = PastoralSupport(store)
        support.handle(EnrolOfficer(...))               # to the network, "devon"
        support.handle(ReceiveRequest(...), "17")       # to case 17 (stream "case-17")
        support.case("17").received                     # True

    Args:
        store: Any ``EventStore`` (the in-memory ``EventLog``, a host's database).
        rulebooks: Every version of the network's rulebook.
        network_id: The LMC's network: network commands go to it and its officers are the
            directory every case decision consults.
        codec: The codec the store uses.

    Raises:
        InvalidType: If ``store`` is not an ``EventStore``, ``rulebooks`` not ``Rulebooks``
            or ``codec`` not a ``Codec``.
        InvalidValue: If ``network_id`` is not an id.
    """

    def __init__(
        self,
        store: EventStore,
        rulebooks: Rulebooks = DEVON_PSN,
        *,
        network_id: str = "devon",
        codec: Codec = DEFAULT_CODEC,
    ) -> None:
        router = Router("PastoralSupport", (CASE, NETWORK), fixed={NETWORK: network_id})
        super().__init__(store, router, rulebooks, codec=codec)
        self._network_id = network_id
        self._context: tuple[Folded[Directory], SupportContext] | None = None

    @property
    def network_id(self) -> str:
        """The id of the LMC's network (its stream is ``network-<id>``)."""
        return self._network_id

    def directory(self) -> Directory:
        """The network's officers now."""
        return self.folded(NETWORK, self._network_id).state

    def context(self) -> SupportContext:
        """The context case and network decisions consult now: rulebooks and the current directory."""
        network = self.folded(NETWORK, self._network_id)
        cached = self._context
        if cached is None or cached[0] is not network:
            cached = (network, SupportContext(self.rulebooks, network.state))
            self._context = cached
        return cached[1]

    def context_for(self, command: Command) -> SupportContext:
        """The context, if ``command`` is for the organisation the network belongs to.

        A case is decided with the network's officers as they stood at the command's
        business time (an officer enrolled, suspended or withdrawn later does not count
        for a fact entered late). A command for another organisation (or none, once the
        network belongs to one) is refused (SCOPE), as it would be on the network's own
        stream.

        Raises:
            Refused: If the network belongs to another organisation than the command's.
        """
        network = self.folded(NETWORK, self._network_id)
        elsewhere = other_organisation(network, command, "network")
        if elsewhere is not None:
            raise Refused([elsewhere])
        if network.last_occurred_at is not None and command.occurred < network.last_occurred_at:
            # The officers as they stood when the fact happened: an allocation entered late
            # is judged by the roster of its own date (PSN-ROSTER, -SKILLS, -CONFLICT).
            then = self.folded(NETWORK, self._network_id, as_of=command.occurred)
            return SupportContext(self.rulebooks, then.state)
        return self.context()

    def case(self, case_id: str, as_of: dt.datetime | None = None) -> Case | None:
        """Case ``case_id`` now, or as it stood at ``as_of`` (facts that had happened by then).

        Returns:
            ``None`` if its request had not been received (by ``as_of``).

        Raises:
            InvalidValue: If ``case_id`` is not an id.
            NaiveDatetimeError: If ``as_of`` has no timezone.
        """
        case = self.folded(CASE, case_id, as_of).state
        return case if case.received else None

    def cases(self, organisation: str | Tenancy | None = Tenancy.ONE) -> Mapping[str, Case]:
        """Every case received, by id (as :func:`~pastoral_core.support.cases_from` over the whole store).

        Raises:
            InvalidValue: If the cases belong to several organisations and ``organisation``
                picks neither one nor ``Tenancy.ALL``.
        """
        return {case_id: f.state for case_id, f in self.states(CASE, organisation).items() if f.state.received}

    def flags_by_case(self, organisation: str | Tenancy | None = Tenancy.ONE) -> Mapping[str, frozenset[str]]:
        """The rule IDs flagged on each case that has any (see :func:`~pastoral_core.support.flags_by_case`)."""
        return {case_id: f.flagged for case_id, f in sorted(self.states(CASE, organisation).items()) if f.flagged}

    def response_report(
        self, now: dt.datetime, organisation: str | Tenancy | None = Tenancy.ONE
    ) -> tuple[ResponseLine, ...]:
        """Every case's first response against its due time as of ``now`` (see ``response_report``).

        Raises:
            NaiveDatetimeError: If ``now`` has no timezone.
        """
        return response_report(self.cases(organisation), now)

    def caseloads(self, organisation: str | Tenancy | None = Tenancy.ONE) -> Mapping[str, Caseload]:
        """Each officer's open caseload (see :func:`~pastoral_core.support.caseloads`)."""
        return caseloads(self.cases(organisation))

    def redact_destroyed_notes(self, case_id: str) -> tuple[int, ...]:
        """Remove from the store the text a recorded notes destruction destroyed, and from every cache.

        See :func:`~pastoral_core.support.redact_destroyed_notes`.

        Returns:
            Global positions of the records redacted.
        """
        positions = redact_destroyed_notes(self.store, case_id)
        self.forget()
        return positions

    def explain_dates(self, subject: Accepted | Refused | RecordedEvent) -> DatesOf | None:
        """For a case's first-response deadline (PSN-RESPONSE) and its second-officer count (PSN-SECOND).

        The dates that mattered come from the working calendar asked again with the case's
        nation and receipt: the bank holidays that moved the deadline.
        """
        first = subject.records[0] if isinstance(subject, Accepted) and subject.records else subject
        request, occurred = None, None
        if isinstance(first, RecordedEvent) and CASE.owns(first.stream_id):
            request = self.folded(CASE, CASE.aggregate_id(first.stream_id)).state.request
            occurred = first.metadata.occurred_at or first.metadata.recorded_at

        def dates(verdict: Verdict) -> tuple[KeyDate, ...]:
            return _calendar_dates(self.rulebooks, verdict, request, occurred)

        return dates

    def what_if(
        self,
        rulebooks: Rulebooks | Rulebook,
        *,
        mode: WhatIfMode = WhatIfMode.AS_RECORDED,
        organisation: str | Tenancy | None = Tenancy.ONE,
    ) -> WhatIf:
        """Decide every recorded case and network command again under ``rulebooks`` (see ``kernel.what_if``).

        Each command is decided with the network's officers as they stood when it was
        recorded (as :meth:`context` built them then), the proposed rulebooks swapped in.
        Money is the sessions': a charged session's shares (``LMC`` and the payer's id),
        and a session of the initial allowance at the session rate, paid by the ``LMC``
        (MOU LMC 4; not priced while no rate is set).

        Only the cases of the network's organisation are decided again: this service decides
        no other organisation's cases (:meth:`context_for`), so it cannot say what their
        decisions would have been.

        Args:
            rulebooks: The proposed rulebooks (a proposed version, another LMC's).
            mode: As recorded (default) or counterfactual.
            organisation: ``Tenancy.ONE`` (default) or the network's organisation.

        Raises:
            InvalidType: If an argument has the wrong type.
            InvalidValue: If ``organisation`` names another organisation than the
                network's, or is ``Tenancy.ALL``.
        """
        if not (organisation is None or isinstance(organisation, str | Tenancy)):
            raise InvalidType("PastoralSupport.what_if", "organisation", "must be an organisation id, None or Tenancy")
        own = self.folded(NETWORK, self._network_id).organisation
        if organisation is not Tenancy.ONE and organisation != own:
            raise InvalidValue(
                "PastoralSupport.what_if",
                "organisation",
                f"this service decides the cases of its network's organisation ({own or 'none'}) only; "
                "ask a service over the other organisation's network",
            )
        network = NETWORK.stream_id(self._network_id)
        records = [r for r in self.store.read_all() if r.stream_id == network or CASE.owns(r.stream_id)]
        return self.decide_again(records, rulebooks, mode, own)

    def what_if_context(self, command: Command, world: WhatIfWorld, rulebooks: Rulebooks) -> SupportContext:
        """The network's officers as they stood in ``world``, under ``rulebooks``."""
        return SupportContext(rulebooks, world.folded(NETWORK, self._network_id, as_of=command.occurred).state)

    def what_if_pricing(self) -> Pricing:
        """The sessions' shares by payer (:func:`session_costs`)."""
        return session_costs


def session_costs(events: Sequence[Event], book: Rulebook | None) -> dict[str, decimal.Decimal]:
    """What the sessions among ``events`` cost, by payer (``LMC`` or the payer's id; see ``session_price``)."""
    costs: dict[str, decimal.Decimal] = {}
    for event in events:
        price = session_price(event, book) if type(event) is SessionHeld else None
        if price is None:
            continue
        costs[LMC] = costs.get(LMC, gbp(0)) + price.lmc_share
        if price.payer_id is not None:
            costs[price.payer_id] = costs.get(price.payer_id, gbp(0)) + price.payer_share
    return costs


def _calendar_dates(
    rulebooks: Rulebooks, verdict: Verdict, request: RequestReceived | None, occurred: dt.datetime | None
) -> tuple[KeyDate, ...]:
    """The working-calendar dates behind a PSN-RESPONSE or PSN-SECOND verdict of a case."""
    if request is None or verdict.rule_id not in (ResponseTime.rule_id, SecondOfficer.rule_id):
        return ()
    label = dict(verdict.parameters).get("rulebook")
    book = next((b for b in rulebooks if b.label == label), None)
    try:
        book = book or rulebooks.in_force(request.received_at)
        rule = book.rule(ResponseTime)
    except PastoralCoreError:  # no such rule or version: nothing to add
        return ()
    calendar = rule.calendar(request.nation)
    if verdict.rule_id == ResponseTime.rule_id:
        return deadline_dates(calendar.explain_due(request.received_at, rule.working_days), request.nation)
    if occurred is None:
        return ()
    start, today = calendar.counts_from(request.received_at), london_date(occurred)
    received = london_date(request.received_at)
    holidays = calendar.bank_holidays(start, today) if start <= today else ()
    return (
        KeyDate(received, "received"),
        *([KeyDate(start, "working days counted from")] if start != received else []),
        *(KeyDate(day, f"bank holiday ({request.nation}): {name}") for day, name in holidays),
        KeyDate(today, "working days counted to"),
    )
