"""Spec files: the pytest plugin (through pytester), load_spec / run_spec, and every error's file and line."""

import datetime as dt
import pathlib
import re
import subprocess
import sys

import pytest

from pastoral_core.testing import SPEC_SUFFIXES, SpecError, load_spec, run_spec
from pastoral_core.testing._spec_services import KINDS

ROOT = pathlib.Path(__file__).resolve().parents[1]

HEADER = """\
service: pastoral support
setup:
  officers:
    - {officer_id: off-gp-1, background: gp, practice_id: P-OTHER-1}
"""

#: A request, the MoU, an officer and five sessions held: the sixth is the last of the allowance.
FIVE_HELD = (
    """\
background:
  - receive_request:
      case: C1
      at: 2027-01-11 10:00
      kind: gp
      recipients: [{recipient_id: gp-a, kind: gp}]
  - send_mou: {at: 2027-01-12 09:00, terms_version: PSN-MOU-2019}
  - allocate_officer: {at: 2027-01-12 09:30, recipient_id: gp-a, officer_id: off-gp-1}
"""
    + "".join(
        f"  - schedule_session: {{at: 2027-01-{12 + 7 * n:02d} 10:00, session_id: s{n + 1}, recipient_id: gp-a,"
        f" starts_at: 2027-01-{18 + 7 * n:02d} 14:00}}\n"
        f"  - hold_session: {{at: 2027-01-{18 + 7 * n:02d} 15:00, session_id: s{n + 1}, by: off-gp-1, as: officer}}\n"
        for n in range(2)
    )
    + "".join(
        f"  - schedule_session: {{at: 2027-02-{n:02d} 10:00, session_id: s{k}, recipient_id: gp-a, starts_at: 2027-02-{n + 6:02d} 14:00}}\n"
        f"  - hold_session: {{at: 2027-02-{n + 6:02d} 15:00, session_id: s{k}, by: off-gp-1, as: officer}}\n"
        for k, n in ((3, 1), (4, 8), (5, 15))
    )
)

SEVENTH = """\
specs:
  - name: sixth allowed
    given:
      - schedule_session: {at: 2027-02-22 10:00, session_id: s6, recipient_id: gp-a, starts_at: 2027-03-01 14:00}
    when:
      hold_session: {at: 2027-03-01 15:00, session_id: s6, by: off-gp-1, as: officer}
    then:
      accepted: yes
      passed: [PSN-ALLOWANCE]
  - name: seventh refused
    given:
      - schedule_session: {at: 2027-02-22 10:00, session_id: s6, recipient_id: gp-a, starts_at: 2027-03-01 14:00}
      - hold_session: {at: 2027-03-01 15:00, session_id: s6, by: off-gp-1, as: officer}
    when:
      schedule_session: {at: 2027-03-02 10:00, session_id: s7, recipient_id: gp-a, starts_at: 2027-03-08 14:00}
    then:
      refused_by: [PSN-ALLOWANCE]
"""


def line_of(text, fragment, occurrence=1):
    """The 1-based line of the ``occurrence``-th line containing ``fragment``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return hits[occurrence - 1]


def spec_error(text, path="x.spec.yaml"):
    """The SpecError loading or running ``text`` raises."""
    with pytest.raises(SpecError) as caught:
        for spec in load_spec(text, path):
            run_spec(spec)
    return caught.value


def one(text, path="x.spec.yaml"):
    (spec,) = load_spec(text, path)
    return run_spec(spec)


# -- the plugin, through pytester --------------------------------------------------------


def run_plugin(pytester, **files):
    for name, text in files.items():
        pytester.makefile(".spec.yaml", **{name: text})
    return pytester.runpytest("-p", "pastoral_core.testing.specs", "-p", "no:cacheprovider", "-v")


def test_a_passing_spec_file_gives_one_passing_test_per_spec_named_by_file_and_spec(pytester):
    result = run_plugin(pytester, allowance=HEADER + FIVE_HELD + SEVENTH)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*allowance.spec.yaml::sixth allowed PASSED*", "*allowance.spec.yaml::seventh refused PASSED*"]
    )


def test_only_spec_files_are_collected(pytester):
    pytester.makefile(".yaml", plain=HEADER + FIVE_HELD + SEVENTH)
    result = pytester.runpytest("-p", "pastoral_core.testing.specs", "-p", "no:cacheprovider")
    result.assert_outcomes()
    assert SPEC_SUFFIXES == (".spec.yaml", ".spec.yml")


def test_an_expectation_that_does_not_hold_fails_at_its_file_and_line_with_the_verdicts(pytester):
    wrong = HEADER + FIVE_HELD + SEVENTH.replace("accepted: yes\n      passed", "refused_by: PSN-ALLOWANCE\n      #", 1)
    result = run_plugin(pytester, allowance=wrong)
    result.assert_outcomes(passed=1, failed=1)
    line = line_of(wrong, "refused_by: PSN-ALLOWANCE")
    result.stdout.fnmatch_lines(
        [
            f"allowance.spec.yaml:{line}: expected refused by PSN-ALLOWANCE, got accepted",
            "*verdicts:",
            "*- PSN-ALLOWANCE (MOU LMC 4, CLIENT 4) pass:*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_a_yaml_syntax_error_is_a_collection_error_with_its_line(pytester):
    broken = HEADER + "specs:\n  - name: x\n    when: {hold_session: {at: 2027-01-01 10:00\n"
    result = run_plugin(pytester, broken=broken)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"broken.spec.yaml:{line_of(broken, 'when:')}: not valid YAML: *"])


def test_an_unknown_command_fails_that_spec_alone_suggesting_the_nearest(pytester):
    text = (
        HEADER
        + FIVE_HELD
        + SEVENTH.replace("      hold_session: {at: 2027-03-01", "      hold_sesion: {at: 2027-03-01", 1)
    )
    result = run_plugin(pytester, typo=text)
    result.assert_outcomes(passed=1, failed=1)
    line = line_of(text, "hold_sesion")
    result.stdout.fnmatch_lines([f"typo.spec.yaml:{line}: unknown step 'hold_sesion'; did you mean 'hold_session'?*"])


def test_a_badly_typed_field_names_the_field_and_line_in_the_librarys_words(pytester):
    text = HEADER + FIVE_HELD.replace("kind: gp\n", "kind: gp\n      complex: 3\n", 1) + SEVENTH
    result = run_plugin(pytester, typed=text)
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([f"typed.spec.yaml:{line_of(text, 'complex: 3')}: ReceiveRequest.complex: *"])


def test_a_refused_given_step_fails_at_its_line_with_the_refusal(pytester):
    text = (
        HEADER + FIVE_HELD.replace("  - send_mou: {at: 2027-01-12 09:00, terms_version: PSN-MOU-2019}\n", "") + SEVENTH
    )
    result = run_plugin(pytester, nomou=text)
    result.assert_outcomes(failed=2)
    line = line_of(text, "session_id: s1, by: off-gp-1")
    result.stdout.fnmatch_lines(
        [f"nomou.spec.yaml:{line}: the given step 'hold_session' was refused*", "*PSN-MOU-FIRST (MOU intro) deny:*"]
    )


def test_the_suite_registers_the_plugin_in_its_conftest(request):
    assert request.config.pluginmanager.has_plugin("pastoral_core.testing.specs")


# -- PyYAML is optional --------------------------------------------------------------------


def test_without_pyyaml_reading_a_spec_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml now raises ImportError
    with pytest.raises(ImportError, match=re.escape("pip install 'pastoral-core[spec]'")):
        load_spec(HEADER, "x.spec.yaml")


def test_importing_pastoral_core_testing_does_not_import_pyyaml():
    code = "import sys, pastoral_core.testing, pastoral_core.testing.specs; print('yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


# -- outcomes, directly ----------------------------------------------------------------------

REQUEST = """\
service: pastoral support
when:
  receive_request:
    case: C1
    at: 2026-12-24 16:00
    kind: gp
    recipients: [{recipient_id: gp-a, kind: gp}]
