"""Pastoral support is judged by when a fact happened, with the rulebook version of that day.

Every command carries ``at`` (when it is recorded) and may carry ``occurred_at`` (when it
happened, if earlier). For each PSN rule that reads a date, a fact is entered here on a
day when the recording clock would give another outcome, and the business date decides.
Then a version 2 of the rulebook (8 sessions in 4 months from Thursday 1 April 2027) under
both transitions, on the day before, on and after it; rule TIME's lag at its limits, on
dates that bite (bank holidays, month ends, 29 February 2028, both clock changes) and with
a coordinator's override; retention that back-dating cannot shorten; one parameter
revised in a version 2; and a session rate that must be set before an extension is costed.

Everything runs through ``execute`` on an ``EventLog``: only the store knows when each
fact was recorded, where a case began, and which facts a late entry lands before.
"""

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from pastoral_core import EventLog, Refused, execute
from pastoral_core.exceptions import InvalidValue
from pastoral_core.kernel import RuleFlagged
from pastoral_core.rules import LateEntry, Outcome, Override, Rulebooks, Transition
from pastoral_core.support import (
    CASE,
    DEVON_PSN_V1,
    CeaseSupport,
    CloseCase,
    ClosureOutcome,
    CommitmentReviewed,
    CostShare,
    DestroyNotes,
    Funding,
    HoldFacilitatedMeeting,
    HoldSession,
    MeetingKind,
    NoteRetention,
    Payer,
    RaiseSafetyConcern,
    ReceiveRequest,
    RecordNote,
    ReferToService,
    ReportAggression,
    RequestSwitch,
    ResolveSafetyConcern,
    RespondToRequest,
    ResponseTime,
    ReviewCommitment,
    ReviewDecision,
    SafetyOutcome,
    ScheduleSession,
    SeekSafetyGuidance,
    SendMou,
    SessionAllowance,
    SessionCharge,
    SessionHeld,
    SupportContext,
)
from tests.builders import LONDON, at, command
from tests.support.helpers import CONTEXT, DIRECTORY, GP_A, GP_B, allocate, gp_request, mou, practice_request

OFFICER = "off-gp-1"
WEEKLY = [at(2027, 1, 18, 14) + dt.timedelta(weeks=n) for n in range(6)]  # Mondays 18 Jan .. 22 Feb 2027
V2_FROM = dt.date(2027, 4, 1)  # a Thursday; Easter Monday was 29 March 2027


# -- building and entering facts ---------------------------------------------------------


def dated(cls, entered, happened, role=None, actor="coord-1", **fields):
    """A command recorded at ``entered`` for a fact that happened at ``happened``."""
    return command(cls, entered, role, actor, occurred_at=happened, **fields)


def by_officer(cls, entered, happened=None, **fields):
    return command(cls, entered, "officer", OFFICER, occurred_at=happened, **fields)


def with_v2(*rules):
    """DEVON_PSN v1, and a version 2 from 1 April 2027 with ``rules`` revised."""
    return SupportContext(Rulebooks((DEVON_PSN_V1, DEVON_PSN_V1.revised(2, V2_FROM, *rules))), DIRECTORY)


def allowance_v2(in_progress=Transition.FROM_EFFECTIVE_DATE):
    return with_v2(SessionAllowance(sessions=8, months=4, in_progress=in_progress))


class Log:
    """One case's stream in an ``EventLog``; every command goes through ``execute``."""

    def __init__(self, context=CONTEXT):
        self.store = EventLog()
        self.context = context

    def enter(self, *commands):
        accepted = None
        for each in commands:
            accepted = execute(self.store, CASE, "1", each, self.context)
        return accepted

    def refuse(self, each):
        """Enter ``each`` expecting a refusal; assert nothing was written."""
        before = len(self.store.read_stream("case-1"))
        with pytest.raises(Refused) as refused:
            execute(self.store, CASE, "1", each, self.context)
        assert len(self.store.read_stream("case-1")) == before, "a refused command wrote nothing"
        return refused.value

    def outcome(self, each):
        """The accepted result, or the refusal."""
        try:
            return self.enter(each)
        except Refused as refused:
            return refused

    @property
    def case(self):
        return CASE.replay(self.store.read_stream("case-1")).state


def opened(context=CONTEXT, when=at(2027, 1, 11, 9), mou_sent=True):
    """A GP case (Monday 11 January 2027), its MoU sent and officer off-gp-1 allocated."""
    log = Log(context)
    log.enter(gp_request(when), *([mou(when)] if mou_sent else []), allocate(GP_A, OFFICER, when))
    return log


def book(session_id, starts, booked=None):
    """Book a session with GP A, by default three days ahead."""
    return command(
        ScheduleSession,
        booked or starts - dt.timedelta(days=3),
        session_id=session_id,
        recipient_id=GP_A,
        starts_at=starts,
    )


def held(session_id, entered, happened=None):
    return by_officer(HoldSession, entered, happened, session_id=session_id)


def book_and_hold(log, days, prefix="w"):
    for n, day in enumerate(days, start=1):
        log.enter(book(f"{prefix}{n}", day), held(f"{prefix}{n}", day))


def verdict_of(result, rule_id):
    (found,) = [v for v in result.verdicts if v.rule_id == rule_id]
    return found


def flags(accepted):
    return [e.rule_id for e in accepted.events if isinstance(e, RuleFlagged)]


def gp_fields():
    request = gp_request()
    return {"kind": request.kind, "recipients": request.recipients, "practice_id": request.practice_id}


# -- PSN-RESPONSE (MOU LMC 4): the clock starts when the request came in -------------------


def test_PSN_RESPONSE_the_deadline_counts_from_when_the_request_came_in_not_when_it_was_entered():
    """Received Friday 28 May 2027 at 16:30, before the cut-off; entered Tuesday 1 June.

    Monday 31 May is the Spring Bank Holiday: two working days after the Friday end on
    Wednesday 2 June. Counted from the Tuesday it was entered, they would end on Thursday.
    """
    came_in = at(2027, 5, 28, 16, 30)
    received = Log().enter(dated(ReceiveRequest, at(2027, 6, 1, 9), came_in, **gp_fields()))
    assert received.events[0].received_at == came_in
    assert received.events[0].response_due_at == at(2027, 6, 2, 17)
    assert received.records[0].metadata.occurred_at == came_in
    assert received.records[0].metadata.recorded_at == at(2027, 6, 1, 9)
    assert "Spring Bank Holiday" in verdict_of(received, "PSN-RESPONSE").message
    as_entered = Log().enter(gp_request(at(2027, 6, 1, 9)))
    assert as_entered.events[0].response_due_at == at(2027, 6, 3, 17)


