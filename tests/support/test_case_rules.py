"""PSN-REFERRAL, PSN-CHARGE, PSN-TOOLS, PSN-BOUNDARY, PSN-NOTE-*, PSN-RETENTION,
PSN-SAFETY, PSN-CONDUCT, PSN-CLOSE and PSN-CONFIDENTIAL, each allowing and refusing."""

import datetime as dt

import pytest

from pastoral_core import EventLog, execute, verify
from pastoral_core.rules import Rulebooks
from pastoral_core.support import (
    CASE,
    DEVON_PSN_V1,
    AddSecondOfficer,
    AnswerReferral,
    CaseClosed,
    CeaseSupport,
    ChargeableServices,
    CloseCase,
    Closure,
    ClosureOutcome,
    DeclineIntervention,
    DestroyNotes,
    DisclosureBasis,
    DisclosureRecorded,
    FacilitatedMeetingHeld,
    HoldFacilitatedMeeting,
    InterventionDeclined,
    MeetingKind,
    NoteRecorded,
    NoteScreen,
    NotesDestroyed,
    RaiseSafetyConcern,
    RecordDisclosure,
    RecordNote,
    ReferralAnswer,
    ReferralAnswered,
    Referred,
    ReferToService,
    ReportAggression,
    ResolveSafetyConcern,
    SafetyConcernRaised,
    SafetyConcernResolved,
    SafetyGuidanceSought,
    SafetyOutcome,
    SeekSafetyGuidance,
    SessionCancelled,
    SupportCeased,
    SupportContext,
    redact_destroyed_notes,
)
from pastoral_core.testing import Scenario
from tests.builders import COORD
from tests.support.helpers import (
    CONTEXT,
    DIRECTORY,
    GP_A,
    GP_B,
    PM_C,
    T0,
    allocate,
    at,
    command,
    gp_request,
    history,
    mou,
    officer_command,
    practice_request,
    schedule,
    state_of,
)


def scenario(*given_commands, context=CONTEXT):
    return Scenario(CASE, context).given(*history(*given_commands, context=context))


def context_with(*rules):
    return SupportContext(Rulebooks((DEVON_PSN_V1.adapted("TEST_PSN", *rules),)), DIRECTORY)


def base():
    return (
        practice_request(),
        mou(),
        allocate(GP_A, "off-gp-1"),
        allocate(GP_B, "off-gp-2"),
        command(AddSecondOfficer, officer_id="off-lay-1"),
    )


def note(text, author="off-gp-1", note_id="n1", when=T0):
    return officer_command(RecordNote, author, when, note_id=note_id, text=text)


def guardian(when, reason=None):
    return command(DestroyNotes, when, role="caldicott_guardian", actor="cg-1", reason=reason)


def close(when=T0, outcome=ClosureOutcome.RESOLVED):
    return command(CloseCase, when, outcome=outcome)


# -- PSN-REFERRAL and PSN-CHARGE (MOU LMC 7, CLIENT 6, NOTE 4) -----------------------------


def test_PSN_REFERRAL_to_a_wider_network_service_and_the_answer_is_recorded():
    scenario(*base()).when(command(ReferToService, referral_id="r1", recipient_id=GP_A, service="mediation")).then(
        Referred("r1", GP_A, "mediation", None)
    )
    refer = command(ReferToService, referral_id="r1", recipient_id=GP_A, service="mediation")
    scenario(*base(), refer).when(
        command(AnswerReferral, role="recipient", actor=GP_A, referral_id="r1", answer=ReferralAnswer.DECLINED)
    ).then(ReferralAnswered("r1", ReferralAnswer.DECLINED))