then:
  accepted: yes
  recorded:
    - request_received: {response_due_at: 2026-12-30 17:00}
"""


def test_a_single_spec_file_is_named_after_the_file():
    (spec,) = load_spec(REQUEST, "tests/specs/christmas-eve.spec.yaml")
    assert spec.name == "christmas-eve"
    assert run_spec(spec).ok


def test_a_recorded_value_that_differs_is_reported_with_both_values_in_the_spec_s_words():
    text = REQUEST.replace("2026-12-30 17:00", "2026-12-29 17:00")
    result = one(text)
    line = line_of(text, "response_due_at")
    assert result.mismatches == (
        f"x.spec.yaml:{line}: request_received.response_due_at: expected 2026-12-29 17:00, got 2026-12-30 17:00",
    )
    assert not result.ok
    assert "recorded: request_received" in result.report()


def test_times_may_name_their_zone():
    assert one(REQUEST.replace("2026-12-30 17:00", "2026-12-30 17:00 UTC")).ok  # London is on GMT in December
    assert not one(REQUEST.replace("2026-12-30 17:00", "2026-12-30 17:00 Europe/Helsinki")).ok


LATE = """\
service: pastoral support
given:
  - receive_request:
      case: C1
      at: 2026-12-24 16:00
      kind: gp
      recipients: [{recipient_id: gp-a, kind: gp}]
when:
  respond_to_request: {at: 2026-12-31 09:00}
then:
  accepted: yes
"""


def test_an_unexpected_flag_fails_and_an_expected_one_must_be_there():
    accepted = line_of(LATE, "accepted: yes")
    assert one(LATE).mismatches == (
        f"x.spec.yaml:{accepted}: expected accepted with no flags, got accepted with flagged by PSN-RESPONSE",
    )
    assert one(LATE + "  flagged: [PSN-RESPONSE]\n").ok
    on_time = LATE.replace("2026-12-31 09:00", "2026-12-30 09:00") + "  flagged: PSN-RESPONSE\n"
    assert one(on_time).mismatches == (
        f"x.spec.yaml:{accepted + 1}: expected accepted with flagged by PSN-RESPONSE, got accepted with no flags",
    )


def test_expected_refusal_by_other_rules_and_expected_acceptance_of_a_refusal():
    text = HEADER + FIVE_HELD + SEVENTH.replace("refused_by: [PSN-ALLOWANCE]", "refused_by: [PSN-MOU-FIRST, AUTH]")
    sixth, seventh = (run_spec(spec) for spec in load_spec(text, "x.spec.yaml"))
    assert sixth.ok
    assert seventh.mismatches == (
        f"x.spec.yaml:{line_of(text, 'refused_by')}: expected refused by AUTH, PSN-MOU-FIRST, got refused by PSN-ALLOWANCE",
    )
    assert seventh.refused is not None and seventh.accepted is None
    accepted = text.replace("refused_by: [PSN-MOU-FIRST, AUTH]", "accepted: true")
    assert run_spec(load_spec(accepted, "x.spec.yaml")[1]).mismatches == (
        f"x.spec.yaml:{line_of(accepted, 'accepted: true')}: expected accepted, got refused by PSN-ALLOWANCE",
    )


def test_a_rule_expected_to_pass_that_was_not_checked_is_reported():
    text = REQUEST.replace("  recorded:", "  passed: [PSN-ALLOWANCE]\n  recorded:")
    assert one(text).mismatches == (
        f"x.spec.yaml:{line_of(text, 'passed:')}: expected PSN-ALLOWANCE to pass, got was not checked",
    )


# -- setup: parameters, costs ----------------------------------------------------------------

COSTED = (
    HEADER
    + "  parameters:\n    session_rate: '66.00'\n"
    + FIVE_HELD
    + """\