@pytest.mark.parametrize(("responded", "on_time"), [(at(2027, 6, 2, 17), True), (at(2027, 6, 2, 17, 1), False)])
def test_PSN_RESPONSE_a_response_entered_later_is_judged_by_when_it_was_made(responded, on_time):
    """Due at 17:00 on Wednesday 2 June; the response is entered on Friday 4 June."""
    log = Log()
    log.enter(dated(ReceiveRequest, at(2027, 6, 1, 9), at(2027, 5, 28, 16, 30), **gp_fields()))
    response = log.enter(dated(RespondToRequest, at(2027, 6, 4, 9), responded))
    assert response.events[0].on_time is on_time
    assert response.events[0].responded_at == responded
    assert flags(response) == ([] if on_time else ["PSN-RESPONSE"])
    assert verdict_of(response, "PSN-RESPONSE").outcome is (Outcome.PASS if on_time else Outcome.FLAG)
    undated = Log()
    undated.enter(dated(ReceiveRequest, at(2027, 6, 1, 9), at(2027, 5, 28, 16, 30), **gp_fields()))
    assert flags(undated.enter(command(RespondToRequest, at(2027, 6, 4, 9)))) == ["PSN-RESPONSE"]


# -- PSN-MOU-FIRST (MOU intro): sent before the meeting, by the dates they happened --------


def _session_on_monday(log):
    log.enter(book("s1", at(2027, 1, 18, 14), booked=at(2027, 1, 15, 9)))


@pytest.mark.parametrize(
    ("sent", "held_at", "allowed"),
    [
        # Sent at 09:00 on Monday, entered on Tuesday: after the session was held by the
        # recording clock, before it in the world.
        (at(2027, 1, 18, 9), at(2027, 1, 18, 14), True),
        # Sent at 15:00 on Monday, after the 14:00 session, though entered on Tuesday,
        # before the session was entered on Wednesday.
        (at(2027, 1, 18, 15), at(2027, 1, 18, 14), False),
        # Sent at 14:30, after the session began at 14:00, though before 15:00, when it
        # is recorded as held (at its end): the meeting had taken place without it.
        (at(2027, 1, 18, 14, 30), at(2027, 1, 18, 15), False),
        # Sent at 14:00 exactly, as the session began: allowed.
        (at(2027, 1, 18, 14), at(2027, 1, 18, 15), True),
        # Booked for Monday but held on Tuesday morning: it began no later than then, so
        # a MoU sent on Monday afternoon came before it.
        (at(2027, 1, 18, 15), at(2027, 1, 19, 10), True),
    ],
)
def test_PSN_MOU_FIRST_the_mou_must_have_been_sent_before_the_session_began(sent, held_at, allowed):
    log = opened(mou_sent=False)
    _session_on_monday(log)
    log.enter(dated(SendMou, at(2027, 1, 19, 9), sent, terms_version="PSN-MOU-2019"))
    session = held("s1", at(2027, 1, 20, 9), held_at)
    if allowed:
        accepted = log.enter(session)
        assert accepted.events[0].session_id == "s1"
        assert accepted.events[0].held_on == held_at.date()
        assert verdict_of(accepted, "PSN-MOU-FIRST").outcome is Outcome.PASS
    else:
        refused = log.refuse(session)
        assert refused.rule_ids == ("PSN-MOU-FIRST",)
        assert "had not been sent when the session began" in str(refused)


@pytest.mark.parametrize(("sent", "allowed"), [(at(2027, 1, 18, 9), True), (at(2027, 1, 18, 15), False)])
def test_PSN_MOU_FIRST_holds_for_a_facilitated_meeting_by_the_date_it_was_held(sent, allowed):
    log = Log()
    log.enter(practice_request(at(2027, 1, 11, 9)), allocate(GP_A, OFFICER, at(2027, 1, 11, 9)))
    log.enter(dated(SendMou, at(2027, 1, 19, 9), sent, terms_version="PSN-MOU-2019"))
    meeting = by_officer(
        HoldFacilitatedMeeting,
        at(2027, 1, 20, 9),
        at(2027, 1, 18, 14),
        meeting_id="m1",
        kind=MeetingKind.PARTNER_MEETING,
        facilitator_id=OFFICER,
        attendee_ids=frozenset({GP_A, GP_B}),
    )
    result = log.outcome(meeting)
    if allowed:
        assert result.events[0].held_on == dt.date(2027, 1, 18)
    else:
        assert isinstance(result, Refused) and result.rule_ids == ("PSN-MOU-FIRST",)


# -- PSN-ALLOWANCE (MOU LMC 4, CLIENT 4): the window and the count on the session's date ---


def test_PSN_ALLOWANCE_a_session_on_the_windows_last_day_entered_after_it_closed_stands():
    """First session Tuesday 30 November 2027: 3 months is 29 February 2028, plus 14 days' grace."""
    log = opened(when=at(2027, 11, 22, 9))
    log.enter(book("s1", at(2027, 11, 30, 14)), held("s1", at(2027, 11, 30, 15)))
    assert log.case.engagements[GP_A].allowance.window_ends == dt.date(2028, 3, 14)
    log.enter(book("s2", at(2028, 3, 14, 14)))
    last_day = held("s2", at(2028, 3, 16, 9), at(2028, 3, 14, 15))
    assert log.outcome(held("s2", at(2028, 3, 16, 9))).rule_ids == ("PSN-ALLOWANCE",), "by the recording clock"
    accepted = log.enter(last_day)
    assert accepted.events[0] == SessionHeld("s2", dt.date(2028, 3, 14))
    assert verdict_of(accepted, "PSN-ALLOWANCE").message == (
        "session 2 of 6 on 2028-03-14, window to 2028-03-14 (DEVON_PSN v1)"
    )


def test_PSN_ALLOWANCE_a_session_dated_the_day_after_the_window_is_refused():
    """The last day counts (above); the day after does not, whenever it is entered."""
    log = opened(when=at(2027, 11, 22, 9))
    log.enter(book("s1", at(2027, 11, 30, 14)), held("s1", at(2027, 11, 30, 15)))
    log.enter(book("s2", at(2028, 3, 14, 14)))
    refused = log.refuse(held("s2", at(2028, 3, 16, 9), at(2028, 3, 15, 9)))
    assert refused.rule_ids == ("PSN-ALLOWANCE",)
    assert "the allowance window ended on 2028-03-14 (DEVON_PSN v1)" in str(refused)