def test_PSN_REFERRAL_unknown_service_is_refused_and_answers_are_once_and_by_the_recipient():
    refused = (
        scenario(*base())
        .when(command(ReferToService, referral_id="r1", recipient_id=GP_A, service="astrology"))
        .then_refused("PSN-REFERRAL")
    )
    assert "the service asked for is not one of the wider network's" in str(refused)
    refer = command(ReferToService, referral_id="r1", recipient_id=GP_A, service="legal")
    answer = command(AnswerReferral, referral_id="r1", answer=ReferralAnswer.ACCEPTED)
    scenario(*base(), refer, answer).when(
        command(AnswerReferral, referral_id="r1", answer=ReferralAnswer.DECLINED)
    ).then_refused("STATE")
    scenario(*base(), refer).when(
        command(AnswerReferral, role="recipient", actor=GP_B, referral_id="r1", answer=ReferralAnswer.ACCEPTED)
    ).then_refused("SCOPE")


def test_PSN_CHARGE_chargeable_service_is_charged_to_the_individual_who_sought_it():
    context = context_with(ChargeableServices(chargeable=("legal",)))
    scenario(*base(), context=context).when(
        command(ReferToService, referral_id="r1", recipient_id=PM_C, service="legal")
    ).then(Referred("r1", PM_C, "legal", PM_C))
    scenario(*base(), context=context).when(
        command(ReferToService, referral_id="r2", recipient_id=GP_A, service="career_counselling")
    ).then(Referred("r2", GP_A, "career_counselling", None))


# -- PSN-TOOLS (MOU LMC 10) ---------------------------------------------------------------


def meeting(attendees, facilitator="off-gp-1", kind=MeetingKind.MEDIATION):
    return command(
        HoldFacilitatedMeeting,
        at(2027, 2, 1),
        meeting_id="m1",
        kind=kind,
        facilitator_id=facilitator,
        attendee_ids=frozenset(attendees),
    )


def test_PSN_TOOLS_facilitated_meeting_of_practice_members_by_an_allocated_officer():
    scenario(*base()).when(meeting({GP_A, GP_B})).then(
        FacilitatedMeetingHeld("m1", MeetingKind.MEDIATION, "off-gp-1", frozenset({GP_A, GP_B}), dt.date(2027, 2, 1))
    )


def test_PSN_TOOLS_outsiders_and_unallocated_facilitators_are_refused_together():
    refused = (
        scenario(*base())
        .when(meeting({GP_A, "gp-outsider"}, facilitator="off-gp-3"))
        .then_refused("PSN-TOOLS", "PSN-TOOLS")
    )
    assert "not members: gp-outsider" in str(refused)
    assert "off-gp-3 is not an officer allocated to this case" in str(refused)


def test_PSN_TOOLS_need_a_practice_case_and_the_mou():
    scenario(gp_request(), mou(), allocate(GP_A, "off-gp-1")).when(meeting({GP_A})).then_refused("PSN-TOOLS")
    scenario(practice_request(), allocate(GP_A, "off-gp-1")).when(meeting({GP_A, GP_B})).then_refused("PSN-MOU-FIRST")


# -- PSN-BOUNDARY (MOU NOTE 5) ------------------------------------------------------------


def test_PSN_BOUNDARY_the_lmc_declines_an_intervention():
    scenario(*base()).when(
        command(DeclineIntervention, intervention="attend CQC inspection", reason="outside the LMC's role")
    ).then(InterventionDeclined("attend CQC inspection", "outside the LMC's role"))


def test_PSN_BOUNDARY_only_a_coordinator_declines():
    scenario(*base()).when(officer_command(DeclineIntervention, "off-gp-1", intervention="x", reason="y")).then_refused(
        "PSN-BOUNDARY"
    )


# -- PSN-NOTE-AUTHOR, PSN-NOTE-LIMITED, PSN-NOTE-SENSITIVE (MOU NOTE 1) --------------------


def test_PSN_NOTE_AUTHOR_an_allocated_officer_records_a_note():
    scenario(*base()).when(note("Agreed to meet the partners together next week.")).then(
        NoteRecorded("n1", "off-gp-1", "Agreed to meet the partners together next week.")
    )


def test_PSN_NOTE_AUTHOR_others_are_refused():
    scenario(*base()).when(note("text", author="off-gp-3")).then_refused("PSN-NOTE-AUTHOR")
    scenario(*base()).when(command(RecordNote, note_id="n1", text="text")).then_refused("PSN-NOTE-AUTHOR")


