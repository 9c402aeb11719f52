"""AUTH over every Portfolio Plus command x role from the tables; SCOPE; a state machine on a member."""

import collections
import datetime as dt

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from pastoral_core import EventLog, Folded, execute
from pastoral_core.eventlog import dumps, loads
from pastoral_core.kernel import decide
from pastoral_core.portfolio import (
    MEMBER,
    OPPORTUNITY,
    AnswerIntroduction,
    AssignTeamMember,
    CareerOutcome,
    HoldOneToOne,
    IntroduceToOpportunity,
    IntroductionResponse,
    LinkPeerGroup,
    OneToOneHeld,
    OutcomeRecorded,
    PortfolioContext,
    PortfolioRole,
    PostOpportunity,
    RecordOutcome,
    ReviewOpportunity,
    SignUpMember,
    TeamMemberAssigned,
    Topic,
    UpdateOpportunity,
    UpdateProfile,
    WithdrawOpportunity,
    members_from,
)
from pastoral_core.rules import Outcome, Refused
from pastoral_core.testing import assert_permission_enforced
from tests.builders import at, command
from tests.portfolio.helpers import PROFILE, TODAY, listing, member, post, run

# Posted before the machine's clock starts and open for most of the year it walks through.
OPEN_LISTING = listing(closing=dt.date(2027, 9, 30), starts=dt.date(2027, 10, 1))
LISTINGS = {name: run(OPPORTUNITY, [post(OPEN_LISTING, at(2027, 1, 1))])[1] for name in ("o1", "o2")}
CONTEXT = PortfolioContext(listings=LISTINGS)
FIELDS = {
    PostOpportunity: {"listing": listing()},
    UpdateOpportunity: {"listing": listing(title="Salaried GP, 3 sessions")},
    ReviewOpportunity: {},
    WithdrawOpportunity: {"reason": "filled"},
    SignUpMember: {"member_id": "m-1", "profile": PROFILE},
    UpdateProfile: {"profile": PROFILE},
    AssignTeamMember: {"team_member_id": "tm-2"},
    HoldOneToOne: {"session_id": "o1", "topic": Topic.TRAINING},
    IntroduceToOpportunity: {"introduction_id": "i2", "opportunity_id": "o2"},
    AnswerIntroduction: {"introduction_id": "i1", "response": IntroductionResponse.INTERESTED},
    LinkPeerGroup: {"group_id": "g1"},
    RecordOutcome: {"outcome": CareerOutcome.REDUCED_HOURS, "as_of": dt.date(2027, 2, 20)},
}
ACTORS = {PortfolioRole.TEAM_MEMBER: "tm-1", PortfolioRole.MEMBER: "m-1"}
TABLES = [(OPPORTUNITY, cls) for cls in OPPORTUNITY.commands] + [(MEMBER, cls) for cls in MEMBER.commands]
INTRODUCED = member(
    command(AssignTeamMember, at(2027, 2, 2), team_member_id="tm-1"),
    command(IntroduceToOpportunity, TODAY, introduction_id="i1", opportunity_id="o1"),
    context=CONTEXT,
)[1]


def folded_for(aggregate, cls):
    if aggregate is OPPORTUNITY:
        return Folded(OPPORTUNITY.initial) if cls is PostOpportunity else Folded(LISTINGS["o1"])
    return Folded(MEMBER.initial) if cls is SignUpMember else Folded(INTRODUCED)


def test_every_command_of_every_table_has_a_handler_roles_and_a_sample():
    for aggregate, cls in TABLES:
        row = aggregate.commands[cls]
        assert callable(row.handler), cls
        assert row.roles and row.roles <= set(PortfolioRole), cls
        assert row.scope is not None or not row.roles & aggregate.scoped_roles, cls
    assert set(FIELDS) == {cls for _, cls in TABLES}


@pytest.mark.parametrize("role", list(PortfolioRole), ids=lambda r: r.value)
@pytest.mark.parametrize(("aggregate", "cls"), TABLES, ids=[f"{a.name}.{c.__name__}" for a, c in TABLES])
def test_AUTH_every_command_by_every_role_is_refused_or_accepted_exactly_as_the_table_says(aggregate, cls, role):
    row = aggregate.commands[cls]
    c = command(cls, TODAY, role=role, actor=ACTORS.get(role, "coord-1"), **FIELDS[cls])
    refused = assert_permission_enforced(aggregate, folded_for(aggregate, cls), c, CONTEXT)
    if role in row.roles:
        assert refused is None, refused  # on a history where the command fits, an allowed role is accepted
    else:
        assert refused.rule_ids == ("AUTH",)


# -- SCOPE: a team member acts for their members, a member for themselves ----------------------

