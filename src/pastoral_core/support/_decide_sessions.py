"""Case decisions about sessions: PSN-ALLOWANCE, -SWITCH, -MOU-FIRST, -REVIEW, -COST-SHARE."""

from __future__ import annotations

import datetime as dt

from pastoral_core.eventlog import Event
from pastoral_core.rules import Judge, gbp, split_by_percent
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._allowance import allowance_on, window_end
from pastoral_core.support._case_common import (
    cancel_pending,
    engagement_of,
    scheduled_session,
)
from pastoral_core.support._context import SupportContext
from pastoral_core.support._model import (
    Payer,
    RecipientKind,
    ReviewDecision,
    SessionCharge,
    SessionStatus,
)
from pastoral_core.support._policies import (
    CommitmentReview,
    CostShare,
    MouFirst,
    OfficerSwitch,
    SessionAllowance,
)
from pastoral_core.support._state import Case, Engagement
from pastoral_core.values import london_date


def _check_allowance(
    judge: Judge, context: SupportContext, engagement: Engagement, on: dt.date, booked: int
) -> SessionAllowance:
    allowance = allowance_on(engagement, context.rulebooks, on)
    tranche, quoted = allowance.tranche, allowance.quoted
    number = engagement.used + booked + 1
    if engagement.concluded:
        ok, failure = False, "the LMC concluded its commitment at review; no further sessions"
    elif number > tranche.allowed_total:
        booked_text = f" and {booked} booked" if booked else ""
        ok, failure = (
            False,
            f"{engagement.used} of {tranche.allowed_total} sessions used{booked_text} ({quoted}); "
            "a commitment review is needed first (PSN-REVIEW)",
        )
    elif tranche.window_ends is not None and on > tranche.window_ends:
        ok, failure = (
            False,
            f"the allowance window ended on {tranche.window_ends.isoformat()} ({quoted}); "
            "a commitment review is needed first (PSN-REVIEW)",
        )
    else:
        ok, failure = True, ""
    window = f", window to {tranche.window_ends.isoformat()}" if tranche.window_ends else ""
    success = f"session {number} of {tranche.allowed_total} on {on.isoformat()}{window} ({quoted})"
    used = (
        {"allowed_total": tranche.allowed_total, "window_ends": tranche.window_ends}
        if engagement.in_extension
        else None
    )
    judge.check(allowance.rule, ok, failure, success, rulebook=allowance.rulebook, used=used)
    return allowance.rule