def test_PSN_ALLOWANCE_a_review_made_before_v2_and_entered_after_it_is_judged_by_v1():
    """Six of six sessions used under v1, so a review is due; under v2 six of eight are not.

    The coordinator concluded on Wednesday 31 March 2027 and entered it on Friday 2 April.
    """
    log = opened(allowance_v2())
    book_and_hold(log, WEEKLY)
    undated = log.refuse(
        command(ReviewCommitment, at(2027, 4, 2, 9), recipient_id=GP_A, decision=ReviewDecision.CONCLUDE)
    )
    assert undated.rule_ids == ("PSN-REVIEW",)
    assert "not yet used (6 of 8) and its window runs to 2027-06-01" in str(undated)
    assert dict(undated.verdicts[0].parameters)["rulebook"] == "DEVON_PSN v2"
    review = dated(
        ReviewCommitment, at(2027, 4, 2, 9), at(2027, 3, 31, 16), recipient_id=GP_A, decision=ReviewDecision.CONCLUDE
    )
    accepted = log.enter(review)
    assert accepted.events[0] == CommitmentReviewed(GP_A, ReviewDecision.CONCLUDE, dt.date(2027, 3, 31))
    assert accepted.rulebook == "DEVON_PSN v1"
    assert accepted.records[0].metadata.occurred_at == at(2027, 3, 31, 16)


@pytest.mark.parametrize(
    ("first", "entered", "verdict"),
    [
        # The first session was held on Wednesday 31 March, entered on Friday 2 April: the
        # engagement started under v1 and, as v2 keeps what started, keeps v1's six.
        (
            at(2027, 3, 31, 14),
            at(2027, 4, 2, 9),
            "6 of 6 sessions used (DEVON_PSN v1, as the engagement started); "
            "a commitment review is needed first (PSN-REVIEW)",
        ),
        # Held on 1 April, the day v2 took effect: started under v2.
        (at(2027, 4, 1, 14), at(2027, 4, 2, 9), "session 7 of 8 on 2027-05-13, window to 2027-08-15 (DEVON_PSN v2)"),
        # What the recording clock would say of the first: held on 2 April.
        (None, at(2027, 4, 2, 9), "session 7 of 8 on 2027-05-13, window to 2027-08-16 (DEVON_PSN v2)"),
    ],
)
def test_PSN_ALLOWANCE_the_first_sessions_date_fixes_the_version_an_engagement_started_under(first, entered, verdict):
    """Under Transition.AS_STARTED, a seventh session on 13 May is allowed only if the engagement began under v2."""
    log = opened(allowance_v2(Transition.AS_STARTED))
    log.enter(book("s1", at(2027, 3, 31, 14), booked=at(2027, 3, 29, 9)), held("s1", entered, first))
    book_and_hold(log, [at(2027, 4, 8, 14) + dt.timedelta(weeks=n) for n in range(5)])  # 8 April .. 6 May
    result = log.outcome(book("s7", at(2027, 5, 13, 14)))
    allowance = verdict_of(result, "PSN-ALLOWANCE")
    assert allowance.message == verdict
    refused = isinstance(result, Refused)
    assert refused is verdict.startswith("6 of 6")
    assert dict(allowance.parameters)["sessions"] == ("6" if refused else "8")


# -- a version 2 from 1 April 2027, under both transitions ----------------------------------

UTC_2230 = dt.datetime(2027, 3, 31, 22, 30, tzinfo=dt.UTC)
UTC_2330 = dt.datetime(2027, 3, 31, 23, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("in_progress", "starts", "allowed", "quoted", "book_used"),
    [
        (Transition.FROM_EFFECTIVE_DATE, at(2027, 3, 31, 14), False, "6 of 6 sessions used (DEVON_PSN v1)", "v1"),
        # A host sending UTC: 22:30 UTC on 31 March is 23:30 BST, still 31 March in London: v1.
        (Transition.FROM_EFFECTIVE_DATE, UTC_2230, False, "6 of 6 sessions used (DEVON_PSN v1)", "v1"),
        # 23:30 UTC on 31 March is 00:30 BST on 1 April: the London date decides, v2.
        (
            Transition.FROM_EFFECTIVE_DATE,
            UTC_2330,
            True,
            "session 7 of 8 on 2027-04-01, window to 2027-06-01 (DEVON_PSN v2, for engagements under way from 2027-04-01)",
            "v2",
        ),
        (
            Transition.FROM_EFFECTIVE_DATE,
            at(2027, 4, 1, 14),
            True,
            "session 7 of 8 on 2027-04-01, window to 2027-06-01 (DEVON_PSN v2, for engagements under way from 2027-04-01)",
            "v2",
        ),
        (
            Transition.FROM_EFFECTIVE_DATE,
            at(2027, 4, 2, 14),
            True,
            "session 7 of 8 on 2027-04-02, window to 2027-06-01 (DEVON_PSN v2, for engagements under way from 2027-04-01)",
            "v2",
        ),
        (Transition.AS_STARTED, at(2027, 3, 31, 14), False, "6 of 6 sessions used (DEVON_PSN v1)", "v1"),
        (
            Transition.AS_STARTED,
            at(2027, 4, 1, 14),
            False,
            "6 of 6 sessions used (DEVON_PSN v1, as the engagement started)",
            "v1",
        ),
        (
            Transition.AS_STARTED,
            at(2027, 4, 2, 14),
            False,
            "6 of 6 sessions used (DEVON_PSN v1, as the engagement started)",
            "v1",
        ),
    ],
)
def test_a_seventh_session_by_transition_on_the_day_before_on_and_after_v2(
    in_progress, starts, allowed, quoted, book_used
):
    """Six sessions held under v1 from 18 January; a seventh booked around 1 April 2027."""
    log = opened(allowance_v2(in_progress))
    book_and_hold(log, WEEKLY)
    result = log.outcome(book("s7", starts, booked=at(2027, 3, 25, 9)))
    verdict = verdict_of(result, "PSN-ALLOWANCE")
    assert isinstance(result, Refused) is not allowed
    if allowed:
        assert verdict.message == quoted
        assert log.case.sessions["s7"].starts_at == starts
    else:
        assert verdict.message == f"{quoted}; a commitment review is needed first (PSN-REVIEW)"
        assert "s7" not in log.case.sessions
    parameters = dict(verdict.parameters)
    assert parameters["rulebook"] == f"DEVON_PSN {book_used}"
    assert (parameters["sessions"], parameters["months"]) == (("6", "3") if book_used == "v1" else ("8", "4"))


