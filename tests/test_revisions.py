"""Every rule with a parameter, revised from 1 April 2027: the verdict and the decision change together.

Each row revises one parameter in a version 2 in force from Thursday 1 April 2027 (the
week after Easter, so working days bite) and decides the same command dated Wednesday
31 March, under version 1, and dated 1 April, under version 2. The decision differs
(accepted or refused, flagged or not, a different date or amount) and the rule's verdict
quotes the version and the value that decided, each time.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from pastoral_core.exceptions import Refused
from pastoral_core.kernel import Aggregate, RuleFlagged, decide
from pastoral_core.peer_groups import (
    ENGLAND_REGIONS,
    PEER_GROUP,
    PROGRAMME,
    AppointFacilitator,
    EligibleAttendees,
    EnglandRemit,
    EnrolAttendee,
    Evaluation,
    FacilitatorTariff,
    Frequency,
    FundingCap,
    GroupSize,
    HoldMeeting,
    MeetingLength,
    OpenEvaluationRound,
    PeerSupportContext,
    PlanSeries,
    Profession,
    ProgrammeCapacity,
    RoundKind,
    StartProgramme,
    Tariff,
)
from pastoral_core.portfolio import (
    MEMBER,
    PORTFOLIO_PLUS_V1,
    Intent,
    Membership,
    PortfolioContext,
    Profile,
    SignUpMember,
)
from pastoral_core.rules import LateEntry, Override, Rule, Rulebook, Rulebooks, parameters_of, render_parameter
from pastoral_core.support import (
    CASE,
    DEVON_PSN_V1,
    ChargeableServices,
    CloseCase,
    Closure,
    ClosureOutcome,
    Confidentiality,
    CostShare,
    DisclosureBasis,
    Funding,
    HoldSession,
    NoteLength,
    NoteRetention,
    NoteScreen,
    Payer,
    RecordDisclosure,
    RecordDispute,
    RecordNote,
    ReferToService,
    ResponseTime,
    ReviewCommitment,
    ReviewDecision,
    ScheduleSession,
    SecondOfficer,
    SeparateOfficers,
    SessionAllowance,
    SkillsMatch,
    SupportContext,
    WiderNetworkReferral,
)
from pastoral_core.testing import run_commands
from tests.builders import at, command
from tests.peer_groups import helpers as groups
from tests.support.helpers import (
    DIRECTORY,
    GP_A,
    GP_B,
    WEEKLY,
    allocate,
    gp_request,
    hold,
    mou,
    officer_command,
    practice_request,
    schedule,
    sessions_held,
)

EFFECTIVE = dt.date(2027, 4, 1)
BEFORE = at(2027, 3, 31, 10)  # Wednesday: version 1
ON = at(2027, 4, 1, 10)  # Thursday: version 2

PSN_RATE = DEVON_PSN_V1.adapted("TEST_PSN", CostShare(session_rate=Decimal("75.00")))
GPS = groups.BOOKS.versions[0]


@attrs.frozen
class Revision:
    """One parameter revised: the command before and on the effective date, and what the user sees."""

    rule: Rule  # the revised rule (version 2)
    parameter: str
    aggregate: Aggregate
    context: Callable[[Rulebooks], Any]
    history: Callable[[], list]  # commands, all dated before 31 March 2027
    command: Callable[[dt.datetime], Any]
    seen: Callable[[Any], object]  # what changes, from the Decision or Refused
    v1: object
    v2: object
    base: Rulebook = PSN_RATE


def outcome(result):
    if isinstance(result, Refused):
        return "refused by " + ", ".join(result.rule_ids)
    flags = sorted(e.rule_id for e in result.events if isinstance(e, RuleFlagged))
    return "accepted" + (f", flagged {', '.join(flags)}" if flags else "")


def first_event(attribute):
    def seen(result):
        return outcome(result) if isinstance(result, Refused) else getattr(result.events[0], attribute)

    return seen


def support(books):
    return SupportContext(books, DIRECTORY)


def peer_groups(books):
    return PeerSupportContext(books, groups.context().programmes)


def opened():
    return [gp_request(at(2027, 1, 11)), mou(at(2027, 1, 11)), allocate(GP_A, "off-gp-1", at(2027, 1, 11))]


def extended():
    review = command(
        ReviewCommitment,
        at(2027, 3, 1),
        recipient_id=GP_A,
        decision=ReviewDecision.EXTEND,
        sessions=2,
        months=2,
        funding=Funding(Payer.LMC),
    )
    return [*opened(), *sessions_held(GP_A, WEEKLY), review, schedule("x1", GP_A, at(2027, 3, 30, 9))]


def practice_case():
    return [practice_request(at(2027, 3, 18)), mou(at(2027, 3, 18))]


ROWS = {
    "PSN-RESPONSE": Revision(
        ResponseTime(working_days=3),
        "working_days",
        CASE,
        support,
        list,
        lambda when: gp_request(when),
        lambda result: result.events[0].response_due_at.date(),
        dt.date(2027, 4, 2),  # Wed 31 Mar + 2 working days: Thu 1, Fri 2 April
        dt.date(2027, 4, 6),  # Thu 1 Apr + 3: Fri 2, Mon 5, Tue 6 April (2027's Easter was a week before)
    ),
    "PSN-SKILLS": Revision(
        SkillsMatch(overridable=False),
        "overridable",
        CASE,
        support,
        lambda: [gp_request(at(2027, 3, 30)), mou(at(2027, 3, 30))],
        lambda when: allocate(
            GP_A, "off-lay-1", when, overrides=(Override("PSN-SKILLS", "only officer free this month", "coord-1"),)
        ),
        outcome,
        "accepted",
        "refused by PSN-SKILLS",
    ),
    "PSN-SEPARATE": Revision(
        SeparateOfficers(enabled=False),
        "enabled",
        CASE,
        support,
        lambda: [
            *practice_case(),
            allocate(GP_A, "off-gp-1", at(2027, 3, 18)),
            command(RecordDispute, at(2027, 3, 19), party_ids=frozenset({GP_A, GP_B})),
        ],
        lambda when: allocate(GP_B, "off-gp-1", when),
        outcome,
        "refused by PSN-SEPARATE",
        "accepted, flagged PSN-SECOND",
    ),
    "PSN-SECOND": Revision(
        SecondOfficer(flag_after_working_days=10),
        "flag_after_working_days",
        CASE,
        support,
        practice_case,  # received Thursday 18 March 2027
        lambda when: mou(when),
        outcome,
        "accepted, flagged PSN-SECOND",  # 7 working days by 31 March (Good Friday and Easter Monday skipped)
        "accepted",  # 8 by 1 April, within version 2's 10
    ),
    "PSN-ALLOWANCE": Revision(
        SessionAllowance(sessions=8, months=4),
        "sessions",
        CASE,
        support,
        lambda: [*opened(), *sessions_held(GP_A, WEEKLY)],
        lambda when: command(ScheduleSession, when, session_id="s7", recipient_id=GP_A, starts_at=when),
        outcome,
        "refused by PSN-ALLOWANCE",
        "accepted",
    ),
    "PSN-COST-SHARE": Revision(
        CostShare(session_rate=Decimal("80.00")),
        "session_rate",
        CASE,
        support,
        extended,
        lambda when: hold("x1", when),
        lambda result: result.events[0].charge.total,
        Decimal("75.00"),
        Decimal("80.00"),
    ),
    "PSN-REFERRAL": Revision(
        WiderNetworkReferral(services=("occupational_health", "career_counselling", "mediation")),
        "services",
        CASE,
        support,
        opened,
        lambda when: command(ReferToService, when, referral_id="r1", recipient_id=GP_A, service="legal"),
        outcome,
        "accepted",
        "refused by PSN-REFERRAL",
    ),
    "PSN-CHARGE": Revision(
        ChargeableServices(chargeable=("legal",)),
        "chargeable",
        CASE,
        support,
        opened,
        lambda when: command(ReferToService, when, referral_id="r1", recipient_id=GP_A, service="legal"),
        first_event("charged_to"),
        None,
        GP_A,
    ),
    "PSN-NOTE-LIMITED": Revision(
        NoteLength(max_chars=40),
        "max_chars",
        CASE,
        support,
        opened,
        lambda when: officer_command(
            RecordNote, "off-gp-1", when, note_id="n1", text="Discussed returning to four sessions a week."
        ),
        outcome,
        "accepted",
        "refused by PSN-NOTE-LIMITED",
    ),
    "PSN-NOTE-SENSITIVE": Revision(
        NoteScreen(terms=("Exeter Road",)),
        "terms",
        CASE,
        support,
        opened,
        lambda when: officer_command(
            RecordNote, "off-gp-1", when, note_id="n1", text="Met at the Exeter Road surgery."
        ),
        outcome,
        "accepted",
        "refused by PSN-NOTE-SENSITIVE",
    ),
    "PSN-RETENTION": Revision(
        NoteRetention(years=8),
        "years",
        CASE,
        support,
        opened,
        lambda when: command(CloseCase, when, outcome=ClosureOutcome.RESOLVED),
        first_event("retain_until"),
        dt.date(2033, 3, 31),
        dt.date(2035, 4, 1),
    ),
    "PSN-CLOSE": Revision(
        Closure(outcomes=(ClosureOutcome.RESOLVED, ClosureOutcome.WITHDRAWN)),
        "outcomes",
        CASE,
        support,
        opened,
        lambda when: command(CloseCase, when, outcome=ClosureOutcome.COMPROMISE),
        outcome,
        "accepted",
        "refused by PSN-CLOSE",
    ),
    "PSN-CONFIDENTIAL": Revision(
        Confidentiality(bases=(DisclosureBasis.CONSENT,)),
        "bases",
        CASE,
        support,
        opened,
        lambda when: command(
            RecordDisclosure, when, disclosure_id="d1", recipient_body="GMC", basis=DisclosureBasis.LEGAL_DUTY
        ),
        outcome,
        "accepted",
        "refused by PSN-CONFIDENTIAL",
    ),
    "TIME": Revision(
        LateEntry(max_days=7),
        "max_days",
        CASE,
        support,
        lambda: [*opened(), schedule("s1", GP_A, at(2027, 3, 29, 9))],
        # Held on the day, entered ten days later: version 1 allows 31 days, version 2 seven.
        lambda when: officer_command(
            HoldSession, "off-gp-1", when + dt.timedelta(days=10), session_id="s1", occurred_at=when
        ),
        outcome,
        "accepted",
        "refused by TIME",
    ),
    "GPS-REMIT": Revision(
        EnglandRemit(regions=tuple(r for r in ENGLAND_REGIONS if r != "London")),
        "regions",
        PROGRAMME,
        peer_groups,
        list,
        lambda when: groups.lead(
            StartProgramme, when, funder="php-gph", starts_on=EFFECTIVE, regions=frozenset({"London", "North West"})
        ),
        outcome,
        "accepted",
        "refused by GPS-REMIT",
        GPS,
    ),
    "GPS-CAPACITY": Revision(
        ProgrammeCapacity(groups=40, years=3),
        "groups",
        PROGRAMME,
        peer_groups,
        list,
        lambda when: groups.lead(StartProgramme, when, funder="php-gph", starts_on=EFFECTIVE),
        lambda result: (result.events[0].group_capacity, result.events[0].ends_before),
        (50, dt.date(2032, 4, 1)),
        (40, dt.date(2030, 4, 1)),
        GPS,
    ),
    "GPS-FUNDING-CAP": Revision(
        FundingCap(minutes=1200),
        "minutes",
        PROGRAMME,
        peer_groups,
        list,
        lambda when: groups.lead(StartProgramme, when, funder="php-gph", starts_on=EFFECTIVE),
        first_event("minutes_per_group"),
        900,
        1200,
        GPS,
    ),
    "GPS-ELIGIBLE": Revision(
        EligibleAttendees(professions=(Profession.GP,)),
        "professions",
        PEER_GROUP,
        peer_groups,
        lambda: _group(attendees=()),
        lambda when: command(EnrolAttendee, when, attendee_id="gp-t1", profession=Profession.GP_TRAINEE),
        outcome,
        "accepted",
        "refused by GPS-ELIGIBLE",
        GPS,
    ),
    "GPS-SIZE": Revision(
        GroupSize(circa=10, tolerance=2),
        "circa",
        PEER_GROUP,
        peer_groups,
        lambda: _group(attendees=groups.GPS),  # ten enrolled
        lambda when: command(EnrolAttendee, when, attendee_id="gp-11", profession=Profession.GP),
        outcome,
        "accepted",
        "accepted, flagged GPS-SIZE",
        GPS,
    ),
    "GPS-LENGTH": Revision(
        MeetingLength(minimum_minutes=60),
        "minimum_minutes",
        PEER_GROUP,
        peer_groups,
        lambda: _group(attendees=()),
        lambda when: command(
            PlanSeries,
            when,
            plan_id="short",
            frequency=Frequency.MONTHLY,
            first_at=when + dt.timedelta(days=7),
            count=2,
            minutes=75,
        ),
        outcome,
        "refused by GPS-LENGTH",
        "accepted",
        GPS,
    ),
    "GPS-TARIFF": Revision(
        FacilitatorTariff(
            tariffs=(Tariff(dt.date(2026, 4, 1), Decimal("60.00")), Tariff(dt.date(2027, 4, 1), Decimal("70.00")))
        ),
        "tariffs",
        PEER_GROUP,
        peer_groups,
        lambda: _group(
            command(
                PlanSeries,
                at(2027, 3, 1),
                plan_id="m",
                frequency=Frequency.WEEKLY,
                first_at=at(2027, 3, 31, 9),
                count=1,
            )
        ),
        lambda when: groups.facilitator(HoldMeeting, when, meeting_id="m-1", attendee_ids=frozenset({"gp-1"})),
        first_event("hourly_rate"),
        Decimal("60.00"),
        Decimal("70.00"),
        GPS,
    ),
    "GPS-EVALUATION": Revision(
        Evaluation(instruments=("WEMWBS",)),
        "instruments",
        PEER_GROUP,
        peer_groups,
        lambda: _group(attendees=()),
        lambda when: command(OpenEvaluationRound, when, round_id="b", kind=RoundKind.BASELINE, instrument="CBI"),
        outcome,
        "accepted",
        "refused by GPS-EVALUATION",
        GPS,
    ),
    "PP-MEMBER": Revision(
        Membership(max_sessions=6),
        "max_sessions",
        MEMBER,
        lambda books: PortfolioContext(books),
        list,
        lambda when: command(
            SignUpMember, when, member_id="m-1", profile=Profile(Intent.FLEXIBLE_WORK, frozenset(), "Newark", 8)
        ),
        outcome,
        "accepted",
        "refused by PP-MEMBER",
        PORTFOLIO_PLUS_V1,
    ),
}


def _group(*extra, attendees=("gp-1",)):
    """Commands that set up group g1 with its facilitator and ``attendees``, then ``extra``."""
    return [
        groups.set_up(),
        command(AppointFacilitator, groups.SET_UP_DAY, facilitator_id="fac-1"),
        *[command(EnrolAttendee, at(2026, 5, 2), attendee_id=a, profession=Profession.GP) for a in attendees],
        *extra,
    ]


def decided(row: Revision, when: dt.datetime, books: Rulebooks):
    context = row.context(books)
    events, _ = run_commands(row.aggregate, context, *row.history())
    try:
        return decide(row.aggregate, row.aggregate.fold(events), row.command(when), context)
    except Refused as refused:
        return refused


def quoted(result, rule_id):
    """The parameters the rule's verdict quoted (the decision's or the refusal's)."""
    found = [v for v in result.verdicts if v.rule_id == rule_id]
    assert found, f"no {rule_id} verdict in {result.verdicts}"
    return dict(found[-1].parameters)