given:
  - schedule_session: {at: 2027-02-22 10:00, session_id: s6, recipient_id: gp-a, starts_at: 2027-03-01 14:00}
when:
  hold_session: {at: 2027-03-01 15:00, session_id: s6, by: off-gp-1, as: officer}
then:
  accepted: yes
  costs: {LMC: "66.00"}
"""
)


def test_a_parameter_of_the_rulebook_changes_what_is_decided_and_costs_are_checked():
    assert one(COSTED).ok
    result = one(COSTED.replace("session_rate: '66.00'", "PSN-COST-SHARE: {session_rate: '75.00'}"))
    assert result.mismatches == (
        f"x.spec.yaml:{line_of(COSTED, 'costs:')}: costs: expected LMC £66.00, got LMC £75.00",
    )
    assert result.accepted.rulebook == "DEVON_PSN_SPEC v1"
    named = one(COSTED.replace("  parameters:", "  rulebook: EXETER_PSN\n  parameters:"))
    assert named.ok and named.accepted.rulebook == "EXETER_PSN v1"


def test_parameter_mistakes_point_at_their_line():
    unknown = COSTED.replace("session_rate: '66.00'", "session_rat: '66.00'")
    assert str(spec_error(unknown)) == (
        f"x.spec.yaml:{line_of(unknown, 'session_rat')}: no rule has a parameter 'session_rat'; did you mean 'session_rate'?"
    )
    field = COSTED.replace("session_rate: '66.00'", "PSN-COST-SHARE: {rate: '66.00'}")
    assert str(spec_error(field)) == (
        f"x.spec.yaml:{line_of(field, 'rate:')}: PSN-COST-SHARE has no parameter 'rate' (its parameters: session_rate)"
    )
    bad = COSTED.replace("session_rate: '66.00'", "session_rate: lots")
    assert str(spec_error(bad)) == (
        f"x.spec.yaml:{line_of(bad, 'session_rate')}: CostShare.session_rate: expected an amount such as \"66.00\", got 'lots'"
    )
    negative = COSTED.replace("session_rate: '66.00'", "session_rate: '-1'")
    assert str(spec_error(negative)).startswith(f"x.spec.yaml:{line_of(negative, 'session_rate')}: PSN-COST-SHARE: ")


def test_costs_are_refused_for_a_service_that_records_no_money():
    text = """\
service: portfolio plus
when:
  sign_up_member:
    at: 2027-02-01 10:00
    member_id: m-1
    profile: {intent: returning, interests: [teaching], home_area: Mansfield, sessions_available: 2}
then:
  accepted: yes
  costs: {LMC: "1.00"}
