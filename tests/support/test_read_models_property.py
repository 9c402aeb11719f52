"""Every read model is the same whether its states were folded at once or a record at a time, on random valid histories.

Histories are drawn as commands from small pools of cases, recipients, officers, sessions
and times, run through ``PastoralSupport`` (what it refuses is simply not recorded), with
late entries: facts dated before facts already recorded.
"""

import datetime as dt
import decimal
import functools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pastoral_core import EventLog, Rulebooks
from pastoral_core.exceptions import PastoralCoreError
from pastoral_core.kernel import Projection, occurred_at
from pastoral_core.support import (
    CASE,
    DEVON_PSN_V1,
    AddSecondOfficer,
    AllocateOfficer,
    Allowances,
    Background,
    CancelSession,
    ChargeableServices,
    CloseCase,
    ClosureOutcome,
    CostShare,
    DestroyNotes,
    EnrolOfficer,
    Funding,
    HoldSession,
    MarkDidNotAttend,
    NotesDue,
    OfficerLoads,
    PastoralSupport,
    Payer,
    Payments,
    ReceiveRequest,
    Recipient,
    RecipientKind,
    RecordNote,
    ReferToService,
    RequestSwitch,
    RespondToRequest,
    ResponseTimes,
    ReviewCommitment,
    ReviewDecision,
    ScheduleSession,
    SendMou,
    SessionAllowance,
    SessionHeld,
    SessionStatus,
)
from pastoral_core.values import london_date
from tests.builders import at, command
from tests.conftest import count

V1 = DEVON_PSN_V1.adapted(
    "PROP_PSN",
    SessionAllowance(sessions=2, months=1),
    CostShare(session_rate=decimal.Decimal("75.00")),
    ChargeableServices(chargeable=("legal",)),
)
#: A second version from 1 February 2027 allows three sessions: facts are judged by the day they happened.
BOOKS = Rulebooks((V1, V1.revised(2, dt.date(2027, 2, 1), SessionAllowance(sessions=3, months=1))))
START = at(2027, 1, 4, 9)
CASES = ("1", "2", "3", "4", "5", "6")
PRACTICE = "P-1"
MEMBERS = {
    RecipientKind.GP: (Recipient("gp-a", RecipientKind.GP),),
    RecipientKind.PRACTICE_MANAGER: (Recipient("pm-c", RecipientKind.PRACTICE_MANAGER),),
    RecipientKind.PRACTICE: (Recipient("gp-a", RecipientKind.GP), Recipient("gp-b", RecipientKind.GP)),
}
SUITED = {
    RecipientKind.GP: ("off-gp-1", "off-gp-2"),
    RecipientKind.PRACTICE_MANAGER: ("off-pm-1",),
    RecipientKind.PRACTICE: ("off-gp-1", "off-gp-2", "off-pm-1"),
}
OFFICERS = (("off-gp-1", Background.GP), ("off-gp-2", Background.GP), ("off-pm-1", Background.PRACTICE_MANAGER))


def choose(data, case):
    """What to do next on a case, among what its state allows (a rule may still refuse it)."""
    if case is None:
        return "receive"
    if case.closed:
        return "destroy"
    if data.draw(st.integers(0, 50)) == 25:  # not 0: Hypothesis favours the bounds
        return "close"
    if not case.mou_sent and data.draw(st.integers(0, 3)) != 1:
        return "mou"
    kinds = []  # the likeliest first: Hypothesis draws the first items of a list more often
    if booked(case):
        kinds += ["hold"] * 12
    if reviewable(case):
        kinds += ["review"] * 8
    if led(case):
        kinds += ["schedule"] * 6
    if unallocated(case):
        kinds += ["allocate"] * 3
    if case.response is None:
        kinds.append("respond")
    kinds += ["refer", "second", "note"]
    if led(case):
        kinds.append("switch")
    if booked(case):
        kinds += ["dna", "cancel"]
    return data.draw(st.sampled_from(kinds))


def unallocated(case):
    return sorted(r for r in case.recipients if case.lead_of(r) is None)


def led(case):
    return sorted(r for r, e in case.engagements.items() if e.lead)


