"""Case decisions about sessions: PSN-ALLOWANCE, -SWITCH, -MOU-FIRST, -REVIEW, -COST-SHARE."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from pastoral_core._command import Role
from pastoral_core.eventlog import Event
from pastoral_core.rules._judge import Judge
from pastoral_core.rules._money import gbp, split_by_percent
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._case_common import (
    SupportContext,
    cancel_pending,
    engagement_of,
    london_day,
    scheduled_session,
)
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


def _check_allowance(judge: Judge, engagement: Engagement, on: dt.date, booked: int) -> None:
    rule = judge.rule(SessionAllowance)
    tranche = engagement.allowance
    assert tranche is not None
    number = engagement.used + booked + 1
    if engagement.concluded:
        judge.require(rule, False, "the LMC concluded its commitment at review; no further sessions")
    elif number > tranche.allowed_total:
        booked_text = f" and {booked} booked" if booked else ""
        judge.require(
            rule,
            False,
            f"{engagement.used} of {tranche.allowed_total} sessions used{booked_text}; "
            "a commitment review is needed first (PSN-REVIEW)",
        )
    elif tranche.window_ends is not None and on > tranche.window_ends:
        judge.require(
            rule,
            False,
            f"the allowance window ended on {tranche.window_ends.isoformat()}; "
            "a commitment review is needed first (PSN-REVIEW)",
        )
    else:
        window = f", window to {tranche.window_ends.isoformat()}" if tranche.window_ends else ""
        judge.require(rule, True, "", f"session {number} of {tranche.allowed_total}{window}")


def _window_end(rule: SessionAllowance, start: dt.date, months: int) -> dt.date:
    end: dt.date = start + relativedelta(months=months) + dt.timedelta(days=rule.grace_days)
    return end


def schedule_session(state: Case, c: cmd.ScheduleSession, context: SupportContext, j: Judge) -> list[Event]:
    j.must(c.session_id not in state.sessions, f"session {c.session_id} already exists")
    engagement = engagement_of(state, j, c.recipient_id)
    j.acting_for_themselves(c, Role.RECIPIENT, c.recipient_id)
    j.must(
        engagement.lead is not None,
        f"{c.recipient_id} asked to switch officer; allocate a new officer before booking",
        rule=j.rule(OfficerSwitch),
    )
    booked = sum(
        1 for s in state.sessions.values() if s.recipient_id == c.recipient_id and s.status is SessionStatus.SCHEDULED
    )
    _check_allowance(j, engagement, london_day(c.starts_at), booked)
    assert engagement.lead is not None
    return [ev.SessionScheduled(c.session_id, c.recipient_id, engagement.lead, c.starts_at)]


def hold_session(state: Case, c: cmd.HoldSession, context: SupportContext, j: Judge) -> list[Event]:
    session, engagement = scheduled_session(state, j, c.session_id)
    held_on = london_day(c.at)
    j.must(
        held_on >= london_day(session.starts_at),
        f"session {c.session_id} is booked for {london_day(session.starts_at)}",
    )
    j.require(
        j.rule(MouFirst),
        state.mou_sent,
        "the memorandum of understanding has not been sent; send it before the first meeting",
        "the MoU was sent",
    )
    j.require(
        j.rule(OfficerSwitch),
        session.officer_id == engagement.lead,
        f"{session.recipient_id} asked to switch away from officer {session.officer_id}",
        "the session's officer is the recipient's current officer",
    )
    _check_allowance(j, engagement, held_on, 0)
    allowance = j.rule(SessionAllowance)
    window_ends = None
    tranche = engagement.allowance
    if tranche is not None and tranche.window_ends is None:
        window_ends = _window_end(allowance, held_on, allowance.months)
    charge = _charge(state, engagement, j) if engagement.in_extension else None
    return [ev.SessionHeld(c.session_id, held_on, window_ends, charge)]


def _charge(state: Case, engagement: Engagement, j: Judge) -> SessionCharge:
    rule = j.rule(CostShare)
    funding = engagement.allowance.funding if engagement.allowance else None
    assert funding is not None and state.request is not None
    recipient = engagement.recipient
    if recipient.kind is RecipientKind.GP:
        payer_id = recipient.recipient_id
    else:
        j.must(
            bool(state.request.practice_id),
            "a practice manager's sessions are paid by their practice; the case has no practice id",
            invalid_input=True,
        )
        payer_id = str(state.request.practice_id)
    total = gbp(rule.session_rate)
    if funding.payer is Payer.LMC:
        payer_share = gbp(0)
    elif funding.payer is Payer.RECIPIENT:
        payer_share = total
    else:
        payer_share, _ = split_by_percent(total, funding.recipient_percent)
    lmc_share = total - payer_share
    j.require(rule, True, "", f"£{total}: LMC £{lmc_share}, {payer_id} £{payer_share}")
    return SessionCharge(total, lmc_share, payer_id, payer_share)


def cancel_session(state: Case, c: cmd.CancelSession, context: SupportContext, j: Judge) -> list[Event]:
    session, _ = scheduled_session(state, j, c.session_id)
    j.acting_for_themselves(c, Role.RECIPIENT, session.recipient_id)
    counts = not c.with_notice and j.rule(SessionAllowance).late_cancellation_counts
    return [ev.SessionCancelled(c.session_id, c.with_notice, counts, london_day(c.at))]


def mark_did_not_attend(state: Case, c: cmd.MarkDidNotAttend, context: SupportContext, j: Judge) -> list[Event]:
    session, _ = scheduled_session(state, j, c.session_id)
    j.must(london_day(c.at) >= london_day(session.starts_at), f"session {c.session_id} has not started yet")
    return [ev.SessionNotAttended(c.session_id, london_day(c.at), j.rule(SessionAllowance).dna_counts)]


def request_switch(state: Case, c: cmd.RequestSwitch, context: SupportContext, j: Judge) -> list[Event]:
    engagement = engagement_of(state, j, c.recipient_id)
    j.acting_for_themselves(c, Role.RECIPIENT, c.recipient_id)
    j.must(engagement.lead is not None, f"{c.recipient_id} has no officer to switch from")
    assert engagement.lead is not None
    j.require(j.rule(OfficerSwitch), True, "", f"{c.recipient_id} switches away from {engagement.lead}")
    return [
        ev.SwitchRequested(c.recipient_id, engagement.lead),
        *cancel_pending(state, c.recipient_id, london_day(c.at)),
    ]


def review_commitment(state: Case, c: cmd.ReviewCommitment, context: SupportContext, j: Judge) -> list[Event]:
    engagement = engagement_of(state, j, c.recipient_id)
    j.must(not engagement.concluded, "the LMC has already concluded its commitment to this recipient")
    tranche = engagement.allowance
    assert tranche is not None
    on = london_day(c.at)
    used_up = engagement.used >= tranche.allowed_total
    window_passed = tranche.window_ends is not None and on > tranche.window_ends
    window = f"its window runs to {tranche.window_ends.isoformat()}" if tranche.window_ends else "no session held yet"
    j.require(
        j.rule(CommitmentReview),
        used_up or window_passed,
        f"the allowance is not yet used ({engagement.used} of {tranche.allowed_total}) and {window}",
        "the allowance is used or its window has passed",
    )
    if c.decision is ReviewDecision.CONCLUDE:
        j.must(
            c.sessions == 0 and c.months == 0 and c.funding is None,
            "a conclusion grants nothing",
            invalid_input=True,
        )
        return [ev.CommitmentReviewed(c.recipient_id, c.decision, on)]
    j.must(
        c.sessions >= 1 and c.months >= 1,
        "an extension grants at least one session over at least one month",
        invalid_input=True,
    )
    j.must(
        c.funding is not None,
        "an extension says who pays (LMC, shared or recipient)",
        invalid_input=True,
    )
    assert c.funding is not None
    j.must(
        0 <= c.funding.recipient_percent <= 100,
        f"a shared percentage is between 0 and 100, got {c.funding.recipient_percent}",
        invalid_input=True,
    )
    window_ends = _window_end(j.rule(SessionAllowance), on, c.months)
    return [ev.CommitmentReviewed(c.recipient_id, c.decision, on, c.sessions, window_ends, c.funding)]
