"""Network decisions: enrolling, suspending, reinstating and withdrawing officers."""

from __future__ import annotations

from pastoral_core.eventlog import Event
from pastoral_core.rules import Judge
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._context import SupportContext
from pastoral_core.support._directory import Directory, Officer
from pastoral_core.support._model import OfficerStatus


def enrol_officer(network: Directory, command: cmd.EnrolOfficer, context: SupportContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(
        network.officer(command.officer_id) is None, f"officer {command.officer_id} is already enrolled"
    )
    return [ev.OfficerEnrolled(command.officer_id, command.background, command.practice_id, command.skills)]


def _enrolled(network: Directory, judge: Judge, officer_id: str, needed: OfficerStatus) -> Officer:
    officer = network.officer(officer_id)
    judge.refuse_unless(officer is not None, f"officer {officer_id} is not enrolled")
    assert officer is not None
    judge.refuse_unless(officer.status is needed, f"officer {officer_id} is {officer.status.value}")
    return officer


def suspend_officer(
    network: Directory, command: cmd.SuspendOfficer, context: SupportContext, judge: Judge
) -> list[Event]:
    _enrolled(network, judge, command.officer_id, OfficerStatus.ACTIVE)
    return [ev.OfficerSuspended(command.officer_id)]


def reinstate_officer(
    network: Directory, command: cmd.ReinstateOfficer, context: SupportContext, judge: Judge
) -> list[Event]:
    _enrolled(network, judge, command.officer_id, OfficerStatus.SUSPENDED)
    return [ev.OfficerReinstated(command.officer_id)]


def withdraw_officer(
    network: Directory, command: cmd.WithdrawOfficer, context: SupportContext, judge: Judge
) -> list[Event]:
    officer = network.officer(command.officer_id)
    status = officer.status if officer else OfficerStatus.WITHDRAWN
    needed = OfficerStatus.SUSPENDED if status is OfficerStatus.SUSPENDED else OfficerStatus.ACTIVE
    _enrolled(network, judge, command.officer_id, needed)
    return [ev.OfficerWithdrawn(command.officer_id)]