@pytest.mark.parametrize(
    ("in_progress", "allowed", "message"),
    [
        (
            Transition.FROM_EFFECTIVE_DATE,
            True,
            "session 3 of 8 on 2027-05-10, window to 2027-06-01 (DEVON_PSN v2, for engagements under way from 2027-04-01)",
        ),
        (
            Transition.AS_STARTED,
            False,
            "the allowance window ended on 2027-05-02 (DEVON_PSN v1, as the engagement started); "
            "a commitment review is needed first (PSN-REVIEW)",
        ),
    ],
)
def test_a_session_after_v1s_window_but_inside_v2s_by_transition(in_progress, allowed, message):
    """First session 18 January: v1's window ends 2 May, v2's (4 months + 14 days) 1 June."""
    log = opened(allowance_v2(in_progress))
    book_and_hold(log, WEEKLY[:2])
    result = log.outcome(book("s3", at(2027, 5, 10, 14), booked=at(2027, 3, 1, 9)))
    assert verdict_of(result, "PSN-ALLOWANCE").message == message
    assert isinstance(result, Refused) is not allowed


def test_a_session_held_on_31_march_and_entered_on_2_april_is_judged_by_v1():
    """The first session: its window is v1's 3 months + 14 days (14 July), not v2's 4 months (14 August)."""
    log = opened(allowance_v2())
    log.enter(book("s1", at(2027, 3, 31, 14), booked=at(2027, 3, 29, 9)))
    accepted = log.enter(held("s1", at(2027, 4, 2, 9), at(2027, 3, 31, 15)))
    assert accepted.events[0] == SessionHeld("s1", dt.date(2027, 3, 31), window_ends=dt.date(2027, 7, 14))
    assert accepted.rulebook == "DEVON_PSN v1"
    assert verdict_of(accepted, "PSN-ALLOWANCE").message == "session 1 of 6 on 2027-03-31 (DEVON_PSN v1)"


# -- PSN-SECOND (MOU NOTE 2): working days counted to the date the fact happened ------------


def test_PSN_SECOND_counts_working_days_to_the_facts_date_not_the_entry():
    """A partnership case received Thursday 20 May 2027; the Spring Bank Holiday (31 May) is skipped.

    Five working days after receipt is Thursday 27 May: a fact of that day raises no flag,
    though entered on Tuesday 1 June, when seven working days have passed.
    """
    log = Log()
    log.enter(practice_request(at(2027, 5, 20, 9)))
    on_the_day = log.enter(dated(SendMou, at(2027, 6, 1, 9), at(2027, 5, 27, 16), terms_version="PSN-MOU-2019"))
    assert flags(on_the_day) == []
    assert "5 of 5 working days without a second officer" in verdict_of(on_the_day, "PSN-SECOND").message
    next_day = Log()
    next_day.enter(practice_request(at(2027, 5, 20, 9)))
    entered = next_day.enter(dated(SendMou, at(2027, 6, 1, 9), at(2027, 5, 28, 9), terms_version="PSN-MOU-2019"))
    assert flags(entered) == ["PSN-SECOND"]
    assert "no second officer 6 working days after receipt" in verdict_of(entered, "PSN-SECOND").message


# -- PSN-SAFETY and PSN-CONDUCT (MOU NOTE 3, 6): open, resolved, reported, by date ----------


def _concern(log, resolved_on):
    log.enter(
        by_officer(RaiseSafetyConcern, at(2027, 1, 18, 9), concern_id="c1"),
        by_officer(SeekSafetyGuidance, at(2027, 1, 18, 10), concern_id="c1", source="Caldicott Guardian"),
        dated(
            ResolveSafetyConcern,
            at(2027, 1, 20, 9),
            resolved_on,
            concern_id="c1",
            outcome=SafetyOutcome.ESCALATED_TO_RESPONSIBLE_OFFICER,
        ),
    )


@pytest.mark.parametrize(("resolved_on", "closes"), [(at(2027, 1, 18, 16), True), (at(2027, 1, 19, 16), False)])
def test_PSN_SAFETY_a_case_closed_on_tuesday_must_have_had_no_open_concern_on_tuesday(resolved_on, closes):
    """The concern's outcome was entered on Wednesday; the closure, dated Tuesday 12:00, on Thursday."""
    log = opened()
    _concern(log, resolved_on)
    closure = dated(CloseCase, at(2027, 1, 21, 9), at(2027, 1, 19, 12), outcome=ClosureOutcome.RESOLVED)
    result = log.outcome(closure)
    if closes:
        assert result.events[-1].closed_on == dt.date(2027, 1, 19)
    else:
        assert isinstance(result, Refused) and result.rule_ids == ("PSN-SAFETY",)
        assert "patient-safety concern(s) still open: c1" in str(result)
        as_entered = log.enter(command(CloseCase, at(2027, 1, 21, 9), outcome=ClosureOutcome.RESOLVED))
        assert as_entered.events[-1].closed_on == dt.date(2027, 1, 21), "by the recording clock it could close"


@pytest.mark.parametrize(("ceased", "allowed"), [(at(2027, 1, 19, 12), True), (at(2027, 1, 19, 10), False)])
def test_PSN_CONDUCT_support_ceases_only_after_aggression_reported_by_the_time_it_happened(ceased, allowed):
    """Aggression reported at 11:00 on Tuesday and entered then; the cessation entered on Wednesday."""
    log = opened()
    log.enter(command(ReportAggression, at(2027, 1, 19, 11)))
    result = log.outcome(dated(CeaseSupport, at(2027, 1, 20, 9), ceased))
    if allowed:
        assert result.events[0].on == dt.date(2027, 1, 19)
    else:
        assert isinstance(result, Refused) and result.rule_ids == ("PSN-CONDUCT",)
        assert "only after aggressive behaviour is reported" in str(result)


def test_PSN_CONDUCT_a_referral_made_before_support_ceased_may_be_entered_after_it():
    log = opened()
    log.enter(command(ReportAggression, at(2027, 1, 19, 11)), command(CeaseSupport, at(2027, 1, 19, 12)))
    fields = {"referral_id": "r1", "recipient_id": GP_A, "service": "occupational_health"}
    undated = log.refuse(command(ReferToService, at(2027, 1, 20, 9), **fields))
    assert undated.rule_ids == ("PSN-CONDUCT",)
    accepted = log.enter(dated(ReferToService, at(2027, 1, 20, 9), at(2027, 1, 18, 15), **fields))
    assert accepted.events[0].referral_id == "r1"
    assert "r1" in log.case.referrals and log.case.ceased


# -- PSN-SWITCH (MOU LMC 6): whether the session came before the switch --------------------


