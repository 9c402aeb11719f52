"""Pastoral support decides by the date a fact happened, with the rulebook version of that date.

Each dated PSN rule is shown where the recorded time and the business time would decide
differently, and the business time decides. Then a version 2 (8 sessions in 4 months from
Thursday 1 April 2027) under both transitions, on the day before, on and after it.
"""

import datetime as dt

import pytest

from pastoral_core import EventLog, Refused, execute
from pastoral_core.kernel import RuleFlagged, decide
from pastoral_core.rules import Override, Rulebooks, Transition
from pastoral_core.support import (
    CASE,
    DEVON_PSN_V1,
    CloseCase,
    ClosureOutcome,
    HoldSession,
    ReceiveRequest,
    RespondToRequest,
    ReviewCommitment,
    ReviewDecision,
    ScheduleSession,
    SendMou,
    SessionAllowance,
    SupportContext,
)
from tests.builders import at, command
from tests.support.helpers import (
    CONTEXT,
    DIRECTORY,
    GP_A,
    allocate,
    gp_request,
    history,
    hold,
    mou,
    practice_request,
    schedule,
    sessions_held,
)

WEEKLY = [at(2027, 1, 18) + dt.timedelta(weeks=n) for n in range(6)]  # 18 Jan .. 22 Feb 2027


def dated(cls, when, happened, **fields):
    return command(cls, when, occurred_at=happened, **fields)


def decided(events, cmd, context=CONTEXT):
    try:
        return decide(CASE, CASE.fold(events), cmd, context)
    except Refused as refused:
        return refused


# -- PSN-RESPONSE: the clock starts when the request came, not when it was entered ---------


def test_PSN_RESPONSE_counts_from_when_the_request_came_in():
    """Received Thursday 24 December 2026 at 16:00, entered on Tuesday 29th."""
    late = dated(ReceiveRequest, at(2026, 12, 29, 9), at(2026, 12, 24, 16), **_gp_fields())
    received = decided([], late).events[0]
    assert received.received_at == at(2026, 12, 24, 16)
    assert received.response_due_at == at(2026, 12, 30, 17)  # 29, 30 December: Christmas and Boxing Day skipped
    as_entered = decided([], gp_request(at(2026, 12, 29, 9))).events[0]
    assert as_entered.response_due_at == at(2026, 12, 31, 17)


def _gp_fields():
    request = gp_request()
    return {"kind": request.kind, "recipients": request.recipients, "practice_id": request.practice_id}


@pytest.mark.parametrize(("happened", "flagged"), [(at(2026, 12, 30, 16, 59), False), (at(2026, 12, 30, 17, 1), True)])
def test_PSN_RESPONSE_on_time_is_judged_by_when_the_response_was_made(happened, flagged):
    events = history(gp_request(at(2026, 12, 24, 16)))
    response = dated(RespondToRequest, at(2027, 1, 4, 9), happened)
    decision = decided(events, response)
    assert any(isinstance(e, RuleFlagged) and e.rule_id == "PSN-RESPONSE" for e in decision.events) is flagged
    entered_then = decided(events, command(RespondToRequest, at(2027, 1, 4, 9)))
    assert any(isinstance(e, RuleFlagged) for e in entered_then.events), "by the recording clock it was late"


# -- PSN-MOU-FIRST: sent before the session was held, on the business clock ----------------


@pytest.mark.parametrize(("sent", "allowed"), [(at(2027, 1, 18, 9), True), (at(2027, 1, 18, 15), False)])
def test_PSN_MOU_FIRST_the_mou_must_have_been_sent_before_the_session_was_held(sent, allowed):
    """The session was held at 14:00 on Monday 18 January and entered on Wednesday the 20th."""
    events = history(gp_request(), allocate(GP_A, "off-gp-1"), mou(sent), schedule("s1", GP_A, at(2027, 1, 18, 14)))
    held = dated(
        HoldSession, at(2027, 1, 20, 9), at(2027, 1, 18, 14), role="officer", actor="off-gp-1", session_id="s1"
    )
    result = decided(events, held)
    if allowed:
        assert result.events[0].held_on == dt.date(2027, 1, 18)
    else:
        assert isinstance(result, Refused) and result.rule_ids == ("PSN-MOU-FIRST",)


