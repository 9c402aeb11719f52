"""A canary in every free-text field of every command never comes back out.

Random commands of every type, run against real histories of all six aggregates, carry
the canary in each free-text field (nested override reasons included). Whatever happens,
refused or accepted, the canary must not appear in the error, in any verdict (message or
parameter), in the reprs of the result, the records or the folded state, or in the
explanations a read model gives.
"""

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pastoral_core import EventLog, execute
from pastoral_core.exceptions import PastoralCoreError
from pastoral_core.testing.strategies import commands
from pastoral_core.values import free_text_paths
from tests.conftest import FIGURES
from tests.test_hostile_commands import AGGREGATES, CONTEXTS, HOLDERS, IDS, TIMES, WORLD, WORLD_IDS
from tests.test_privacy import _with_canary

MARK = "Canary-7f3a"
TALLY = {"commands": 0, "refused": 0, "accepted": 0}
ACCEPTED: dict[str, int] = {}
WITH_FREE_TEXT = [a for a in AGGREGATES if any(free_text_paths(cls) for cls in a.commands)]


def shown(*things) -> str:
    return "\n".join(f"{thing!r}\n{thing!s}" for thing in things)


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
    else:
        TALLY["accepted"] += 1
        ACCEPTED[type(command).__name__] = ACCEPTED.get(type(command).__name__, 0) + 1
        verdicts = accepted.verdicts
        assert MARK not in shown(accepted, *verdicts, *(v.parameters for v in verdicts))
        assert MARK not in shown(log.read_all(), aggregate.replay(log.read_stream(stream)))
    FIGURES["canary: commands carrying it in every free-text field (refused / accepted / types accepted)"] = (
        f"{TALLY['commands']:,} ({TALLY['refused']:,} / {TALLY['accepted']:,} / {len(ACCEPTED)}), never shown"
    )