def reviewable(case):
    """Recipients with a lead, two sessions used and nothing booked (a review waits for booked sessions)."""
    waiting = {s.recipient_id for s in case.sessions.values() if s.status is SessionStatus.SCHEDULED}
    return [
        r for r in led(case) if r not in waiting and case.engagements[r].used >= 2 and not case.engagements[r].concluded
    ]


def booked(case):
    return sorted(s.session_id for s in case.sessions.values() if s.status is SessionStatus.SCHEDULED)


def build(data, case_id, case, now):
    """A command for ``case_id`` at ``now``, its choices drawn from what the case holds."""
    kind = choose(data, case)
    hours_late = data.draw(st.sampled_from((0, 0, 6, 30, 100, 400)))
    late = now - dt.timedelta(hours=hours_late) if hours_late else None
    recipients = sorted(case.recipients) if case else []
    officer = data.draw(st.sampled_from(OFFICERS))[0]
    if kind == "receive":
        kind_of_request = data.draw(st.sampled_from(sorted(MEMBERS, key=lambda k: k.value)))
        nation = data.draw(st.sampled_from(("ENG", "SCT")))
        return command(ReceiveRequest, now, kind=kind_of_request, recipients=MEMBERS[kind_of_request],
                       practice_id=PRACTICE, nation=nation, occurred_at=late)  # fmt: skip
    if kind == "respond":
        return command(RespondToRequest, now, occurred_at=late)
    if kind == "mou":
        return command(SendMou, now, terms_version="v1", occurred_at=late)
    if kind == "allocate":
        recipient = data.draw(st.sampled_from(unallocated(case)))
        if data.draw(st.integers(0, 3)) != 2:  # mostly an officer whose background suits (PSN-SKILLS)
            officer = data.draw(st.sampled_from(SUITED[case.recipients[recipient].kind]))
        return command(AllocateOfficer, now, recipient_id=recipient, officer_id=officer)
    if kind == "second":
        return command(AddSecondOfficer, now, officer_id=officer)
    if kind == "schedule":
        starts = now + dt.timedelta(days=data.draw(st.integers(0, 9)), hours=1)
        return command(ScheduleSession, now, session_id=f"s{len(case.sessions) + 1}",
                       recipient_id=data.draw(st.sampled_from(led(case))), starts_at=starts)  # fmt: skip
    if kind in ("hold", "dna", "cancel"):
        session = case.sessions[data.draw(st.sampled_from(booked(case)))]
        if kind == "cancel":
            return command(CancelSession, now, session_id=session.session_id, with_notice=data.draw(st.booleans()))
        when = late if late is not None and late >= session.starts_at else None
        cls = HoldSession if kind == "hold" else MarkDidNotAttend
        return command(cls, max(now, session.starts_at), session_id=session.session_id, occurred_at=when)
    if kind == "switch":
        return command(RequestSwitch, now, recipient_id=data.draw(st.sampled_from(led(case))))
    if kind == "review":
        recipient = data.draw(st.sampled_from(reviewable(case)))
        if data.draw(st.integers(0, 4)) == 0:
            return command(ReviewCommitment, now, recipient_id=recipient, decision=ReviewDecision.CONCLUDE)
        payer = data.draw(st.sampled_from(sorted(Payer, key=lambda p: p.value)))
        funding = Funding(payer, decimal.Decimal("37.5") if payer is Payer.SHARED else decimal.Decimal(0))
        return command(ReviewCommitment, now, recipient_id=recipient, decision=ReviewDecision.EXTEND,
                       sessions=data.draw(st.integers(1, 3)), months=1, funding=funding)  # fmt: skip
    if kind == "refer":
        return command(ReferToService, now, referral_id=f"r{now:%j%H}", recipient_id=data.draw(st.sampled_from(recipients)),
                       service=data.draw(st.sampled_from(("legal", "mediation"))), occurred_at=late)  # fmt: skip
    if kind == "note":
        author = data.draw(st.sampled_from(sorted(case.allocated_officers) or [officer]))
        return command(RecordNote, now, "officer", author, note_id=f"n{now:%j%H}", text="Met.")
    if kind == "close":
        return command(CloseCase, now, outcome=ClosureOutcome.RESOLVED, occurred_at=late)
    return command(DestroyNotes, now, "caldicott_guardian", "cg-1",
                   reason="Asked for erasure." if data.draw(st.booleans()) else None)  # fmt: skip


