"""Case decisions that record the case: request, response, MoU, referrals, notes, closure.

Also meetings, safety concerns, disclosures, conduct and retention.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from pastoral_core._command import Role
from pastoral_core.eventlog import Event
from pastoral_core.rules import NATIONS, Outcome
from pastoral_core.rules._judge import Judge
from pastoral_core.rules._screening import screen
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._case_common import SupportContext, cancel_pending, london_day
from pastoral_core.support._model import (
    DifficultyKind,
    DisclosureBasis,
    Recipient,
    RecipientKind,
)
from pastoral_core.support._policies import (
    ChargeableServices,
    Closure,
    Confidentiality,
    FacilitatedTools,
    InterventionBoundary,
    MouFirst,
    NoteAuthor,
    NoteLength,
    NoteRetention,
    NoteScreen,
    PatientSafety,
    ResponseTime,
    SecondOfficer,
    WiderNetworkReferral,
    ZeroTolerance,
)
from pastoral_core.support._state import Case


def receive_request(state: Case, c: cmd.ReceiveRequest, context: SupportContext, j: Judge) -> list[Event]:
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


def respond_to_request(state: Case, c: cmd.RespondToRequest, context: SupportContext, j: Judge) -> list[Event]:
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


def send_mou(state: Case, c: cmd.SendMou, context: SupportContext, j: Judge) -> list[Event]:
    return [ev.MouSent(c.terms_version, c.at)]


def refer_to_service(state: Case, c: cmd.ReferToService, context: SupportContext, j: Judge) -> list[Event]:
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


def answer_referral(state: Case, c: cmd.AnswerReferral, context: SupportContext, j: Judge) -> list[Event]:
    referral = state.referrals.get(c.referral_id)
    j.must(referral is not None, f"there is no referral {c.referral_id}")
    assert referral is not None
    j.acting_for_themselves(c, Role.RECIPIENT, referral.recipient_id)
    j.must(c.referral_id not in state.answers, f"referral {c.referral_id} has already been answered")
    return [ev.ReferralAnswered(c.referral_id, c.answer)]


def hold_facilitated_meeting(
    state: Case, c: cmd.HoldFacilitatedMeeting, context: SupportContext, j: Judge
) -> list[Event]:
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
    return [
        ev.FacilitatedMeetingHeld(c.meeting_id, c.kind, c.facilitator_id, frozenset(c.attendee_ids), london_day(c.at))
    ]


def decline_intervention(state: Case, c: cmd.DeclineIntervention, context: SupportContext, j: Judge) -> list[Event]:
    j.require(j.rule(InterventionBoundary), True, "", f"the LMC declines {c.intervention}")
    return [ev.InterventionDeclined(c.intervention, c.reason)]


def record_note(state: Case, c: cmd.RecordNote, context: SupportContext, j: Judge) -> list[Event]:
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


def raise_safety_concern(state: Case, c: cmd.RaiseSafetyConcern, context: SupportContext, j: Judge) -> list[Event]:
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


def seek_safety_guidance(state: Case, c: cmd.SeekSafetyGuidance, context: SupportContext, j: Judge) -> list[Event]:
    _open_concern(state, j, c.concern_id)
    return [ev.SafetyGuidanceSought(c.concern_id, c.source)]


def resolve_safety_concern(state: Case, c: cmd.ResolveSafetyConcern, context: SupportContext, j: Judge) -> list[Event]:
    concern = _open_concern(state, j, c.concern_id)
    j.require(
        j.rule(PatientSafety),
        concern.guidance_sought,
        f"guidance has not been sought on concern {c.concern_id}; seek it before recording an outcome",
        "guidance was sought",
    )
    return [ev.SafetyConcernResolved(c.concern_id, c.outcome)]


def record_disclosure(state: Case, c: cmd.RecordDisclosure, context: SupportContext, j: Judge) -> list[Event]:
    j.must(c.disclosure_id not in state.disclosures, f"disclosure {c.disclosure_id} already exists")
    rule = j.rule(Confidentiality)
    bases = ", ".join(b.value.replace("_", " ") for b in rule.bases)
    j.must(
        c.basis is not None and c.basis in rule.bases,
        f"a disclosure outside the network needs a basis: {bases}",
        rule=rule,
        success=f"basis: {c.basis.value if c.basis else ''}",
    )
    assert c.basis is not None
    if c.basis is DisclosureBasis.PATIENT_SAFETY:
        j.require(
            rule,
            bool(state.concerns),
            "a patient-safety disclosure needs a patient-safety concern raised on the case",
            "a patient-safety concern is on record",
        )
    return [ev.DisclosureRecorded(c.disclosure_id, c.recipient_body, c.basis)]


def report_aggression(state: Case, c: cmd.ReportAggression, context: SupportContext, j: Judge) -> list[Event]:
    return [ev.AggressionReported(c.actor, london_day(c.at))]


def cease_support(state: Case, c: cmd.CeaseSupport, context: SupportContext, j: Judge) -> list[Event]:
    j.require(
        j.rule(ZeroTolerance),
        state.aggression_reported,
        "support may be ceased only after aggressive behaviour is reported",
        "aggressive behaviour is on record",
    )
    return [ev.SupportCeased(london_day(c.at)), *cancel_pending(state, None, london_day(c.at))]


def close_case(state: Case, c: cmd.CloseCase, context: SupportContext, j: Judge) -> list[Event]:
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
    closed_on = london_day(c.at)
    retain_until: dt.date = closed_on + relativedelta(years=j.rule(NoteRetention).years)
    return [
        *cancel_pending(state, None, closed_on),
        ev.CaseClosed(c.outcome, closed_on, retain_until),
    ]


def destroy_notes(state: Case, c: cmd.DestroyNotes, context: SupportContext, j: Judge) -> list[Event]:
    rule = j.rule(NoteRetention)
    closure = state.closure
    j.must(closure is not None, "notes are kept while the case is open", rule=rule)
    assert closure is not None
    j.must(not state.notes_destroyed, "the notes have already been destroyed")
    early = london_day(c.at) < closure.retain_until
    reason = (c.reason or "").strip() or None
    j.require(
        rule,
        not early or reason is not None,
        f"notes are retained until {closure.retain_until.isoformat()}; destroying them earlier needs a recorded reason",
        "retention period over" if not early else f"early destruction: {reason}",
    )
    return [ev.NotesDestroyed(frozenset(state.note_ids), early, reason)]


def second_officer_flag(state: Case, command: cmd.SupportCommand, judge: Judge, events: list[Event]) -> None:
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
    elapsed = calendar.working_days_between(calendar.counts_from(request.received_at), london_day(command.at))
    if elapsed > rule.flag_after_working_days:
        judge.require(
            rule,
            False,
            f"no second officer {elapsed} working days after receipt of a partnership or complex case",
            outcome=Outcome.FLAG,
        )
