"""The rules register lives in the project: it covers the specification, matches the code both ways, renders its page."""

import datetime as dt
import importlib
import importlib.util
import inspect
import itertools
import pathlib
import pkgutil
import re
from decimal import Decimal
from typing import ClassVar

import attrs
import pytest

import pastoral_core
from pastoral_core.exceptions import InvalidType, InvalidValue, UnknownRule
from pastoral_core.kernel import AUTH_CITATION, SCOPE_CITATION, TIME_CITATION
from pastoral_core.peer_groups import PHP_GROUP_PEER_SUPPORT
from pastoral_core.portfolio import PORTFOLIO_PLUS
from pastoral_core.rules import (
    INPUT_CITATION,
    MINIMAL_CITATION,
    REGISTER,
    STATE_CITATION,
    CheckedBy,
    Citation,
    Discrepancy,
    Domain,
    LateEntry,
    Outcome,
    Register,
    RegisterEntry,
    Rulebooks,
    VerdictKind,
    register_markdown,
    register_mismatches,
)
from pastoral_core.support import DEVON_PSN, DEVON_PSN_V1, CostShare, ResponseTime

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "rules-register.md"
SHIPPED = (DEVON_PSN, PHP_GROUP_PEER_SUPPORT, PORTFOLIO_PLUS)
KERNEL_CITATIONS = {
    "AUTH": AUTH_CITATION,
    "SCOPE": SCOPE_CITATION,
    "TIME": TIME_CITATION,
    "INPUT": INPUT_CITATION,
    "STATE": STATE_CITATION,
    "MINIMAL": MINIMAL_CITATION,
}

#: Every ID of the rules specification, with its source as the specification gives it.
SPECIFIED = {
    **dict.fromkeys(
        [
            "PSN-RESPONSE",
            "PSN-MOU-FIRST",
            "PSN-ROSTER",
            "PSN-SKILLS",
            "PSN-SWITCH",
            "PSN-SEPARATE",
            "PSN-SECOND",
            "PSN-ALLOWANCE",
            "PSN-REVIEW",
            "PSN-COST-SHARE",
            "PSN-REFERRAL",
            "PSN-CHARGE",
            "PSN-TOOLS",
            "PSN-BOUNDARY",
            "PSN-NOTE-AUTHOR",
            "PSN-NOTE-LIMITED",
            "PSN-NOTE-SENSITIVE",
            "PSN-RETENTION",
            "PSN-SAFETY",
            "PSN-CONDUCT",
            "PSN-CLOSE",
            "PSN-CONFIDENTIAL",
        ],
        "MOU",
    ),
    "PSN-CONFLICT": "DERIVED",
    **dict.fromkeys(
        [
            "GPS-REMIT",
            "GPS-CAPACITY",
            "GPS-ELIGIBLE",
            "GPS-SIZE",
            "GPS-LENGTH",
            "GPS-FUNDING-CAP",
            "GPS-INDEPENDENT",
            "GPS-TARIFF",
            "GPS-EVALUATION",
            "GPS-SCHEDULE",
        ],
        "GPS",
    ),
    **dict.fromkeys(["PP-MEMBER", "PP-TEAM", "PP-OPPORTUNITY", "PP-FRESH", "PP-MATCH", "PP-PEER", "PP-OUTCOME"], "PP"),
    **dict.fromkeys(["AUTH", "TIME", "IDEMPOTENT", "CONCURRENCY", "MINIMAL", "SCOPE"], "DERIVED"),
}


