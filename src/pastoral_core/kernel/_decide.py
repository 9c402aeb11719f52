"""Deciding one command on one aggregate: AUTH, TIME and SCOPE once, then the handler's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs

from pastoral_core.eventlog import Event
from pastoral_core.exceptions import InvalidType, Refused
from pastoral_core.kernel._aggregate import Aggregate, Folded, HasRulebooks
from pastoral_core.kernel._command import Command
from pastoral_core.kernel._flags import RuleFlagged
from pastoral_core.kernel._handles import Handles
from pastoral_core.rules import (
    INPUT_CITATION,
    MINIMAL_CITATION,
    Citation,
    Judge,
    LateEntry,
    Outcome,
    Override,
    Rule,
    Rulebooks,
    UnknownRule,
    Verdict,
    screen,
)
from pastoral_core.values import check_fields, free_text_values, instant

S = TypeVar("S")
X = TypeVar("X", bound=HasRulebooks)

#: Citation of rule AUTH (who may issue which command).
AUTH_CITATION = Citation("DERIVED", "AUTH: each command names its actor and role; a table says who may issue it")
#: Citation of rule SCOPE (a role acts only where it is held).
SCOPE_CITATION = Citation("DERIVED", "SCOPE: a role acts only where it is held")
#: Citation of rule TIME (recorded in order; facts dated within reach): the lag rule's own.
TIME_CITATION = LateEntry.citation


def _as_events(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(events)


def _as_verdicts(verdicts: Iterable[Verdict]) -> tuple[Verdict, ...]:
    return tuple(verdicts)


@attrs.frozen
class Decision:
    """What deciding a command concluded: the events to record and every verdict reached.

    Attributes:
        events: New events, in order (at least one for an accepted command), with a
            ``RuleFlagged`` for each flag.
        verdicts: Every rule's verdict (AUTH, SCOPE, passes and flags too), for explanation.
        rulebook: Label of the rulebook version that decided, recorded in the metadata.
    """

    events: tuple[Event, ...] = attrs.field(converter=_as_events)
    verdicts: tuple[Verdict, ...] = attrs.field(default=(), converter=_as_verdicts)
    rulebook: str | None = None


def _refusal(rule_id: str, citation: Citation, message: str) -> Refused:
    return Refused([Verdict(rule_id, Outcome.DENY, message, citation)])


def row_for(aggregate: Aggregate[S, Any], command: object) -> Handles[S, Any]:
    """The command table row for ``command``.

    Raises:
        Refused: (INPUT) if the command is not one this aggregate takes; nothing is written.
    """
    row = aggregate.commands.get(type(command)) if isinstance(command, Command) else None
    if row is None:
        name = type(command).__name__
        raise _refusal("INPUT", INPUT_CITATION, f"{name} is not a command for a {aggregate.name}")
    return row


def _rule_or(kind: type[Rule] | None, rule_id: str, citation: Citation) -> tuple[str, Citation]:
    return (kind.rule_id, kind.citation) if kind is not None else (rule_id, citation)


def authorise(aggregate: Aggregate[S, Any], command: Command) -> Verdict:
    """Rule AUTH (or the source rule naming the role): may this role issue this command?

    Returns:
        The passing verdict.

    Raises:
        Refused: If the command is not in the aggregate's table (INPUT) or the role may
            not issue it (AUTH or the named rule).
    """
    return _authorise(row_for(aggregate, command), command)


def _authorise(row: Handles[S, Any], command: Command) -> Verdict:
    rule_id, citation = _rule_or(row.role_rule, "AUTH", AUTH_CITATION)
    name, role = type(command).__name__, command.role
    if role not in row.roles:
        allowed = ", ".join(sorted(r.value for r in row.roles))
        raise _refusal(rule_id, citation, f"a {role.value} may not {name}; allowed: {allowed}")
    return Verdict(rule_id, Outcome.PASS, f"{role.value} may {name}", citation)


def _check_context(aggregate: Aggregate[S, Any], context: object) -> None:
    expected = aggregate.context_type
    if expected is not None and not isinstance(context, expected):
        raise InvalidType(
            "decide", "context", f"a {aggregate.name} decides with a {expected.__name__}, got {type(context).__name__}"
        )
    if not isinstance(getattr(context, "rulebooks", None), Rulebooks):
        raise InvalidType("decide", "context", "must carry the domain's rulebooks (a Rulebooks)")


def decide(aggregate: Aggregate[S, X], folded: Folded[S], command: Command, context: X) -> Decision:
    """Decide one command on one aggregate's folded state; every rule runs here, once.

    In order: the command table (INPUT), AUTH, TIME (recorded no earlier than the stream's
    last record; the fact not dated before the aggregate began, nor further back than the
    rulebook's lag allows), the rulebook version in force on the business date, SCOPE (the
    actor holds their role here), the aggregate's precondition, the handler's rules, the
    aggregate's ``afterwards``. Each flag becomes a ``RuleFlagged`` event after the
    handler's events.

    Raises:
        Refused: With every denying verdict, each with its rule ID and clause.
        NoRulebookInForce: If the fact predates every rulebook version.
        InvalidType: If the context is not the one the aggregate decides with.
    """
    return _decide(aggregate, folded, command, context, recheck=False)


def recheck(aggregate: Aggregate[S, X], folded: Folded[S], command: Command, context: X) -> Decision:
    """Decide a command recorded earlier again, on a state that now holds a late entry.

    Only the domain's rules run (the precondition, the handler, ``afterwards``): who issued
    it and when it was recorded were settled when it was accepted. Its verdicts compare
    with :func:`domain_verdicts` of the decision recorded then.

    Raises:
        Refused: If the command would now be refused.
    """
    return _decide(aggregate, folded, command, context, recheck=True)


def domain_verdicts(
    aggregate: Aggregate[S, X], command: Command, context: X, verdicts: Iterable[Verdict]
) -> tuple[Verdict, ...]:
    """The verdicts of an accepted decision of ``command`` that the domain's rules reached.

    An accepted decision's verdicts begin with those the kernel settled when it accepted
    the command: AUTH (or the rule naming the role), rule TIME's lag when the fact is
    dated, and SCOPE's pass when the role is held on the aggregate. The rest are the
    domain's, the ones :func:`recheck` reaches again.

    Args:
        aggregate: The aggregate that decided.
        command: The command decided.
        context: The context it was decided with (its rulebooks pick the version in force).
        verdicts: Every verdict of the accepted decision, as recorded.
    """
    return tuple(verdicts)[_settled(aggregate, row_for(aggregate, command), command, context) :]


def _settled(aggregate: Aggregate[S, X], row: Handles[S, Any], command: Command, context: X) -> int:
    """How many verdicts the kernel records before the domain's rules when it accepts ``command``."""
    dated = command.occurred_at is not None  # TIME's lag verdict, when the rulebook has the rule
    try:
        context.rulebooks.in_force(command.occurred).rule(LateEntry)
    except UnknownRule:
        dated = False
    scoped = row.scope is not None and command.role in aggregate.scoped_roles
    return 1 + int(dated) + int(scoped)