def test_PSN_SWITCH_a_switch_dated_after_a_session_leaves_the_session_standing():
    """Session held Monday 14:00, entered Tuesday; the switch asked for at 16:00 on Monday, entered Wednesday."""
    log = opened()
    _session_on_monday(log)
    log.enter(held("s1", at(2027, 1, 19, 9), at(2027, 1, 18, 15)))
    switch = log.enter(dated(RequestSwitch, at(2027, 1, 20, 9), at(2027, 1, 18, 16), recipient_id=GP_A))
    assert verdict_of(switch, "PSN-SWITCH").outcome is Outcome.PASS
    assert log.case.engagements[GP_A].used == 1 and log.case.engagements[GP_A].lead is None


def test_PSN_SWITCH_a_switch_dated_before_a_session_already_held_with_that_officer_is_refused():
    """Entered late, it would cancel the booking that was held: the later verdict would change."""
    log = opened()
    _session_on_monday(log)
    log.enter(held("s1", at(2027, 1, 19, 9), at(2027, 1, 18, 15)))
    refused = log.refuse(dated(RequestSwitch, at(2027, 1, 20, 9), at(2027, 1, 18, 9), recipient_id=GP_A))
    assert refused.rule_ids == ("TIME",)
    assert "it would change what was decided for case.hold_session dated 2027-01-18T15:00:00+00:00" in str(refused)


def test_PSN_SWITCH_a_session_with_the_old_officer_after_the_switch_cites_PSN_SWITCH():
    """Switch asked for on Monday 09:00 and entered Wednesday; the session was booked for 14:00 that day."""
    log = opened()
    _session_on_monday(log)
    log.enter(dated(RequestSwitch, at(2027, 1, 20, 9), at(2027, 1, 18, 9), recipient_id=GP_A))
    refused = log.refuse(dated(HoldSession, at(2027, 1, 20, 10), at(2027, 1, 18, 15), session_id="s1"))
    assert refused.rule_ids == ("PSN-SWITCH",)
    assert "whom gp-a asked to switch away from" in str(refused)


# -- PSN-RETENTION and PSN-CLOSE (MOU NOTE 1, CLIENT 3): back-dating never shortens ---------


def _closed(log, entered, happened, **fields):
    return log.enter(dated(CloseCase, entered, happened, outcome=ClosureOutcome.RESOLVED, **fields)).events[-1]


@given(
    lag=st.integers(min_value=0, max_value=31 * 24 * 60),
    hour=st.integers(min_value=0, max_value=23),
    day=st.dates(min_value=dt.date(2027, 3, 1), max_value=dt.date(2029, 12, 31)),
)
def test_PSN_RETENTION_a_closure_back_dated_within_the_lag_keeps_notes_six_years_from_its_entry(lag, hour, day):
    # Instants, then London wall clocks: no skipped hour in spring, no repeated one in autumn.
    entered = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC).astimezone(LONDON)
    happened = (entered.astimezone(dt.UTC) - dt.timedelta(minutes=lag)).astimezone(LONDON)
    closure = _closed(opened(), entered, happened)
    assert closure.closed_on == happened.astimezone(LONDON).date()
    assert closure.retain_until == entered.date() + relativedelta(years=6)
    assert closure.retain_until >= closure.closed_on + relativedelta(years=6)


def test_PSN_RETENTION_a_closure_back_dated_years_with_an_override_still_counts_from_its_entry():
    reason = Override("TIME", "Closure letter found in the archive", "coord-1")
    closure = _closed(opened(), at(2029, 2, 28, 9), at(2027, 2, 1, 9), overrides=(reason,))
    assert closure.closed_on == dt.date(2027, 2, 1)
    assert closure.retain_until == dt.date(2035, 2, 28)


def test_PSN_RETENTION_a_back_dated_closure_is_entered_with_the_date_it_happened_for_the_record():
    log = opened()
    closure = log.enter(dated(CloseCase, at(2027, 3, 20, 9), at(2027, 3, 1, 9), outcome=ClosureOutcome.RESOLVED))
    assert closure.records[-1].metadata.occurred_at == at(2027, 3, 1, 9)
    assert verdict_of(closure, "PSN-RETENTION").message == "notes kept until 2033-03-20, 6 years from 2027-03-20"


def test_PSN_RETENTION_a_closure_cannot_be_back_dated_before_a_session_already_held():
    log = opened()
    log.enter(book("s1", at(2027, 1, 18, 14)), held("s1", at(2027, 1, 18, 15)))
    refused = log.refuse(dated(CloseCase, at(2027, 1, 20, 9), at(2027, 1, 18, 9), outcome=ClosureOutcome.RESOLVED))
    assert refused.rule_ids == ("TIME",)
    assert "it would change what was decided for case.hold_session dated 2027-01-18T15:00:00+00:00" in str(refused)
    assert not log.case.closed


@pytest.mark.parametrize(
    ("destroyed_on", "early"),
    [
        (dt.datetime(2033, 3, 19, 9, tzinfo=LONDON), True),  # the day before the period ends
        (dt.datetime(2033, 3, 20, 9, tzinfo=LONDON), False),  # the day it ends
    ],
)
def test_PSN_RETENTION_destruction_is_early_by_the_date_it_happened_not_the_day_it_was_entered(destroyed_on, early):
    """Closed and entered 20 March 2027: notes kept until 20 March 2033. Entered on the 23rd."""
    log = opened()
    log.enter(by_officer(RecordNote, at(2027, 1, 18, 16), note_id="n1", text="Discussed workload and rota."))
    log.enter(command(CloseCase, at(2027, 3, 20, 9), outcome=ClosureOutcome.RESOLVED))
    guardian = {"role": "caldicott_guardian", "actor": "cg-1"}
    destroy = dated(DestroyNotes, dt.datetime(2033, 3, 23, 9, tzinfo=LONDON), destroyed_on, **guardian)
    result = log.outcome(destroy)
    if early:
        assert isinstance(result, Refused) and result.rule_ids == ("PSN-RETENTION",)
        assert "retained until 2033-03-20; destroying them earlier needs a recorded reason" in str(result)
    else:
        assert result.events[0].early is False


def test_PSN_RETENTION_back_dating_a_closure_across_a_revision_does_not_shorten_it():
    """v2 from 1 April 2027 keeps notes 8 years. A closure entered 2 April keeps them to 2035 at least."""
    context = with_v2(NoteRetention(years=8))
    undated = _closed(opened(context), at(2027, 4, 2, 9), at(2027, 4, 2, 9))
    back_dated = _closed(opened(context), at(2027, 4, 2, 9), at(2027, 3, 31, 9))
    assert undated.retain_until == dt.date(2035, 4, 2)
    assert back_dated.retain_until >= undated.retain_until


