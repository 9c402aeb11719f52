"""One aggregate's streams folded from records, updated a record at a time; and the history as of a moment.

Every read model is computed from the states a :class:`Projection` holds. Built from a
whole history or updated one record at a time, a projection holds the same states as
:func:`~pastoral_core.kernel.states_from` folds (a late entry folds its stream again), so
the read models computed from it are the same too.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import attrs

from pastoral_core.eventlog import RecordedEvent
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel._aggregate import Aggregate, Folded
from pastoral_core.kernel._cache import advance
from pastoral_core.kernel._immutable import EMPTY
from pastoral_core.kernel._occurrence import occurred_at
from pastoral_core.kernel._tenancy import Tenancy, refuse_mixed
from pastoral_core.values import instant, require_aware

S = TypeVar("S")


def _aggregate(_: object, __: object, value: object) -> None:
    if not isinstance(value, Aggregate):
        raise InvalidType("Projection", "aggregate", f"must be an Aggregate declaration, got {type(value).__name__}")


def _organisation(value: object) -> None:
    if value is not None and not isinstance(value, str | Tenancy):
        raise InvalidType("Projection", "organisation", "must be an organisation id, None or a Tenancy")


@attrs.frozen
class Projection(Generic[S]):
    """The streams of one aggregate's category, folded, and kept current a record at a time.

    Attributes:
        aggregate: Whose streams (e.g. ``support.CASE``); other streams are skipped.
        organisation: An organisation's id (or ``None``: streams of no organisation) to
            keep only its streams; :attr:`Tenancy.ONE` (default) to keep them all while
            they belong to one organisation; :attr:`Tenancy.ALL` to mix organisations.
        folded: Each stream's folded state, by aggregate id.
        records: Each stream's records by version, kept so that a late entry can fold it again.

    A stream is folded from the records given, which must include its first (a record
    of version 1). Versions may be missing (``as_of`` by business time leaves out facts
    that had not happened yet): the stream is folded from those it has, and again when
    the missing ones arrive. A record given again counts once; given again redacted (same
    position and payload digest, free text destroyed), it replaces the one kept and the
    stream is folded again, so the projection no longer holds the destroyed text.
    """

    aggregate: Aggregate[S, Any] = attrs.field(eq=False, validator=_aggregate)
    organisation: str | Tenancy | None = attrs.field(default=Tenancy.ONE, validator=lambda _, __, v: _organisation(v))
    folded: Mapping[str, Folded[S]] = EMPTY
    records: Mapping[str, tuple[RecordedEvent, ...]] = attrs.field(default=EMPTY, repr=False)

    @classmethod
    def build(
        cls,
        aggregate: Aggregate[S, Any],
        records: Iterable[RecordedEvent],
        organisation: str | Tenancy | None = Tenancy.ONE,
    ) -> Projection[S]:
        """Fold every stream of ``aggregate`` in ``records`` (e.g. ``store.read_all()``).

        Raises:
            InvalidValue: If ``organisation`` is ``Tenancy.ONE`` and the records hold
                streams of more than one organisation.
        """
        return cls(aggregate, organisation).updated(records)

    @property
    def states(self) -> Mapping[str, S]:
        """Each stream's domain state, by aggregate id."""
        return MappingProxyType({key: f.state for key, f in self.folded.items()})

    def apply(self, record: RecordedEvent) -> Projection[S]:
        """This projection with one more record (see :meth:`updated`)."""
        return self.updated((record,))

    def updated(self, records: Iterable[RecordedEvent]) -> Projection[S]:
        """A new projection with ``records`` folded in (this one is left as it was).

        A record already folded is skipped, so the same record given twice counts once;
        the same record redacted since replaces it.

        Raises:
            InvalidType: If ``records`` are not ``RecordedEvent`` objects.
            InvalidValue: If ``organisation`` is ``Tenancy.ONE`` and a stream of a second
                organisation arrives; if two different records claim one version of a
                stream; if a stream's records do not start at version 1.
        """
        aggregate = self.aggregate
        newer: dict[str, list[RecordedEvent]] = {}
        for record in _records("Projection.updated", records):
            if aggregate.owns(record.stream_id):
                newer.setdefault(aggregate.aggregate_id(record.stream_id), []).append(record)
        if not newer:
            return self
        folded, kept = dict(self.folded), dict(self.records)
        for key, fresh in newer.items():
            fresh.sort(key=_version)
            before = folded.get(key)
            owner = before.organisation if before is not None else fresh[0].metadata.organisation
            if isinstance(self.organisation, str | None) and owner != self.organisation:
                continue
            merged, added, redacted = _merged(kept.get(key, ()), fresh)
            if not added and not redacted:
                continue
            kept[key] = merged
            start = before if before is not None else Folded(aggregate.initial)
            after = None
            contiguous = merged[-1].stream_version == len(merged)
            if contiguous and not redacted and added[0].stream_version > start.version:
                after = advance(aggregate, start, added)
            folded[key] = after if after is not None else aggregate.replay(merged)
        if self.organisation is Tenancy.ONE:
            refuse_mixed("Projection", (f.organisation for f in folded.values()))
        return attrs.evolve(self, folded=MappingProxyType(folded), records=MappingProxyType(kept))


