"""A canary in every free-text field of every command never comes back out.

Random commands of every type, run against real histories of all six aggregates, carry
the canary in each free-text field (nested override reasons included). Whatever happens,
refused or accepted, the canary must not appear in the error, in any verdict (message or
parameter), in the reprs of the result, the records or the folded state, in the
explanation of the decision (of the refusal, of the acceptance, and of the acceptance read
back from its record: text, rows, HTML, plain data), or in a what-if replay of the history
holding it, in either mode.
"""

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pastoral_core import EventLog, Refused, WhatIfMode, execute, explain, what_if
from pastoral_core.exceptions import PastoralCoreError
from pastoral_core.kernel import Tenancy
from pastoral_core.testing.strategies import commands
from pastoral_core.values import free_text_paths
from tests.conftest import FIGURES
from tests.test_hostile_commands import AGGREGATES, CONTEXTS, HOLDERS, IDS, TIMES, WORLD, WORLD_IDS
from tests.test_privacy import _with_canary

MARK = "Canary-7f3a"
TALLY = {"commands": 0, "refused": 0, "accepted": 0}
ACCEPTED: dict[str, int] = {}
WITH_FREE_TEXT = [a for a in AGGREGATES if any(free_text_paths(cls) for cls in a.commands)]


def free_text_kept(command) -> bool:
    """Whether some free-text field of ``command`` is kept with its record (not every class keeps all)."""
    return any(path[0] not in type(command).not_kept for path in free_text_paths(type(command)))


def shown(*things) -> str:
    return "\n".join(f"{thing!r}\n{thing!s}" for thing in things)


def read(table) -> str:
    """Every way an explanation or a what-if report can be read."""
    parts = [shown(table), table.text, repr(table.to_rows()), table._repr_html_(), repr(attrs.asdict(table))]
    if hasattr(table, "to_dict"):
        parts.append(repr(table.to_dict()))
    if hasattr(table, "totals"):
        parts += [repr(table.totals.to_rows()), table.totals._repr_html_()]
    return "\n".join(parts)


def replayed(log, aggregate, command) -> str:
    """A what-if replay of ``log``'s streams of ``aggregate`` under its own rulebooks, in both modes.

    ``command`` (kept with its canary) is decided again, unless its class keeps only part of it.
    """
    context = CONTEXTS[aggregate]

    def built(command, world, books):
        return attrs.evolve(context, rulebooks=books)

    reports = [
        what_if((aggregate,), log.read_all(), context.rulebooks, built, recorded=context.rulebooks, mode=mode,
                organisation=Tenancy.ALL)
        for mode in WhatIfMode
    ]  # fmt: skip
    for report in reports:
        missed = {line.command_id for line in report.lines if line.reason is not None}
        assert (command.command_id in missed) == bool(type(command).not_kept)
    return "\n".join(read(report) for report in reports)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_a_canary_in_every_free_text_field_never_appears_in_an_error_verdict_repr_or_explanation(data):
    aggregate = data.draw(st.sampled_from(WITH_FREE_TEXT))
    table = {cls: how for cls, how in aggregate.commands.items() if free_text_paths(cls)}
    command = data.draw(commands(table, ids=st.sampled_from(IDS), times=TIMES))
    if data.draw(st.integers(0, 7)):
        role = data.draw(st.sampled_from(sorted(aggregate.commands[type(command)].roles, key=lambda r: r.value)))
        # a host serving one organisation, as the world was written (another's is refused by SCOPE)
        command = attrs.evolve(command, role=role, actor=HOLDERS[role.value], organisation=None)
    try:
        command = _with_canary(command)
    except PastoralCoreError as error:  # the canary is not valid where a field forbids it
        assert MARK not in shown(error)
        return
    assert MARK in str(attrs.asdict(command))
    TALLY["commands"] += 1
    log = EventLog.from_records(WORLD.read_all())
    stream = aggregate.stream_id(WORLD_IDS[aggregate])
    try:
        accepted = execute(log, aggregate, WORLD_IDS[aggregate], command, CONTEXTS[aggregate])
    except PastoralCoreError as error:
        TALLY["refused"] += 1
        assert MARK not in shown(error, *error.args, getattr(error, "verdicts", ()))
        if isinstance(error, Refused):
            assert MARK not in read(explain(error, command=command))
    else:
        TALLY["accepted"] += 1
        ACCEPTED[type(command).__name__] = ACCEPTED.get(type(command).__name__, 0) + 1
        verdicts = accepted.verdicts
        assert MARK not in shown(accepted, *verdicts, *(v.parameters for v in verdicts))
        assert MARK not in shown(log.read_all(), aggregate.replay(log.read_stream(stream)))
        first = log.recorded_for(command.command_id)[0]
        assert MARK in (first.decision.command or "") or not free_text_kept(command)
        assert MARK not in read(explain(accepted)) + read(explain(first))
        assert MARK not in replayed(log, aggregate, command)
    FIGURES["canary: commands carrying it in every free-text field (refused / accepted / types accepted)"] = (
        f"{TALLY['commands']:,} ({TALLY['refused']:,} / {TALLY['accepted']:,} / {len(ACCEPTED)}), never shown"
    )
