"""Case decisions about who supports whom: PSN-ROSTER, -SKILLS, -CONFLICT, -SWITCH, -SEPARATE, -SECOND."""

from __future__ import annotations

from pastoral_core._command import Role
from pastoral_core.eventlog import Event
from pastoral_core.rules import Override
from pastoral_core.rules._judge import Judge
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._case_common import SupportContext, check_own_practice, check_roster
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
from pastoral_core.support._state import Case


def _overridable(
    judge: Judge, rule: SkillsMatch, ok: bool, failure: str, command: cmd.AllocateOfficer
) -> Override | None:
    override = command.override
    if ok or override is None or override.rule_id != rule.rule_id:
        judge.require(rule, ok, failure, "the officer's background suits the recipient")
        return None
    allowed = rule.overridable and command.role is Role.COORDINATOR and override.by == command.actor
    judge.require(
        rule,
        allowed,
        failure + "; only the coordinator issuing the command may override it",
        f"overridden by {override.by}: {override.reason}",
    )
    return override if allowed else None


def allocate_officer(state: Case, c: cmd.AllocateOfficer, context: SupportContext, j: Judge) -> list[Event]:
    recipient = state.recipients.get(c.recipient_id)
    j.must(
        recipient is not None,
        f"{c.recipient_id} is not a recipient of this case",
        invalid_input=True,
    )
    assert recipient is not None
    engagement = state.engagements.get(c.recipient_id)
    if engagement is not None:
        j.must(
            engagement.lead is None,
            f"{c.recipient_id} already has officer {engagement.lead}; the recipient must ask to switch first",
        )
    officer = check_roster(j, context, c.officer_id)
    override = None
    if officer is not None:
        skills = j.rule(SkillsMatch)
        override = _overridable(
            j,
            skills,
            skills.suits(recipient.kind, officer.background),
            f"a {officer.background.value} officer does not suit a {recipient.kind.value} recipient",
            c,
        )
    check_own_practice(j, state, officer)
    if engagement is not None:
        j.require(
            j.rule(OfficerSwitch),
            c.officer_id not in engagement.officers,
            f"{c.recipient_id} has had officer {c.officer_id} before; choose one they have not had",
            f"a new officer for {c.recipient_id}; the session count ({engagement.used}) carries over",
        )
    separate = j.rule(SeparateOfficers)
    if separate.enabled:
        rivals = sorted(p for d in state.disputes if c.recipient_id in d for p in d if p != c.recipient_id)
        shared = [r for r in rivals if state.lead_of(r) == c.officer_id]
        j.require(
            separate,
            not shared,
            f"{c.officer_id} already supports {', '.join(shared)}, in dispute with {c.recipient_id}",
            "no party in dispute shares this officer",
        )
    j.require(
        j.rule(SecondOfficer),
        c.officer_id != state.second_officer,
        f"{c.officer_id} is the case's second officer; the lead must be someone else",
        "lead differs from the second officer",
    )
    initial = j.rule(SessionAllowance).sessions if engagement is None else None
    return [
        ev.OfficerAllocated(
            c.recipient_id,
            c.officer_id,
            initial,
            override.rule_id if override else None,
            override.reason if override else None,
            override.by if override else None,
        )
    ]


def add_second_officer(state: Case, c: cmd.AddSecondOfficer, context: SupportContext, j: Judge) -> list[Event]:
    officer = check_roster(j, context, c.officer_id)
    leads = sorted(e.lead for e in state.engagements.values() if e.lead)
    j.require(
        j.rule(SecondOfficer),
        c.officer_id not in leads,
        f"{c.officer_id} is already a lead officer on this case; the second officer must differ",
        "second officer differs from the lead(s)",
    )
    check_own_practice(j, state, officer)
    return [ev.SecondOfficerAdded(c.officer_id)]


def record_dispute(state: Case, c: cmd.RecordDispute, context: SupportContext, j: Judge) -> list[Event]:
    assert state.request is not None
    j.must(
        state.request.kind is RecipientKind.PRACTICE,
        "disputes are recorded in practice cases",
        invalid_input=True,
    )
    members = {r.recipient_id for r in state.request.recipients if r.kind is not RecipientKind.PRACTICE}
    parties = frozenset(c.party_ids)
    j.must(len(parties) == 2, "a dispute is between two parties", invalid_input=True)
    j.must(
        parties <= members,
        "both parties must be listed members of the practice",
        invalid_input=True,
    )
    j.must(parties not in state.disputes, "this dispute is already recorded")
    a, b = sorted(parties)
    separate = j.rule(SeparateOfficers)
    if separate.enabled:
        shared = state.lead_of(a)
        j.require(
            separate,
            shared is None or shared != state.lead_of(b),
            f"{a} and {b} share officer {shared}; switch one of them to another officer first",
            "the parties have separate officers",
        )
    return [ev.DisputeRecorded(parties)]