TEAM_COMMANDS = [
    cls for cls, row in MEMBER.commands.items() if PortfolioRole.TEAM_MEMBER in row.roles and cls is not SignUpMember
]
#: The rule a team member acting for someone else's member is refused under: SCOPE, except
#: for a one-to-one, which PP-TEAM itself names (the member's linked team member holds it).
SCOPE_RULE = {HoldOneToOne: "PP-TEAM"}


def test_SCOPE_the_team_commands_are_the_ones_expected():
    """So the parametrised SCOPE test below cannot silently shrink."""
    assert set(TEAM_COMMANDS) == {
        UpdateProfile,
        HoldOneToOne,
        IntroduceToOpportunity,
        AnswerIntroduction,
        LinkPeerGroup,
        RecordOutcome,
    }


@pytest.mark.parametrize("cls", TEAM_COMMANDS, ids=lambda c: c.__name__)
def test_SCOPE_a_team_member_who_is_not_the_members_is_refused_and_the_linked_one_is_not(cls):
    row = MEMBER.commands[cls]
    expected = SCOPE_RULE.get(cls, "SCOPE")
    assert (row.scope_rule.rule_id if row.scope_rule else "SCOPE") == expected  # the table says so too
    other = command(cls, TODAY, role="team_member", actor="tm-2", **FIELDS[cls])
    with pytest.raises(Refused) as refused:
        decide(MEMBER, Folded(INTRODUCED), other, CONTEXT)
    assert refused.value.rule_ids == (expected,)
    assert "tm-2 is not this member's team member" in str(refused.value)
    linked = command(cls, TODAY, role="team_member", actor="tm-1", **FIELDS[cls])
    accepted = decide(MEMBER, Folded(INTRODUCED), linked, CONTEXT)
    assert [(v.rule_id, v.outcome) for v in accepted.verdicts[:2]] == [("AUTH", Outcome.PASS), (expected, Outcome.PASS)]
    assert "tm-1 acts as team_member here" in accepted.verdicts[1].message


@pytest.mark.parametrize("cls", TEAM_COMMANDS, ids=lambda c: c.__name__)
def test_SCOPE_no_team_member_acts_for_a_member_nobody_is_linked_to(cls):
    unlinked = member(context=CONTEXT)[1]
    c = command(cls, TODAY, role="team_member", actor="tm-1", **FIELDS[cls])
    with pytest.raises(Refused) as refused:
        decide(MEMBER, Folded(unlinked), c, CONTEXT)
    assert refused.value.rule_ids == (SCOPE_RULE.get(cls, "SCOPE"),)


def test_SCOPE_a_team_member_may_sign_a_member_up_before_anyone_is_linked():
    sign_up = command(SignUpMember, TODAY, role="team_member", actor="tm-9", member_id="m-1", profile=PROFILE)
    assert decide(MEMBER, Folded(MEMBER.initial), sign_up, CONTEXT).events


@pytest.mark.parametrize(
    "cls", [c for c, row in MEMBER.commands.items() if PortfolioRole.MEMBER in row.roles], ids=lambda c: c.__name__
)
def test_SCOPE_a_member_acts_only_for_themselves(cls):
    folded = folded_for(MEMBER, cls)
    other = command(cls, TODAY, role="member", actor="m-2", **FIELDS[cls])
    with pytest.raises(Refused) as refused:
        decide(MEMBER, folded, other, CONTEXT)
    assert refused.value.rule_ids == ("SCOPE",)
    assert "a member acts only for themselves" in str(refused.value)
    assert decide(MEMBER, folded, command(cls, TODAY, role="member", actor="m-1", **FIELDS[cls]), CONTEXT).events


def test_a_member_is_bound_to_the_stream_it_is_sent_to():
    log = EventLog()
    sign_up = command(SignUpMember, TODAY, member_id="m-1", profile=PROFILE)
    with pytest.raises(Refused, match="SignUpMember.member_id names another Member") as refused:
        execute(log, MEMBER, "m-2", sign_up, CONTEXT)
    assert refused.value.rule_ids == ("INPUT",) and len(log) == 0
    assert execute(log, MEMBER, "m-1", sign_up, CONTEXT).records[0].stream_id == "member-m-1"
    assert set(members_from(log.read_all())) == {"m-1"}


# -- a member over time ------------------------------------------------------------------------

#: Accepted commands by kind, over every run of the machine in this test session.
ACCEPTED: collections.Counter = collections.Counter()
#: What the invariants rely on: each must be accepted at least once across the runs.
RELIED_ON = (AssignTeamMember, HoldOneToOne, IntroduceToOpportunity, AnswerIntroduction, RecordOutcome, LinkPeerGroup)


