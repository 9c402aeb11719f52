"""Read models for peer groups: programmes, funding used and left, and the change in mean wellbeing."""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping

import attrs

from pastoral_core.eventlog import RecordedEvent
from pastoral_core.kernel import Tenancy, states_from
from pastoral_core.peer_groups._aggregates import PEER_GROUP, PROGRAMME
from pastoral_core.peer_groups._model import RoundKind
from pastoral_core.peer_groups._state import PeerGroup, Programme
from pastoral_core.rules import half_up


def programmes_from(
    records: Iterable[RecordedEvent], organisation: str | Tenancy | None = Tenancy.ONE
) -> Mapping[str, Programme]:
    """Programme states by programme id, from recorded events (other streams are ignored).

    ``organisation`` picks one organisation's streams (see :func:`~pastoral_core.kernel.states_from`);
    by default records of several organisations are refused.
    """
    return {programme_id: f.state for programme_id, f in states_from(PROGRAMME, records, organisation).items()}


def groups_from(
    records: Iterable[RecordedEvent], organisation: str | Tenancy | None = Tenancy.ONE
) -> Mapping[str, PeerGroup]:
    """Peer group states by group id, from recorded events (other streams are ignored).

    ``organisation`` picks one organisation's streams (see :func:`~pastoral_core.kernel.states_from`);
    by default records of several organisations are refused.
    """
    return {group_id: f.state for group_id, f in states_from(PEER_GROUP, records, organisation).items()}


@attrs.frozen
class GroupFunding:
    """A group's facilitator minutes and cost.

    Attributes:
        cap: Minutes funded for the group.
        used: Funded minutes of meetings held.
        planned: Minutes of meetings planned and not yet held.
        remaining: ``cap - used``.
        unplanned: ``remaining - planned``: what a new plan may still use.
        cost: Facilitator cost of the meetings held, GBP.
    """

    cap: int
    used: int
    planned: int
    remaining: int
    unplanned: int
    cost: decimal.Decimal


def funding_of(group: PeerGroup) -> GroupFunding:
    """The group's funding position."""
    return GroupFunding(
        group.cap,
        group.funded_used,
        group.planned_minutes,
        group.remaining_minutes,
        group.remaining_minutes - group.planned_minutes,
        group.cost,
    )


@attrs.frozen
class WellbeingChange:
    """Mean scores at baseline and follow-up over the attendees who answered both.

    Attributes:
        instrument: The instrument both rounds used.
        score: Which score (``total`` for WEMWBS; a CBI subscale).
        paired: How many attendees answered both rounds.
        baseline_mean: Mean at baseline (2 places, half-up).
        follow_up_mean: Mean at follow-up.
        change: ``follow_up_mean - baseline_mean``.
    """

    instrument: str
    score: str
    paired: int
    baseline_mean: decimal.Decimal
    follow_up_mean: decimal.Decimal
    change: decimal.Decimal


def wellbeing_change(group: PeerGroup, score: str = "total") -> WellbeingChange | None:
    """The change in mean ``score`` from the first baseline to the first follow-up round.

    Returns:
        ``None`` until both rounds exist and at least one attendee answered both.
    """
    rounds = list(group.rounds.values())
    baseline = next((r for r in rounds if r.kind is RoundKind.BASELINE), None)
    follow_up = next(
        (r for r in rounds if r.kind is RoundKind.FOLLOW_UP and baseline and r.instrument == baseline.instrument), None
    )
    if baseline is None or follow_up is None:
        return None

    def value(round_id: str, attendee: str) -> decimal.Decimal | None:
        scores = group.responses.get((round_id, attendee), ())
        return next((s.value for s in scores if s.name == score), None)

    pairs = []
    for round_id, attendee in group.responses:
        if round_id != baseline.round_id:
            continue
        before, after = value(baseline.round_id, attendee), value(follow_up.round_id, attendee)
        if before is not None and after is not None:
            pairs.append((before, after))
    if not pairs:
        return None
    n = decimal.Decimal(len(pairs))
    mean_before = half_up(sum((b for b, _ in pairs), decimal.Decimal(0)) / n)
    mean_after = half_up(sum((a for _, a in pairs), decimal.Decimal(0)) / n)
    return WellbeingChange(baseline.instrument, score, len(pairs), mean_before, mean_after, mean_after - mean_before)
