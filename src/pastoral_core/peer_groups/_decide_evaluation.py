"""Peer-group decisions about the evaluation: rounds and responses (GPS-EVALUATION)."""

from __future__ import annotations

from pastoral_core.eventlog import Event
from pastoral_core.peer_groups import _commands as cmd
from pastoral_core.peer_groups import _events as ev
from pastoral_core.peer_groups._context import PeerSupportContext
from pastoral_core.peer_groups._instruments import INSTRUMENTS
from pastoral_core.peer_groups._model import RoundKind
from pastoral_core.peer_groups._policies import (
    Evaluation,
)
from pastoral_core.peer_groups._state import PeerGroup
from pastoral_core.rules import Judge


def open_evaluation_round(
    group: PeerGroup, command: cmd.OpenEvaluationRound, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(command.round_id not in group.rounds, f"round {command.round_id} already exists")
    evaluation = judge.rule(Evaluation)
    judge.check(
        evaluation,
        command.instrument in evaluation.instruments,
        f"the instrument asked for is not a declared one ({', '.join(evaluation.instruments)})",
        f"instrument {command.instrument}",
    )
    if command.kind is RoundKind.FOLLOW_UP:
        baselines = [r for r in group.rounds.values() if r.kind is RoundKind.BASELINE]
        judge.check(
            evaluation,
            any(r.instrument == command.instrument for r in baselines),
            f"a follow-up needs a baseline round with the same instrument ({command.instrument})",
            "follows a baseline with the same instrument",
        )
    return [ev.EvaluationRoundOpened(command.round_id, command.kind, command.instrument)]


def record_evaluation_response(
    group: PeerGroup, command: cmd.RecordEvaluationResponse, context: PeerSupportContext, judge: Judge
) -> list[Event]:
    round_ = group.rounds.get(command.round_id)
    judge.refuse_unless(round_ is not None, f"there is no evaluation round {command.round_id}")
    assert round_ is not None
    evaluation = judge.rule(Evaluation)
    judge.check(
        evaluation,
        command.attendee_id in group.attendees,
        f"{command.attendee_id} is not an enrolled attendee",
        "enrolled",
    )
    judge.check(
        evaluation,
        (command.round_id, command.attendee_id) not in group.responses,
        f"{command.attendee_id} has already responded to round {command.round_id}",
        "first response this round",
    )
    instrument = INSTRUMENTS[round_.instrument]
    problems = instrument.problems(command.answers)
    judge.refuse_unless(not problems, "; ".join(problems), rule=evaluation, success=f"valid {instrument.name} answers")
    return [ev.EvaluationResponseRecorded(command.round_id, command.attendee_id, instrument.score(command.answers))]