# -- PSN-ALLOWANCE: the window is judged on the day the session was held ---------------------


def test_PSN_ALLOWANCE_a_session_in_the_window_entered_after_it_closed_stands():
    """First session 18 January: the window runs to 2 May 2027 (3 months and 14 days)."""
    events = history(
        gp_request(),
        mou(),
        allocate(GP_A, "off-gp-1"),
        *sessions_held(GP_A, WEEKLY[:5]),
        schedule("s6", GP_A, at(2027, 5, 2, 9)),
    )
    late = dated(HoldSession, at(2027, 5, 5, 9), at(2027, 5, 2, 10), role="officer", actor="off-gp-1", session_id="s6")
    assert decided(events, late).events[0].held_on == dt.date(2027, 5, 2)
    refused = decided(events, hold("s6", at(2027, 5, 5, 9)))
    assert refused.rule_ids == ("PSN-ALLOWANCE",) and "the allowance window ended on 2027-05-02" in str(refused)


# -- PSN-SECOND: working days counted to the fact's date -------------------------------------


def test_PSN_SECOND_counts_working_days_to_the_date_the_fact_happened():
    """A partnership case received Thursday 18 March 2027; Good Friday and Easter Monday do not count."""
    events = history(practice_request(at(2027, 3, 18, 9)))
    on_the_day = decided(events, dated(SendMou, at(2027, 4, 1, 9), at(2027, 3, 24, 9), terms_version="PSN-MOU-2019"))
    assert not any(isinstance(e, RuleFlagged) for e in on_the_day.events)
    entered = decided(events, mou(at(2027, 4, 1, 9)))
    assert [e.rule_id for e in entered.events if isinstance(e, RuleFlagged)] == ["PSN-SECOND"]


# -- PSN-RETENTION: back-dating a closure never shortens it ---------------------------------


def test_PSN_RETENTION_counts_from_the_later_of_the_closure_and_its_entry():
    events = history(gp_request(), mou(), allocate(GP_A, "off-gp-1"))
    back_dated = dated(CloseCase, at(2027, 3, 20), at(2027, 3, 1), outcome=ClosureOutcome.RESOLVED)
    closed = decided(events, back_dated).events[0]
    assert (closed.closed_on, closed.retain_until) == (dt.date(2027, 3, 1), dt.date(2033, 3, 20))


# -- TIME: the lag, at its limit, and the coordinator's override ----------------------------


@pytest.mark.parametrize(
    ("happened", "outcome"),
    [
        # Entered 11:00 BST on 31 March; the clocks went forward on the 28th, so exactly
        # 31 days (of elapsed time) before is 10:00 GMT on 28 February, a month end.
        (at(2027, 2, 28, 10), "accepted"),
        (at(2027, 2, 28, 9, 59), "refused"),
    ],
)
def test_TIME_a_session_may_be_entered_up_to_31_days_after_it_was_held(happened, outcome):
    events = history(gp_request(), mou(), allocate(GP_A, "off-gp-1"), schedule("s1", GP_A, at(2027, 2, 28, 9)))
    late = dated(HoldSession, at(2027, 3, 31, 11), happened, role="officer", actor="off-gp-1", session_id="s1")
    result = decided(events, late)
    assert ("refused" if isinstance(result, Refused) else "accepted") == outcome
    if outcome == "refused":
        assert result.rule_ids == ("TIME",)
        reason = Override("TIME", "Officer's paper record", "coord-1")
        overridden = dated(HoldSession, at(2027, 3, 31, 11), happened, session_id="s1", overrides=(reason,))
        assert decided(events, overridden).events[0].held_on == dt.date(2027, 2, 28)