def _decide(aggregate: Aggregate[S, X], folded: Folded[S], command: Command, context: X, *, recheck: bool) -> Decision:
    if not isinstance(aggregate, Aggregate):
        raise InvalidType("decide", "aggregate", "must be an Aggregate declaration")
    row = row_for(aggregate, command)
    check_fields(command)  # again: the kernel trusts no caller, even one that bypassed __init__
    if not isinstance(folded, Folded) or type(folded.state) is not type(aggregate.initial):
        raise InvalidType("decide", "folded", f"expected a {aggregate.name} folded by the aggregate")
    _check_context(aggregate, context)
    judge = Judge(context.rulebooks.in_force(command.occurred), folded.flagged)
    state = folded.state
    if not recheck:
        judge.record(_authorise(row, command))
        _check_time(aggregate, folded, command, judge)
        elsewhere = other_organisation(folded, command, aggregate.name.lower())
        if elsewhere is not None:
            judge.record(elsewhere)
            judge.conclude()
        if row.scope is not None:
            failure = row.scope(state, command, context)
            rule_id, citation = _rule_or(row.scope_rule, "SCOPE", SCOPE_CITATION)
            if failure is not None:
                judge.record(Verdict(rule_id, Outcome.DENY, failure, citation))
                judge.conclude()
            if command.role in aggregate.scoped_roles:
                passed = f"{command.actor} acts as {command.role.value} here"
                judge.record(Verdict(rule_id, Outcome.PASS, passed, citation))
        _check_minimal(command, judge)
    if aggregate.precondition is not None:
        aggregate.precondition(state, command, context, judge)
    events = list(row.handler(state, command, context, judge))
    if aggregate.afterwards is not None:
        aggregate.afterwards(state, command, context, judge, events)
    verdicts = judge.conclude()
    if not events:
        raise AssertionError(f"{type(command).__name__} was accepted but its handler recorded nothing")
    flags = [RuleFlagged(v.rule_id, v.message, command.at) for v in verdicts if v.outcome is Outcome.FLAG]
    return Decision([*events, *flags], verdicts, judge.book.label)