def schedule_session(case: Case, command: cmd.ScheduleSession, context: SupportContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(command.session_id not in case.sessions, f"session {command.session_id} already exists")
    engagement = engagement_of(case, judge, command.recipient_id)
    judge.refuse_unless(
        engagement.lead is not None,
        f"{command.recipient_id} asked to switch officer; allocate a new officer before booking",
        rule=judge.rule(OfficerSwitch),
    )
    booked = sum(
        1
        for s in case.sessions.values()
        if s.recipient_id == command.recipient_id and s.status is SessionStatus.SCHEDULED
    )
    _check_allowance(judge, context, engagement, london_date(command.starts_at), booked)
    assert engagement.lead is not None
    return [ev.SessionScheduled(command.session_id, command.recipient_id, engagement.lead, command.starts_at)]


def hold_session(case: Case, command: cmd.HoldSession, context: SupportContext, judge: Judge) -> list[Event]:
    session = case.sessions.get(command.session_id)
    if session is not None and session.status is SessionStatus.CANCELLED_WITH_NOTICE:
        engagement = case.engagements[session.recipient_id]
        judge.refuse_unless(
            session.officer_id not in engagement.switched_from,
            f"session {command.session_id} was booked with {session.officer_id}, whom {session.recipient_id} "
            "asked to switch away from; it was cancelled with the switch",
            rule=judge.rule(OfficerSwitch),
        )
    session, engagement = scheduled_session(case, judge, command.session_id)
    held = command.occurred
    held_on = london_date(held)
    judge.refuse_unless(
        held_on >= london_date(session.starts_at),
        f"session {command.session_id} is booked for {london_date(session.starts_at)}",
    )
    # The session took place from its booked start when held that day (the record of it
    # being held may come at its end); held on a later day, from no later than then.
    began = session.starts_at if held_on == london_date(session.starts_at) and session.starts_at < held else held
    judge.check(
        judge.rule(MouFirst),
        case.mou_sent_by(began),
        "the memorandum of understanding had not been sent when the session began; send it before the first meeting",
        f"the MoU was sent by {began.isoformat()}",
    )
    judge.check(
        judge.rule(OfficerSwitch),
        session.officer_id == engagement.lead,
        f"{session.recipient_id} asked to switch away from officer {session.officer_id}",
        "the session's officer is the recipient's current officer",
    )
    rule = _check_allowance(judge, context, engagement, held_on, 0)
    window_ends = window_end(rule, held_on) if engagement.first_session_on is None else None
    charge = _charge(case, engagement, judge) if engagement.in_extension else None
    return [ev.SessionHeld(command.session_id, held_on, window_ends, charge)]


def _charge(case: Case, engagement: Engagement, judge: Judge) -> SessionCharge:
    rule = judge.rule(CostShare)
    funding = engagement.allowance.funding if engagement.allowance else None
    assert funding is not None and case.request is not None
    recipient = engagement.recipient
    if recipient.kind is RecipientKind.GP:
        payer_id = recipient.recipient_id
    else:
        judge.refuse_unless(
            bool(case.request.practice_id),
            "a practice manager's sessions are paid by their practice; the case has no practice id",
            invalid_input=True,
        )
        payer_id = str(case.request.practice_id)
    rate = rule.session_rate
    judge.refuse_unless(
        rate is not None,
        "no session rate is set for sessions after the initial allowance; the host sets its own (CostShare)",
        rule=rule,
    )
    assert rate is not None
    total = gbp(rate)
    if funding.payer is Payer.LMC:
        payer_share = gbp(0)
    elif funding.payer is Payer.RECIPIENT:
        payer_share = total
    else:
        payer_share, _ = split_by_percent(total, funding.recipient_percent)
    lmc_share = total - payer_share
    judge.check(rule, True, "", f"£{total}: LMC £{lmc_share}, {payer_id} £{payer_share}")
    return SessionCharge(total, lmc_share, payer_id, payer_share)


def cancel_session(case: Case, command: cmd.CancelSession, context: SupportContext, judge: Judge) -> list[Event]:
    scheduled_session(case, judge, command.session_id)
    counts = not command.with_notice and judge.rule(SessionAllowance).late_cancellation_counts
    return [ev.SessionCancelled(command.session_id, command.with_notice, counts, london_date(command.occurred))]


def mark_did_not_attend(
    case: Case, command: cmd.MarkDidNotAttend, context: SupportContext, judge: Judge
) -> list[Event]:
    session, _ = scheduled_session(case, judge, command.session_id)
    judge.refuse_unless(
        london_date(command.occurred) >= london_date(session.starts_at),
        f"session {command.session_id} has not started yet",
    )
    return [
        ev.SessionNotAttended(
            command.session_id, london_date(command.occurred), judge.rule(SessionAllowance).dna_counts
        )
    ]


def request_switch(case: Case, command: cmd.RequestSwitch, context: SupportContext, judge: Judge) -> list[Event]:
    engagement = engagement_of(case, judge, command.recipient_id)
    judge.refuse_unless(engagement.lead is not None, f"{command.recipient_id} has no officer to switch from")
    assert engagement.lead is not None
    judge.check(judge.rule(OfficerSwitch), True, "", f"{command.recipient_id} switches away from {engagement.lead}")
    return [
        ev.SwitchRequested(command.recipient_id, engagement.lead),
        *cancel_pending(case, command.recipient_id, london_date(command.occurred)),
    ]


def review_commitment(case: Case, command: cmd.ReviewCommitment, context: SupportContext, judge: Judge) -> list[Event]:
    engagement = engagement_of(case, judge, command.recipient_id)
    judge.refuse_unless(not engagement.concluded, "the LMC has already concluded its commitment to this recipient")
    on = london_date(command.occurred)
    booked = sorted(
        s.session_id
        for s in case.sessions.values()
        if s.recipient_id == command.recipient_id and s.status is SessionStatus.SCHEDULED
    )
    judge.refuse_unless(
        not booked,
        f"session(s) {', '.join(booked)} of this allowance are still booked; record them as held, not attended "
        "or cancelled before the review, so the extension counts from what was used",
    )
    allowance = allowance_on(engagement, context.rulebooks, on)
    tranche = allowance.tranche
    window = f"its window runs to {tranche.window_ends.isoformat()}" if tranche.window_ends else "no session held yet"
    judge.check(
        judge.rule(CommitmentReview),
        allowance.spent(engagement.used, on),
        f"the allowance is not yet used ({engagement.used} of {tranche.allowed_total}) and {window}",
        "the allowance is used or its window has passed",
    )
    if command.decision is ReviewDecision.CONCLUDE:
        judge.refuse_unless(
            command.sessions == 0 and command.months == 0 and command.funding is None,
            "a conclusion grants nothing",
            invalid_input=True,
        )
        return [ev.CommitmentReviewed(command.recipient_id, command.decision, on)]
    judge.refuse_unless(
        command.sessions >= 1 and command.months >= 1,
        "an extension grants at least one session over at least one month",
        invalid_input=True,
    )
    judge.refuse_unless(
        command.funding is not None,
        "an extension says who pays (LMC, shared or recipient)",
        invalid_input=True,
    )
    assert command.funding is not None
    window_ends = window_end(judge.rule(SessionAllowance), on, command.months)
    return [
        ev.CommitmentReviewed(
            command.recipient_id, command.decision, on, command.sessions, window_ends, command.funding
        )
    ]
