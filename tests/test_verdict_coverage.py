"""The verdict-coverage plugin: a whole run fails when a rule never produced an outcome it can; a partial run reports."""

import attrs
import pytest

import pastoral_core
from pastoral_core import kernel
from pastoral_core.rules import REGISTER, Outcome, Register
from pastoral_core.support import CASE
from pastoral_core.testing import Scenario
from pastoral_core.testing._verdict_recorder import VerdictRecorder
from pastoral_core.testing.verdict_coverage import load_register
from tests.support.helpers import CONTEXT, gp_request

pytest_plugins = ["pytester"]

#: A register of one deny rule (PP-MEMBER, narrowed to deny for the test), for the tiny suites.
TINY_REGISTER = """
import attrs
from pastoral_core.rules import REGISTER, Register

TINY = Register([attrs.evolve(REGISTER["PP-MEMBER"], verdicts=("deny",))])
"""

#: Signing a member up through the service: a pass of PP-MEMBER, or (11 sessions a week) its denial.
SIGN_UP = """
import datetime as dt
from zoneinfo import ZoneInfo

from pastoral_core import EventLog
from pastoral_core.portfolio import Intent, PortfolioPlus, PortfolioRole, Profile, SignUpMember

T = dt.datetime(2027, 2, 1, 10, tzinfo=ZoneInfo("Europe/London"))


def sign_up(member_id, sessions):
    profile = Profile(Intent.FLEXIBLE_WORK, frozenset({"teaching"}), "Mansfield", sessions)
    command = SignUpMember(
        command_id=f"c-{member_id}", actor="coord-1", role=PortfolioRole.COORDINATOR, at=T,
        member_id=member_id, profile=profile,
    )
    return PortfolioPlus(EventLog()).handle(command)
"""

PASSES = """
from sign_up import sign_up


def test_a_member_signs_up():
    assert sign_up("m-1", 4).events
"""

DENIES = """
import pytest

from pastoral_core import Refused
from sign_up import sign_up


def test_eleven_sessions_a_week_are_refused():
    with pytest.raises(Refused, match="PP-MEMBER"):
        sign_up("m-2", 11)
"""


@pytest.fixture
def tiny(pytester):
    pytester.makeini("[pytest]\nverdict_coverage_register = tiny_register:TINY\n")
    pytester.makeconftest('pytest_plugins = ["pastoral_core.testing.verdict_coverage"]\n')
    pytester.makepyfile(tiny_register=TINY_REGISTER, sign_up=SIGN_UP, test_passes=PASSES)
    return pytester


def test_a_whole_run_that_never_sees_a_deny_rule_deny_fails_naming_it(tiny):
    result = tiny.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*= verdict coverage =*",
            "FAILED: 1 rule(s) of the register never produced an outcome they can produce*",
            "  PP-MEMBER: never deny",
            "verdicts of rules the register does not list (not checked): AUTH",
            "*1 passed*",
        ]
    )


def test_a_whole_run_that_sees_it_pass_and_deny_passes(tiny):
    tiny.makepyfile(test_denies=DENIES)
    result = tiny.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        ["every rule of the register produced each outcome it can (1 rules, 2 outcomes)", "*2 passed*"]
    )
    assert "never" not in result.stdout.str()


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["test_passes.py"], "paths were given on the command line"),
        (["-k", "signs_up"], "tests were selected with -k"),
        (
            ["--deselect", "test_denies.py::test_eleven_sessions_a_week_are_refused"],
            "tests were selected with --deselect",
        ),
    ],
)
def test_a_partial_run_only_reports(tiny, args, why):
    tiny.makepyfile(test_denies=DENIES)
    result = tiny.runpytest_subprocess("-p", "no:cacheprovider", *args)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [f"not enforced ({why}): 1 rule(s) never produced an outcome they can in this run", "  PP-MEMBER: never deny"]
    )


def test_a_run_stopped_early_only_reports(tiny):
    tiny.makepyfile(test_fails="def test_fails():\n    assert False\n")
    result = tiny.runpytest_subprocess("-p", "no:cacheprovider", "-x")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert result.parseoutcomes() == {"failed": 1}
    result.stdout.fnmatch_lines(["not enforced (the run stopped early): 1 rule(s) *", "  PP-MEMBER: never pass, deny"])


def test_a_register_option_that_names_no_register_is_a_usage_error(pytester):
    pytester.makeini("[pytest]\nverdict_coverage_register = pastoral_core.rules:Outcome\n")
    pytester.makeconftest('pytest_plugins = ["pastoral_core.testing.verdict_coverage"]\n')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*verdict_coverage_register = pastoral_core.rules:Outcome: is a EnumType, not a Register*"]
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("pastoral_core.rules", "must be module:attribute"),
        ("pastoral_core.nowhere:REGISTER", "cannot load it"),
        ("pastoral_core.rules:NOWHERE", "cannot load it"),
    ],
)
def test_load_register_says_what_is_wrong(spec, message):
    with pytest.raises(pytest.UsageError, match=message):
        load_register(spec)
    assert load_register("pastoral_core.rules:REGISTER") is REGISTER


# -- the recorder, in this process --------------------------------------------------------------


def test_the_recorder_wraps_the_public_entry_points_and_puts_them_back():
    before = (kernel.execute, kernel.decide, pastoral_core.execute, kernel.Service.__dict__["handle"])
    recorder = VerdictRecorder()
    recorder.install()
    try:
        assert recorder.installed
        assert kernel.execute is not before[0] and kernel.execute.__wrapped__ is before[0]
        assert pastoral_core.execute is kernel.execute
        assert kernel.Service.__dict__["handle"].__wrapped__ is before[3]
        recorder.install()  # again: nothing more is wrapped
        assert kernel.decide.__wrapped__ is before[1]
    finally:
        recorder.uninstall()
    assert (kernel.execute, kernel.decide, pastoral_core.execute, kernel.Service.__dict__["handle"]) == before
    assert not recorder.installed


def test_the_recorder_sees_decisions_and_refusals_made_through_a_scenario():
    recorder = VerdictRecorder()
    recorder.install()
    try:
        Scenario(CASE, CONTEXT).given_commands(gp_request())  # decided by testing's own helper
        Scenario(CASE, CONTEXT).when(gp_request(role="officer", actor="off-gp-1")).then_refused("AUTH")
    finally:
        recorder.uninstall()
    assert {("AUTH", Outcome.PASS), ("PSN-RESPONSE", Outcome.PASS), ("AUTH", Outcome.DENY)} <= recorder.seen


def test_missing_outcomes_come_from_the_register():
    recorder = VerdictRecorder(
        {("PSN-SECOND", Outcome.PASS), ("PSN-SECOND", Outcome.FLAG), ("TOY-LIMIT", Outcome.DENY)}
    )
    register = Register([REGISTER["PSN-SECOND"], REGISTER["PSN-CHARGE"], REGISTER["MINIMAL"], REGISTER["IDEMPOTENT"]])
    assert recorder.missing(register) == {
        "PSN-SECOND": (Outcome.DENY,),
        "PSN-CHARGE": (Outcome.PASS,),
        "MINIMAL": (Outcome.DENY,),
    }
    assert recorder.unregistered(register) == ("TOY-LIMIT",)
    narrowed = Register([attrs.evolve(REGISTER["PSN-SECOND"], verdicts=("flag",))])
    assert recorder.missing(narrowed) == {}