def run_history(data, length):
    """A history of ``length`` drawn commands through ``PastoralSupport``; returns the log, service, last time."""
    log = EventLog()
    support = PastoralSupport(log, BOOKS)
    for officer_id, background in OFFICERS:
        support.handle(
            command(EnrolOfficer, START - dt.timedelta(days=1), officer_id=officer_id, background=background)
        )
    clocks = dict.fromkeys(CASES, START)
    now = START
    for _ in range(length):
        going_on = [c for c in CASES if (case := support.case(c)) is None or not case.closed]
        case_id = data.draw(st.sampled_from(going_on[:2] if going_on and data.draw(st.integers(0, 7)) != 4 else CASES))
        now = max(now, clocks[case_id]) + dt.timedelta(hours=data.draw(st.integers(1, 30)))
        count("read models: commands tried")
        try:
            built = build(data, case_id, support.case(case_id), now)
            accepted = support.handle(built, case_id)
        except PastoralCoreError:
            continue
        clocks[case_id] = max(clocks[case_id], built.at)
        count("read models: commands accepted")
        if any(isinstance(e, SessionHeld) and e.charge for e in accepted.events):
            count("read models: sessions charged")
    return log, support, now


def models(states, projection, moment):
    day = london_date(moment)
    return (
        ResponseTimes.of(states, moment, BOOKS),
        OfficerLoads.of(states, moment, limit=1),
        Allowances.of(states, day, BOOKS),
        Payments.of(projection),
        NotesDue.of(states, day.replace(year=day.year + 7)),
    )


def is_late(record, records):
    """Whether a record's fact happened before a fact already recorded in its stream."""
    earlier = [r for r in records if r.stream_id == record.stream_id and r.position < record.position]
    return any(occurred_at(r) > occurred_at(record) for r in earlier)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data(), length=st.integers(5, 50), cut=st.floats(0, 1), ahead=st.integers(-200, 2000))
def test_batch_rebuild_equals_a_record_at_a_time_and_an_earlier_projection_never_changes(data, length, cut, ahead):
    log, support, end = run_history(data, length)
    records = log.read_all()
    moment = end + dt.timedelta(hours=ahead)
    count("read models: histories tried")
    count("read models: late entries accepted", sum(1 for r in records if is_late(r, records)))

    at_once = Projection.build(CASE, records)
    one_by_one = functools.reduce(lambda p, r: p.apply(r), records, Projection(CASE))
    assert at_once == one_by_one
    expected = models(at_once.states, at_once, moment)
    assert models(one_by_one.states, one_by_one, moment) == expected
    assert models(support.cases(), at_once, moment) == expected  # from the cases the service keeps

    split = int(cut * len(records))
    earlier = Projection.build(CASE, records[:split])
    before = (dict(earlier.folded), dict(earlier.records), models(earlier.states, earlier, moment))
    later = functools.reduce(lambda p, r: p.apply(r), records[split:], earlier)
    assert (dict(earlier.folded), dict(earlier.records), models(earlier.states, earlier, moment)) == before
    assert models(later.states, later, moment) == expected

    responses, loads, allowances, payments, notes = expected
    for row in responses.rows:
        assert row.in_time + row.late + row.open + row.overdue == row.requests
    assert sum(r.requests for r in responses.rows) == len(at_once.states)
    charged = [r.event.charge.total for r in records if isinstance(r.event, SessionHeld) and r.event.charge]
    assert sum((row.amount for row in payments.rows), decimal.Decimal(0)) == sum(charged, decimal.Decimal(0))
    for model in expected:
        for row in model.to_rows():
            assert tuple(row) == model.columns
    if any(row.review_due for row in allowances.rows):
        count("read models: histories with a review due")
    if payments.rows:
        count("read models: histories with money")
    if loads.rows and notes.rows:
        count("read models: histories with notes due")
