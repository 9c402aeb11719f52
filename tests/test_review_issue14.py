"""Review of issue 14's work: the rules register, verdict coverage, business-time contexts, the docs pages.

Each test shows one defect found in review, and stands as its regression test now that
it is fixed (some were fixed outside the reviewed files: late entries' later facts and
what-if contexts decided as of their own business time, the docs pages).
"""

import datetime as dt
import os
import pathlib
import subprocess
import sys
import textwrap

import attrs
import pytest

from pastoral_core import EventLog, Refused
from pastoral_core.peer_groups import PHP_GROUP_PEER_SUPPORT
from pastoral_core.portfolio import (
    OPPORTUNITY,
    PORTFOLIO_PLUS,
    HoldOneToOne,
    IntroduceToOpportunity,
    PortfolioContext,
    PortfolioPlus,
    ReviewOpportunity,
    Topic,
)
from pastoral_core.rules import (
    REGISTER,
    CheckedBy,
    Discrepancy,
    Domain,
    Register,
    RegisterEntry,
    Rulebooks,
    register_mismatches,
)
from pastoral_core.support import (
    DEVON_PSN,
    DEVON_PSN_V1,
    AllocateOfficer,
    PastoralSupport,
    RespondToRequest,
    SessionAllowance,
    SuspendOfficer,
)
from tests.builders import at, command
from tests.portfolio.helpers import assign, listing, post
from tests.portfolio.test_service import sign_up, team
from tests.support.helpers import GP_A, gp_request, mou
from tests.support.test_service import enrol
from tests.test_register import KERNEL_CITATIONS, rule_classes_in_the_package

ROOT = pathlib.Path(__file__).resolve().parents[1]
pytest_plugins = ["pytester"]

# -- 1. the rules register ---------------------------------------------------------------------


def test_a_rule_no_shipped_rulebook_holds_is_a_mismatch_though_its_class_exists():
    """A rulebook that lost a rule no longer enforces it; the register still says it is checked there."""
    book = attrs.evolve(DEVON_PSN_V1, rules=tuple(r for r in DEVON_PSN_V1.rules if type(r) is not SessionAllowance))
    found = register_mismatches(
        REGISTER,
        (Rulebooks.of(book), PHP_GROUP_PEER_SUPPORT, PORTFOLIO_PLUS),
        classes=rule_classes_in_the_package(),
        citations=KERNEL_CITATIONS,
    )
    assert [(m.rule_id, m.discrepancy) for m in found] == [("PSN-ALLOWANCE", Discrepancy.NOT_IN_RULEBOOK)]
    assert "SessionAllowance" in found[0].detail


def test_a_rulebook_entry_that_names_no_rule_class_is_a_mismatch():
    """Checked by a rulebook but naming no class: nothing held it to the code."""
    host = RegisterEntry("HOST-VISITS", "DERIVED", "a host's own rule", "Visits are booked.", ("deny",), Domain.SUPPORT)
    assert host.checked_by is CheckedBy.RULEBOOK and host.rule_class is None
    found = register_mismatches(
        Register([*REGISTER.entries, host]), (DEVON_PSN,), classes=rule_classes_in_the_package()
    )
    assert ("HOST-VISITS", Discrepancy.NO_RULE_CLASS) in [(m.rule_id, m.discrepancy) for m in found]


@pytest.mark.parametrize("entries", [5, None, REGISTER["AUTH"], "AUTH"], ids=["int", "none", "one-entry", "str"])
def test_a_register_of_something_not_a_collection_of_entries_is_a_clear_error(entries):
    from pastoral_core.exceptions import InvalidType

    with pytest.raises(InvalidType, match="Register.entries: must be RegisterEntry objects"):
        Register(entries)


# -- 2. verdict coverage -----------------------------------------------------------------------

