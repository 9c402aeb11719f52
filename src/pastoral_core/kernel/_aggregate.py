"""One declaration per aggregate: stream category, initial state, evolve, and its command table."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

import attrs

from pastoral_core.eventlog import COMMANDS, Event, Fact, RecordedEvent, TypeRegistry, checked_facts
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel._command import Command
from pastoral_core.kernel._draft import Draft
from pastoral_core.kernel._flags import RuleFlagged
from pastoral_core.kernel._handles import Handles
from pastoral_core.kernel._occurrence import utc
from pastoral_core.rules import Judge, Rulebooks
from pastoral_core.values import Id, check_value, require_aware

S = TypeVar("S")
X = TypeVar("X")

_CATEGORY = re.compile(r"^[a-z][a-z_]*$")


class HasRulebooks(Protocol):
    """What the kernel needs of a context: the rulebook versions to pick from."""

    @property
    def rulebooks(self) -> Rulebooks:
        """Every version of the domain's rulebook."""
        ...


def _aware_or_none(_: object, attribute: attrs.Attribute[Any], value: dt.datetime | None) -> None:
    if value is not None:
        require_aware(value, "Folded.last_recorded_at")


@attrs.frozen
class Folded(Generic[S]):
    """An aggregate's state as the kernel folds it from a stream's records.

    Attributes:
        state: The domain state (from the aggregate's ``evolve``), facts applied in the
            order they happened (business time), then the order they were recorded.
        version: The stream version folded (0 for an empty stream).
        flagged: Rule IDs flagged on this aggregate (the kernel folds ``RuleFlagged``).
        last_recorded_at: When the stream's last record was recorded (rule TIME), if known.
        began_at: When the aggregate's first fact happened (nothing is dated before it).
        last_occurred_at: When the latest fact of the stream happened (a fact dated before
            it is a late entry).
        organisation: The organisation the stream belongs to: that of its first record
            (``None`` for a host serving one organisation, or an empty stream).
    """

    state: S
    version: int = 0
    flagged: frozenset[str] = frozenset()
    last_recorded_at: dt.datetime | None = attrs.field(default=None, validator=_aware_or_none)
    began_at: dt.datetime | None = attrs.field(default=None, validator=_aware_or_none)
    last_occurred_at: dt.datetime | None = attrs.field(default=None, validator=_aware_or_none)
    organisation: str | None = None