def test_PSN_NOTE_LIMITED_at_most_1000_characters():
    scenario(*base()).when(note("a" * 1000)).then(NoteRecorded("n1", "off-gp-1", "a" * 1000))
    refused = scenario(*base()).when(note("a" * 1001)).then_refused("PSN-NOTE-LIMITED")
    assert "the note is 1001 characters; summary notes are limited to 1000" in str(refused)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Patient 943 476 5919 was discussed", "NHS number at characters 9-20"),
        ("Patient 9434765919 was discussed", "NHS number at characters 9-18"),
        ("Write to partner.b@example.nhs.uk", "e-mail address"),
        ("Call her on 07700 900123 tonight", "phone number"),
        ("Call +44 7700 900123 tonight", "phone number"),
        ("Lives near EX1 1AA", "postcode"),
        ("NI number AB 12 34 56 C given", "National Insurance number"),
    ],
)
def test_PSN_NOTE_SENSITIVE_names_what_it_found_and_where_without_repeating_it(text, kind):
    refused = scenario(*base()).when(note(text)).then_refused("PSN-NOTE-SENSITIVE")
    message = str(refused)
    assert kind in message
    for secret in ("943 476 5919", "9434765919", "partner.b", "900123", "EX1 1AA", "AB 12"):
        assert secret not in message


def test_PSN_NOTE_SENSITIVE_a_ten_digit_number_failing_modulus_11_is_not_an_nhs_number():
    text = "Reference 943 476 5918 from the ICB letter"
    scenario(*base()).when(note(text)).then(NoteRecorded("n1", "off-gp-1", text))


def test_PSN_NOTE_SENSITIVE_host_terms_are_screened_and_never_printed():
    context = context_with(NoteScreen(terms=("Wellbeck", "Dr Smith")))
    refused = (
        scenario(*base(), context=context).when(note("Met dr smith about the rota")).then_refused("PSN-NOTE-SENSITIVE")
    )
    assert "listed term at characters 5-12" in str(refused)
    assert "Smith" not in str(refused) and "Wellbeck" not in str(refused)
    assert "terms=<2 confidential>" in str(refused)


def test_an_over_long_note_is_refused_for_its_length_without_being_screened():
    """Screening costs time in the length of the text; a note refused anyway is not screened."""
    refused = scenario(*base()).when(note("x" * 995 + " a@b.co.uk")).then_refused("PSN-NOTE-LIMITED")
    assert "the note is 1005 characters" in str(refused) and "sensitive" not in str(refused)
    scenario(*base()).when(note("x" * 985 + " a@b.co.uk")).then_refused("PSN-NOTE-SENSITIVE")


def test_a_withdrawn_officer_no_longer_acts_on_the_cases_they_had():
    from pastoral_core.support import OfficerWithdrawn, evolve_network

    left = SupportContext(CONTEXT.rulebooks, evolve_network(DIRECTORY, OfficerWithdrawn("off-gp-1")))
    given = history(*base())
    refused = Scenario(CASE, left).given(*given).when(note("Met again.")).then_refused("PSN-NOTE-AUTHOR")
    assert "off-gp-1 is no longer an officer of the network" in str(refused)
    Scenario(CASE, CONTEXT).given(*given).when(note("Met again.")).then(NoteRecorded("n1", "off-gp-1", "Met again."))


# -- PSN-SAFETY (MOU NOTE 3) --------------------------------------------------------------


def concern(when=T0):
    return officer_command(RaiseSafetyConcern, "off-gp-1", when, concern_id="c1")


def test_PSN_SAFETY_concern_raised_guidance_sought_outcome_recorded():
    scenario(*base()).when(concern()).then(SafetyConcernRaised("c1", "off-gp-1"))
    seek = officer_command(SeekSafetyGuidance, "off-gp-1", source="Caldicott Guardian", concern_id="c1")
    scenario(*base(), concern()).when(seek).then(SafetyGuidanceSought("c1", "Caldicott Guardian"))
    resolve = command(ResolveSafetyConcern, concern_id="c1", outcome=SafetyOutcome.ESCALATED_TO_RESPONSIBLE_OFFICER)
    scenario(*base(), concern(), seek).when(resolve).then(
        SafetyConcernResolved("c1", SafetyOutcome.ESCALATED_TO_RESPONSIBLE_OFFICER)
    )