"""
    assert (
        str(spec_error(text))
        == f"x.spec.yaml:{line_of(text, 'costs:')}: portfolio plus records no money: leave out costs:"
    )
    assert one(text.replace('  costs: {LMC: "1.00"}\n', "")).command.profile.interests == frozenset({"teaching"})


# -- mistakes, each at its line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "fragment", "message"),
    [
        (
            ("service: pastoral support", "service: pastoral suport"),
            "service:",
            "unknown service 'pastoral suport'; did you mean 'pastoral support'? (one of: pastoral support, peer support, portfolio plus)",
        ),
        (
            ("then:", "thne:"),
            "thne:",
            "a spec file has no 'thne'; did you mean 'then'? (it has: name, description, setup, given, when, then, service, background, specs)",
        ),
        (
            ("  accepted: yes", "  accepted: no"),
            "accepted: no",
            "write 'accepted: yes', or 'refused_by: [RULE-ID]' for a refusal",
        ),
        (
            ("  accepted: yes", "  acepted: yes"),
            "acepted",
            "then: has no 'acepted'; did you mean 'accepted'? (it has: accepted, refused_by, invalid, id_reused, conflict, flagged, passed, replayed, says, recorded, costs, written)",
        ),
        (
            ("    kind: gp\n", "    kind: gpp\n"),
            "kind: gpp",
            "ReceiveRequest.kind: 'gpp' is not a RecipientKind (one of gp, practice_manager, practice); did you mean 'gp'?",
        ),
        (
            ("    at: 2026-12-24 16:00", "    at: 24/12/2026"),
            "24/12/2026",
            "ReceiveRequest.at: expected a date and time such as 2026-12-24 16:00, got '24/12/2026'",
        ),
        (
            ("    at: 2026-12-24 16:00", "    at: 2026-12-24"),
            "at: 2026-12-24",
            "ReceiveRequest.at: expected a date and time such as 2026-12-24 16:00, got '2026-12-24'",
        ),
        (
            ("    case: C1\n", ""),
            "receive_request",
            "say which case 'receive_request' is about: add 'case: <id>' (later steps keep it)",
        ),
        (("    case: C1\n", "    case: C1\n    nation: [ENG]\n"), "nation:", "ReceiveRequest.nation: *"),
        (
            ("    case: C1\n", "    case: C1\n    natoin: ENG\n"),
            "natoin",
            "ReceiveRequest.natoin: receive_request has no field 'natoin'; did you mean 'nation'? *",
        ),
        (
            ("[{recipient_id: gp-a, kind: gp}]", "[{recipient_id: '', kind: gp}]"),
            "recipient_id",
            "ReceiveRequest.recipients[0].recipient_id: id must not be empty or blank",
        ),
        (
            ("{response_due_at: 2026-12-30 17:00}", "{due: 2026-12-30 17:00}"),
            "due:",
            "request_received has no field 'due'*",
        ),
        (
            ("- request_received:", "- request_recieved:"),
            "request_recieved",
            "unknown event 'request_recieved'; did you mean 'request_received'?",
        ),
        (
            ("  accepted: yes", "  accepted: yes\n  flagged: [PSN-RESPONS]"),
            "PSN-RESPONS]",
            "unknown rule id 'PSN-RESPONS'; did you mean 'PSN-RESPONSE'?",
        ),
        (
            (
                "  receive_request:\n    case: C1\n    at: 2026-12-24 16:00\n    kind: gp\n    recipients",
                "  receive_request:\n  case: C1\n  at: 2026-12-24 16:00\n  kind: gp\n  recipients",
            ),
            "case: C1",
            "a step names one command; indent the fields under 'receive_request:'",
        ),
        (
            ("  accepted: yes", "  refused_by: [AUTH]\n  accepted: yes"),
            "then:",
            "then: says one outcome: 'accepted: yes', 'refused_by: [RULE-ID]', 'invalid: {field: ...}', 'id_reused: yes' or 'conflict: yes'",
        ),
    ],
)
def test_every_mistake_names_its_file_and_line(change, fragment, message):
    text = REQUEST.replace(*change)
    assert text != REQUEST
    error = spec_error(text, "tests/specs/x.spec.yaml")
    assert error.path == "tests/specs/x.spec.yaml"
    assert error.line == line_of(text, fragment)
    prefix = f"tests/specs/x.spec.yaml:{error.line}: "
    assert str(error).startswith(prefix)
    assert re.fullmatch(re.escape(message).replace(r"\*", ".*"), str(error)[len(prefix) :], re.S), str(error)


def test_file_shape_mistakes():
    assert str(spec_error("- a\n- b\n")).startswith("x.spec.yaml:1: a spec file is a mapping")
    assert str(spec_error("")) == "x.spec.yaml:1: the file is empty"
    twice = "service: peer support\nspecs:\n  - {name: a, when: {start_programme: {}}, then: {accepted: yes}}\n  - {name: a, when: {start_programme: {}}, then: {accepted: yes}}\n"
    assert str(spec_error(twice)) == "x.spec.yaml:4: two specs are named 'a' (the other on line 3)"
    key_twice = REQUEST.replace("    kind: gp\n", "    kind: gp\n    kind: practice\n")
    assert (
        str(spec_error(key_twice))
        == f"x.spec.yaml:{line_of(key_twice, 'kind: practice')}: 'kind' is given twice here (first on line {line_of(key_twice, 'kind: gp')})"
    )
    missing = "service: portfolio plus\nwhen:\n  review_opportunity: {opportunity: o1, at: 2027-01-01 10:00}\n"
    assert str(spec_error(missing)) == "x.spec.yaml:1: spec 'x' needs then: the outcome expected"


def test_a_step_the_service_refuses_as_input_points_at_the_step():
    text = REQUEST.replace("    at: 2026-12-24 16:00", "    at: 2018-12-24 16:00")  # before any rulebook
    error = spec_error(text)
    assert error.line == line_of(text, "receive_request")
    assert "no DEVON_PSN rulebook in force on 2018-12-24" in str(error)


# -- the vocabulary: every command of the three services can be written ------------------------


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_command_is_named_by_its_class_and_its_stable_name(kind):
    from pastoral_core import COMMANDS

    for aggregate in kind.aggregates:
        for cls in aggregate.commands:
            snake = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
            assert kind.command(snake) == (cls, aggregate)
            assert kind.command(COMMANDS.of_class(cls).name) == (cls, aggregate)
            assert kind.command(snake.replace("_", " ").title()) == (cls, aggregate)
            assert snake in kind.command_names()


def test_values_are_read_as_the_library_types():
    text = """\
service: peer support
setup:
  timezone: Europe/London
  parameters:
    tariffs: [{effective_from: 2026-04-01, hourly_rate: £60.00}]
when:
  start_programme:
    programme: prog-nw
    at: 2026-04-01 09:00
    by: lead-1
    as: Programme Lead
    funder: php-gph
    starts_on: 2026-04-01
    regions: [North West, London]
    years: 3
then:
  accepted: yes
  recorded:
    - programme_started: {funder: php-gph}
"""
    result = one(text)
    assert result.ok, result.report()
    command = result.command
    assert command.at == dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
    assert command.starts_on == dt.date(2026, 4, 1)
    assert command.regions == frozenset({"North West", "London"})
    assert command.role.value == "programme_lead" and command.actor == "lead-1" and command.command_id == "step-1"
    tariff = result.accepted.records[0]
    assert tariff.metadata.rulebook_version == "PHP_GROUP_PEER_SUPPORT_SPEC v1"
    assert result.accepted.events[0].funder == "php-gph"
    error = spec_error(text.replace("years: 3", "years: 1:30"))  # YAML 1.1 would read 90 (base 60)
    assert (
        str(error)
        == f"x.spec.yaml:{line_of(text, 'years:')}: StartProgramme.years: expected a whole number such as 90, got '1:30'"
    )
    rate = spec_error(text.replace("£60.00", "sixty"))
    assert rate.line == line_of(text, "hourly_rate") and "FacilitatorTariff.tariffs[0].hourly_rate" in str(rate)


# -- the docs page's example is a spec that holds ------------------------------------------------


def test_the_complete_examples_in_the_docs_page_hold():
    page = (ROOT / "docs" / "specifications.md").read_text()
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", page, re.S) if b.startswith("service:")]
    assert len(blocks) >= 2
    for n, block in enumerate(blocks, start=1):
        for spec in load_spec(block, f"docs/specifications.md (example {n})"):
            result = run_spec(spec)
            assert result.ok, result.report()


SCOTTISH = """\
service: pastoral support
setup:
  lmc: lothian
  nation: SCT
