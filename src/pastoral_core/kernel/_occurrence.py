"""When a record's fact happened, and records in the order their facts happened (business time)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

from pastoral_core.eventlog import RecordedEvent


def occurred_at(record: RecordedEvent) -> dt.datetime:
    """When the fact of ``record`` happened: its business time, else (0.1 records) when it was recorded."""
    return record.metadata.occurred_at or record.metadata.recorded_at


def in_order_of_occurrence(records: Iterable[RecordedEvent]) -> list[RecordedEvent]:
    """``records`` in the order their facts happened; ties in the order they were recorded."""
    return occurrence_order(records)[0]


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC, for ordering: a record's times were checked aware when it was built."""
    return moment.astimezone(dt.UTC)


def occurrence_order(records: Iterable[RecordedEvent]) -> tuple[list[RecordedEvent], list[dt.datetime]]:
    """``records`` in the order their facts happened, and the instant of each (in that order)."""
    listed = list(records)
    keys = [utc(r.metadata.occurred_at or r.metadata.recorded_at) for r in listed]
    order = business_order(keys)
    if order is None:
        return listed, keys
    return [listed[n] for n in order], [keys[n] for n in order]


def business_order(keys: Sequence[dt.datetime]) -> list[int] | None:
    """``None`` when ``keys`` (instants) are already in order, else the indexes in order (ties as given)."""
    if all(a <= b for a, b in itertools.pairwise(keys)):
        return None
    return sorted(range(len(keys)), key=lambda n: (keys[n], n))


def latest_recorded(records: Sequence[RecordedEvent]) -> dt.datetime:
    """When the latest of ``records`` was recorded (the first such record's time on a tie)."""
    return max((r.metadata.recorded_at for r in records), key=utc)