#: A log whose first response was late (PSN-RESPONSE flagged), and the command that answered it.
HISTORY = """
import datetime as dt
from zoneinfo import ZoneInfo

from pastoral_core.support import ReceiveRequest, Recipient, RecipientKind, RespondToRequest, SupportRole

LONDON = ZoneInfo("Europe/London")


def coordinator(cls, command_id, day, **fields):
    at = dt.datetime(2027, 3, day, 10, tzinfo=LONDON)
    return cls(command_id=command_id, actor="coord-1", role=SupportRole.COORDINATOR, at=at, **fields)


def request(command_id, day):
    gp = Recipient("gp-1", RecipientKind.GP)
    return coordinator(ReceiveRequest, command_id, day, kind=RecipientKind.GP, recipients=(gp,))


LATE_ANSWER = coordinator(RespondToRequest, "c2", 12)
"""

REPLAYS = """
import pathlib

from pastoral_core import EventLog, PastoralSupport
from pastoral_core.eventlog import DEFAULT_CODEC
from history import LATE_ANSWER, request


def test_a_stored_log_answers_a_command_sent_again():
    log = EventLog.from_records(DEFAULT_CODEC.loads(pathlib.Path("stored.jsonl").read_text()))
    support = PastoralSupport(log)
    assert support.handle(LATE_ANSWER, "1").replayed  # verdicts decoded from the file: no rule ran
    assert support.handle(request("c9", 15), "2").events  # PSN-RESPONSE passes, really
"""