class MemberMachine(RuleBasedStateMachine):
    """Random member commands: no one-to-one but with the linked team member, outcomes in order, replay."""

    def __init__(self):
        super().__init__()
        self.clock = at(2027, 1, 10)
        self.log = EventLog()
        self.state = MEMBER.initial
        self.n = 0
        self.team_member = None
        assert self.apply(command(SignUpMember, self.clock, member_id="m-1", profile=PROFILE)) is None

    def apply(self, c):
        """Execute ``c`` on member m-1; the refusal, or ``None`` if it was accepted."""
        written = len(self.log)
        try:
            events = execute(self.log, MEMBER, "m-1", c, CONTEXT).events
        except Refused as refused:
            assert "TIME" not in refused.rule_ids, "the machine's clock went backwards"
            assert len(self.log) == written
            return refused
        ACCEPTED[type(c)] += 1
        for event in events:
            if isinstance(event, OneToOneHeld):
                assert self.team_member is not None, "one-to-one before a team member"
                assert c.role is PortfolioRole.COORDINATOR or c.actor == self.team_member, "with someone else's member"
            if isinstance(event, TeamMemberAssigned):
                self.team_member = event.team_member_id
        self.state = MEMBER.fold(events, Folded(self.state)).state
        return None

    def next(self):
        self.n += 1
        return self.n

    @rule(days=st.integers(0, 60))
    def time_passes(self, days):
        self.clock += dt.timedelta(days=days)

    @rule(team_member=st.sampled_from(["tm-1", "tm-2"]))
    def assign(self, team_member):
        self.apply(command(AssignTeamMember, self.clock, team_member_id=team_member))

    @rule(actor=st.sampled_from(["tm-1", "tm-2"]), topic=st.sampled_from(Topic))
    def one_to_one(self, actor, topic):
        refused = self.apply(
            command(
                HoldOneToOne, self.clock, role="team_member", actor=actor, session_id=f"s{self.next()}", topic=topic
            )
        )
        # A new session with the linked team member is held; anyone else is refused by PP-TEAM alone.
        if actor == self.team_member:
            assert refused is None, refused
        else:
            assert refused is not None and refused.rule_ids == ("PP-TEAM",), refused or "accepted"

    @rule(value=st.sampled_from(CareerOutcome), days_back=st.integers(0, 90))
    def record_outcome(self, value, days_back):
        as_of = self.clock.date() - dt.timedelta(days=days_back)
        last = self.state.outcomes[-1].as_of if self.state.outcomes else self.state.signed_up_on
        refused = self.apply(command(RecordOutcome, self.clock, outcome=value, as_of=as_of))
        # In time order (on or after the last outcome, or the sign-up) it is accepted; earlier, PP-OUTCOME refuses.
        if as_of >= last:
            assert refused is None, refused
        else:
            assert refused is not None and refused.rule_ids == ("PP-OUTCOME",), refused or "accepted"

    @rule(actor=st.sampled_from(["coord-1", "tm-1", "tm-2"]), opportunity=st.sampled_from(["o1", "o2"]))
    def introduce(self, actor, opportunity):
        role = "coordinator" if actor == "coord-1" else "team_member"
        self.apply(
            command(
                IntroduceToOpportunity,
                self.clock,
                role=role,
                actor=actor,
                introduction_id=f"i{self.next()}",
                opportunity_id=opportunity,
            )
        )

    @precondition(lambda self: self.state.introductions)
    @rule(data=st.data(), response=st.sampled_from(IntroductionResponse))
    def answer(self, data, response):
        introduction = data.draw(st.sampled_from(sorted(self.state.introductions)))
        self.apply(
            command(
                AnswerIntroduction,
                self.clock,
                role="member",
                actor="m-1",
                introduction_id=introduction,
                response=response,
            )
        )

    @rule(group=st.sampled_from(["g1", "g2"]))
    def link_peer_group(self, group):
        self.apply(command(LinkPeerGroup, self.clock, group_id=group))

    @invariant()
    def outcomes_are_in_time_order(self):
        dates = [o.as_of for o in self.state.outcomes]
        assert dates == sorted(dates)
        assert all(isinstance(o, OutcomeRecorded) for o in self.state.outcomes)

    @invariant()
    def answers_are_to_introductions_made(self):
        assert set(self.state.answers) <= set(self.state.introductions)

    @invariant()
    def replay_equals_live(self):
        records = self.log.read_stream("member-m-1")
        assert MEMBER.replay(records).state == self.state
        assert MEMBER.replay(loads(dumps(records))).state == self.state


def test_member_machine_keeps_its_invariants_and_reaches_every_rule_it_relies_on():
    ACCEPTED.clear()
    run_state_machine_as_test(
        MemberMachine, settings=settings(max_examples=60, stateful_step_count=60, deadline=None, derandomize=True)
    )
    never = [k.__name__ for k in RELIED_ON if not ACCEPTED[k]]
    assert not never, f"never accepted in any run: {never} (accepted: {dict(ACCEPTED)})"
