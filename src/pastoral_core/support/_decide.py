"""Case decisions: every PSN rule that applies to a command runs here, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from pastoral_core._command import Role
from pastoral_core._decider import Decision
from pastoral_core._time import london_date
from pastoral_core.eventlog import Event
from pastoral_core.rules import NATIONS, Outcome, Override, Rulebooks
from pastoral_core.rules._judge import Judge
from pastoral_core.rules._money import gbp, split_by_percent
from pastoral_core.rules._screening import screen
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._auth import SUPPORT_PERMISSIONS
from pastoral_core.support._model import (
    DifficultyKind,
    DisclosureBasis,
    OfficerStatus,
    Payer,
    Recipient,
    RecipientKind,
    ReviewDecision,
    SessionCharge,
    SessionStatus,
)
from pastoral_core.support._policies import (
    DEVON_PSN,
    ChargeableServices,
    Closure,
    CommitmentReview,
    Confidentiality,
    CostShare,
    FacilitatedTools,
    InterventionBoundary,
    MouFirst,
    NoteAuthor,
    NoteLength,
    NoteRetention,
    NoteScreen,
    OfficerSwitch,
    OwnPracticeConflict,
    PatientSafety,
    ResponseTime,
    Roster,
    SecondOfficer,
    SeparateOfficers,
    SessionAllowance,
    SkillsMatch,
    WiderNetworkReferral,
    ZeroTolerance,
)
from pastoral_core.support._state import Case, Directory, Engagement, Officer, Session


@attrs.frozen
class SupportContext:
    """What case decisions consult besides the case itself.

    Attributes:
        rulebooks: Every version of the rulebook; the one in force at the command decides.
        directory: The network's officers (built from the Network stream).
    """

    rulebooks: Rulebooks = DEVON_PSN
    directory: Directory = attrs.field(factory=Directory)


Handler = Callable[[Case, Any, SupportContext, Judge], Sequence[Event]]

#: After support ceased, only these remain (PSN-CONDUCT). Guidance and resolution of a
#: patient-safety concern, and a disclosure, stay possible: a case cannot close while a
#: concern is open (PSN-SAFETY), so forbidding them would trap it (DERIVED).
_AFTER_CESSATION = (
    cmd.RecordNote,
    cmd.CloseCase,
    cmd.DestroyNotes,
    cmd.SeekSafetyGuidance,
    cmd.ResolveSafetyConcern,
    cmd.RecordDisclosure,
)


def decide_case(state: Case, command: cmd.SupportCommand, context: SupportContext) -> Decision:
    """Decide one command on a case: AUTH, lifecycle, then every rule that applies.

    Raises:
        Refused: With every denying verdict, each with its rule ID and clause.
        NoRulebookInForce: If the command predates every rulebook version.
    """
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"{type(command).__name__} is not a case command")
    judge = Judge.for_command(context.rulebooks, SUPPORT_PERMISSIONS, command)
    if not isinstance(command, cmd.ReceiveRequest):
        judge.must(state.received, "no request has been received for this case")
    if state.closure is not None:
        judge.must(
            isinstance(command, cmd.DestroyNotes),
            f"the case closed on {state.closure.closed_on.isoformat()}; only the notes' destruction remains",
        )
    if state.ceased:
        judge.must(
            isinstance(command, _AFTER_CESSATION),
            "support has ceased; only notes, retention and closure are allowed",
            rule=judge.rule(ZeroTolerance),
        )
    events = list(handler(state, command, context, judge))
    _second_officer_flag(state, command, judge, events)
    return judge.decision(events, command.at)


# -- helpers ----------------------------------------------------------------------------


def _day(at: dt.datetime) -> dt.date:
    return london_date(at)


def _engagement(state: Case, judge: Judge, recipient_id: str) -> Engagement:
    judge.must(
        recipient_id in state.recipients,
        f"{recipient_id} is not a recipient of this case",
        invalid_input=True,
    )
    engagement = state.engagements.get(recipient_id)
    judge.must(engagement is not None, f"no officer has been allocated to {recipient_id} yet")
    assert engagement is not None
    return engagement


def _session(state: Case, judge: Judge, session_id: str) -> tuple[Session, Engagement]:
    session = state.sessions.get(session_id)
    judge.must(session is not None, f"there is no session {session_id}")
    assert session is not None
    judge.must(
        session.status is SessionStatus.SCHEDULED,
        f"session {session_id} is already {session.status.value.replace('_', ' ')}",
    )
    return session, state.engagements[session.recipient_id]


def _roster(judge: Judge, context: SupportContext, officer_id: str) -> Officer | None:
    officer = context.directory.officer(officer_id)
    status = officer.status if officer else None
    judge.require(
        judge.rule(Roster),
        status is OfficerStatus.ACTIVE,
        f"officer {officer_id} is "
        + ("not enrolled in the network" if status is None else f"{status.value}, not active"),
        f"officer {officer_id} is enrolled and active",
    )
    return officer


def _conflict(judge: Judge, state: Case, officer: Officer | None) -> None:
    if officer is None:
        return
    practice = state.request.practice_id if state.request else None
    judge.require(
        judge.rule(OwnPracticeConflict),
        officer.practice_id is None or officer.practice_id != practice,
        f"officer {officer.officer_id} works at practice {practice}, the practice of this case",
        "officer is not from the case's practice",
    )


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


def _cancel_pending(state: Case, recipient_id: str | None, on: dt.date) -> list[Event]:
    return [
        ev.SessionCancelled(s.session_id, with_notice=True, counts=False, on=on)
        for s in state.sessions.values()
        if s.status is SessionStatus.SCHEDULED and recipient_id in (None, s.recipient_id)
    ]


def _second_officer_flag(state: Case, command: cmd.SupportCommand, judge: Judge, events: list[Event]) -> None:
    request = state.request
    if request is None or state.second_officer or "PSN-SECOND" in state.flagged:
        return
    if state.closed or state.ceased:  # support is over: nothing left to consult on
        return
    if not (request.kind is RecipientKind.PRACTICE or request.complex):
        return
    if any(isinstance(e, ev.SecondOfficerAdded) for e in events):
        return
    rule = judge.rule(SecondOfficer)
    calendar = judge.rule(ResponseTime).calendar(request.nation)
    elapsed = calendar.working_days_between(calendar.counts_from(request.received_at), _day(command.at))
    if elapsed > rule.flag_after_working_days:
        judge.require(
            rule,
            False,
            f"no second officer {elapsed} working days after receipt of a partnership or complex case",
            outcome=Outcome.FLAG,
        )


# -- handlers ---------------------------------------------------------------------------


def _receive(state: Case, c: cmd.ReceiveRequest, context: SupportContext, j: Judge) -> list[Event]:
    j.must(not state.received, "this case has already received its request")
    received_at = c.received_at or c.at
    j.must(
        c.nation in NATIONS,
        f"nation must be one of {', '.join(NATIONS)}, got {c.nation!r}",
        invalid_input=True,
    )
    j.must(bool(c.recipients), "a request names at least one recipient", invalid_input=True)
    ids = [r.recipient_id for r in c.recipients]
    j.must(len(set(ids)) == len(ids), "recipient ids must be distinct", invalid_input=True)
    recipients = tuple(c.recipients)
    if c.kind is RecipientKind.PRACTICE:
        j.must(bool(c.practice_id), "a practice case needs the practice id", invalid_input=True)
        j.must(
            all(r.kind is not RecipientKind.PRACTICE for r in c.recipients),
            "list the practice's members as recipients; the practice itself is added",
            invalid_input=True,
        )
        recipients = (Recipient(str(c.practice_id), RecipientKind.PRACTICE), *recipients)
    else:
        j.must(
            len(c.recipients) == 1 and c.recipients[0].kind is c.kind,
            f"an individual {c.kind.value} case names exactly that one recipient",
            invalid_input=True,
        )
    j.must(
        c.difficulty is DifficultyKind.INTERNAL or bool(c.external_body),
        "an external difficulty names the body (e.g. NHS England, ICB, GMC, CQC)",
        invalid_input=True,
    )
    rule = j.rule(ResponseTime)
    due = rule.calendar(c.nation).explain_due(received_at, rule.working_days)
    j.require(rule, True, "", f"first response {due}")
    return [
        ev.RequestReceived(
            received_at,
            c.kind,
            recipients,
            c.practice_id,
            c.nation,
            c.difficulty,
            c.external_body,
            c.complex,
            due.due_at,
        )
    ]


def _respond(state: Case, c: cmd.RespondToRequest, context: SupportContext, j: Judge) -> list[Event]:
    j.must(state.response is None, "the request has already had its first response")
    assert state.request is not None
    due = state.request.response_due_at
    on_time = c.at <= due
    j.require(
        j.rule(ResponseTime),
        on_time,
        f"first response at {c.at.isoformat()} was after it was due ({due.isoformat()})",
        f"responded by {due.isoformat()}",
        outcome=Outcome.FLAG,
    )
    return [ev.Responded(c.at, due, on_time)]


def _send_mou(state: Case, c: cmd.SendMou, context: SupportContext, j: Judge) -> list[Event]:
    return [ev.MouSent(c.terms_version, c.at)]


def _allocate(state: Case, c: cmd.AllocateOfficer, context: SupportContext, j: Judge) -> list[Event]:
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
    officer = _roster(j, context, c.officer_id)
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
    _conflict(j, state, officer)
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


def _add_second(state: Case, c: cmd.AddSecondOfficer, context: SupportContext, j: Judge) -> list[Event]:
    officer = _roster(j, context, c.officer_id)
    leads = sorted(e.lead for e in state.engagements.values() if e.lead)
    j.require(
        j.rule(SecondOfficer),
        c.officer_id not in leads,
        f"{c.officer_id} is already a lead officer on this case; the second officer must differ",
        "second officer differs from the lead(s)",
    )
    _conflict(j, state, officer)
    return [ev.SecondOfficerAdded(c.officer_id)]


def _record_dispute(state: Case, c: cmd.RecordDispute, context: SupportContext, j: Judge) -> list[Event]:
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


def _schedule(state: Case, c: cmd.ScheduleSession, context: SupportContext, j: Judge) -> list[Event]:
    j.must(c.session_id not in state.sessions, f"session {c.session_id} already exists")
    engagement = _engagement(state, j, c.recipient_id)
    j.acting_for_themselves(c, Role.RECIPIENT, c.recipient_id)
    j.must(
        engagement.lead is not None,
        f"{c.recipient_id} asked to switch officer; allocate a new officer before booking",
        rule=j.rule(OfficerSwitch),
    )
    booked = sum(
        1 for s in state.sessions.values() if s.recipient_id == c.recipient_id and s.status is SessionStatus.SCHEDULED
    )
    _check_allowance(j, engagement, _day(c.starts_at), booked)
    assert engagement.lead is not None
    return [ev.SessionScheduled(c.session_id, c.recipient_id, engagement.lead, c.starts_at)]


def _hold(state: Case, c: cmd.HoldSession, context: SupportContext, j: Judge) -> list[Event]:
    session, engagement = _session(state, j, c.session_id)
    held_on = _day(c.at)
    j.must(
        held_on >= _day(session.starts_at),
        f"session {c.session_id} is booked for {_day(session.starts_at)}",
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


def _cancel(state: Case, c: cmd.CancelSession, context: SupportContext, j: Judge) -> list[Event]:
    session, _ = _session(state, j, c.session_id)
    j.acting_for_themselves(c, Role.RECIPIENT, session.recipient_id)
    counts = not c.with_notice and j.rule(SessionAllowance).late_cancellation_counts
    return [ev.SessionCancelled(c.session_id, c.with_notice, counts, _day(c.at))]


def _did_not_attend(state: Case, c: cmd.MarkDidNotAttend, context: SupportContext, j: Judge) -> list[Event]:
    session, _ = _session(state, j, c.session_id)
    j.must(_day(c.at) >= _day(session.starts_at), f"session {c.session_id} has not started yet")
    return [ev.SessionNotAttended(c.session_id, _day(c.at), j.rule(SessionAllowance).dna_counts)]


def _switch(state: Case, c: cmd.RequestSwitch, context: SupportContext, j: Judge) -> list[Event]:
    engagement = _engagement(state, j, c.recipient_id)
    j.acting_for_themselves(c, Role.RECIPIENT, c.recipient_id)
    j.must(engagement.lead is not None, f"{c.recipient_id} has no officer to switch from")
    assert engagement.lead is not None
    j.require(j.rule(OfficerSwitch), True, "", f"{c.recipient_id} switches away from {engagement.lead}")
    return [
        ev.SwitchRequested(c.recipient_id, engagement.lead),
        *_cancel_pending(state, c.recipient_id, _day(c.at)),
    ]


def _review(state: Case, c: cmd.ReviewCommitment, context: SupportContext, j: Judge) -> list[Event]:
    engagement = _engagement(state, j, c.recipient_id)
    j.must(not engagement.concluded, "the LMC has already concluded its commitment to this recipient")
    tranche = engagement.allowance
    assert tranche is not None
    on = _day(c.at)
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


def _refer(state: Case, c: cmd.ReferToService, context: SupportContext, j: Judge) -> list[Event]:
    j.must(c.referral_id not in state.referrals, f"referral {c.referral_id} already exists")
    j.must(
        c.recipient_id in state.recipients,
        f"{c.recipient_id} is not a recipient of this case",
        invalid_input=True,
    )
    services = j.rule(WiderNetworkReferral)
    j.require(
        services,
        c.service in services.services,
        f"{c.service!r} is not a service of the wider network ({', '.join(services.services)})",
        f"referred to {c.service}",
    )
    charge = j.rule(ChargeableServices)
    chargeable = c.service in charge.chargeable
    j.require(charge, True, "", f"charged to {c.recipient_id}" if chargeable else "no charge")
    return [ev.Referred(c.referral_id, c.recipient_id, c.service, c.recipient_id if chargeable else None)]


def _answer(state: Case, c: cmd.AnswerReferral, context: SupportContext, j: Judge) -> list[Event]:
    referral = state.referrals.get(c.referral_id)
    j.must(referral is not None, f"there is no referral {c.referral_id}")
    assert referral is not None
    j.acting_for_themselves(c, Role.RECIPIENT, referral.recipient_id)
    j.must(c.referral_id not in state.answers, f"referral {c.referral_id} has already been answered")
    return [ev.ReferralAnswered(c.referral_id, c.answer)]


def _meeting(state: Case, c: cmd.HoldFacilitatedMeeting, context: SupportContext, j: Judge) -> list[Event]:
    assert state.request is not None
    j.must(c.meeting_id not in state.meetings, f"meeting {c.meeting_id} already exists")
    tools = j.rule(FacilitatedTools)
    members = {r.recipient_id for r in state.request.recipients if r.kind is not RecipientKind.PRACTICE}
    outsiders = sorted(set(c.attendee_ids) - members)
    j.require(
        tools,
        state.request.kind is RecipientKind.PRACTICE and bool(c.attendee_ids) and not outsiders,
        "attendees must be listed members of the case's practice"
        + (f"; not members: {', '.join(outsiders)}" if outsiders else ""),
        "attendees are members of the practice",
    )
    j.require(
        tools,
        c.facilitator_id in state.allocated_officers,
        f"{c.facilitator_id} is not an officer allocated to this case",
        "facilitated by an allocated officer",
    )
    j.require(
        j.rule(MouFirst),
        state.mou_sent,
        "the memorandum of understanding has not been sent; send it before the first meeting",
        "the MoU was sent",
    )
    return [ev.FacilitatedMeetingHeld(c.meeting_id, c.kind, c.facilitator_id, frozenset(c.attendee_ids), _day(c.at))]


def _decline(state: Case, c: cmd.DeclineIntervention, context: SupportContext, j: Judge) -> list[Event]:
    j.require(j.rule(InterventionBoundary), True, "", f"the LMC declines {c.intervention}")
    return [ev.InterventionDeclined(c.intervention, c.reason)]


def _note(state: Case, c: cmd.RecordNote, context: SupportContext, j: Judge) -> list[Event]:
    j.must(c.note_id not in state.note_ids, f"note {c.note_id} already exists")
    j.must(
        isinstance(c.text, str) and bool(c.text.strip()),
        "a note needs some text",
        invalid_input=True,
    )
    j.require(
        j.rule(NoteAuthor),
        c.actor in state.allocated_officers,
        f"{c.actor} is not an officer allocated to this case",
        "written by an allocated officer",
    )
    length = j.rule(NoteLength)
    j.require(
        length,
        len(c.text) <= length.max_chars,
        f"the note is {len(c.text)} characters; summary notes are limited to {length.max_chars}",
        f"{len(c.text)} of {length.max_chars} characters",
    )
    sensitive = j.rule(NoteScreen)
    findings = screen(c.text, sensitive.terms)
    j.require(
        sensitive,
        not findings,
        "the note contains sensitive information: " + "; ".join(str(f) for f in findings),
        "no sensitive information found",
    )
    return [ev.NoteRecorded(c.note_id, c.actor, c.text)]


def _raise_concern(state: Case, c: cmd.RaiseSafetyConcern, context: SupportContext, j: Judge) -> list[Event]:
    j.must(c.concern_id not in state.concerns, f"concern {c.concern_id} already exists")
    j.require(
        j.rule(PatientSafety),
        c.actor in state.allocated_officers,
        f"{c.actor} is not an officer allocated to this case",
        "raised by an allocated officer",
    )
    return [ev.SafetyConcernRaised(c.concern_id, c.actor)]


def _open_concern(state: Case, j: Judge, concern_id: str) -> Any:
    concern = state.concerns.get(concern_id)
    j.must(concern is not None, f"there is no concern {concern_id}")
    assert concern is not None
    j.must(not concern.resolved, f"concern {concern_id} is already resolved")
    return concern


def _seek_guidance(state: Case, c: cmd.SeekSafetyGuidance, context: SupportContext, j: Judge) -> list[Event]:
    _open_concern(state, j, c.concern_id)
    return [ev.SafetyGuidanceSought(c.concern_id, c.source)]


def _resolve_concern(state: Case, c: cmd.ResolveSafetyConcern, context: SupportContext, j: Judge) -> list[Event]:
    concern = _open_concern(state, j, c.concern_id)
    j.require(
        j.rule(PatientSafety),
        concern.guidance_sought,
        f"guidance has not been sought on concern {c.concern_id}; seek it before recording an outcome",
        "guidance was sought",
    )
    return [ev.SafetyConcernResolved(c.concern_id, c.outcome)]


def _disclose(state: Case, c: cmd.RecordDisclosure, context: SupportContext, j: Judge) -> list[Event]:
    j.must(c.disclosure_id not in state.disclosures, f"disclosure {c.disclosure_id} already exists")
    rule = j.rule(Confidentiality)
    bases = ", ".join(b.value.replace("_", " ") for b in rule.bases)
    j.require(
        rule,
        c.basis is not None and c.basis in rule.bases,
        f"a disclosure outside the network needs a basis: {bases}",
        f"basis: {c.basis.value if c.basis else ''}",
    )
    if c.basis is DisclosureBasis.PATIENT_SAFETY:
        j.require(
            rule,
            bool(state.concerns),
            "a patient-safety disclosure needs a patient-safety concern raised on the case",
            "a patient-safety concern is on record",
        )
    if c.basis is None:
        return []  # refused: the judge holds the denying verdict
    return [ev.DisclosureRecorded(c.disclosure_id, c.recipient_body, c.basis)]


def _report_aggression(state: Case, c: cmd.ReportAggression, context: SupportContext, j: Judge) -> list[Event]:
    return [ev.AggressionReported(c.actor, _day(c.at))]


def _cease(state: Case, c: cmd.CeaseSupport, context: SupportContext, j: Judge) -> list[Event]:
    j.require(
        j.rule(ZeroTolerance),
        state.aggression_reported,
        "support may be ceased only after aggressive behaviour is reported",
        "aggressive behaviour is on record",
    )
    return [ev.SupportCeased(_day(c.at)), *_cancel_pending(state, None, _day(c.at))]


def _close(state: Case, c: cmd.CloseCase, context: SupportContext, j: Judge) -> list[Event]:
    open_concerns = state.open_concerns
    j.require(
        j.rule(PatientSafety),
        not open_concerns,
        f"patient-safety concern(s) still open: {', '.join(open_concerns)}",
        "no open patient-safety concern",
    )
    closure = j.rule(Closure)
    j.require(
        closure,
        c.outcome in closure.outcomes,
        f"{c.outcome.value} is not an outcome this rulebook allows",
        f"closed: {c.outcome.value}",
    )
    closed_on = _day(c.at)
    retain_until: dt.date = closed_on + relativedelta(years=j.rule(NoteRetention).years)
    return [
        *_cancel_pending(state, None, closed_on),
        ev.CaseClosed(c.outcome, closed_on, retain_until),
    ]


def _destroy(state: Case, c: cmd.DestroyNotes, context: SupportContext, j: Judge) -> list[Event]:
    rule = j.rule(NoteRetention)
    closure = state.closure
    j.must(closure is not None, "notes are kept while the case is open", rule=rule)
    assert closure is not None
    j.must(not state.notes_destroyed, "the notes have already been destroyed")
    early = _day(c.at) < closure.retain_until
    reason = (c.reason or "").strip() or None
    j.require(
        rule,
        not early or reason is not None,
        f"notes are retained until {closure.retain_until.isoformat()}; destroying them earlier needs a recorded reason",
        "retention period over" if not early else f"early destruction: {reason}",
    )
    return [ev.NotesDestroyed(frozenset(state.note_ids), early, reason)]


_HANDLERS: dict[type, Handler] = {
    cmd.ReceiveRequest: _receive,
    cmd.RespondToRequest: _respond,
    cmd.SendMou: _send_mou,
    cmd.AllocateOfficer: _allocate,
    cmd.AddSecondOfficer: _add_second,
    cmd.RecordDispute: _record_dispute,
    cmd.ScheduleSession: _schedule,
    cmd.HoldSession: _hold,
    cmd.CancelSession: _cancel,
    cmd.MarkDidNotAttend: _did_not_attend,
    cmd.RequestSwitch: _switch,
    cmd.ReviewCommitment: _review,
    cmd.ReferToService: _refer,
    cmd.AnswerReferral: _answer,
    cmd.HoldFacilitatedMeeting: _meeting,
    cmd.DeclineIntervention: _decline,
    cmd.RecordNote: _note,
    cmd.RaiseSafetyConcern: _raise_concern,
    cmd.SeekSafetyGuidance: _seek_guidance,
    cmd.ResolveSafetyConcern: _resolve_concern,
    cmd.RecordDisclosure: _disclose,
    cmd.ReportAggression: _report_aggression,
    cmd.CeaseSupport: _cease,
    cmd.CloseCase: _close,
    cmd.DestroyNotes: _destroy,
}

#: Every case command class.
CASE_COMMANDS = tuple(_HANDLERS)