def rule_classes_in_the_package():
    """Every class of pastoral_core that declares a ``rule_id`` class variable of its own."""
    found = set()
    for module in pkgutil.walk_packages(pastoral_core.__path__, "pastoral_core."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if cls.__module__.startswith("pastoral_core") and isinstance(cls.__dict__.get("rule_id"), str):
                found.add(cls)
    return found


def mismatches(register=REGISTER, rulebooks=SHIPPED, classes=None, citations=None):
    classes = rule_classes_in_the_package() if classes is None else classes
    return register_mismatches(
        register, rulebooks, classes=classes, citations=KERNEL_CITATIONS if citations is None else citations
    )


def without(register, rule_id):
    return Register(e for e in register.entries if e.rule_id != rule_id)


def replaced(register, rule_id, **changes):
    return Register(attrs.evolve(e, **changes) if e.rule_id == rule_id else e for e in register.entries)


# -- the register covers the specification ---------------------------------------------------


def test_every_specified_rule_is_registered_with_its_source():
    assert {rule_id: REGISTER[rule_id].source for rule_id in SPECIFIED} == SPECIFIED


def test_input_and_state_are_registered_as_derived_kernel_refusals():
    for rule_id in ("INPUT", "STATE"):
        entry = REGISTER[rule_id]
        assert (entry.source, entry.checked_by, entry.outcomes) == ("DERIVED", CheckedBy.KERNEL, {Outcome.DENY})
    assert set(REGISTER) == set(SPECIFIED) | {"INPUT", "STATE"}


@pytest.mark.parametrize(
    ("rule_id", "source", "clause"),
    [
        ("PSN-RESPONSE", "MOU", "LMC 4"),
        ("PSN-ALLOWANCE", "MOU", "LMC 4, CLIENT 4"),
        ("PSN-CONFLICT", "DERIVED", "from MOU LMC 5-6 (confidentiality, suitability)"),
        ("PSN-CONFIDENTIAL", "MOU", "LMC 5, NOTE 3"),
        ("GPS-FUNDING-CAP", "GPS", "offering (up to 900 minutes of facilitator support per group)"),
        ("PP-FRESH", "PP", "a regularly-updated online database"),
    ],
)
def test_an_entry_cites_its_clause(rule_id, source, clause):
    assert REGISTER[rule_id].citation == Citation(source, clause)


def test_each_domain_lists_its_rules_in_order():
    assert [e.rule_id for e in REGISTER.in_domain(Domain.PORTFOLIO)] == [
        "PP-MEMBER",
        "PP-TEAM",
        "PP-OPPORTUNITY",
        "PP-FRESH",
        "PP-MATCH",
        "PP-PEER",
        "PP-OUTCOME",
    ]
    assert all(e.rule_id.startswith("PSN-") for e in REGISTER.in_domain(Domain.SUPPORT))


@pytest.mark.parametrize(
    ("rule_id", "outcomes"),
    [
        ("PSN-MOU-FIRST", {Outcome.DENY, Outcome.PASS}),
        ("PSN-RESPONSE", {Outcome.FLAG, Outcome.PASS}),
        ("PSN-SECOND", {Outcome.DENY, Outcome.FLAG, Outcome.PASS}),
        ("PSN-CHARGE", {Outcome.PASS}),
        ("PSN-COST-SHARE", {Outcome.DENY, Outcome.PASS}),
        ("MINIMAL", {Outcome.DENY}),
        ("CONCURRENCY", set()),
    ],
)
def test_what_a_rule_can_conclude_follows_from_its_verdict_kinds(rule_id, outcomes):
    assert REGISTER[rule_id].outcomes == outcomes


def test_an_unknown_id_is_a_clear_error_naming_its_neighbours():
    with pytest.raises(UnknownRule, match=r"no rule 'PSN-RESPONS'; its PSN-\* rules are PSN-RESPONSE, "):
        REGISTER["PSN-RESPONS"]
    with pytest.raises(UnknownRule, match="known IDs: PSN-RESPONSE"):
        REGISTER["NOPE"]
    assert "NOPE" not in REGISTER
    assert REGISTER.get("NOPE") is None
    assert REGISTER.get("AUTH") is REGISTER["AUTH"]
    assert len(REGISTER) == len(REGISTER.entries) == len(list(REGISTER))


def entry(**changes):
    fields = {
        "rule_id": "X-1",
        "source": "MOU",
        "clause": "LMC 4",
        "protects": "Something a coordinator can check.",
        "verdicts": ("deny",),
        "domain": Domain.SUPPORT,
    }
    return RegisterEntry(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"source": "RULES"}, InvalidValue, "source: must be one of MOU, GPS, PP, DERIVED"),
        ({"clause": " "}, InvalidValue, "clause: must be non-empty text"),
        ({"verdicts": ("refuse",)}, InvalidValue, "each verdict kind is deny, flag or record"),
        ({"verdicts": ()}, InvalidValue, "only a store behaviour reaches no verdict"),
        ({"domain": "support"}, InvalidType, "domain: must be a Domain"),
        ({"refuses_only": True, "verdicts": ("record",)}, InvalidValue, "only a deny rule refuses only"),
    ],
)
def test_a_malformed_entry_is_refused_when_built(changes, error, message):
    with pytest.raises(error, match=re.escape(message)):
        entry(**changes)