# -- TIME: never later than recorded; within the lag, at its limits; the override ----------


def test_TIME_a_fact_cannot_be_dated_after_it_is_recorded():
    with pytest.raises(InvalidValue, match=r"HoldSession\.occurred_at: is after the command is recorded"):
        held("s1", at(2027, 1, 18, 14), at(2027, 1, 18, 14, 1))
    assert held("s1", at(2027, 1, 18, 14), at(2027, 1, 18, 14)).occurred == at(2027, 1, 18, 14)


def test_TIME_after_is_judged_by_the_instant_across_the_autumn_clock_change():
    """On 31 October 2027 01:30 happens twice: 01:30 GMT (fold=1) is after 01:45 BST."""
    first_0145 = dt.datetime(2027, 10, 31, 1, 45, tzinfo=LONDON)
    second_0130 = dt.datetime(2027, 10, 31, 1, 30, tzinfo=LONDON, fold=1)
    with pytest.raises(InvalidValue, match="is after the command is recorded"):
        held("s1", first_0145, second_0130)
    assert held("s1", second_0130, first_0145).occurred == first_0145


def test_TIME_no_fact_is_dated_before_the_case_began():
    log = opened()
    refused = log.refuse(dated(SendMou, at(2027, 1, 12, 9), at(2027, 1, 11, 8, 59), terms_version="PSN-MOU-2019"))
    assert refused.rule_ids == ("TIME",)
    assert "before this case began (2027-01-11T09:00:00+00:00)" in str(refused)
    assert log.enter(dated(SendMou, at(2027, 1, 12, 9), at(2027, 1, 11, 9), terms_version="PSN-MOU-2019"))


def _lagging(held_at, context=CONTEXT):
    """A case opened well before ``held_at``, with a session booked for that moment."""
    log = opened(context, when=held_at - dt.timedelta(days=40))
    log.enter(book("s1", held_at, booked=held_at - dt.timedelta(days=7)))
    return log


@pytest.mark.parametrize(
    ("happened", "entered", "quoted_days"),
    [
        # Exactly 31 days: accepted; a minute more, or a day more: refused (None).
        (at(2027, 1, 11, 10), at(2027, 2, 11, 10), 31),
        (at(2027, 1, 11, 10), at(2027, 2, 11, 10, 1), None),
        (at(2027, 1, 11, 10), at(2027, 2, 12, 10), None),
        # Bank holidays count like any other day: Christmas Eve to 24 January is 31 days.
        (at(2026, 12, 24, 10), at(2027, 1, 24, 10), 31),
        (at(2026, 12, 24, 10), at(2027, 1, 25, 10), None),
        # From a month end across February: 31 January to 3 March 2027 is 31 days.
        (at(2027, 1, 31, 10), at(2027, 3, 3, 10), 31),
        (at(2027, 1, 31, 10), at(2027, 3, 4, 10), None),
        # From 29 February 2028 to 31 March 2028, across the spring clock change (26 March):
        # 11:00 BST is exactly 31 days later; 11:01 is not.
        (at(2028, 2, 29, 10), at(2028, 3, 31, 11), 31),
        (at(2028, 2, 29, 10), at(2028, 3, 31, 11, 1), None),
        # Spring 2027 (28 March): 10:30 BST on 31 March is 30 days 23.5 hours after
        # 10:00 GMT on 28 February, though its wall clock reads 31 days and a half-hour.
        (at(2027, 2, 28, 10), at(2027, 3, 31, 10, 30), 30),
        (at(2027, 2, 28, 10), at(2027, 3, 31, 11, 1), None),
        # Autumn 2027 (31 October): 09:01 GMT is 31 days and a minute after 10:00 BST on
        # 30 September, though its wall clock reads under 31 days.
        (at(2027, 9, 30, 10), at(2027, 10, 31, 9), 31),
        (at(2027, 9, 30, 10), at(2027, 10, 31, 9, 1), None),
    ],
)
def test_TIME_a_session_may_be_entered_up_to_31_days_after_it_was_held(happened, entered, quoted_days):
    log = _lagging(happened)
    result = log.outcome(held("s1", entered, happened))
    if quoted_days is not None:
        assert result.events[0].held_on == happened.date()
        message = verdict_of(result, "TIME").message
        assert message.startswith(f"entered {quoted_days} days") and message.endswith(
            "after it happened (up to 31 days)"
        )
    else:
        assert isinstance(result, Refused) and result.rule_ids == ("TIME",)
        assert "facts more than 31 days old need a coordinator's override with a reason" in str(result)
        assert dict(result.verdicts[0].parameters)["max_days"] == "31"
        assert "s1" in log.case.sessions and log.case.engagements[GP_A].used == 0


@pytest.mark.parametrize(("days", "accepted"), [(7, True), (8, False)])
def test_TIME_the_lag_is_the_rulebooks_parameter(days, accepted):
    context = SupportContext(Rulebooks((DEVON_PSN_V1.adapted("EXETER_PSN", LateEntry(max_days=7)),)), DIRECTORY)
    log = _lagging(at(2027, 3, 1, 10), context)
    result = log.outcome(held("s1", at(2027, 3, 1, 10) + dt.timedelta(days=days), at(2027, 3, 1, 10)))
    assert isinstance(result, Refused) is not accepted
    if not accepted:
        assert "facts more than 7 days old need a coordinator's override" in str(result)


LATE = (at(2027, 1, 18, 14), at(2027, 3, 1, 9))  # held Monday 18 January, entered 41 days 19 hours later


def test_TIME_a_coordinator_may_enter_an_older_fact_with_a_recorded_reason():
    log = _lagging(LATE[0])
    reason = Override("TIME", "Officer's paper record, entered after her leave", "coord-1")
    accepted = log.enter(dated(HoldSession, LATE[1], LATE[0], session_id="s1", overrides=(reason,)))
    assert accepted.events[0].held_on == dt.date(2027, 1, 18)
    time = verdict_of(accepted, "TIME")
    assert time.outcome is Outcome.PASS
    assert time.message == "entered 41 days 19 hours after it happened, overridden by coord-1 with a recorded reason"
    assert "Officer's paper record" in accepted.records[0].decision.command


def test_TIME_without_a_reason_an_older_fact_is_refused():
    log = _lagging(LATE[0])
    refused = log.refuse(dated(HoldSession, LATE[1], LATE[0], session_id="s1"))
    assert refused.rule_ids == ("TIME",)
    assert "entered 41 days 19 hours after it happened" in str(refused)