given:
  - receive_request:
      case: C1
      at: 2026-06-12 10:00
      kind: gp
      recipients: [{recipient_id: gp-s, kind: gp}]
when:
  respond_to_request: {at: 2026-06-17 10:00}
then:
  accepted: yes
  recorded:
    - responded: {due_at: 2026-06-17 17:00, on_time: yes}
"""


def test_the_setup_gives_the_lmc_and_the_nation_of_requests_that_do_not_give_theirs():
    assert one(SCOTTISH).ok  # 15 June 2026 is a bank holiday in Scotland only
    text = SCOTTISH.replace("  nation: SCT\n", "")
    responded = line_of(text, "responded:")
    assert one(text).mismatches == (
        f"x.spec.yaml:{line_of(text, 'accepted: yes')}: expected accepted with no flags, got accepted with flagged by PSN-RESPONSE",
        f"x.spec.yaml:{responded}: responded.due_at: expected 2026-06-17 17:00, got 2026-06-16 17:00",
        f"x.spec.yaml:{responded}: responded.on_time: expected yes, got no",
    )
    assert not one(
        SCOTTISH.replace("      kind: gp\n", "      kind: gp\n      nation: ENG\n", 1)
    ).ok  # the step's own wins
    enrol = SCOTTISH.replace(
        "given:\n",
        "given:\n  - enrol_officer: {network: lothian, at: 2026-06-01 09:00, officer_id: o1, background: lay}\n",
    )
    assert one(enrol).ok
    elsewhere = enrol.replace("network: lothian", "network: devon")
    assert (
        str(spec_error(elsewhere))
        == f"x.spec.yaml:{line_of(elsewhere, 'network: devon')}: the network here is 'lothian'"
    )
    both = SCOTTISH.replace("  lmc: lothian\n", "  lmc: lothian\n  network: lothian\n")
    assert (
        str(spec_error(both))
        == f"x.spec.yaml:{line_of(both, 'network:')}: lmc: and network: name the same thing: give one"
    )


def test_a_time_of_day_is_read_as_written_not_as_yaml_base_60():
    # YAML 1.1 reads an unquoted 16:00 as the number 960; a time of day is read as written.
    text = LATE.replace(
        "service: pastoral support\n",
        "service: pastoral support\nsetup:\n  parameters:\n    PSN-RESPONSE: {cutoff: 16:00}\n",
    ).replace("  accepted: yes\n", "  accepted: yes\n  recorded:\n    - responded: {due_at: 2026-12-31 16:00}\n")
    # received at 16:00, at the cut-off: counted from Tuesday 29 December, due two working days
    # later; the response on 31 December at 09:00 is on time
    assert one(text).ok
    assert one(text.replace("cutoff: 16:00", "cutoff: 17:00")).mismatches == (  # the default: late
        f"x.spec.yaml:{line_of(text, 'accepted: yes')}: expected accepted with no flags, got accepted with flagged by PSN-RESPONSE",
        f"x.spec.yaml:{line_of(text, 'due_at')}: responded.due_at: expected 2026-12-31 16:00, got 2026-12-30 17:00",
    )


# -- a retry: replayed, and nothing written ----------------------------------------------------

RETRY = """\
service: pastoral support
given:
  - receive_request:
      case: C1
      at: 2026-12-24 16:00
      kind: gp
      recipients: [{recipient_id: gp-a, kind: gp}]
  - respond_to_request: {id: resp-1, at: 2026-12-29 09:00}
when:
  respond_to_request: {id: resp-1, at: 2026-12-29 10:00}
then:
  accepted: yes
  replayed: yes
  written: nothing
  recorded:
    - responded: {responded_at: 2026-12-29 09:00}
