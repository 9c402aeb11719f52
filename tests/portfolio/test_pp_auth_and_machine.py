"""AUTH over every Portfolio Plus command x role, and a state machine on a member."""

import datetime as dt

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from pastoral_core import EventLog, Role, execute, fold
from pastoral_core.eventlog import dumps, loads
from pastoral_core.portfolio import (
    MEMBER,
    MEMBER_COMMANDS,
    OPPORTUNITY,
    OPPORTUNITY_COMMANDS,
    PORTFOLIO_PERMISSIONS,
    AnswerIntroduction,
    AssignTeamMember,
    HoldOneToOne,
    IntroduceToOpportunity,
    IntroductionResponse,
    LinkPeerGroup,
    OneToOneHeld,
    Outcome,
    OutcomeRecorded,
    PortfolioContext,
    PostOpportunity,
    RecordOutcome,
    ReviewOpportunity,
    SignUpMember,
    TeamMemberAssigned,
    Topic,
    UpdateOpportunity,
    UpdateProfile,
    WithdrawOpportunity,
)
from pastoral_core.rules import Refused
from pastoral_core.testing import assert_permission_enforced
from tests.portfolio.helpers import PROFILE, TODAY, listing, member, post, run
from tests.support.helpers import at, command

LISTINGS = {"o1": run(OPPORTUNITY, [post(listing())])[1]}
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
    IntroduceToOpportunity: {"introduction_id": "i1", "opportunity_id": "o1"},
    AnswerIntroduction: {"introduction_id": "i1", "response": IntroductionResponse.INTERESTED},
    LinkPeerGroup: {"group_id": "g1"},
    RecordOutcome: {"outcome": Outcome.REDUCED_HOURS, "as_of": dt.date(2027, 2, 20)},
}
ACTORS = {Role.TEAM_MEMBER: "tm-1", Role.MEMBER: "m-1"}


def test_every_portfolio_command_has_a_permission_and_a_sample():
    assert {c.__name__ for c in (*OPPORTUNITY_COMMANDS, *MEMBER_COMMANDS)} == set(PORTFOLIO_PERMISSIONS.table)
    assert set(FIELDS) == {*OPPORTUNITY_COMMANDS, *MEMBER_COMMANDS}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("cls", [*OPPORTUNITY_COMMANDS, *MEMBER_COMMANDS], ids=lambda c: c.__name__)
def test_AUTH_every_portfolio_command_by_every_role(cls, role):
    permission = PORTFOLIO_PERMISSIONS.table[cls.__name__]
    if cls in OPPORTUNITY_COMMANDS:
        decider, state = OPPORTUNITY, LISTINGS["o1"]
    else:
        intro = command(IntroduceToOpportunity, TODAY, introduction_id="i1", opportunity_id="o1")
        decider, state = (
            MEMBER,
            member(command(AssignTeamMember, at(2027, 2, 2), team_member_id="tm-1"), intro, context=CONTEXT)[1],
        )
    c = command(cls, TODAY, role=role, actor=ACTORS.get(role, "coord-1"), **FIELDS[cls])
    refused = assert_permission_enforced(decider, state, c, CONTEXT, PORTFOLIO_PERMISSIONS)
    assert (refused is not None and refused.rule_ids == ("AUTH",)) or role.value in permission.roles


class MemberMachine(RuleBasedStateMachine):
    """Random member commands; no one-to-one before a team member, outcomes in order, replay."""

    def __init__(self):
        super().__init__()
        self.clock = at(2027, 1, 10)
        self.log = EventLog()
        self.state = MEMBER.initial
        self.n = 0
        self.team_assigned = False
        self.apply(command(SignUpMember, self.clock, member_id="m-1", profile=PROFILE))

    def apply(self, c):
        try:
            events = [r.event for r in execute(self.log, MEMBER, "m-1", c, CONTEXT)]
        except Refused:
            return
        for event in events:
            if isinstance(event, OneToOneHeld):
                assert self.team_assigned, "one-to-one before a team member"
            if isinstance(event, TeamMemberAssigned):
                self.team_assigned = True
        self.state = fold(MEMBER.evolve, self.state, events)

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
        self.apply(
            command(
                HoldOneToOne, self.clock, role=Role.TEAM_MEMBER, actor=actor, session_id=f"s{self.next()}", topic=topic
            )
        )

    @rule(value=st.sampled_from(Outcome), days_back=st.integers(0, 90))
    def record_outcome(self, value, days_back):
        self.apply(
            command(RecordOutcome, self.clock, outcome=value, as_of=self.clock.date() - dt.timedelta(days=days_back))
        )

    @rule()
    def introduce(self):
        self.apply(command(IntroduceToOpportunity, self.clock, introduction_id=f"i{self.next()}", opportunity_id="o1"))

    @invariant()
    def outcomes_are_in_time_order(self):
        dates = [o.as_of for o in self.state.outcomes]
        assert dates == sorted(dates)
        assert all(isinstance(o, OutcomeRecorded) for o in self.state.outcomes)

    @invariant()
    def replay_equals_live(self):
        records = loads(dumps(self.log.read_stream("m-1")))
        assert fold(MEMBER.evolve, MEMBER.initial, (r.event for r in records)) == self.state


MemberMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)
TestMemberMachine = MemberMachine.TestCase