@attrs.frozen(eq=False)
class Aggregate(Generic[S, X]):
    """An aggregate declared once: what the kernel reads to load, decide, authorise and document it.

    Attributes:
        name: What it is called, e.g. ``"Case"``.
        category: The stream category; stream ids are ``"<category>-<id>"`` (``case-17``).
        initial: The state before any event.
        evolve: ``(state, event) -> state``; applies facts only, never checks a rule. The
            kernel folds ``RuleFlagged`` itself, so ``evolve`` never sees it.
        commands: The command table: command class to :class:`Handles`. The kernel uses it
            for dispatch, AUTH and SCOPE; the docs and the AUTH walk test read it too.
        roles: The domain's role enum.
        scoped_roles: Roles that act only where they are held (every row allowing one
            declares a scope).
        precondition: Runs before every handler (e.g. "the case is open"); may refuse.
        afterwards: Runs after every handler with its events (e.g. a flag any command can
            raise, PSN-SECOND).
        context_type: The class of context its decisions consult (e.g. ``SupportContext``);
            a context of another class is refused before anything is decided.
        command_registry: Where its command classes are registered (default: ``COMMANDS``);
            execute with a ``Codec`` over the same registry.
        draft: Optional: opens a :class:`~pastoral_core.kernel.Draft` of a state. When
            given, every fold applies its events to one draft and freezes it once, instead
            of building a new state per event; ``evolve`` must then apply one event
            through a draft of its own (the same steps, one event at a time).

    Declarations compare and hash by identity: each is declared once.

    Raises:
        InvalidValue: If the declaration is inconsistent (a bad category, a command class
            that is not a registered command, a role of another domain, a row allowing a
            scoped role without a scope).
    """

    name: str
    category: str
    initial: S
    evolve: Callable[[S, Event], S]
    commands: Mapping[type[Command], Handles[S, X]]
    roles: type[enum.Enum]
    scoped_roles: frozenset[enum.Enum] = frozenset()
    precondition: Callable[[S, Any, X, Judge], None] | None = None
    afterwards: Callable[[S, Any, X, Judge, Sequence[Event]], None] | None = None
    context_type: type | None = None
    command_registry: TypeRegistry = COMMANDS
    draft: Callable[[S], Draft[S]] | None = None

    def __attrs_post_init__(self) -> None:
        where = f"Aggregate {self.name}"
        if not _CATEGORY.match(self.category):
            raise InvalidValue(where, "category", "must be lower-case letters and underscores")
        for cls, row in self.commands.items():
            if not (isinstance(cls, type) and issubclass(cls, Command) and cls in self.command_registry):
                raise InvalidType(where, "commands", f"{cls!r} is not a registered command class")
            if not isinstance(row, Handles) or not row.roles:
                raise InvalidValue(where, "commands", f"{cls.__name__} needs a Handles row with at least one role")
            strangers = [r for r in row.roles if not isinstance(r, self.roles)]
            if strangers:
                raise InvalidValue(where, "commands", f"{cls.__name__} allows roles of another domain")
            if row.roles & self.scoped_roles and row.scope is None:
                raise InvalidValue(where, "commands", f"{cls.__name__} allows a scoped role but declares no scope")

    # -- the table, for people ---------------------------------------------------------------

    def permissions(self) -> tuple[tuple[str, str, str, str], ...]:
        """The command table as people read it: one row per command, in declaration order.

        Returns:
            ``(command type, roles allowed, rule refusing other roles, rule of the scope
            check or "" if there is none)``, e.g. ``("case.record_note", "officer",
            "PSN-NOTE-AUTHOR", "PSN-NOTE-AUTHOR")``.
        """
        rows = []
        for cls, row in self.commands.items():
            scope = (row.scope_rule.rule_id if row.scope_rule else "SCOPE") if row.scope else ""
            rows.append(
                (
                    self.command_registry.of_class(cls).name,
                    ", ".join(sorted(r.value for r in row.roles)),
                    row.role_rule.rule_id if row.role_rule else "AUTH",
                    scope,
                )
            )
        return tuple(rows)

    # -- streams ------------------------------------------------------------------------------

    def stream_id(self, aggregate_id: str) -> str:
        """The stream of the aggregate with id ``aggregate_id``: ``"<category>-<id>"``.

        Raises:
            InvalidValue: If ``aggregate_id`` is not an opaque id (see ``values.Id``).
        """
        check_value(aggregate_id, Id, self.name, "aggregate_id")
        return f"{self.category}-{aggregate_id}"

    def owns(self, stream_id: str) -> bool:
        """Whether ``stream_id`` is a stream of this aggregate's category."""
        return stream_id.startswith(self._prefix)

    @functools.cached_property
    def _prefix(self) -> str:
        return f"{self.category}-"

    def aggregate_id(self, stream_id: str) -> str:
        """The aggregate id of one of this aggregate's streams."""
        return stream_id[len(self.category) + 1 :]

    # -- folding ------------------------------------------------------------------------------

    def apply(self, folded: Folded[S], event: Event) -> Folded[S]:
        """Fold one event: a flag into ``flagged``, anything else through ``evolve``."""
        if type(event) is RuleFlagged:
            return attrs.evolve(folded, version=folded.version + 1, flagged=folded.flagged | {event.rule_id})
        return attrs.evolve(folded, state=self.evolve(folded.state, event), version=folded.version + 1)

    def fold(self, events: Iterable[Event], start: Folded[S] | None = None) -> Folded[S]:
        """Fold events (no recorded times) from ``start`` or the initial state."""
        folded = start if start is not None else Folded(self.initial)
        listed = list(events)
        if not listed:
            return folded
        state, flagged = self.fold_events(folded.state, folded.flagged, listed)
        return attrs.evolve(folded, state=state, version=folded.version + len(listed), flagged=flagged)

    def replay(self, records: Iterable[RecordedEvent]) -> Folded[S]:
        """Fold one stream's records in the order their facts happened.

        Records are applied by business time (a late entry takes its place among the facts
        before it), ties and records of one command in the order they were recorded. The
        stream version and the last recorded time are the stream's own.
        """
        listed = records if isinstance(records, list | tuple) else list(records)
        return self._replayed(listed, _record_facts)

    def replay_facts(self, facts: Iterable[Fact]) -> Folded[S]:
        r"""Fold one stream's :class:`~pastoral_core.eventlog.Fact`\ s as :meth:`replay` folds its records.

        Ties are taken in the order given. Each fact is checked (see
        :func:`~pastoral_core.eventlog.checked_facts`); records are taken too.

        Raises:
            InvalidType: If an item is not a fact or a record, or a fact's field has the wrong type.
            NaiveDatetimeError: If a fact's time has no zone.
        """
        return self.replay_checked(list(checked_facts("replay_facts", facts)))

    def replay_checked(self, facts: Sequence[Fact]) -> Folded[S]:
        """:meth:`replay_facts` for facts already checked (as ``states_from`` checks them)."""
        return self._replayed(facts, None)

    def _replayed(
        self, items: Sequence[Any], as_facts: Callable[[Sequence[Any]], Iterable[FactRow]] | None
    ) -> Folded[S]:
        """Fold ``items`` (facts, or what ``as_facts`` reads as facts) in business order.

        One pass when they are already in that order (the usual case: a late entry is
        rare), folding as it goes; else they are sorted by their instant (ties as given)
        and folded again. Nothing is kept per item: a long stream leaves the garbage
        collector nothing to walk.
        """
        if not items:
            return Folded(self.initial)
        folded = self._folded_in_order(items if as_facts is None else as_facts(items))
        if folded is not None:
            return folded
        ordered = list(items if as_facts is None else as_facts(items))
        ordered.sort(key=lambda fact: utc(fact[2]))  # by when it happened; stable: ties keep their order
        in_order = self._folded_in_order(ordered)
        assert in_order is not None  # sorted by the very key it checks
        return in_order

    def _folded_in_order(self, facts: Iterable[FactRow]) -> Folded[S] | None:
        """The fold of ``facts``, or ``None`` as soon as one is dated before the fact before it."""
        events: list[Event] = []
        version = 0
        previous: dt.datetime | None = None  # the instant of the fact before
        began_at = latest = last_recorded = None
        organisation: str | None = None
        recorded_key: dt.datetime | None = None  # the instant of the latest recorded
        for _, stream_version, occurred, recorded, of, event in facts:
            key = occurred.astimezone(dt.UTC)  # utc(), in line: this runs once a fact
            if previous is None:
                began_at, latest, organisation, previous = occurred, occurred, of, key
            elif key < previous:
                return None
            elif key > previous:  # the first of the latest facts stands for them
                latest, previous = occurred, key
            # most facts are recorded when they happen: their instant is already known
            moment = key if recorded is occurred else recorded.astimezone(dt.UTC)
            if recorded_key is None or moment > recorded_key:
                last_recorded, recorded_key = recorded, moment
            if stream_version > version:
                version = stream_version
            events.append(event)
        state, flagged = self.fold_events(self.initial, frozenset(), events)
        # SCOPE keeps every record of a stream in its first record's organisation
        return Folded(state, version, flagged, last_recorded, began_at, latest, organisation)

    def fold_records(
        self, state: S, flagged: frozenset[str], ordered: Iterable[RecordedEvent]
    ) -> tuple[S, frozenset[str]]:
        """Apply records already in business order: flags into ``flagged``, the rest through ``evolve``."""
        return self.fold_events(state, flagged, [record.event for record in ordered])

    def fold_events(self, state: S, flagged: frozenset[str], events: Iterable[Event]) -> tuple[S, frozenset[str]]:
        """Apply events in order: flags into ``flagged``, the rest through one draft (or ``evolve``)."""
        more: set[str] = set()
        event: Event | None = None
        try:
            if self.draft is not None:
                draft = self.draft(state)
                apply = draft.apply
                for event in events:
                    if type(event) is RuleFlagged:
                        more.add(event.rule_id)
                    else:
                        apply(event)
                state = draft.state()
            else:
                evolve = self.evolve
                for event in events:
                    if type(event) is RuleFlagged:
                        more.add(event.rule_id)
                    else:
                        state = evolve(state, event)
        except (KeyError, LookupError, AttributeError, TypeError, ValueError) as exc:
            # decide never lets a stream get here: the events were not written by it
            raise InvalidValue(
                self.name, "events", f"{type(event).__name__} does not follow from the facts before it in its stream"
            ) from exc
        return state, flagged | more if more else flagged

    def state_of(self, events: Iterable[Event]) -> S:
        """The domain state folded from ``events`` (flags are skipped)."""
        return self.fold(events).state


#: What folding reads of one record, in the order of a :class:`~pastoral_core.eventlog.Fact` (which is one).
FactRow = tuple[str, int, dt.datetime, dt.datetime, str | None, Event]


def _record_facts(records: Sequence[RecordedEvent]) -> Iterator[FactRow]:
    """What folding reads of each record, as it is read (:func:`fact_of` inline: no call per record)."""
    return (
        (
            r.stream_id,
            r.stream_version,
            (m := r.metadata).occurred_at or m.recorded_at,
            m.recorded_at,
            m.organisation,
            r.event,
        )
        for r in records
    )


def fold(evolve: Callable[[S, Event], S], initial: S, events: Iterable[Event]) -> S:
    """Replay ``events`` through ``evolve`` starting from ``initial`` (a plain left fold)."""
    return functools.reduce(evolve, events, initial)