def other_organisation(folded: Folded[Any], command: Command, kind: str) -> Verdict | None:
    """SCOPE's refusal if ``command`` is not for the organisation ``folded``'s stream belongs to.

    A stream belongs to the organisation of its first record; an empty stream to nobody
    yet. The refusal names neither organisation.

    Args:
        folded: The stream as folded.
        command: The command.
        kind: What the stream is, for the message (``"case"``, ``"network"``).
    """
    if not folded.version or folded.organisation == command.organisation:
        return None
    if command.organisation is None:
        message = f"this {kind} belongs to an organisation: say which one the actor acts for"
    else:
        message = f"{command.actor} acts for another organisation than the one this {kind} belongs to"
    return Verdict("SCOPE", Outcome.DENY, message, SCOPE_CITATION)


def _check_minimal(command: Command, judge: Judge) -> None:
    """Rule MINIMAL: no free-text field holds contact details or identifiers.

    Every free-text field of the command, nested ones included (an override's reason),
    is screened, but those a domain rule screens itself (``screened_by_rule``). The
    verdict names the field and the kinds found, never the text.
    """
    found = []
    for path, text in free_text_values(command):
        if path.split(".")[0].split("[")[0] in command.screened_by_rule:
            continue
        kinds = sorted({f.kind for f in screen(text)})
        if kinds:
            found.append(f"{path} holds {', '.join(kinds)}")
    if found:
        judge.record(
            Verdict(
                "MINIMAL", Outcome.DENY, "; ".join(found) + "; keep contact details out of the record", MINIMAL_CITATION
            )
        )


def _elapsed(late: dt.timedelta) -> str:
    """Elapsed time as a coordinator reads it: ``31 days``, ``31 days 1 minute``, ``13 hours``."""

    def plural(n: int, unit: str) -> str:
        return f"{n} {unit}{'s' if n != 1 else ''}"

    hours, minutes = late.seconds // 3600, late.seconds % 3600 // 60
    parts = [plural(late.days, "day")] if late.days else []
    if hours:
        parts.append(plural(hours, "hour"))
    elif minutes or not parts:
        parts.append(plural(minutes, "minute"))
    return " ".join(parts)


def _refuse_time(judge: Judge, message: str) -> None:
    judge.record(Verdict("TIME", Outcome.DENY, message, TIME_CITATION))
    judge.conclude()


def _check_time(aggregate: Aggregate[S, Any], folded: Folded[S], command: Command, judge: Judge) -> None:
    """Rule TIME: recorded times only move forward; business times stay within reach."""
    last = folded.last_recorded_at
    if last is not None and instant(command.at) < instant(last):
        _refuse_time(
            judge,
            f"recorded at {command.at.isoformat()}, before the stream's last record ({last.isoformat()}); "
            "record facts in the order they are entered",
        )
    began = folded.began_at
    if began is not None and instant(command.occurred) < instant(began):
        _refuse_time(
            judge,
            f"dated {command.occurred.isoformat()}, before this {aggregate.category} began ({began.isoformat()})",
        )
    if command.occurred_at is None:
        return
    try:
        lag = judge.book.rule(LateEntry)
    except UnknownRule:
        return
    late = instant(command.at) - instant(command.occurred)
    days = _elapsed(late)
    if late <= dt.timedelta(days=lag.max_days):
        judge.check(lag, True, "", f"entered {days} after it happened (up to {lag.max_days} days)")
        return
    override = command.override_of(lag.rule_id)
    refusal = _override_refused(command, override)
    failure = (
        f"entered {days} after it happened; facts more than {lag.max_days} days old need a coordinator's "
        "override with a reason"
    )
    judge.check(
        lag,
        override is not None and refusal is None,
        failure + (f"; the override given was not accepted: {refusal}" if refusal else ""),
        f"entered {days} after it happened, overridden by {command.actor} with a recorded reason",
    )
    judge.conclude()


def _override_refused(command: Command, override: Override | None) -> str | None:
    """Why a TIME override does not count (only the entering coordinator's own does); never its reason."""
    if override is None:
        return None
    why = []
    role = command.role.value.replace("_", " ")
    if command.role.value != "coordinator":
        article = "an" if role[:1] in "aeiou" else "a"
        why.append(f"{command.actor} enters this as {article} {role}, and only a coordinator may override rule TIME")
    if override.by != command.actor:
        why.append(
            f"it was given by {override.by}, not by {command.actor} who enters this fact "
            "(only the entering coordinator's own override counts)"
        )
    return "; ".join(why) or None
