import datetime as dt

import attrs
import pytest

from pastoral_core import RuleFlagged
from pastoral_core.kernel import handles
from pastoral_core.rules import Refused
from pastoral_core.testing import Scenario, assert_permission_enforced, run_commands
from tests.toy import CONTEXT, TALLY, Counted, NearLimit, Tally, ToyRole, counting

AT = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)


def scenario():
    return Scenario(TALLY, CONTEXT)


def test_given_when_then_accepts_matching_events_and_returns_the_decision():
    decision = (
        scenario()
        .given(Counted(5), Counted(2))
        .when(counting("c1", 1, AT))
        .then(Counted(1), NearLimit(8), RuleFlagged("TOY-LIMIT", "8 is near 10", AT))
    )
    assert decision.rulebook == "TOY v1"
    assert [v.rule_id for v in decision.verdicts] == ["AUTH", "TOY-POSITIVE", "TOY-LIMIT", "TOY-LIMIT"]


def test_given_accumulates_and_state_folds_it_with_the_kernels_flags():
    s = scenario().given(Counted(5)).given(Counted(2), RuleFlagged("TOY-LIMIT", "x", AT))
    assert s.state() == Tally(7)
    assert s.folded().flagged == frozenset({"TOY-LIMIT"})


def test_the_history_can_be_given_as_commands_and_events_in_order():
    s = scenario().given(Counted(1)).given_commands(counting("c1", 2, AT)).given(Counted(3))
    assert s.history == (Counted(1), Counted(2), Counted(3))
    with pytest.raises(Refused):
        scenario().given_commands(counting("c1", 11, AT))


def test_then_shows_a_field_diff_on_mismatch():
    with pytest.raises(AssertionError) as failure:
        scenario().when(counting("c1", 3, AT)).then(Counted(4))
    message = str(failure.value)
    assert message.startswith("events differ:")
    assert "-    by=4," in message and "+    by=3," in message


def test_then_fails_clearly_when_the_command_is_refused():
    with pytest.raises(AssertionError, match="expected events, but the command was refused by 1 rule"):
        scenario().given(Counted(10)).when(counting("c1", 1, AT)).then(Counted(1))


def test_then_refused_matches_rule_ids_in_any_order():
    refused = scenario().given(Counted(11)).when(counting("c1", 0, AT)).then_refused("TOY-LIMIT", "TOY-POSITIVE")
    assert "TOY-LIMIT (DERIVED a toy) deny: 11 of 10" in str(refused)
    assert "TOY-POSITIVE (DERIVED a toy) deny: count by 0" in str(refused)


def test_then_refused_fails_on_other_rules():
    with pytest.raises(AssertionError, match="refused by other rules") as failure:
        scenario().when(counting("c1", 0, AT)).then_refused("TOY-LIMIT")
    assert "+'TOY-POSITIVE'" in str(failure.value)


def test_then_refused_fails_when_the_command_is_accepted():
    with pytest.raises(AssertionError, match="expected refusal by TOY-LIMIT, but the command was accepted") as failure:
        scenario().when(counting("c1", 1, AT)).then_refused("TOY-LIMIT")
    assert "Counted(" in str(failure.value)


def test_a_scenario_without_a_command_says_so():
    with pytest.raises(AssertionError, match=r"call \.when\(command\) first"):
        scenario().given(Counted(1)).then()


def test_run_commands_builds_a_history_and_refuses_a_refused_command():
    events, state = run_commands(TALLY, CONTEXT, counting("c1", 5, AT), counting("c2", 2, AT))
    assert events == (Counted(5), Counted(2)) and state == Tally(7)
    with pytest.raises(Refused):
        run_commands(TALLY, CONTEXT, counting("c1", 11, AT))


def test_assert_permission_enforced_holds_for_the_table_and_catches_a_table_that_is_not_enforced():
    clerk = counting("c1", 1, AT, role=ToyRole.CLERK)
    refused = assert_permission_enforced(TALLY, TALLY.fold(()), clerk, CONTEXT)
    assert refused.rule_ids == ("AUTH",)
    assert assert_permission_enforced(TALLY, TALLY.fold(()), counting("c2", 1, AT), CONTEXT) is None

    def refuses_coordinators(tally, command, context, judge):
        judge.refuse_unless(False, "a coordinator may not Count here", invalid_input=True)

    broken = attrs.evolve(
        TALLY, commands={**TALLY.commands, type(clerk): handles(refuses_coordinators, ToyRole.COORDINATOR)}
    )
    with pytest.raises(AssertionError, match="a coordinator may Count, but was refused for their role"):
        assert_permission_enforced(broken, broken.fold(()), counting("c3", 1, AT), CONTEXT)
