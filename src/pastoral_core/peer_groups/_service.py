"""PeerSupport: a funder's programmes and their peer groups as a service over an event store."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping, Sequence

from pastoral_core.eventlog import DEFAULT_CODEC, Codec, Event, EventStore
from pastoral_core.exceptions import InvalidValue
from pastoral_core.kernel import (
    Command,
    Pricing,
    Router,
    Service,
    Tenancy,
    WhatIfWorld,
)
from pastoral_core.peer_groups._aggregates import PEER_GROUP, PROGRAMME
from pastoral_core.peer_groups._context import PeerSupportContext
from pastoral_core.peer_groups._events import MeetingHeld
from pastoral_core.peer_groups._policies import PHP_GROUP_PEER_SUPPORT
from pastoral_core.peer_groups._projections import GroupFunding, WellbeingChange, funding_of, wellbeing_change
from pastoral_core.peer_groups._state import PeerGroup, Programme
from pastoral_core.rules import Rulebook, Rulebooks, gbp

#: Who pays for funded facilitator minutes, in what-if money totals.
FUNDER = "funder"


class PeerSupport(Service[PeerSupportContext]):
    """Handles every programme and peer group command, and answers their queries.

    It finds each command's aggregate (a ``Programme`` or a ``PeerGroup``) and stream,
    builds the :class:`PeerSupportContext` (the rulebooks and every programme in the
    store, of every organisation, caught up with what was recorded since the last
    command; the programme a command names is brought up to its latest version first),
    and executes. Read models take an ``organisation`` as the projections do: by
    default, streams of several organisations are refused rather than mixed.

    Example::

        peer = PeerSupport(store, books)
        peer.handle(StartProgramme(...), "prog-nw")   # to stream "programme-prog-nw"
        peer.handle(SetUpGroup(group_id="g1", ...))   # names its group: stream "group-g1"
        peer.funding("g1").remaining

    Args:
        store: Any ``EventStore``.
        rulebooks: Every version of the programme's rulebook.
        codec: The codec the store uses.

    Raises:
        InvalidType: If ``store`` is not an ``EventStore``, ``rulebooks`` not ``Rulebooks``
            or ``codec`` not a ``Codec``.
    """

    def __init__(
        self, store: EventStore, rulebooks: Rulebooks = PHP_GROUP_PEER_SUPPORT, *, codec: Codec = DEFAULT_CODEC
    ) -> None:
        super().__init__(store, Router("PeerSupport", (PROGRAMME, PEER_GROUP)), rulebooks, codec=codec)

    def context(self) -> PeerSupportContext:
        """The context programme and group decisions consult now: rulebooks and every programme."""
        return self.context_over(PROGRAMME, Tenancy.ALL, PeerSupportContext)

    def context_for(self, command: Command) -> PeerSupportContext:
        """The context: for a command that names a programme, the programmes as they stood at its business time.

        The one it names is caught up with the store first. A command that names none
        consults no programme, and gets the context as it is (kept while the programmes
        stand still): nothing is folded again for a meeting entered late.
        """
        # Only the command's own organisation's programmes, as they stood at its business time.
        return self.context_naming(PROGRAMME, command, PeerSupportContext, "programme_id")

    def programme(self, programme_id: str, as_of: dt.datetime | None = None) -> Programme | None:
        """Programme ``programme_id`` now, or as of a moment; ``None`` if nothing is recorded (by then).

        Raises:
            InvalidValue: If ``programme_id`` is not an id.
            NaiveDatetimeError: If ``as_of`` has no timezone.
        """
        folded = self.folded(PROGRAMME, programme_id, as_of)
        return folded.state if folded.version else None

    def group(self, group_id: str, as_of: dt.datetime | None = None) -> PeerGroup | None:
        """Peer group ``group_id`` now, or as of a moment; ``None`` if nothing is recorded (by then).

        Raises:
            InvalidValue: If ``group_id`` is not an id.
            NaiveDatetimeError: If ``as_of`` has no timezone.
        """
        folded = self.folded(PEER_GROUP, group_id, as_of)
        return folded.state if folded.version else None

    def programmes(self, organisation: str | Tenancy | None = Tenancy.ONE) -> Mapping[str, Programme]:
        """Every programme by id (as :func:`~pastoral_core.peer_groups.programmes_from` over the store)."""
        return {programme_id: f.state for programme_id, f in self.states(PROGRAMME, organisation).items()}

    def groups(self, organisation: str | Tenancy | None = Tenancy.ONE) -> Mapping[str, PeerGroup]:
        """Every peer group by id (as :func:`~pastoral_core.peer_groups.groups_from` over the store)."""
        return {group_id: f.state for group_id, f in self.states(PEER_GROUP, organisation).items()}

    def funding(self, group_id: str) -> GroupFunding:
        """The group's facilitator minutes and cost now (see :func:`~pastoral_core.peer_groups.funding_of`).

        Raises:
            InvalidValue: If no such group has been set up.
        """
        return funding_of(self._set_up(group_id))

    def wellbeing_change(self, group_id: str, score: str = "total") -> WellbeingChange | None:
        """The change in the group's mean ``score`` (see :func:`~pastoral_core.peer_groups.wellbeing_change`).

        Raises:
            InvalidValue: If no such group has been set up.
        """
        return wellbeing_change(self._set_up(group_id), score)

    def _set_up(self, group_id: str) -> PeerGroup:
        group = self.group(group_id)
        if group is None or group.setup is None:
            raise InvalidValue("PeerSupport", "group_id", f"no group {group_id!r} has been set up")
        return group

    def what_if_context(self, command: Command, world: WhatIfWorld, rulebooks: Rulebooks) -> PeerSupportContext:
        """The programmes of ``command``'s organisation as they stood in ``world``, under ``rulebooks``."""
        programmes = world.states(PROGRAMME, command.organisation, as_of=command.occurred)
        return PeerSupportContext(rulebooks, {programme_id: f.state for programme_id, f in programmes.items()})

    def what_if_pricing(self) -> Pricing:
        """Each held meeting's facilitator cost (GPS-TARIFF), paid by the programme's ``funder``."""
        return meeting_costs


def meeting_costs(events: Sequence[Event], book: Rulebook | None) -> dict[str, decimal.Decimal]:
    """What the meetings held among ``events`` cost the programme's funder (GPS-TARIFF)."""
    costs = [e.cost for e in events if type(e) is MeetingHeld]
    return {FUNDER: sum(costs, gbp(0))} if costs else {}