@pytest.mark.parametrize(
    ("role", "actor", "by", "why"),
    [
        # an officer cannot override
        (
            "officer",
            OFFICER,
            OFFICER,
            "off-gp-1 enters this as an officer, and only a coordinator may override rule TIME",
        ),
        # a coordinator cannot pass off another's override
        (
            None,
            "coord-1",
            "coord-2",
            "it was given by coord-2, not by coord-1 who enters this fact "
            "(only the entering coordinator's own override counts)",
        ),
    ],
)
def test_TIME_only_the_coordinator_entering_it_may_override_and_the_refusal_says_why_not(role, actor, by, why):
    log = _lagging(LATE[0])
    reason = Override("TIME", "Paper record from Dr Reed's diary", by)
    refused = log.refuse(dated(HoldSession, LATE[1], LATE[0], role, actor, session_id="s1", overrides=(reason,)))
    assert refused.rule_ids == ("TIME",)
    (verdict,) = refused.verdicts
    assert verdict.message == (
        "entered 41 days 19 hours after it happened; facts more than 31 days old need a coordinator's override "
        f"with a reason; the override given was not accepted: {why}"
    )
    assert "Paper record" not in str(refused) and "Reed" not in str(refused), "the reason is never echoed"


def test_TIME_without_an_override_the_refusal_does_not_speak_of_one():
    refused = _lagging(LATE[0]).refuse(dated(HoldSession, LATE[1], LATE[0], session_id="s1"))
    assert "override given" not in str(refused)


def test_TIME_an_override_of_another_rule_does_not_pass_the_lag():
    log = _lagging(LATE[0])
    reason = Override("PSN-SKILLS", "Paper record", "coord-1")
    refused = log.refuse(dated(HoldSession, LATE[1], LATE[0], session_id="s1", overrides=(reason,)))
    assert refused.rule_ids == ("TIME",)


def test_TIME_a_late_entry_that_changes_nothing_decided_after_it_is_accepted():
    """Held Monday, entered Wednesday, after a note and a referral recorded on Tuesday."""
    log = opened()
    _session_on_monday(log)
    log.enter(
        by_officer(RecordNote, at(2027, 1, 19, 9), note_id="n1", text="Called to arrange the next meeting."),
        command(ReferToService, at(2027, 1, 19, 10), referral_id="r1", recipient_id=GP_A, service="mediation"),
    )
    accepted = log.enter(held("s1", at(2027, 1, 20, 9), at(2027, 1, 18, 15)))
    assert accepted.events[0] == SessionHeld("s1", dt.date(2027, 1, 18), window_ends=dt.date(2027, 5, 2))
    assert log.case.engagements[GP_A].first_session_on == dt.date(2027, 1, 18)


def test_TIME_a_late_session_before_a_booking_already_recorded_keeps_the_bookings_verdict_as_it_now_reads():
    """The booking on Tuesday was decided as "session 2 of 6" with no window yet; with Monday's session
    entered late, its allowance verdict now reads with the window Monday opened. The outcome is the
    same (a pass), so the late entry is accepted and its decision says what the booking now reads."""
    log = opened()
    _session_on_monday(log)
    log.enter(book("s2", at(2027, 1, 25, 14), booked=at(2027, 1, 19, 10)))
    late = log.enter(held("s1", at(2027, 1, 20, 9), at(2027, 1, 18, 15)))
    redecided = [v for v in late.verdicts if v.message.startswith("re-decided")]
    assert [(v.rule_id, v.outcome.value, v.message) for v in redecided] == [
        (
            "PSN-ALLOWANCE",
            "pass",
            "re-decided for case.schedule_session dated 2027-01-19T10:00:00+00:00: "
            "session 2 of 6 on 2027-01-25, window to 2027-05-02 (DEVON_PSN v1)",
        )
    ]
    assert late.records[0].decision.verdicts == late.verdicts


def test_TIME_a_late_session_is_counted_where_it_happened_and_the_later_sessions_verdict_is_re_decided():
    """Sessions 1 (Monday 18th) and 2 (Monday 25th) are recorded; one held on Thursday 21st is entered on the
    26th. The session of the 25th was recorded as "session 2 of 6": it is now session 3 of 6. Its event is
    the same (no window starts, nothing is charged) and it still passes, so the late entry is accepted;
    the 25th's own record is not rewritten, and the late entry's decision says what it now reads."""
    log = opened()
    for session_id, starts in (("s1", at(2027, 1, 18, 14)), ("s3", at(2027, 1, 21, 14)), ("s2", at(2027, 1, 25, 14))):
        log.enter(book(session_id, starts, booked=at(2027, 1, 15, 9)))
    log.enter(held("s1", at(2027, 1, 18, 15)))
    second = log.enter(held("s2", at(2027, 1, 25, 15)))
    assert verdict_of(second, "PSN-ALLOWANCE").message.startswith("session 2 of 6 on 2027-01-25")
    late = log.enter(held("s3", at(2027, 1, 26, 9), at(2027, 1, 21, 15)))
    messages = [v.message for v in late.verdicts if v.rule_id == "PSN-ALLOWANCE"]
    assert messages == [
        "session 2 of 6 on 2027-01-21, window to 2027-05-02 (DEVON_PSN v1)",
        "re-decided for case.hold_session dated 2027-01-25T15:00:00+00:00: "
        "session 3 of 6 on 2027-01-25, window to 2027-05-02 (DEVON_PSN v1)",
    ]
    assert log.case.engagements[GP_A].used == 3
    assert log.store.recorded_for(second.records[0].metadata.command_id)[0].decision.verdicts == second.verdicts


def test_TIME_a_late_entry_may_not_change_a_verdict_recorded_after_it():
    """A first session entered late, before one already held: the later one's window would move."""
    log = opened()
    booked = at(2027, 1, 15, 9)  # both booked before the first was held
    log.enter(book("s1", at(2027, 1, 18, 14), booked), book("s2", at(2027, 2, 1, 14), booked))
    log.enter(held("s2", at(2027, 2, 1, 15)))
    refused = log.refuse(held("s1", at(2027, 2, 2, 9), at(2027, 1, 18, 15)))
    assert refused.rule_ids == ("TIME",)
    assert "it would change what was decided for case.hold_session dated 2027-02-01T15:00:00+00:00" in str(refused)
    assert log.case.engagements[GP_A].first_session_on == dt.date(2027, 2, 1)


# -- one parameter revised in a version 2: PSN-RESPONSE's working days, 2 -> 3 --------------


RESPONSE_V2 = with_v2(ResponseTime(working_days=3))