def test_PSN_SAFETY_refusals():
    scenario(*base()).when(officer_command(RaiseSafetyConcern, "off-gp-3", concern_id="c1")).then_refused("PSN-SAFETY")
    scenario(*base(), concern()).when(
        command(ResolveSafetyConcern, concern_id="c1", outcome=SafetyOutcome.NO_FURTHER_ACTION)
    ).then_refused("PSN-SAFETY")
    refused = scenario(*base(), concern()).when(close()).then_refused("PSN-SAFETY")
    assert "patient-safety concern(s) still open: c1" in str(refused)


# -- PSN-CONDUCT (MOU NOTE 6) -------------------------------------------------------------


def test_PSN_CONDUCT_support_ceases_only_after_aggression_is_reported():
    scenario(*base()).when(command(CeaseSupport)).then_refused("PSN-CONDUCT")
    report = officer_command(ReportAggression, "off-gp-1", at(2027, 1, 20))
    booked = schedule("s1", GP_A, at(2027, 1, 25))
    scenario(*base(), booked, report).when(command(CeaseSupport, at(2027, 1, 21))).then(
        SupportCeased(dt.date(2027, 1, 21)),
        SessionCancelled("s1", with_notice=True, counts=False, on=dt.date(2027, 1, 21)),
    )
    scenario(*base(), report).when(officer_command(CeaseSupport, "off-gp-1")).then_refused("PSN-CONDUCT")


def ceased():
    return (*base(), officer_command(ReportAggression, "off-gp-1"), command(CeaseSupport))


def test_PSN_CONDUCT_after_cessation_only_notes_retention_and_closure():
    scenario(*ceased()).when(schedule("s9", GP_A, at(2027, 2, 1))).then_refused("PSN-CONDUCT")
    scenario(*ceased()).when(allocate(PM_C, "off-pm-1")).then_refused("PSN-CONDUCT")
    scenario(*ceased()).when(note("Support ceased after the incident.")).then(
        NoteRecorded("n1", "off-gp-1", "Support ceased after the incident.")
    )
    scenario(*ceased()).when(close(outcome=ClosureOutcome.CEASED)).then(
        CaseClosed(ClosureOutcome.CEASED, T0.date(), dt.date(2033, 1, 11))
    )


# -- PSN-CLOSE (MOU CLIENT 3) -------------------------------------------------------------


@pytest.mark.parametrize("outcome", list(ClosureOutcome))
def test_PSN_CLOSE_records_the_outcome_and_ends_engagements(outcome):
    events = history(*base(), schedule("s1", GP_A, at(2027, 2, 1)), close(at(2027, 1, 20), outcome))
    assert events[-2:] == (
        SessionCancelled("s1", with_notice=True, counts=False, on=dt.date(2027, 1, 20)),
        CaseClosed(outcome, dt.date(2027, 1, 20), dt.date(2033, 1, 20)),
    )
    assert state_of(events).allocated_officers == frozenset()


def test_PSN_CLOSE_an_outcome_the_rulebook_does_not_allow_is_refused():
    context = context_with(Closure(outcomes=(ClosureOutcome.RESOLVED, ClosureOutcome.COMPROMISE)))
    scenario(*base(), context=context).when(close(outcome=ClosureOutcome.SEPARATION)).then_refused("PSN-CLOSE")


def test_after_closure_only_the_notes_destruction_remains():
    # Closure ends every engagement, so the officer no longer holds the case (PSN-NOTE-AUTHOR).
    scenario(*base(), close()).when(note("late")).then_refused("PSN-NOTE-AUTHOR")
    scenario(*base(), close()).when(close()).then_refused("STATE")


# -- PSN-RETENTION (MOU NOTE 1) -----------------------------------------------------------