def test_a_register_refuses_an_id_twice():
    with pytest.raises(InvalidValue, match="rule X-1 is listed twice"):
        Register([entry(), entry(protects="Another sentence.")])


# -- the register and the code agree, both ways ------------------------------------------------


def test_the_real_register_matches_every_shipped_rule_class_and_kernel_citation():
    assert mismatches() == ()


def test_every_shipped_rulebook_version_and_rule_class_is_checked():
    classes = rule_classes_in_the_package()
    assert LateEntry in classes and ResponseTime in classes
    shipped = {type(rule) for books in SHIPPED for book in books for rule in book.rules}
    assert shipped <= classes
    assert {c.rule_id for c in classes} == {e.rule_id for e in REGISTER.entries if e.rule_class}


def test_a_register_missing_an_entry_misses_that_rule():
    found = mismatches(register=without(REGISTER, "PSN-SWITCH"))
    assert [(m.rule_id, m.discrepancy) for m in found] == [("PSN-SWITCH", Discrepancy.UNREGISTERED)]
    assert "OfficerSwitch (rulebook DEVON_PSN v1) is not in the register" in str(found[0])


def test_an_entry_with_a_wrong_clause_is_a_wrong_citation():
    found = mismatches(register=replaced(REGISTER, "PSN-ALLOWANCE", clause="LMC 5"))
    assert [(m.rule_id, m.discrepancy) for m in found] == [("PSN-ALLOWANCE", Discrepancy.WRONG_CITATION)]
    assert "SessionAllowance cites MOU LMC 4, CLIENT 4, the register MOU LMC 5" in found[0].detail


def test_a_kernel_check_with_a_wrong_clause_is_a_wrong_citation():
    found = mismatches(register=replaced(REGISTER, "SCOPE", clause="SCOPE"))
    assert [(m.rule_id, m.discrepancy) for m in found] == [("SCOPE", Discrepancy.WRONG_CITATION)]
    found = mismatches(citations={k: v for k, v in KERNEL_CITATIONS.items() if k != "STATE"})
    assert [(m.rule_id, m.discrepancy) for m in found] == [("STATE", Discrepancy.NO_CITATION)]


@attrs.frozen
class HomeVisits:
    """A rule a host might add without registering it."""

    rule_id: ClassVar[str] = "PSN-HOME-VISITS"
    citation: ClassVar[Citation] = Citation("DERIVED", "a host's own rule")


def test_a_rulebook_with_an_unregistered_rule_class_is_found():
    book = DEVON_PSN_V1.revised(2, dt.date(2030, 1, 1), HomeVisits())
    found = mismatches(rulebooks=(Rulebooks.of(DEVON_PSN_V1, book), PHP_GROUP_PEER_SUPPORT, PORTFOLIO_PLUS))
    assert [(m.rule_id, m.discrepancy) for m in found] == [("PSN-HOME-VISITS", Discrepancy.UNREGISTERED)]
    assert "HomeVisits (rulebook DEVON_PSN v2) is not in the register" in found[0].detail


