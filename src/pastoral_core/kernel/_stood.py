"""The other streams a decision consults, as they stood at its business time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from pastoral_core.eventlog import RecordedEvent
from pastoral_core.kernel._aggregate import Aggregate, Folded
from pastoral_core.kernel._projection import Timeline, as_of
from pastoral_core.values import instant

S = TypeVar("S")


def folded_as_of(aggregate: Aggregate[S, Any], records: Sequence[RecordedEvent], moment: dt.datetime) -> Folded[S]:
    """One stream folded from the facts that had happened by ``moment`` (business time).

    Raises:
        NaiveDatetimeError: If ``moment`` has no timezone.
    """
    return aggregate.replay(as_of(records, moment, Timeline.BUSINESS))


def stood_at(
    aggregate: Aggregate[S, Any],
    folded: Mapping[str, Folded[S]],
    records_of: Callable[[str], Sequence[RecordedEvent]],
    moment: dt.datetime,
) -> dict[str, Folded[S]]:
    """The aggregates of ``folded`` as they stood at ``moment`` (business time), by id.

    One whose facts had all happened by ``moment`` is kept as it is; one with a later
    fact is folded again from its records (``records_of(aggregate_id)``), cut at
    ``moment``. One that began after ``moment`` is given as it began (its first facts
    only), so a rule that dates it can say so (a listing not posted until after the
    introduction: PP-OPPORTUNITY) rather than find nothing. Live services and what-if
    replays both read their contexts through it.
    """
    when = instant(moment)
    stood: dict[str, Folded[S]] = {}
    for key, state in folded.items():
        if state.last_occurred_at is None or instant(state.last_occurred_at) <= when:
            stood[key] = state
            continue
        records = records_of(key)
        then = folded_as_of(aggregate, records, moment)
        if not then.version and state.began_at is not None:
            then = folded_as_of(aggregate, records, state.began_at)
        if then.version:
            stood[key] = then
    return stood