def test_PSN_RETENTION_runs_six_years_from_closure_leap_day_to_28_february():
    closed = history(*base(), close(at(2028, 2, 29)))[-1]
    assert closed.retain_until == dt.date(2034, 2, 28)


def test_PSN_RETENTION_the_caldicott_guardian_destroys_notes_after_the_period():
    given = (*base(), note("first"), note("second", note_id="n2"), close(at(2027, 3, 1)))
    scenario(*given).when(guardian(at(2033, 3, 1))).then(NotesDestroyed(frozenset({"n1", "n2"}), False, None))


def test_PSN_RETENTION_early_destruction_needs_a_reason():
    given = (*base(), note("first"), close(at(2027, 3, 1)))
    refused = scenario(*given).when(guardian(at(2033, 2, 28))).then_refused("PSN-RETENTION")
    assert "notes are retained until 2033-03-01" in str(refused)
    scenario(*given).when(guardian(at(2028, 1, 1), reason="subject access and erasure request")).then(
        NotesDestroyed(frozenset({"n1"}), True, "subject access and erasure request")
    )


def test_PSN_RETENTION_only_the_caldicott_guardian_and_only_after_closure():
    scenario(*base(), note("x"), close()).when(command(DestroyNotes, at(2040, 1, 1))).then_refused("PSN-RETENTION")
    scenario(*base(), note("x")).when(guardian(at(2040, 1, 1))).then_refused("PSN-RETENTION")
    scenario(*base(), close(), guardian(at(2040, 1, 1))).when(guardian(at(2040, 1, 2))).then_refused("STATE")


def test_PSN_RETENTION_destroyed_notes_are_gone_from_the_log_which_still_verifies():
    log = EventLog()
    secret = "Partners disagree about the new rota."
    for c in (*base(), note(secret), close(at(2027, 3, 1)), guardian(at(2033, 3, 2))):
        execute(log, CASE, "case-17", c, CONTEXT)
    from pastoral_core.eventlog import dumps

    assert secret in dumps(log.read_all())
    positions = redact_destroyed_notes(log, "case-17")
    note_at = [r.position for r in log.read_all() if isinstance(r.event, NoteRecorded)]
    assert note_at and set(note_at) <= set(positions)
    assert secret not in dumps(log.read_all()) and secret not in repr(log.read_all())
    assert verify(log.read_all()).ok and verify(dumps(log.read_all())).ok
    assert redact_destroyed_notes(log, "case-17") == positions  # again: nothing changes
    assert verify(log.read_all()).ok


def test_PSN_RETENTION_destroying_every_note_destroys_the_rest_of_the_cases_free_text():
    from pastoral_core.eventlog import dumps
    from pastoral_core.rules import Override
    from pastoral_core.support import DeclineIntervention

    log = EventLog()
    story = "Partners disagree about the new rota."
    why_declined = "Not ready to meet her partners yet"
    why_overridden = "Only lay officer free; she asked for one"
    why_late = "Entered late: paper diary found"  # kept only with the command
    declined = command(
        DeclineIntervention,
        T0 + dt.timedelta(days=45),
        occurred_at=T0 + dt.timedelta(days=2),
        overrides=(Override("TIME", why_late, COORD),),
        intervention="mediation",
        reason=why_declined,
    )
    early = "Subject access and erasure request"
    for c in (
        practice_request(),
        mou(),
        allocate(GP_A, "off-lay-1", overrides=(Override("PSN-SKILLS", why_overridden, COORD),)),
        note(story, author="off-lay-1"),
        declined,
        close(at(2027, 3, 1)),
        guardian(at(2028, 1, 1), reason=early),
    ):
        execute(log, CASE, "17", c, CONTEXT)
    secrets = (story, why_declined, why_overridden, why_late)
    assert all(secret in dumps(log.read_all()) for secret in secrets)
    redact_destroyed_notes(log, "17")
    after = dumps(log.read_all())
    assert [secret for secret in secrets if secret in after] == []
    assert early in after, "the Guardian's reason is the record of the destruction; it stays"
    assert verify(after).ok and verify(log.read_all()).ok


