"""Case decisions about who supports whom: PSN-ROSTER, -SKILLS, -CONFLICT, -SWITCH, -SEPARATE, -SECOND."""

from __future__ import annotations

from pastoral_core.eventlog import Event
from pastoral_core.rules import Judge, Override
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._case_common import check_own_practice, check_roster
from pastoral_core.support._context import SupportContext
from pastoral_core.support._model import (
    RecipientKind,
)
from pastoral_core.support._policies import (
    OfficerSwitch,
    SecondOfficer,
    SeparateOfficers,
    SessionAllowance,
    SkillsMatch,
)
from pastoral_core.support._roles import SupportRole
from pastoral_core.support._state import Case


def _overridable(
    judge: Judge, rule: SkillsMatch, ok: bool, failure: str, command: cmd.AllocateOfficer
) -> Override | None:
    override = command.override_of(rule.rule_id)
    if ok or override is None:
        judge.check(rule, ok, failure, "the officer's background suits the recipient")
        return None
    allowed = rule.overridable and command.role is SupportRole.COORDINATOR and override.by == command.actor
    judge.check(
        rule,
        allowed,
        failure + "; only the coordinator issuing the command may override it",
        f"overridden by {override.by}, with a recorded reason",
    )
    return override if allowed else None


def allocate_officer(case: Case, command: cmd.AllocateOfficer, context: SupportContext, judge: Judge) -> list[Event]:
    recipient = case.recipients.get(command.recipient_id)
    judge.refuse_unless(
        recipient is not None,
        f"{command.recipient_id} is not a recipient of this case",
        invalid_input=True,
    )
    assert recipient is not None
    engagement = case.engagements.get(command.recipient_id)
    if engagement is not None:
        judge.refuse_unless(
            engagement.lead is None,
            f"{command.recipient_id} already has officer {engagement.lead}; the recipient must ask to switch first",
        )
    officer = check_roster(judge, context, command.officer_id)
    override = None
    if officer is not None:
        skills = judge.rule(SkillsMatch)
        override = _overridable(
            judge,
            skills,
            skills.suits(recipient.kind, officer.background),
            f"a {officer.background.value} officer does not suit a {recipient.kind.value} recipient",
            command,
        )
    check_own_practice(judge, case, officer)
    if engagement is not None:
        judge.check(
            judge.rule(OfficerSwitch),
            command.officer_id not in engagement.officers,
            f"{command.recipient_id} has had officer {command.officer_id} before; choose one they have not had",
            f"a new officer for {command.recipient_id}; the session count ({engagement.used}) carries over",
        )
    separate = judge.rule(SeparateOfficers)
    rivals = sorted(p for d in case.disputes if command.recipient_id in d for p in d if p != command.recipient_id)
    shared = [r for r in rivals if case.lead_of(r) == command.officer_id]
    judge.check(
        separate,
        not (separate.enabled and shared),
        f"{command.officer_id} already supports {', '.join(shared)}, in dispute with {command.recipient_id}",
        "no party in dispute shares this officer" if separate.enabled else "not required by this rulebook",
    )
    judge.check(
        judge.rule(SecondOfficer),
        command.officer_id != case.second_officer,
        f"{command.officer_id} is the case's second officer; the lead must be someone else",
        "lead differs from the second officer",
    )
    initial = judge.rule(SessionAllowance).sessions if engagement is None else None
    return [
        ev.OfficerAllocated(
            command.recipient_id,
            command.officer_id,
            initial,
            override.rule_id if override else None,
            override.reason if override else None,
            override.by if override else None,
        )
    ]


def add_second_officer(case: Case, command: cmd.AddSecondOfficer, context: SupportContext, judge: Judge) -> list[Event]:
    officer = check_roster(judge, context, command.officer_id)
    leads = sorted(e.lead for e in case.engagements.values() if e.lead)
    judge.check(
        judge.rule(SecondOfficer),
        command.officer_id not in leads,
        f"{command.officer_id} is already a lead officer on this case; the second officer must differ",
        "second officer differs from the lead(s)",
    )
    check_own_practice(judge, case, officer)
    return [ev.SecondOfficerAdded(command.officer_id)]


def record_dispute(case: Case, command: cmd.RecordDispute, context: SupportContext, judge: Judge) -> list[Event]:
    assert case.request is not None
    judge.refuse_unless(
        case.request.kind is RecipientKind.PRACTICE,
        "disputes are recorded in practice cases",
        invalid_input=True,
    )
    members = {r.recipient_id for r in case.request.recipients if r.kind is not RecipientKind.PRACTICE}
    parties = frozenset(command.party_ids)
    judge.refuse_unless(len(parties) == 2, "a dispute is between two parties", invalid_input=True)
    judge.refuse_unless(
        parties <= members,
        "both parties must be listed members of the practice",
        invalid_input=True,
    )
    judge.refuse_unless(parties not in case.disputes, "this dispute is already recorded")
    a, b = sorted(parties)
    separate = judge.rule(SeparateOfficers)
    shared = case.lead_of(a)
    judge.check(
        separate,
        not separate.enabled or shared is None or shared != case.lead_of(b),
        f"{a} and {b} share officer {shared}; switch one of them to another officer first",
        "the parties have separate officers" if separate.enabled else "not required by this rulebook",
    )
    return [ev.DisputeRecorded(parties)]
