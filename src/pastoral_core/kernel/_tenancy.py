"""Tenancy: which organisations' streams a projection folds, and the refusal to mix them unasked."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import TypeVar

from pastoral_core.eventlog import Fact, RecordedEvent, checked_facts
from pastoral_core.exceptions import InvalidValue
from pastoral_core.kernel._aggregate import Aggregate, Folded

S = TypeVar("S")
X = TypeVar("X")


class Tenancy(enum.Enum):
    """Which organisations' streams a projection folds, when not one organisation by id.

    - ``ONE`` (the default): the records must hold the streams of one organisation (or of
      none, for a host serving one); records of several are refused, so a read model
      never mixes organisations unless asked.
    - ``ALL``: every organisation's streams, mixed on purpose (a national report).
    """

    ONE = "one"
    ALL = "all"


def states_from(
    aggregate: Aggregate[S, X],
    records: Iterable[RecordedEvent | Fact],
    organisation: str | Tenancy | None = Tenancy.ONE,
) -> dict[str, Folded[S]]:
    """Fold every stream of ``aggregate``'s category in ``records`` (a projection).

    ``records`` are read once, in any order (a generator over a file of JSON lines will
    do): of each record only its :class:`~pastoral_core.eventlog.Fact` is kept until its
    stream is folded, never its decision, digests or metadata, so a million records need
    not be held at once. Facts themselves will do too, as
    :meth:`~pastoral_core.eventlog.Codec.iter_facts` reads them from JSON lines.

    Args:
        aggregate: The aggregate whose streams to fold.
        records: Recorded events, e.g. ``store.read_all()``, or their facts.
        organisation: An organisation's id (or ``None``: streams of no organisation) to
            fold only its streams; :attr:`Tenancy.ONE` (default) to fold them all if they
            belong to one organisation; :attr:`Tenancy.ALL` to mix organisations.

    Returns:
        The folded state of each aggregate, by aggregate id (the stream id without the
        category).

    Raises:
        InvalidValue: If ``organisation`` is ``Tenancy.ONE`` and the streams belong to
            more than one organisation.
    """
    by_stream: dict[str, list[Fact]] = {}
    for fact in checked_facts("states_from", records):
        if aggregate.owns(fact.stream_id):
            by_stream.setdefault(fact.stream_id, []).append(fact)
    folded: dict[str, Folded[S]] = {}
    for stream_id in list(by_stream):
        facts = by_stream.pop(stream_id)  # let each stream's facts go once it is folded
        facts.sort(key=_version)
        folded[aggregate.aggregate_id(stream_id)] = aggregate.replay_checked(_once(facts))
    return dict(picked("states_from", folded, organisation))


def _version(fact: Fact) -> int:
    return fact.stream_version


def _once(facts: list[Fact]) -> list[Fact]:
    """One stream's facts by version, a record given twice counted once.

    Raises:
        InvalidValue: If two different facts claim one version of the stream.
    """
    kept = facts[:1]
    for fact in facts[1:]:
        if fact.stream_version != kept[-1].stream_version:
            kept.append(fact)
        elif fact != kept[-1]:
            raise InvalidValue(
                "states_from",
                "records",
                f"two different records claim version {fact.stream_version} of stream {fact.stream_id!r}",
            )
    return kept


def refuse_mixed(owner: str, organisations: Iterable[str | None], held: str = "the records") -> None:
    """Refuse streams of several organisations where one was expected (``Tenancy.ONE``).

    Raises:
        InvalidValue: Naming ``owner``, if ``organisations`` hold more than one.
    """
    if len(set(organisations)) > 1:
        raise InvalidValue(
            owner,
            "organisation",
            f"{held} hold streams of several organisations: pass one organisation's id, or Tenancy.ALL",
        )


def picked(
    owner: str, folded: Mapping[str, Folded[S]], organisation: str | Tenancy | None, held: str = "the records"
) -> Mapping[str, Folded[S]]:
    """The streams ``organisation`` picks: one organisation's, all of one (``Tenancy.ONE``), or all (``ALL``).

    Raises:
        InvalidValue: With ``Tenancy.ONE``, if the streams belong to several organisations.
    """
    if organisation is Tenancy.ALL:
        return folded
    if organisation is Tenancy.ONE:
        refuse_mixed(owner, (f.organisation for f in folded.values()), held)
        return folded
    return {key: f for key, f in folded.items() if f.organisation == organisation}
