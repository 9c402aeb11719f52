"""PastoralSupport: one LMC's pastoral support network as a service over an event store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pastoral_core.eventlog import DEFAULT_CODEC, Codec, EventStore
from pastoral_core.exceptions import Refused
from pastoral_core.kernel import Command, Folded, Router, Service, Tenancy, other_organisation
from pastoral_core.rules import Rulebooks
from pastoral_core.support._aggregates import CASE, NETWORK
from pastoral_core.support._context import SupportContext
from pastoral_core.support._directory import Directory
from pastoral_core.support._policies import DEVON_PSN
from pastoral_core.support._projections import Caseload, ResponseLine, caseloads, response_report
from pastoral_core.support._retention import redact_destroyed_notes
from pastoral_core.support._state import Case


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

        A case is decided with the network's officers, so a command for another
        organisation (or none, once the network belongs to one) is refused (SCOPE),
        as it would be on the network's own stream.

        Raises:
            Refused: If the network belongs to another organisation than the command's.
        """
        elsewhere = other_organisation(self.folded(NETWORK, self._network_id), command, "network")
        if elsewhere is not None:
            raise Refused([elsewhere])
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