@pytest.mark.parametrize("rule_id", sorted(ROWS))
def test_a_revised_parameter_changes_the_decision_and_the_verdict_from_the_effective_date(rule_id):
    row = ROWS[rule_id]
    assert row.rule.rule_id == rule_id
    v1 = row.base
    v2 = v1.revised(2, EFFECTIVE, row.rule)
    books = Rulebooks((v1, v2))
    before, on = decided(row, BEFORE, books), decided(row, ON, books)
    assert (row.seen(before), row.seen(on)) == (row.v1, row.v2)
    for result, book in ((before, v1), (on, v2)):
        parameters = quoted(result, rule_id)
        assert parameters["rulebook"] == book.label
        used = parameters_of(book.rule_by_id(rule_id))[row.parameter]
        assert parameters[row.parameter] == render_parameter(used)


def test_every_rule_with_a_parameter_has_a_revision_row():
    from pastoral_core.peer_groups import PHP_GROUP_PEER_SUPPORT_V1

    covered_elsewhere = {
        "PP-FRESH": "tests/portfolio/test_pp_business_time.py",
        "PP-MATCH": "tests/portfolio/test_pp_business_time.py",
    }
    with_parameters = {
        rule.rule_id
        for book in (DEVON_PSN_V1, PHP_GROUP_PEER_SUPPORT_V1, PORTFOLIO_PLUS_V1)
        for rule in book.rules
        if parameters_of(rule)
    }
    assert with_parameters - set(ROWS) - set(covered_elsewhere) == set()