"""


def test_a_retry_is_expected_replayed_with_nothing_written_and_its_original_records():
    result = one(RETRY)
    assert result.ok, result.report()
    assert result.accepted.replayed and result.written == ()
    assert "a replay of the command already applied (nothing new was written)" in result.report()
    first = RETRY.replace("  - respond_to_request: {id: resp-1, at: 2026-12-29 09:00}\n", "")  # now a first response
    result = one(first)
    assert result.mismatches == (
        f"x.spec.yaml:{line_of(first, 'replayed:')}: expected a replay of a command already applied, got a new decision: responded",
        f"x.spec.yaml:{line_of(first, 'written:')}: expected nothing written, got responded",
        f"x.spec.yaml:{line_of(first, 'responded_at')}: responded.responded_at: expected 2026-12-29 09:00, got 2026-12-29 10:00",
    )
    assert len(result.written) == 1


def test_replayed_no_expects_a_new_decision_and_written_nothing_holds_for_a_refusal():
    text = RETRY.replace("replayed: yes", "replayed: no")
    assert one(text).mismatches == (
        f"x.spec.yaml:{line_of(text, 'replayed:')}: expected a new decision, got a replay of the command already applied under id 'resp-1'",
    )
    refused = RETRY.replace("id: resp-1, at: 2026-12-29 10:00", "id: resp-2, at: 2026-12-29 10:00").replace(
        "  accepted: yes\n  replayed: yes\n", "  refused_by: [STATE]\n"
    )
    refused = refused[: refused.index("  recorded:")]
    assert one(refused).ok  # a new id: decided again, refused, nothing written


@pytest.mark.parametrize(
    ("change", "fragment", "message"),
    [
        (
            ("  recorded:\n    - responded: {responded_at: 2026-12-29 09:00}\n", "  recorded: []\n"),
            "recorded: []",
            "recorded: [] would check nothing; to say the command added nothing, write 'written: nothing'",
        ),
        (
            ("written: nothing", "written: responded"),
            "written:",
            "write 'written: nothing' (the command added no record); list what it recorded under recorded:",
        ),
        (
            ("replayed: yes", "replayed: maybe"),
            "replayed:",
            "write 'replayed: yes' (a retry of a command already applied) or 'replayed: no'",
        ),
        (
            ("  accepted: yes\n", "  refused_by: [STATE]\n"),
            "replayed:",
            "replayed: goes with 'accepted: yes' (nothing is recorded when refused)",
        ),
    ],
)
def test_mistakes_in_replayed_and_written_name_their_line(change, fragment, message):
    text = RETRY.replace(*change)
    error = spec_error(text)
    assert (error.line, error.reason) == (line_of(text, fragment), message)


# -- the id reused for another command ---------------------------------------------------------

REUSED = RETRY.replace(
    "  respond_to_request: {id: resp-1, at: 2026-12-29 10:00}\nthen:",
    "  send_mou: {id: resp-1, at: 2026-12-29 10:00, terms_version: PSN-MOU-2019}\nthen:",
)
REUSED = REUSED[: REUSED.index("then:")] + "then:\n  id_reused: yes\n  written: nothing\n"


def test_an_id_reused_for_another_command_can_be_expected():
    result = one(REUSED)
    assert result.ok, result.report()
    assert type(result.error).__name__ == "CommandIdReused" and result.accepted is result.refused is None
    assert "ended in the id reused: command id 'resp-1'" in result.report()
    new_id = REUSED.replace("{id: resp-1, at: 2026-12-29 10:00", "{id: mou-1, at: 2026-12-29 10:00")
    assert one(new_id).mismatches == (
        f"x.spec.yaml:{line_of(new_id, 'id_reused')}: expected the id reused, got accepted",
        f"x.spec.yaml:{line_of(new_id, 'written:')}: expected nothing written, got mou_sent",
    )


def test_an_id_reused_that_is_not_expected_fails_at_the_outcome_and_in_a_given_step_is_a_mistake():
    accepted = REUSED.replace("  id_reused: yes\n  written: nothing\n", "  accepted: yes\n")
    assert one(accepted).mismatches == (
        f"x.spec.yaml:{line_of(accepted, 'accepted: yes')}: expected accepted, got the id reused: command id 'resp-1'"
        " was already used for a different command; choose a new id for a new command (nothing was written)",
    )
    given = REUSED.replace("when:\n  send_mou", "  - send_mou").replace(
        "then:", "when:\n  respond_to_request: {id: resp-9, at: 2026-12-30 10:00}\nthen:"
    )
    error = spec_error(given)
    assert error.line == line_of(given, "send_mou") and "command id 'resp-1' was already used" in error.reason
    with pytest.raises(SpecError, match="id_reused: yes"):
        one(REUSED.replace("id_reused: yes", "id_reused: no"))


# -- input refused as the command is built -----------------------------------------------------

INVALID = f"""\
service: pastoral support
given:
  - receive_request:
      case: C1
      at: 2027-01-11 10:00
      kind: gp
      recipients: [{{recipient_id: gp-a, kind: gp}}]
when:
  decline_intervention:
    at: 2027-01-12 10:00
    intervention: {"x" * 501}
    reason: More than the network offers.
then:
  invalid: {{field: intervention, says: Limited to  500 characters}}
  written: nothing
"""


def test_input_refused_as_the_command_is_built_can_be_expected_by_field_and_words():
    result = one(INVALID)
    assert result.ok, result.report()
    assert result.command is None and result.error.field == "intervention"
    assert one(INVALID.replace("{field: intervention, says: Limited to  500 characters}", "yes")).ok
    wrong = INVALID.replace(
        "{field: intervention, says: Limited to  500 characters}", "\n    field: reason\n    says: at most 400"
    )
    got = "got invalid input: DeclineIntervention.intervention: short text is limited to 500 characters, got 501"
    assert one(wrong).mismatches == (
        f"x.spec.yaml:{line_of(wrong, 'field: reason')}: expected invalid input at reason, {got}",
        f"x.spec.yaml:{line_of(wrong, 'says: at most')}: expected the refusal to say 'at most 400', {got}",
    )
    short = INVALID.replace("x" * 501, "x" * 500)
    assert one(short).mismatches == (
        f"x.spec.yaml:{line_of(short, 'invalid:')}: expected invalid input at intervention, got accepted",
        f"x.spec.yaml:{line_of(short, 'written:')}: expected nothing written, got intervention_declined",
    )


def test_input_refused_when_then_does_not_expect_it_stays_a_mistake_at_the_field():
    text = INVALID.replace("  invalid: {field: intervention, says: Limited to  500 characters}\n", "  accepted: yes\n")
    error = spec_error(text)
    assert (error.line, error.reason) == (
        line_of(text, "    intervention:"),
        "DeclineIntervention.intervention: short text is limited to 500 characters, got 501",
    )
    given = INVALID.replace("when:\n  decline_intervention", "  - decline_intervention").replace(
        "    at: 2027-01-12 10:00\n    intervention", "      at: 2027-01-12 10:00\n      intervention"
    )
    given = given.replace("    reason: More", "      reason: More").replace(
        "then:", "when:\n  respond_to_request: {at: 2027-01-12 11:00}\nthen:"
    )
    assert spec_error(given).line == line_of(given, "    intervention:")  # expected of the command under test only


def test_a_nested_field_and_a_step_s_short_name_are_matched_by_their_path():
    late = INVALID.replace("x" * 501, "a plain request").replace(
        "    reason: More than the network offers.\n",
        "    reason: More than the network offers.\n    occurred: 2027-01-13 10:00\n",
    )
    late = late.replace("{field: intervention, says: Limited to  500 characters}", "{field: occurred, says: is after}")
    assert one(late).ok
    override = INVALID.replace("x" * 501, "a plain request").replace(
        "    reason: More than the network offers.\n",
        f"    reason: More than the network offers.\n    overrides:\n      - {{rule_id: TIME, by: c1, reason: {'y' * 10_001}}}\n",
    )
    override = override.replace(  # in a {flow: mapping}, a path with [0] is quoted
        "{field: intervention, says: Limited to  500 characters}",
        "\n    field: overrides[0].reason\n    says: limited to 10,000",
    )
    result = one(override)
    assert result.ok, result.report()
    assert str(result.error).startswith("DeclineIntervention.overrides[0].reason: reason is limited to 10,000")


@pytest.mark.parametrize(
    ("change", "fragment", "message"),
    [
        (
            ("{field: intervention, says: Limited to  500 characters}", "{feild: intervention}"),
            "invalid:",
            "invalid: has no 'feild'; did you mean 'field'? (it has: field, says)",
        ),
        (
            ("{field: intervention, says: Limited to  500 characters}", "no"),
            "invalid:",
            'write invalid: {field: text, says: "limited to 500 characters"}, or invalid: yes',
        ),
        (
            ("  written: nothing\n", "  flagged: [PSN-RESPONSE]\n"),
            "flagged:",
            "flagged: goes with 'accepted: yes' (nothing is recorded when the input is refused)",
        ),
        (
            ("  written: nothing\n", "  accepted: yes\n"),
            "then:",
            "then: says one outcome: 'accepted: yes', 'refused_by: [RULE-ID]', 'invalid: {field: ...}', 'id_reused: yes' or 'conflict: yes'",
        ),
    ],
)
def test_mistakes_in_invalid_name_their_line(change, fragment, message):
    text = INVALID.replace(*change)
    error = spec_error(text)
    assert (error.line, error.reason) == (line_of(text, fragment), message)


# -- two commands decided on the same version ----------------------------------------------------

CONCURRENT = """\
service: pastoral support
setup:
  officers:
    - {officer_id: off-1, background: gp, practice_id: P-OTHER-1}
    - {officer_id: off-2, background: gp, practice_id: P-OTHER-2}
