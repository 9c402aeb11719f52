"""Network decisions: enrolling, suspending, reinstating and withdrawing officers."""

from __future__ import annotations

from pastoral_core._decider import Decision
from pastoral_core.eventlog import Event
from pastoral_core.rules._judge import Judge
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._auth import SUPPORT_PERMISSIONS
from pastoral_core.support._case_common import SupportContext
from pastoral_core.support._model import OfficerStatus
from pastoral_core.support._state import Directory

NETWORK_COMMANDS = (cmd.EnrolOfficer, cmd.SuspendOfficer, cmd.ReinstateOfficer, cmd.WithdrawOfficer)


def decide_network(state: Directory, command: cmd.SupportCommand, context: SupportContext) -> Decision:
    """Decide one command on the network's roster of officers.

    Raises:
        Refused: If the role may not, or the officer's standing does not allow it.
    """
    if not isinstance(command, NETWORK_COMMANDS):
        raise TypeError(f"{type(command).__name__} is not a network command")
    judge = Judge.for_command(context.rulebooks, SUPPORT_PERMISSIONS, command)
    officer = state.officer(command.officer_id)
    events: list[Event]
    if isinstance(command, cmd.EnrolOfficer):
        judge.must(officer is None, f"officer {command.officer_id} is already enrolled")
        events = [
            ev.OfficerEnrolled(
                command.officer_id,
                command.background,
                command.practice_id,
                frozenset(command.skills),
            )
        ]
    else:
        judge.must(officer is not None, f"officer {command.officer_id} is not enrolled")
        assert officer is not None
        needed, event = {
            cmd.SuspendOfficer: (OfficerStatus.ACTIVE, ev.OfficerSuspended),
            cmd.ReinstateOfficer: (OfficerStatus.SUSPENDED, ev.OfficerReinstated),
            cmd.WithdrawOfficer: (officer.status, ev.OfficerWithdrawn),
        }[type(command)]
        judge.must(
            officer.status is needed and officer.status is not OfficerStatus.WITHDRAWN,
            f"officer {command.officer_id} is {officer.status.value}",
        )
        events = [event(command.officer_id)]
    return judge.decision(events, command.at)
