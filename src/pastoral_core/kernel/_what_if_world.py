"""What a what-if replay takes: its inputs checked, the streams picked, and the world a context reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import attrs

from pastoral_core.eventlog import Codec, RecordedEvent
from pastoral_core.exceptions import InvalidType
from pastoral_core.kernel._aggregate import Aggregate, Folded
from pastoral_core.kernel._occurrence import in_order_of_occurrence
from pastoral_core.kernel._stood import folded_as_of, stood_at
from pastoral_core.kernel._tenancy import Tenancy, refuse_mixed
from pastoral_core.kernel._what_if_report import WhatIfMode
from pastoral_core.rules import Rulebook, Rulebooks
from pastoral_core.values import instant

S = TypeVar("S")


@attrs.frozen
class WhatIfWorld:
    """The streams as a what-if replay has them just before a command: real, or as the proposed rules made them.

    A service reads from it the other aggregates its context consults (the network's
    officers, the programmes), as it would have read them from the store then. It is a
    view of the replay in progress: read it while building a context, do not keep it.
    """

    _streams: Mapping[Aggregate[Any, Any], Mapping[str, Folded[Any]]]
    _records: Mapping[str, Sequence[RecordedEvent]] = attrs.field(factory=dict)

    def folded(self, aggregate: Aggregate[S, Any], aggregate_id: str, as_of: dt.datetime | None = None) -> Folded[S]:
        """One aggregate's state at this point of the replay (its initial state if nothing is recorded yet).

        With ``as_of`` (the command's business time), as it stood then: only the facts
        that had happened by then (a live service decides with the same).
        """
        found: Folded[S] | None = self._streams.get(aggregate, {}).get(aggregate_id)
        if found is None:
            return Folded(aggregate.initial)
        if as_of is None or found.last_occurred_at is None or instant(found.last_occurred_at) <= instant(as_of):
            return found
        records = self._records.get(aggregate.stream_id(aggregate_id), ())
        return folded_as_of(aggregate, records, as_of)

    def states(
        self, aggregate: Aggregate[S, Any], organisation: str | None, as_of: dt.datetime | None = None
    ) -> Mapping[str, Folded[S]]:
        """Every aggregate of one kind belonging to ``organisation`` (``None``: to none), by id.

        With ``as_of`` (the command's business time), each as it stood then (see
        :func:`~pastoral_core.kernel.stood_at`), as a live service decides.
        """
        streams: Mapping[str, Folded[S]] = self._streams.get(aggregate, {})
        mine = {key: f for key, f in streams.items() if f.organisation == organisation}
        if as_of is None:
            return mine
        stream_id = aggregate.stream_id
        return stood_at(aggregate, mine, lambda key: self._records.get(stream_id(key), ()), as_of)


def checked_inputs(
    aggregates: Sequence[Any],
    rulebooks: object,
    context: object,
    recorded: object,
    mode: object,
    codec: object,
    price: object,
) -> Rulebooks:
    """The proposed rulebooks (a single version wrapped), once every argument of ``what_if`` has its type.

    Raises:
        InvalidType: Naming the first argument of the wrong type (nothing is read).
    """
    if not aggregates or not all(isinstance(a, Aggregate) for a in aggregates):
        raise InvalidType("what_if", "aggregates", "must be one or more Aggregate declarations")
    if isinstance(rulebooks, Rulebook):
        rulebooks = Rulebooks((rulebooks,))
    if not isinstance(rulebooks, Rulebooks):
        raise InvalidType("what_if", "rulebooks", f"must be Rulebooks or a Rulebook, got {type(rulebooks).__name__}")
    if not isinstance(recorded, Rulebooks):
        raise InvalidType("what_if", "recorded", f"must be Rulebooks, got {type(recorded).__name__}")
    if not isinstance(mode, WhatIfMode):
        raise InvalidType("what_if", "mode", f"must be a WhatIfMode, got {type(mode).__name__}")
    if not isinstance(codec, Codec):
        raise InvalidType("what_if", "codec", f"must be a Codec, got {type(codec).__name__}")
    if not callable(context):
        raise InvalidType("what_if", "context", "must build a context: (command, world, rulebooks) -> context")
    if price is not None and not callable(price):
        raise InvalidType("what_if", "price", "must be None or a function (events, rulebook) -> money by payer")
    return rulebooks


def streams_of(
    aggregates: Sequence[Aggregate[Any, Any]], records: list[RecordedEvent], organisation: object
) -> list[RecordedEvent]:
    """The records of the aggregates' streams that belong to the organisation picked.

    Args:
        aggregates: Whose streams to keep.
        records: The history, in the order it was recorded.
        organisation: An organisation's id (or ``None``), or a :class:`Tenancy`.

    Raises:
        InvalidType: If ``organisation`` is none of those.
        InvalidValue: With ``Tenancy.ONE``, if the streams belong to several organisations.
    """
    if not (organisation is None or isinstance(organisation, str | Tenancy)):
        raise InvalidType("what_if", "organisation", "must be an organisation id, None or a Tenancy")
    by_stream: dict[str, list[RecordedEvent]] = {}
    for record in records:
        if any(a.owns(record.stream_id) for a in aggregates):
            by_stream.setdefault(record.stream_id, []).append(record)
    belongs = {s: in_order_of_occurrence(rs)[0].metadata.organisation for s, rs in by_stream.items()}
    if organisation is Tenancy.ONE:
        refuse_mixed("what_if", belongs.values(), "the history")
    keep = {s for s, o in belongs.items() if isinstance(organisation, Tenancy) or o == organisation}
    return [r for r in records if r.stream_id in keep]