# -- version 2 from 1 April 2027, both transitions, the day before, on and after ------------


def versions(in_progress):
    v2 = DEVON_PSN_V1.revised(2, dt.date(2027, 4, 1), SessionAllowance(sessions=8, months=4, in_progress=in_progress))
    return SupportContext(Rulebooks((DEVON_PSN_V1, v2)), DIRECTORY)


@pytest.mark.parametrize(
    ("in_progress", "day", "outcome", "quoted"),
    [
        (Transition.FROM_EFFECTIVE_DATE, dt.date(2027, 3, 31), "refused", "(DEVON_PSN v1)"),
        (Transition.FROM_EFFECTIVE_DATE, dt.date(2027, 4, 1), "accepted", "(DEVON_PSN v2, for engagements under way"),
        (Transition.FROM_EFFECTIVE_DATE, dt.date(2027, 4, 2), "accepted", "(DEVON_PSN v2, for engagements under way"),
        (Transition.AS_STARTED, dt.date(2027, 3, 31), "refused", "(DEVON_PSN v1)"),
        (Transition.AS_STARTED, dt.date(2027, 4, 1), "refused", "(DEVON_PSN v1, as the engagement started)"),
        (Transition.AS_STARTED, dt.date(2027, 4, 2), "refused", "(DEVON_PSN v1, as the engagement started)"),
    ],
)
def test_a_seventh_session_under_v2_by_transition_and_day(in_progress, day, outcome, quoted):
    context = versions(in_progress)
    events = history(gp_request(), mou(), allocate(GP_A, "off-gp-1"), *sessions_held(GP_A, WEEKLY), context=context)
    starts = dt.datetime.combine(day, dt.time(14), tzinfo=WEEKLY[0].tzinfo)
    booking = command(
        ScheduleSession, starts - dt.timedelta(hours=4), session_id="s7", recipient_id=GP_A, starts_at=starts
    )
    result = decided(events, booking, context)
    assert ("refused" if isinstance(result, Refused) else "accepted") == outcome
    (verdict,) = [v for v in result.verdicts if v.rule_id == "PSN-ALLOWANCE"]
    assert quoted in verdict.message
    expected_book = "DEVON_PSN v2" if quoted.startswith("(DEVON_PSN v2") else "DEVON_PSN v1"
    assert dict(verdict.parameters)["rulebook"] == expected_book


@pytest.mark.parametrize(("happened", "outcome"), [(at(2027, 3, 31, 16), "accepted"), (at(2027, 4, 1, 9), "refused")])
def test_a_review_made_before_v2_and_entered_after_it_is_judged_by_v1(happened, outcome):
    """Six of six sessions used under v1: a review is due; under v2 (six of eight) it is not yet."""
    context = versions(Transition.FROM_EFFECTIVE_DATE)
    log = EventLog()
    for c in (gp_request(), mou(), allocate(GP_A, "off-gp-1"), *sessions_held(GP_A, WEEKLY)):
        execute(log, CASE, "1", c, context)
    review = dated(ReviewCommitment, at(2027, 4, 2, 9), happened, recipient_id=GP_A, decision=ReviewDecision.CONCLUDE)
    if outcome == "accepted":
        accepted = execute(log, CASE, "1", review, context)
        assert accepted.records[0].metadata.rulebook_version == "DEVON_PSN v1"
        assert accepted.records[0].metadata.occurred_at == happened
    else:
        with pytest.raises(Refused) as refused:
            execute(log, CASE, "1", review, context)
        assert refused.value.rule_ids == ("PSN-REVIEW",)
        assert dict(refused.value.verdicts[0].parameters)["rulebook"] == "DEVON_PSN v2"
        assert len(log.read_stream("case-1")) == 3 + 2 * 6, "nothing written"