given:
  - receive_request:
      case: C1
      at: 2027-01-11 10:00
      kind: gp
      recipients: [{recipient_id: gp-a, kind: gp}]
when:
  concurrently:
    - allocate_officer: {at: 2027-01-12 09:30, by: coord-1, recipient_id: gp-a, officer_id: off-1}
    - allocate_officer: {at: 2027-01-12 09:30, by: coord-2, recipient_id: gp-a, officer_id: off-2}
then:
  conflict: yes
  written: nothing
"""


def test_two_steps_decided_on_one_version_conflict_and_the_second_is_not_written():
    (spec,) = load_spec(CONCURRENT, "x.spec.yaml")
    assert spec.when.fields.value["officer_id"].value == "off-2"
    assert [s.fields.value["officer_id"].value for s in spec.concurrently] == ["off-1"]
    result = run_spec(spec)
    assert result.ok, result.report()
    assert (result.error.expected, result.error.actual) == (1, 2)  # decided on version 1; the first made it 2
    accepted = CONCURRENT.replace("  conflict: yes\n  written: nothing\n", "  accepted: yes\n")
    result = one(accepted)
    assert result.mismatches == (
        f"x.spec.yaml:{line_of(accepted, 'accepted: yes')}: expected accepted, got a conflict: stream 'case-C1' is at"
        " version 2, not the expected 1; reload it and decide again (nothing was written)",
    )
    report = result.report()
    assert f"when: allocate_officer (line {line_of(accepted, 'coord-2')}) ended in a conflict" in report
    assert f"decided on the same version as: allocate_officer (line {line_of(accepted, 'coord-1')})" in report


def test_decided_one_after_the_other_the_second_sees_the_first():
    after = CONCURRENT.replace("when:\n  concurrently:\n    - allocate", "  - allocate", 1).replace(
        "    - allocate_officer: {at: 2027-01-12 09:30, by: coord-2",
        "when:\n  allocate_officer: {at: 2027-01-12 09:30, by: coord-2",
    )
    after = after.replace("  conflict: yes\n", "  refused_by: [STATE]\n")
    assert one(after).ok, one(after).report()
    error = spec_error(after.replace("refused_by: [STATE]", "conflict: yes"))
    assert (
        error.reason == "conflict: needs 'when: {concurrently: [step, step]}': only steps decided at once can conflict"
    )


def test_steps_on_two_records_decided_at_once_do_not_conflict():
    text = CONCURRENT.replace(
        "      recipients: [{recipient_id: gp-a, kind: gp}]\n",
        "      recipients: [{recipient_id: gp-a, kind: gp}]\n"
        "  - receive_request: {case: C2, at: 2027-01-11 11:00, kind: gp, recipients: [{recipient_id: gp-b, kind: gp}]}\n",
    ).replace("{at: 2027-01-12 09:30, by: coord-1,", "{case: C1, at: 2027-01-12 09:30, by: coord-1,")
    text = text.replace("by: coord-2, recipient_id: gp-a", "case: C2, by: coord-2, recipient_id: gp-b")
    result = one(text)
    assert result.mismatches == (
        f"x.spec.yaml:{line_of(text, 'conflict:')}: expected a conflict, got accepted",
        f"x.spec.yaml:{line_of(text, 'written:')}: expected nothing written, got officer_allocated",
    )
    assert one(text.replace("  conflict: yes\n  written: nothing\n", "  accepted: yes\n  replayed: no\n")).ok


def test_concurrent_step_mistakes_name_their_line():
    single = CONCURRENT.replace(
        "    - allocate_officer: {at: 2027-01-12 09:30, by: coord-2, recipient_id: gp-a, officer_id: off-2}\n", ""
    )
    error = spec_error(single)
    assert (error.line, error.reason) == (
        line_of(single, "- allocate_officer"),
        "concurrently: is a list of two or more steps, decided on the same version of the record",
    )
    refused_first = CONCURRENT.replace("by: coord-1, recipient_id", "by: gp-a, as: recipient, recipient_id")
    error = spec_error(refused_first)
    assert error.line == line_of(refused_first, "as: recipient")
    assert error.reason.startswith("the step decided concurrently 'allocate_officer' was refused")


# -- what the verdicts say ------------------------------------------------------------------------

CAPACITY = """\
service: peer support
given:
  - start_programme: {programme: p1, at: 2026-04-01 09:00, by: lead-1, as: programme lead, funder: f1, starts_on: 2026-04-01, group_capacity: 1}
  - propose_group: {at: 2026-04-01 10:00, by: lead-1, as: programme lead, group_id: g1, region: London}
  - propose_group: {at: 2026-04-01 10:05, by: lead-1, as: programme lead, group_id: g2, region: London}
  - approve_group: {at: 2026-04-02 11:00, by: lead-1, as: programme lead, group_id: g1}