def _version(record: RecordedEvent) -> int:
    return record.stream_version


def _records(owner: str, records: object) -> Iterator[RecordedEvent]:
    """``records`` one by one, each checked to be a ``RecordedEvent`` (read models' inputs).

    Raises:
        InvalidType: Naming ``owner``, if ``records`` is not an iterable of recorded events.
    """
    if not isinstance(records, Iterable) or isinstance(records, str | bytes | Mapping):
        raise InvalidType(owner, "records", f"must be recorded events, got {type(records).__name__}")
    for record in records:
        if not isinstance(record, RecordedEvent):
            raise InvalidType(owner, "records", f"must hold RecordedEvents, got {type(record).__name__}")
        yield record


def _merged(
    kept: tuple[RecordedEvent, ...], fresh: list[RecordedEvent]
) -> tuple[tuple[RecordedEvent, ...], list[RecordedEvent], bool]:
    """One stream's records with ``fresh`` added: (all by version, those added, whether one was redacted since).

    Raises:
        InvalidValue: If two different records claim one version, or the stream does not
            start at version 1.
    """
    by_version = {r.stream_version: r for r in kept}
    added: list[RecordedEvent] = []
    redacted = False
    for record in fresh:
        known = by_version.get(record.stream_version)
        if known is None:
            added.append(record)
        elif known == record:
            continue
        elif known.position == record.position and known.payload_digest == record.payload_digest:
            redacted = True  # the same record, its free text destroyed since: fold the stream again without it
        else:
            raise InvalidValue(
                "Projection",
                "records",
                f"two different records claim version {record.stream_version} of stream {record.stream_id!r}",
            )
        by_version[record.stream_version] = record
    versions = sorted(by_version)
    if versions and versions[0] != 1:
        stream = fresh[0].stream_id
        raise InvalidValue(
            "Projection",
            "records",
            f"stream {stream!r} starts at version {versions[0]}: give its records from version 1",
        )
    return tuple(by_version[v] for v in versions), added, redacted


class Timeline(enum.Enum):
    """Which clock an as-of view reads.

    - ``RECORDED``: what the log held at the moment (records recorded by then), the
      history as the LMC knew it.
    - ``BUSINESS``: the facts that had happened by the moment, whenever they were
      recorded (a session entered a week late counts from the day it was held).
    """

    RECORDED = "recorded"
    BUSINESS = "business"


def as_of(records: Iterable[RecordedEvent], moment: dt.datetime, by: Timeline) -> tuple[RecordedEvent, ...]:
    """The records of a history as it stood at ``moment`` on the clock ``by`` names.

    Build any projection or read model from the result to see it as it stood then.

    Raises:
        NaiveDatetimeError: If ``moment`` has no timezone.
        InvalidType: If ``by`` is not a :class:`Timeline`.
    """
    require_aware(moment, "moment")
    if not isinstance(by, Timeline):
        raise InvalidType("as_of", "by", "must be Timeline.RECORDED or Timeline.BUSINESS")
    cut = instant(moment)
    if by is Timeline.RECORDED:
        return tuple(r for r in _records("as_of", records) if instant(r.metadata.recorded_at) <= cut)
    return tuple(r for r in _records("as_of", records) if instant(occurred_at(r)) <= cut)