# What coordinators typed on one line about the case: each may name a person or hold a number.
TYPED = {
    "external_body": "Dr Amara Okafor at NHS England South West",
    "intervention": "Mediation between Dr Shah and Dr Bell",
    "source": "Dr Priya Nair, Caldicott Guardian at Exeter",
    "recipient_body": "Mr Tom Reed, GMC case examiner",
}


def _typed_case(with_note):
    """A case holding every kind of typed short text, closed, its notes destroyed after six years."""
    from pastoral_core.support import DifficultyKind

    return (
        practice_request(difficulty=DifficultyKind.EXTERNAL, external_body=TYPED["external_body"]),
        mou(),
        allocate(GP_A, "off-gp-1"),
        *([note("Partners disagree about the new rota.")] if with_note else []),
        command(DeclineIntervention, intervention=TYPED["intervention"], reason="Outside the LMC's role"),
        concern(),
        officer_command(SeekSafetyGuidance, "off-gp-1", concern_id="c1", source=TYPED["source"]),
        command(
            RecordDisclosure, disclosure_id="d1", recipient_body=TYPED["recipient_body"], basis=DisclosureBasis.CONSENT
        ),
        command(ResolveSafetyConcern, concern_id="c1", outcome=SafetyOutcome.NO_FURTHER_ACTION),
        close(at(2027, 3, 1)),
        guardian(at(2033, 3, 2)),
    )


@pytest.mark.parametrize("with_note", [True, False], ids=["with-a-note", "without-notes"])
def test_PSN_RETENTION_destroying_the_notes_destroys_the_short_texts_typed_and_the_case_still_replays(with_note):
    from pastoral_core.eventlog import dumps
    from pastoral_core.values import TOMBSTONE

    log = EventLog()
    for c in _typed_case(with_note):
        execute(log, CASE, "17", c, CONTEXT)
    before = CASE.replay(log.read_stream("case-17")).state
    assert before.declined[0].intervention == TYPED["intervention"]
    assert all(text in dumps(log.read_all()) for text in TYPED.values())
    assert all(text not in repr(log.read_all()) + repr(before) for text in TYPED.values())
    redact_destroyed_notes(log, "17")
    after = dumps(log.read_all())
    assert [field for field, text in TYPED.items() if text in after] == []
    assert verify(after).ok and verify(log.read_all()).ok
    # The case replays with tombstones where the text was; nothing decided from it changes.
    case = CASE.replay(log.read_stream("case-17")).state
    assert TOMBSTONE.fullmatch(case.declined[0].intervention) and TOMBSTONE.fullmatch(case.request.external_body)
    assert (case.disclosures, case.concerns, case.closure, case.notes_destroyed) == (
        before.disclosures,
        before.concerns,
        before.closure,
        True,
    )


# -- PSN-CONFIDENTIAL (MOU LMC 5, NOTE 3) ---------------------------------------------------


def disclose(basis, disclosure_id="d1"):
    return command(RecordDisclosure, disclosure_id=disclosure_id, recipient_body="GMC", basis=basis)


def test_PSN_CONFIDENTIAL_disclosure_with_a_basis_is_recorded():
    scenario(*base()).when(disclose(DisclosureBasis.CONSENT)).then(
        DisclosureRecorded("d1", "GMC", DisclosureBasis.CONSENT)
    )
    scenario(*base(), concern()).when(disclose(DisclosureBasis.PATIENT_SAFETY)).then(
        DisclosureRecorded("d1", "GMC", DisclosureBasis.PATIENT_SAFETY)
    )


def test_PSN_CONFIDENTIAL_disclosure_without_a_basis_is_refused():
    refused = scenario(*base()).when(disclose(None)).then_refused("PSN-CONFIDENTIAL")
    assert "needs a basis: consent, patient safety, legal duty" in str(refused)
    scenario(*base()).when(disclose(DisclosureBasis.PATIENT_SAFETY)).then_refused("PSN-CONFIDENTIAL")