when:
  approve_group: {at: 2026-04-02 11:05, by: lead-1, as: programme lead, group_id: g2}
then:
  refused_by: [GPS-CAPACITY]
  says:
    GPS-CAPACITY: "1 OF 1 groups  are already approved"
"""


def test_says_shows_which_of_a_rule_s_refusals_fired():
    assert one(CAPACITY).ok
    window = CAPACITY.replace('"1 OF 1 groups  are already approved"', "[approvals run from, 1 of 1]")
    assert one(window).mismatches == (
        f"x.spec.yaml:{line_of(window, 'GPS-CAPACITY: [')}: GPS-CAPACITY: expected a verdict saying 'approvals run"
        " from', got '1 of 1 groups are already approved'",
    )
    flagged = LATE + "  flagged: [PSN-RESPONSE]\n  says: {PSN-RESPONSE: was after it was due, AUTH: coordinator may}\n"
    assert one(flagged).ok  # an accepted command: every verdict, passes too
    unchecked = LATE + "  flagged: [PSN-RESPONSE]\n  says: {PSN-ALLOWANCE: sessions}\n"
    assert one(unchecked).mismatches == (
        f"x.spec.yaml:{line_of(unchecked, 'says:')}: PSN-ALLOWANCE: expected a verdict saying 'sessions', got no"
        " verdict of PSN-ALLOWANCE",
    )


def test_says_mistakes_name_their_line():
    unknown = CAPACITY.replace("    GPS-CAPACITY:", "    GPS-CAPACTY:")
    error = spec_error(unknown)
    assert (error.line, error.reason) == (
        line_of(unknown, "GPS-CAPACTY"),
        "unknown rule id 'GPS-CAPACTY'; did you mean 'GPS-CAPACITY'?",
    )
    error = spec_error(CONCURRENT + "  says: {STATE: x}\n")
    assert error.reason == "says: goes with 'accepted: yes' or 'refused_by:' (it reads what the rules said)"
    error = spec_error(CAPACITY.replace('"1 OF 1 groups  are already approved"', '""'))
    assert error.reason == "under GPS-CAPACITY, write the words its verdict says, in quotes"


# -- lists of steps reused through an anchor -----------------------------------------------------


def test_a_list_of_steps_may_hold_an_anchored_list_one_level_down():
    text = """\
service: peer support
x-programme: &programme
  - start_programme: {programme: p1, at: 2026-04-01 09:00, by: lead-1, as: programme lead, funder: f1, starts_on: 2026-04-01, group_capacity: 1}
  - propose_group: {at: 2026-04-01 10:00, by: lead-1, as: programme lead, group_id: g1, region: London}
background: [*programme, {propose_group: {at: 2026-04-01 10:05, by: lead-1, as: programme lead, group_id: g2, region: London}}]
given:
  - [{approve_group: {at: 2026-04-02 11:00, by: lead-1, as: programme lead, group_id: g1}}]
when:
  approve_group: {at: 2026-04-02 11:05, by: lead-1, as: programme lead, group_id: g2}
then:
  refused_by: [GPS-CAPACITY]
"""
    (spec,) = load_spec(text, "x.spec.yaml")
    assert [s.name for s in spec.given] == ["start_programme", "propose_group", "propose_group", "approve_group"]
    lines = ("start_programme", "group_id: g1", "background:", "approve_group")
    assert [s.line for s in spec.given] == [line_of(text, fragment) for fragment in lines]
    assert run_spec(spec).ok
    assert not one(text.replace("group_capacity: 1", "group_capacity: 2")).ok
    nested = text.replace("  - [{approve_group:", "  - [[{approve_group:").replace("g1}}]\n", "g1}}]]\n")
    error = spec_error(nested)
    assert (error.line, error.reason) == (
        line_of(nested, "[[{approve_group"),
        "given: a list of steps may hold lists of steps, but not lists of lists",
    )


def test_the_plugin_runs_the_new_outcomes_and_reports_a_missed_one_at_its_line(pytester):
    wrong = CONCURRENT.replace("  conflict: yes\n", "  accepted: yes\n")
    result = run_plugin(pytester, conflict=CONCURRENT, retry=RETRY, reused=REUSED, invalid=INVALID, wrong=wrong)
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"wrong.spec.yaml:{line_of(wrong, 'accepted: yes')}: expected accepted, got a conflict: stream 'case-C1'*",
            "*decided on the same version as: allocate_officer (line *)",
        ]
    )
    assert "Traceback" not in result.stdout.str()
