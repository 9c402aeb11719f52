import datetime as dt

import pytest

from pastoral_core.testing import Scenario
from tests.toy import BOOKS, TALLY, Count, Counted, NearLimit, Tally

AT = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)


def scenario():
    return Scenario(TALLY, BOOKS)


def test_given_when_then_accepts_matching_events_and_returns_the_decision():
    decision = (
        scenario().given(Counted(5), Counted(2)).when(Count("c1", "coord-1", AT, 1)).then(Counted(1), NearLimit(8))
    )
    assert decision.rulebook == "TOY v1"
    assert [v.rule_id for v in decision.verdicts] == ["TOY-POSITIVE", "TOY-LIMIT"]


def test_given_accumulates_and_state_folds_it():
    s = scenario().given(Counted(5)).given(Counted(2))
    assert s.state() == Tally(7)


def test_then_shows_a_field_diff_on_mismatch():
    with pytest.raises(AssertionError) as failure:
        scenario().when(Count("c1", "coord-1", AT, 3)).then(Counted(4))
    message = str(failure.value)
    assert message.startswith("events differ:")
    assert "-    by=4," in message and "+    by=3," in message


def test_then_fails_clearly_when_the_command_is_refused():
    with pytest.raises(AssertionError, match="expected events, but the command was refused by 1 rule"):
        scenario().given(Counted(10)).when(Count("c1", "coord-1", AT, 1)).then(Counted(1))


def test_then_refused_matches_rule_ids_in_any_order():
    refused = (
        scenario().given(Counted(11)).when(Count("c1", "coord-1", AT, 0)).then_refused("TOY-LIMIT", "TOY-POSITIVE")
    )
    assert "TOY-LIMIT (DERIVED a toy) deny: 11 of 10" in str(refused)
    assert "TOY-POSITIVE (DERIVED a toy) deny: count by 0" in str(refused)


def test_then_refused_fails_on_other_rules():
    with pytest.raises(AssertionError, match="refused by other rules") as failure:
        scenario().when(Count("c1", "coord-1", AT, 0)).then_refused("TOY-LIMIT")
    assert "+'TOY-POSITIVE'" in str(failure.value)


def test_then_refused_fails_when_the_command_is_accepted():
    with pytest.raises(AssertionError, match="expected refusal by TOY-LIMIT, but the command was accepted") as failure:
        scenario().when(Count("c1", "coord-1", AT, 1)).then_refused("TOY-LIMIT")
    assert "Counted(" in str(failure.value)


def test_a_scenario_without_a_command_says_so():
    with pytest.raises(AssertionError, match=r"call \.when\(command\) first"):
        scenario().given(Counted(1)).then()


def test_run_commands_builds_a_history_and_refuses_a_refused_command():
    from pastoral_core.rules import Refused
    from pastoral_core.testing import run_commands

    events, state = run_commands(TALLY, BOOKS, Count("c1", "a", AT, 5), Count("c2", "a", AT, 4))
    assert events == (Counted(5), Counted(4), NearLimit(9)) and state == Tally(9)
    with pytest.raises(Refused):
        run_commands(TALLY, BOOKS, Count("c1", "a", AT, 11))


def test_assert_permission_enforced_catches_a_table_that_is_not_enforced():
    import attrs

    from pastoral_core import Decider, Decision, Role
    from pastoral_core.rules._permissions import Permission, Permissions
    from pastoral_core.support import SendMou
    from pastoral_core.testing import assert_permission_enforced

    table = Permissions.of([("SendMou", Permission.of("coordinator"))])
    lax = Decider(None, lambda s, c, x: Decision([]), lambda s, e: s)
    officer = SendMou(command_id="c", actor="o", role=Role.OFFICER, at=AT, terms_version="v1")
    with pytest.raises(AssertionError, match="a officer may not SendMou, yet the decision was: accepted"):
        assert_permission_enforced(lax, None, officer, None, table)
    coordinator = attrs.evolve(officer, role=Role.COORDINATOR)
    assert assert_permission_enforced(lax, None, coordinator, None, table) is None
