"""Projections for peer groups: programmes, groups, funding used and left, and the change in mean wellbeing.

The read models as tables (minutes, cost by tariff, attendance, evaluation) are in the
``_read_models*`` modules; they use these.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping

import attrs

from pastoral_core.eventlog import RecordedEvent
from pastoral_core.kernel import Tenancy, states_from
from pastoral_core.peer_groups._aggregates import PEER_GROUP, PROGRAMME
from pastoral_core.peer_groups._events import EvaluationRoundOpened
from pastoral_core.peer_groups._instruments import INSTRUMENTS
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
        baseline_round: The baseline round's id.
        follow_up_round: The follow-up round's id.
    """

    instrument: str
    score: str
    paired: int
    baseline_mean: decimal.Decimal
    follow_up_mean: decimal.Decimal
    change: decimal.Decimal
    baseline_round: str
    follow_up_round: str


def score_names(group: PeerGroup, round_: EvaluationRoundOpened) -> tuple[str, ...]:
    """The scores a round's responses carry: its instrument's subscales.

    For an instrument the library does not know: the names its responses use, in the order
    first seen.
    """
    instrument = INSTRUMENTS.get(round_.instrument)
    if instrument is not None:
        return tuple(s.name for s in instrument.subscales)
    names = (s.name for (round_id, _), scores in group.responses.items() if round_id == round_.round_id for s in scores)
    return tuple(dict.fromkeys(names))


def _paired(
    group: PeerGroup, baseline: EvaluationRoundOpened, follow_up: EvaluationRoundOpened, score: str
) -> WellbeingChange | None:
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
    return WellbeingChange(
        baseline.instrument,
        score,
        len(pairs),
        mean_before,
        mean_after,
        mean_after - mean_before,
        baseline.round_id,
        follow_up.round_id,
    )


def _baselines(group: PeerGroup) -> list[EvaluationRoundOpened]:
    """Each instrument's first baseline round, in the order the rounds were opened."""
    first: dict[str, EvaluationRoundOpened] = {}
    for round_ in group.rounds.values():
        if round_.kind is RoundKind.BASELINE:
            first.setdefault(round_.instrument, round_)
    return list(first.values())


def _follow_ups(group: PeerGroup, baseline: EvaluationRoundOpened) -> list[EvaluationRoundOpened]:
    return [r for r in group.rounds.values() if r.kind is RoundKind.FOLLOW_UP and r.instrument == baseline.instrument]


def wellbeing_changes(group: PeerGroup) -> tuple[WellbeingChange, ...]:
    """Every paired change of the group: each score, from baseline to each follow-up.

    For each instrument used, its first baseline round is paired with each follow-up
    round of the same instrument (in the order they were opened), for each of its scores
    (WEMWBS: ``total``; CBI: ``personal``, ``work``, ``client``). Only attendees who
    answered both rounds count; a pair of rounds no attendee answered both of is left out.
    """
    changes = []
    for baseline in _baselines(group):
        for follow_up in _follow_ups(group, baseline):
            for score in score_names(group, baseline):
                change = _paired(group, baseline, follow_up, score)
                if change is not None:
                    changes.append(change)
    return tuple(changes)


def wellbeing_change(group: PeerGroup, score: str = "total") -> WellbeingChange | None:
    """The change in mean ``score`` from the first baseline to the first follow-up round.

    The rounds are those of the first instrument (by its first baseline) that gives
    ``score``: WEMWBS for ``total``, CBI for ``personal``, ``work`` and ``client``. See
    :func:`wellbeing_changes` for every score and every follow-up.

    Returns:
        ``None`` until both rounds exist and at least one attendee answered both.
    """
    for baseline in _baselines(group):
        if score in score_names(group, baseline):
            follow_ups = _follow_ups(group, baseline)
            return _paired(group, baseline, follow_ups[0], score) if follow_ups else None
    return None