def test_verdicts_of_a_command_sent_again_are_not_counted_as_produced(pytester):
    """An idempotent repeat returns the verdicts stored with the record: no rule produced them in this run."""
    from pastoral_core.eventlog import DEFAULT_CODEC

    namespace: dict[str, object] = {}
    exec(compile(HISTORY, "history", "exec"), namespace)
    support = PastoralSupport(EventLog())
    support.handle(namespace["request"]("c1", 1), "1")
    answered = support.handle(namespace["LATE_ANSWER"], "1")
    assert "PSN-RESPONSE" in {v.rule_id for v in answered.verdicts if v.outcome.value == "flag"}
    pytester.makefile(".jsonl", stored=DEFAULT_CODEC.dumps(support.store.read_all()))
    pytester.makeini("[pytest]\nverdict_coverage_register = one_rule:ONE\n")
    pytester.makeconftest('pytest_plugins = ["pastoral_core.testing.verdict_coverage"]\n')
    pytester.makepyfile(
        one_rule='from pastoral_core.rules import REGISTER, Register\n\nONE = Register([REGISTER["PSN-RESPONSE"]])\n',
        history=HISTORY,
        test_replays=REPLAYS,
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*1 passed*"])
    result.stdout.fnmatch_lines(["FAILED: 1 rule(s) of the register never produced*", "  PSN-RESPONSE: never flag"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_run_from_a_subdirectory_is_partial_and_only_reports(pytester, monkeypatch):
    """Run in a subdirectory with no arguments, pytest collects that directory alone (not ``testpaths``)."""
    pytester.makeini("[pytest]\ntestpaths = .\nverdict_coverage_register = one_rule:ONE\n")
    pytester.makeconftest('pytest_plugins = ["pastoral_core.testing.verdict_coverage"]\n')
    pytester.makepyfile(
        one_rule='from pastoral_core.rules import REGISTER, Register\n\nONE = Register([REGISTER["PSN-CHARGE"]])\n'
    )
    sub = pytester.mkpydir("sub")
    (sub / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    monkeypatch.chdir(sub)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["not enforced (*): 1 rule(s) never produced an outcome they can in this run"])
    assert result.ret == pytest.ExitCode.OK


SIGN_UPS = """
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pastoral_core import EventLog, Refused
from pastoral_core.portfolio import Intent, PortfolioPlus, PortfolioRole, Profile, SignUpMember

T = dt.datetime(2027, 2, 1, 10, tzinfo=ZoneInfo("Europe/London"))


def sign_up(member_id, sessions):
    profile = Profile(Intent.FLEXIBLE_WORK, frozenset({"teaching"}), "Mansfield", sessions)
    return PortfolioPlus(EventLog()).handle(
        SignUpMember(command_id=f"c-{member_id}", actor="coord-1", role=PortfolioRole.COORDINATOR, at=T,
                     member_id=member_id, profile=profile)
    )


def test_sign_ups():
    assert sign_up("m-1", 4).events
    with pytest.raises(Refused, match="PP-MEMBER"):
        sign_up("m-2", 11)
"""


def test_a_rule_producing_an_outcome_the_register_says_it_cannot_fails_a_whole_run(pytester):
    """A register that says PP-MEMBER only records, while it refuses eleven sessions a week, is wrong."""
    pytester.makeini("[pytest]\nverdict_coverage_register = one_rule:ONE\n")
    pytester.makeconftest('pytest_plugins = ["pastoral_core.testing.verdict_coverage"]\n')
    pytester.makepyfile(
        one_rule="import attrs\nfrom pastoral_core.rules import REGISTER, Register\n\n"
        'ONE = Register([attrs.evolve(REGISTER["PP-MEMBER"], verdicts=("record",))])\n',
        test_sign_ups=SIGN_UPS,
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        ["FAILED: 1 rule(s) produced an outcome the register says they cannot*", "  PP-MEMBER: deny", "*1 passed*"]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


# -- 3. contexts as of the business time ---------------------------------------------------------

MON, TUE, WED, THU = (at(2027, 1, day, 9) for day in (11, 12, 13, 14))
LONG_OPEN = listing(closing=dt.date(2027, 6, 30), starts=dt.date(2027, 7, 1))


def test_a_late_entry_is_not_refused_for_later_facts_that_consulted_a_later_network():
    support = PastoralSupport(EventLog())
    support.handle(enrol("off-1", MON))
    support.handle(gp_request(MON), "1")
    support.handle(mou(MON), "1")
    support.handle(enrol("off-2", WED))
    support.handle(command(AllocateOfficer, WED + dt.timedelta(hours=1), recipient_id=GP_A, officer_id="off-2"), "1")
    # The first response was made on Tuesday and entered on Thursday. Wednesday's allocation is
    # decided again on Wednesday's roster, not Tuesday's (which refused it, and so this, by TIME).
    assert support.handle(command(RespondToRequest, THU, occurred_at=TUE), "1").events


def test_a_late_introduction_is_not_refused_for_a_later_introduction_to_a_listing_reviewed_since():
    scheme = PortfolioPlus(EventLog())
    scheme.handle(sign_up("m-1"))
    scheme.handle(assign(), "m-1")
    scheme.handle(post(LONG_OPEN, at(2027, 3, 1)), "o1")
    scheme.handle(post(LONG_OPEN, at(2027, 1, 4)), "o2")  # not reviewed within 30 days by 4 March
    scheme.handle(team(ReviewOpportunity, at(2027, 3, 5, 10)), "o2")
    fresh = scheme.handle(
        team(IntroduceToOpportunity, at(2027, 3, 5, 12), introduction_id="i2", opportunity_id="o2"), "m-1"
    )
    assert "PP-FRESH" not in {v.rule_id for v in fresh.verdicts if v.outcome.value == "flag"}
    late = team(IntroduceToOpportunity, at(2027, 3, 6), occurred_at=at(2027, 3, 4), introduction_id="i1",
                opportunity_id="o1")  # fmt: skip
    assert scheme.handle(late, "m-1").events  # o1 was open and fresh on 4 March


def test_a_what_if_under_the_same_rulebooks_changes_nothing_for_a_late_allocation():
    support = PastoralSupport(EventLog())
    support.handle(enrol("off-1", MON))
    support.handle(gp_request(MON), "1")
    support.handle(mou(MON), "1")
    support.handle(command(SuspendOfficer, WED, officer_id="off-1"))
    late = command(AllocateOfficer, WED + dt.timedelta(hours=1), recipient_id=GP_A, officer_id="off-1", occurred_at=TUE)
    assert support.handle(late, "1").events  # off-1 was active on Tuesday
    assert [(line.command_type, line.rule_ids) for line in support.what_if(DEVON_PSN).lines] == []


def test_an_introduction_dated_before_its_listing_was_posted_is_refused_by_pp_opportunity_saying_so():
    """Before the business-time contexts the service said so (PP-OPPORTUNITY); the listing must not vanish."""
    scheme = PortfolioPlus(EventLog())
    scheme.handle(sign_up("m-1"))
    scheme.handle(assign(), "m-1")
    scheme.handle(post(LONG_OPEN, at(2027, 3, 5)), "o")
    early = team(IntroduceToOpportunity, at(2027, 3, 6), occurred_at=at(2027, 3, 4), introduction_id="i1",
                 opportunity_id="o")  # fmt: skip
    with pytest.raises(Refused) as refused:
        scheme.handle(early, "m-1")
    assert refused.value.rule_ids == ("PP-OPPORTUNITY",)
    assert "not posted until 2027-03-05" in str(refused.value)


def test_a_context_over_one_organisations_streams_is_built_once_while_they_stand_still():
    scheme = PortfolioPlus(EventLog())
    scheme.handle(post(LONG_OPEN, at(2027, 3, 5)), "o")
    builds = []

    def build(rulebooks, listings):
        builds.append(dict(listings))
        return PortfolioContext(rulebooks, listings)

    for organisation in (None, None, "notts", "notts", None):
        scheme.context_over(OPPORTUNITY, organisation, build)
    assert [sorted(b) for b in builds] == [["o"], []]  # None's, then "notts"'s: once each
    scheme.handle(team(ReviewOpportunity, at(2027, 3, 6)), "o")
    scheme.context_over(OPPORTUNITY, None, build)
    assert len(builds) == 3  # the listing changed: built again


@pytest.mark.parametrize("organisation", [["notts"], 5], ids=["list", "int"])
def test_a_context_over_an_organisation_that_is_not_one_is_a_clear_error(organisation):
    from pastoral_core.exceptions import InvalidType

    with pytest.raises(InvalidType, match="PortfolioPlus.organisation: must be an organisation id, None or a Tenancy"):
        PortfolioPlus(EventLog()).context_over(OPPORTUNITY, organisation, PortfolioContext)


class CountingLog(EventLog):
    """An in-memory log that counts the streams read one by one."""

    def __init__(self):
        super().__init__()
        self.streams_read = []

    def read_stream(self, stream_id, from_version=1):
        self.streams_read.append(stream_id)
        return super().read_stream(stream_id, from_version)


def test_a_late_command_that_consults_no_listing_refolds_none():
    """A one-to-one entered an hour late reads no listing (only an introduction consults them)."""
    log = CountingLog()
    scheme = PortfolioPlus(log)
    scheme.handle(sign_up("m-1"))
    scheme.handle(assign(), "m-1")
    for n in range(5):
        scheme.handle(post(LONG_OPEN, at(2027, 3, 1)), f"o{n}")
        scheme.handle(team(ReviewOpportunity, at(2027, 3, 3, 12)), f"o{n}")
    log.streams_read.clear()
    held = team(HoldOneToOne, at(2027, 3, 3, 13), occurred_at=at(2027, 3, 3, 9), session_id="s1",
                topic=Topic.WORKING_LIFE)  # fmt: skip
    assert scheme.handle(held, "m-1").events
    assert [s for s in log.streams_read if s.startswith("opportunity-")] == []


# -- 4. the docs pages ---------------------------------------------------------------------------


def test_every_public_module_of_the_testing_kit_is_in_the_api_reference():
    page = (ROOT / "docs" / "api" / "testing.md").read_text(encoding="utf-8")
    public = sorted(p.stem for p in (ROOT / "src" / "pastoral_core" / "testing").glob("[!_]*.py"))
    assert "verdict_coverage" in public
    assert [name for name in public if f"automodule:: pastoral_core.testing.{name}" not in page] == []


def test_the_sqlite_how_to_runs_from_any_directory(tmp_path):
    page = ROOT / "docs" / "how-to" / "host-sqlite.md"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT), str(page)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "No such file or directory" not in run.stdout  # examples/stores/sqlite_store.py, from the cwd
    assert run.returncode == 0, textwrap.shorten(run.stdout, 600)


def test_the_tutorial_does_not_say_a_case_is_refolded_each_time_it_is_asked_for():
    log = CountingLog()
    support = PastoralSupport(log)
    support.handle(gp_request(MON), "1")
    support.case("1")
    log.streams_read.clear()
    support.case("1")
    assert log.streams_read == []  # asked again: nothing read, nothing folded
    assert "rebuilt from its events every time" not in (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