@pytest.mark.parametrize(
    ("came_in", "entered", "due", "label", "working_days"),
    [
        # Wednesday 31 March: two working days (Thursday, Friday) under v1.
        (at(2027, 3, 31, 10), at(2027, 3, 31, 10), at(2027, 4, 2, 17), "DEVON_PSN v1", 2),
        # The same request entered on 1 April with the date it came in: still v1.
        (at(2027, 3, 31, 10), at(2027, 4, 1, 9), at(2027, 4, 2, 17), "DEVON_PSN v1", 2),
        # Thursday 1 April: three working days (Friday, Monday, Tuesday) under v2.
        (at(2027, 4, 1, 10), at(2027, 4, 1, 10), at(2027, 4, 6, 17), "DEVON_PSN v2", 3),
        (at(2027, 4, 2, 10), at(2027, 4, 2, 10), at(2027, 4, 7, 17), "DEVON_PSN v2", 3),
    ],
)
def test_PSN_RESPONSE_a_revised_working_days_takes_effect_with_its_verdict_from_the_date(
    came_in, entered, due, label, working_days
):
    log = Log(RESPONSE_V2)
    received = log.enter(dated(ReceiveRequest, entered, came_in, **gp_fields()))
    assert received.events[0].response_due_at == due
    assert received.rulebook == label
    parameters = dict(verdict_of(received, "PSN-RESPONSE").parameters)
    assert (parameters["working_days"], parameters["rulebook"]) == (str(working_days), label)


@pytest.mark.parametrize(("came_in", "on_time"), [(at(2027, 3, 31, 10), False), (at(2027, 4, 1, 10), True)])
def test_PSN_RESPONSE_a_response_under_v2_is_judged_by_the_version_that_set_the_deadline(came_in, on_time):
    """Both responses are made on Monday 5 April, under v2; the 31 March request was due on 2 April."""
    log = Log(RESPONSE_V2)
    log.enter(dated(ReceiveRequest, at(2027, 4, 1, 10), came_in, **gp_fields()))
    response = log.enter(command(RespondToRequest, at(2027, 4, 5, 12)))
    assert response.events[0].on_time is on_time
    assert flags(response) == ([] if on_time else ["PSN-RESPONSE"])
    verdict = verdict_of(response, "PSN-RESPONSE")
    assert dict(verdict.parameters)["rulebook"] == ("DEVON_PSN v2" if on_time else "DEVON_PSN v1")


# -- PSN-COST-SHARE (MOU LMC 4): no silent £0; the rate the host sets, on the session's date --


def _extended(context):
    """Six sessions used, then an extension of two sessions over two months, shared 50:50."""
    log = opened(context)
    book_and_hold(log, WEEKLY)
    log.enter(
        command(
            ReviewCommitment,
            at(2027, 3, 1, 9),
            recipient_id=GP_A,
            decision=ReviewDecision.EXTEND,
            sessions=2,
            months=2,
            funding=Funding(Payer.SHARED, Decimal(50)),
        ),
        book("x1", at(2027, 3, 31, 14), booked=at(2027, 3, 2, 9)),
        book("x2", at(2027, 4, 1, 14), booked=at(2027, 3, 2, 9)),
    )
    return log


CHARGE = SessionCharge(Decimal("56.45"), Decimal("28.22"), GP_A, Decimal("28.23"))


def test_PSN_COST_SHARE_costing_is_refused_until_the_host_sets_a_session_rate():
    log = _extended(CONTEXT)
    refused = log.refuse(held("x1", at(2027, 3, 31, 15)))
    assert refused.rule_ids == ("PSN-COST-SHARE",)
    assert "no session rate is set for sessions after the initial allowance" in str(refused)
    assert dict(refused.verdicts[0].parameters)["session_rate"] == "None"


def test_PSN_COST_SHARE_an_adapted_rulebook_with_a_rate_charges_it():
    exeter = SupportContext(
        Rulebooks((DEVON_PSN_V1.adapted("EXETER_PSN", CostShare(session_rate=Decimal("56.45"))),)), DIRECTORY
    )
    accepted = _extended(exeter).enter(held("x1", at(2027, 3, 31, 15)))
    assert accepted.events[0] == SessionHeld("x1", dt.date(2027, 3, 31), charge=CHARGE)
    assert accepted.rulebook == "EXETER_PSN v1"
    assert verdict_of(accepted, "PSN-COST-SHARE").message == "£56.45: LMC £28.22, gp-a £28.23"


def test_PSN_COST_SHARE_a_rate_set_in_v2_applies_to_sessions_held_from_its_date():
    """v2 sets £56.45 from 1 April. The 31 March session, entered on 2 April, is v1's: no rate."""
    log = _extended(with_v2(CostShare(session_rate=Decimal("56.45"))))
    refused = log.refuse(held("x1", at(2027, 4, 2, 9), at(2027, 3, 31, 15)))
    assert refused.rule_ids == ("PSN-COST-SHARE",)
    assert dict(refused.verdicts[0].parameters)["rulebook"] == "DEVON_PSN v1"
    accepted = log.enter(held("x2", at(2027, 4, 2, 9), at(2027, 4, 1, 15)))
    assert accepted.events[0] == SessionHeld("x2", dt.date(2027, 4, 1), charge=CHARGE)
    assert accepted.rulebook == "DEVON_PSN v2"
    as_entered = log.enter(held("x1", at(2027, 4, 2, 10)))
    assert as_entered.events[0] == SessionHeld("x1", dt.date(2027, 4, 2), charge=CHARGE)


# -- a late entry dated before a fact it depends on ----------------------------------------


def test_TIME_a_session_entered_as_held_before_it_was_booked_is_refused_by_TIME_then_STATE():
    log = opened()
    log.enter(book("s1", at(2027, 1, 18, 14), booked=at(2027, 1, 12, 10)))
    refused = log.refuse(held("s1", at(2027, 1, 19, 10), happened=at(2027, 1, 11, 15)))
    assert refused.rule_ids == ("TIME", "STATE")
    time, state = refused.verdicts
    assert "before a fact it depends on" in time.message and "there is no session s1" in time.message
    assert state.message == "there is no session s1"


def test_TIME_is_not_blamed_when_the_record_as_it_stands_refuses_for_the_same_want():
    # no session s9 was ever booked: late or not, the record lacks it (STATE alone)
    log = opened()
    log.enter(book("s1", at(2027, 1, 18, 14), booked=at(2027, 1, 12, 10)))
    refused = log.refuse(held("s9", at(2027, 1, 19, 10), happened=at(2027, 1, 11, 15)))
    assert refused.rule_ids == ("STATE",)
    assert refused.verdicts[0].message == "there is no session s9"
