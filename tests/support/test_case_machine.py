"""Random command sequences on a practice case, with the invariants of issue #3 checked
after every step. Commands may be refused; a refusal must change nothing. The machine
counts what it got accepted, and the test fails if a kind the invariants rely on never was."""

import collections
import datetime as dt
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from pastoral_core import EventLog, Folded, RuleFlagged, execute
from pastoral_core.eventlog import dumps, loads
from pastoral_core.rules import Refused
from pastoral_core.support import (
    CASE,
    AddSecondOfficer,
    CancelSession,
    CaseClosed,
    CeaseSupport,
    CloseCase,
    ClosureOutcome,
    CommitmentReviewed,
    DisclosureRecorded,
    FacilitatedMeetingHeld,
    Funding,
    HoldFacilitatedMeeting,
    HoldSession,
    MarkDidNotAttend,
    MeetingKind,
    MouSent,
    NoteRecorded,
    NotesDestroyed,
    Payer,
    RaiseSafetyConcern,
    RecordDispute,
    RecordNote,
    ReportAggression,
    RequestSwitch,
    ResolveSafetyConcern,
    ReviewCommitment,
    ReviewDecision,
    SafetyConcernResolved,
    SafetyGuidanceSought,
    SafetyOutcome,
    ScheduleSession,
    SeekSafetyGuidance,
    SendMou,
    SessionCancelled,
    SessionHeld,
    SessionStatus,
    SupportCeased,
    SwitchRequested,
)
from tests.support.helpers import CONTEXT, GP_A, GP_B, PM_C, PRACTICE, allocate, at, command, mou, practice_request

RECIPIENTS = st.sampled_from([GP_A, GP_B, PM_C, PRACTICE])
GP_OFFICERS = ["off-gp-1", "off-gp-2", "off-gp-3"]
OFFICERS = st.sampled_from(["off-gp-1", "off-gp-2", "off-gp-3", "off-pm-1", "off-lay-1", "off-gp-home", "off-gp-away"])
AFTER_CESSATION = (
    NoteRecorded,
    CaseClosed,
    NotesDestroyed,
    SessionCancelled,
    SafetyGuidanceSought,
    SafetyConcernResolved,
    DisclosureRecorded,
    RuleFlagged,
)


class CaseMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.clock = at(2027, 1, 11, 9)
        self.accepted = ACCEPTED
        self.log = EventLog()
        self.state = CASE.initial
        self.counter = 0
        self.switched_away: set[tuple[str, str]] = set()
        self.mou_sent = False
        self.ceased = False
        self.steps = 0
        self.try_command(practice_request(when=self.clock))

    # -- plumbing ---------------------------------------------------------------------

    def next_id(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def try_command(self, c):
        self.steps += 1
        written = len(self.log)
        try:
            events = execute(self.log, CASE, "1", c, CONTEXT).events
        except Refused:
            assert len(self.log) == written  # nothing is written; the state stays as it was
            return
        self.accepted[type(c)] += 1
        for event in events:
            self.check_event(event)
            if isinstance(event, CommitmentReviewed) and event.decision is ReviewDecision.EXTEND:
                self.accepted["extension"] += 1
        self.state = CASE.fold(events, Folded(self.state)).state

    def check_event(self, event):
        if isinstance(event, SessionHeld):
            session = self.state.sessions[event.session_id]
            assert (session.recipient_id, session.officer_id) not in self.switched_away, (
                "session with a switched-away officer"
            )
            assert self.mou_sent, "session before the MoU"
        if isinstance(event, FacilitatedMeetingHeld):
            assert self.mou_sent, "facilitated meeting before the MoU"
        if self.ceased:
            assert isinstance(event, AFTER_CESSATION), f"{type(event).__name__} after cessation"
        if isinstance(event, CaseClosed):
            assert not self.state.open_concerns, "closed with an open safety concern"
        if isinstance(event, SwitchRequested):
            self.switched_away.add((event.recipient_id, event.officer_id))
        if isinstance(event, MouSent):
            self.mou_sent = True
        if isinstance(event, SupportCeased):
            self.ceased = True

    def scheduled(self):
        return sorted(s.session_id for s in self.state.sessions.values() if s.status is SessionStatus.SCHEDULED)

    # -- rules ------------------------------------------------------------------------

    @rule(days=st.integers(0, 25))
    def time_passes(self, days):
        self.clock += dt.timedelta(days=days, hours=1)

    @rule()
    def send_mou(self):
        self.try_command(mou(self.clock))

    @rule(recipient=RECIPIENTS, officer=OFFICERS)
    def allocate(self, recipient, officer):
        self.try_command(allocate(recipient, officer, self.clock))

    def without_officer(self):
        return sorted(r for r in self.state.recipients if self.state.lead_of(r) is None)

    def with_officer(self):
        return sorted(r for r in self.state.recipients if self.state.lead_of(r) is not None)

    @precondition(lambda self: self.without_officer())
    @rule(data=st.data())
    def allocate_a_suitable_officer(self, data):
        recipient = data.draw(st.sampled_from(self.without_officer()))
        pool = {GP_A: GP_OFFICERS, GP_B: GP_OFFICERS, PM_C: ["off-pm-1", "off-lay-1"]}.get(recipient, GP_OFFICERS)
        self.try_command(allocate(recipient, data.draw(st.sampled_from(pool)), self.clock))

    @precondition(lambda self: self.with_officer())
    @rule(data=st.data(), days_ahead=st.integers(0, 14))
    def schedule_with_an_officer(self, data, days_ahead):
        recipient = data.draw(st.sampled_from(self.with_officer()))
        self.try_command(
            command(
                ScheduleSession,
                self.clock,
                session_id=self.next_id("s"),
                recipient_id=recipient,
                starts_at=self.clock + dt.timedelta(days=days_ahead),
            )
        )

    @precondition(lambda self: self.with_officer())
    @rule(data=st.data(), weeks=st.integers(1, 8))
    def a_course_of_weekly_sessions(self, data, weeks):
        """Book and hold a session each week, so allowances get used up and reviewed."""
        recipient = data.draw(st.sampled_from(self.with_officer()))
        for _ in range(weeks):
            sid = self.next_id("s")
            self.try_command(
                command(ScheduleSession, self.clock, session_id=sid, recipient_id=recipient, starts_at=self.clock)
            )
            if sid in self.state.sessions:
                officer = self.state.sessions[sid].officer_id
                self.try_command(command(HoldSession, self.clock, role="officer", actor=officer, session_id=sid))
            self.clock += dt.timedelta(days=7)

    @rule(officer=OFFICERS)
    def add_second_officer(self, officer):
        self.try_command(command(AddSecondOfficer, self.clock, officer_id=officer))

    @rule(pair=st.sampled_from([(GP_A, GP_B), (GP_A, PM_C), (GP_B, PM_C)]))
    def record_dispute(self, pair):
        self.try_command(command(RecordDispute, self.clock, party_ids=frozenset(pair)))

    @rule(recipient=RECIPIENTS, days_ahead=st.integers(0, 14))
    def schedule(self, recipient, days_ahead):
        self.try_command(
            command(
                ScheduleSession,
                self.clock,
                session_id=self.next_id("s"),
                recipient_id=recipient,
                starts_at=self.clock + dt.timedelta(days=days_ahead),
            )
        )

    @precondition(lambda self: self.scheduled())
    @rule(data=st.data(), outcome=st.sampled_from(["hold", "dna", "cancel", "late"]))
    def settle_a_session(self, data, outcome):
        session = self.state.sessions[data.draw(st.sampled_from(self.scheduled()))]
        sid, officer = session.session_id, session.officer_id
        when = self.clock = max(self.clock, session.starts_at)
        if outcome == "hold":
            c = command(HoldSession, when, role="officer", actor=officer, session_id=sid)
        elif outcome == "dna":
            c = command(MarkDidNotAttend, when, role="officer", actor=officer, session_id=sid)
        else:
            c = command(CancelSession, self.clock, session_id=sid, with_notice=outcome == "cancel")
        self.try_command(c)

    @rule(recipient=RECIPIENTS)
    def request_switch(self, recipient):
        self.try_command(command(RequestSwitch, self.clock, role="recipient", actor=recipient, recipient_id=recipient))

    @precondition(lambda self: self.state.engagements)
    @rule(
        data=st.data(),
        extend=st.booleans(),
        sessions=st.integers(1, 4),
        months=st.integers(1, 3),
        percent=st.integers(0, 100),
    )
    def review(self, data, extend, sessions, months, percent):
        recipient = data.draw(st.sampled_from(sorted(self.state.engagements)))
        if extend:
            c = command(
                ReviewCommitment,
                self.clock,
                recipient_id=recipient,
                decision=ReviewDecision.EXTEND,
                sessions=sessions,
                months=months,
                funding=Funding(Payer.SHARED, Decimal(percent)),
            )
        else:
            c = command(ReviewCommitment, self.clock, recipient_id=recipient, decision=ReviewDecision.CONCLUDE)
        self.try_command(c)

    @rule(officer=OFFICERS)
    def facilitated_meeting(self, officer):
        self.try_command(
            command(
                HoldFacilitatedMeeting,
                self.clock,
                meeting_id=self.next_id("m"),
                kind=MeetingKind.MEDIATION,
                facilitator_id=officer,
                attendee_ids=frozenset({GP_A, GP_B}),
            )
        )

    @precondition(lambda self: not self.state.open_concerns)
    @rule(officer=OFFICERS)
    def raise_concern(self, officer):
        self.try_command(
            command(RaiseSafetyConcern, self.clock, role="officer", actor=officer, concern_id=self.next_id("c"))
        )

    @precondition(lambda self: self.state.open_concerns)
    @rule(data=st.data(), out_of_order=st.booleans())
    def progress_concern(self, data, out_of_order):
        """Seek guidance, then resolve; now and then try to resolve first (PSN-SAFETY refuses)."""
        cid = data.draw(st.sampled_from(sorted(self.state.open_concerns)))
        if self.state.concerns[cid].guidance_sought == out_of_order:
            self.try_command(command(SeekSafetyGuidance, self.clock, concern_id=cid, source="medical director"))
        else:
            self.try_command(
                command(ResolveSafetyConcern, self.clock, concern_id=cid, outcome=SafetyOutcome.NO_FURTHER_ACTION)
            )

    @rule(officer=OFFICERS)
    def record_note(self, officer):
        self.try_command(
            command(
                RecordNote,
                self.clock,
                role="officer",
                actor=officer,
                note_id=self.next_id("n"),
                text="Agreed next steps.",
            )
        )

    def reviewable(self):
        day = self.clock.date()
        return sorted(
            r
            for r, e in self.state.engagements.items()
            if e.allowance is not None
            and not e.concluded
            and (e.used >= e.allowance.allowed_total or (e.allowance.window_ends and day > e.allowance.window_ends))
        )

    @precondition(lambda self: self.reviewable())
    @rule(data=st.data(), sessions=st.integers(1, 4), months=st.integers(1, 3), payer=st.sampled_from(Payer))
    def review_a_used_allowance(self, data, sessions, months, payer):
        """Once an allowance is used or its window passed, the coordinator reviews (mostly extending)."""
        recipient = data.draw(st.sampled_from(self.reviewable()))
        if data.draw(st.integers(0, 3)):
            c = command(
                ReviewCommitment,
                self.clock,
                recipient_id=recipient,
                decision=ReviewDecision.EXTEND,
                sessions=sessions,
                months=months,
                funding=Funding(payer, Decimal(40)),
            )
        else:
            c = command(ReviewCommitment, self.clock, recipient_id=recipient, decision=ReviewDecision.CONCLUDE)
        self.try_command(c)

    @precondition(lambda self: self.steps > 50 and not self.state.aggression_reported)
    @rule()
    def report_aggression(self):
        self.try_command(command(ReportAggression, self.clock))

    @precondition(lambda self: self.steps > 60)
    @rule()
    def cease_support(self):
        self.try_command(command(CeaseSupport, self.clock))

    @precondition(lambda self: self.steps > 70)
    @rule(outcome=st.sampled_from(ClosureOutcome))
    def close(self, outcome):
        self.try_command(command(CloseCase, self.clock, outcome=outcome))

    # -- invariants -------------------------------------------------------------------

    @invariant()
    def never_more_sessions_than_granted(self):
        for engagement in self.state.engagements.values():
            if engagement.allowance is not None:
                assert engagement.used <= engagement.allowance.allowed_total

    @invariant()
    def parties_in_dispute_never_share_an_officer(self):
        for a, b in (sorted(d) for d in self.state.disputes):
            lead = self.state.lead_of(a)
            assert lead is None or lead != self.state.lead_of(b)

    @invariant()
    def replay_equals_live(self):
        records = self.log.read_stream("case-1")
        assert CASE.replay(records).state == self.state
        assert CASE.replay(loads(dumps(records))).state == self.state


#: Accepted commands by kind, over every run of the machine in this test session.
ACCEPTED: collections.Counter = collections.Counter()
#: What the invariants rely on: each must be accepted at least once across the runs.
RELIED_ON = (
    SendMou,
    HoldSession,
    ReviewCommitment,
    "extension",
    RecordDispute,
    RequestSwitch,
    CloseCase,
    CeaseSupport,
    ResolveSafetyConcern,
)


def test_case_machine_keeps_its_invariants_and_reaches_every_rule_it_relies_on():
    ACCEPTED.clear()
    run_state_machine_as_test(
        CaseMachine, settings=settings(max_examples=60, stateful_step_count=80, deadline=None, derandomize=True)
    )
    never = [getattr(k, "__name__", k) for k in RELIED_ON if not ACCEPTED[k]]
    assert not never, f"never accepted in any run: {never} (accepted: {dict(ACCEPTED)})"