def test_a_registered_rule_class_the_code_lacks_is_found():
    found = mismatches(rulebooks=(PHP_GROUP_PEER_SUPPORT, PORTFOLIO_PLUS), classes=[LateEntry])
    assert {m.discrepancy for m in found} == {Discrepancy.NO_RULE_CLASS}
    assert {m.rule_id for m in found} == {e.rule_id for e in REGISTER.in_domain(Domain.SUPPORT)}
    renamed = mismatches(register=replaced(REGISTER, "PSN-COST-SHARE", rule_class="Charges"))
    assert [(m.rule_id, m.discrepancy) for m in renamed] == [
        ("PSN-COST-SHARE", Discrepancy.WRONG_CLASS),
        ("PSN-COST-SHARE", Discrepancy.NO_RULE_CLASS),
    ]
    assert CostShare.__name__ in renamed[0].detail


def test_mismatches_refuse_what_is_not_a_register_or_rulebook():
    with pytest.raises(InvalidType, match="register: must be a Register"):
        register_mismatches(dict(REGISTER), SHIPPED)
    with pytest.raises(InvalidType, match="must be Rulebooks or Rulebook, not str"):
        register_mismatches(REGISTER, ["DEVON_PSN"])


# -- the page -------------------------------------------------------------------------------


def load_writer():
    spec = importlib.util.spec_from_file_location("write_register", ROOT / "docs" / "_tools" / "write_register.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_page_is_what_the_code_renders():
    rendered = load_writer().render()
    assert rendered == register_markdown(REGISTER, SHIPPED)
    assert PAGE.read_text(encoding="utf-8") == rendered, (
        "docs/rules-register.md differs from the register and rulebooks in the code; regenerate it with "
        "`python docs/_tools/write_register.py` and commit the result"
    )


def test_the_page_shows_each_rulebooks_parameters_from_the_code():
    adapted = DEVON_PSN_V1.adapted("EXETER_PSN", ResponseTime(working_days=3), CostShare(session_rate=Decimal("75.00")))
    page = register_markdown(REGISTER, [Rulebooks.of(adapted), DEVON_PSN])
    section = page.split("### PSN-RESPONSE")[1].split("###")[0]
    assert "| Parameter | Default | EXETER_PSN v1 (from 2019-01-01) | DEVON_PSN v1 (from 2019-01-01) |" in section
    assert "| `working_days` | `2` | `3` | `2` |" in section
    assert "| `session_rate` | `None` | `75.00` | `None` |" in page
    assert "Parameters: none of the rulebooks given has rule GPS-REMIT." in page


def test_the_page_has_one_section_per_rule_headings_in_order_and_no_raw_html():
    page = PAGE.read_text(encoding="utf-8")
    headings = re.findall(r"^(#+) (.+)$", page, re.M)
    levels = [len(marks) for marks, _ in headings]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert [title for marks, title in headings if len(marks) == 3] == list(REGISTER)
    assert [title for marks, title in headings if len(marks) == 2] == [d.title for d in Domain]
    outside_code = re.sub(r"`[^`]*`", "", page)
    assert not re.search(r"<[A-Za-z/!]", outside_code)
    assert ">>>" not in page  # the docs' doctest run collects it


def test_the_page_refuses_what_is_not_a_register():
    with pytest.raises(InvalidType, match="must be a Register"):
        register_markdown(tuple(REGISTER.entries), SHIPPED)
    with pytest.raises(InvalidType, match="must be Rulebooks or Rulebook"):
        register_markdown(REGISTER, [object()])


def test_a_single_rulebook_renders_too():
    page = register_markdown(REGISTER, DEVON_PSN_V1)
    assert "| `max_days` | `31` | `31` |" in page
    assert "| `max_days` | `31` | `31` | `31` |" not in page


def test_verdict_kinds_read_as_the_register_writes_them():
    assert REGISTER["GPS-SIZE"].verdicts == {VerdictKind.FLAG, VerdictKind.DENY}
    assert REGISTER["GPS-SIZE"].verdicts_text == "flag / deny"
    assert REGISTER["IDEMPOTENT"].verdicts_text == "-"
