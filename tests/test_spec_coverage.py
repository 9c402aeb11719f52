"""Every rule of the register has spec files that allow and refuse (or flag), in its own folder.

An LMC reader checks a rule against the MoU by opening ``tests/specs/<domain>/<RULE-ID>/``:
this test makes sure that folder exists for every rule of the register, holds at least one
spec that is accepted and one that is refused (or flagged), and that the rule's own
outcomes are written down where the register says it can reach them: refused by the rule
if it can deny, flagged by it if it can flag, passed by it (or accepted in its folder) always.
The specs' verdicts are checked by running them (the spec plugin); this test checks that
nothing a reader relies on is missing.
"""

import pathlib
from collections import defaultdict

import pytest

from pastoral_core.rules import REGISTER, VerdictKind
from pastoral_core.testing import load_spec

SPECS = pathlib.Path(__file__).parent / "specs"


def _ids(then, key):
    found = then.value.get(key) if isinstance(then.value, dict) else None
    if found is None:
        return set()
    items = found.value if isinstance(found.value, list) else [found]
    return {str(item.value) for item in items}


def _accepted(then):
    found = then.value.get("accepted") if isinstance(then.value, dict) else None
    return bool(found is not None and found.value is True)


def _read_all():
    """Per rule folder: the specs' outcomes; per rule id: which outcomes any spec expects of it."""
    folders = defaultdict(lambda: {"accepted": 0, "refused_or_flagged": 0})
    expected = defaultdict(set)
    for path in sorted(SPECS.rglob("*.spec.yaml")):
        folder = path.parent.name
        for spec in load_spec(path.read_text(encoding="utf-8"), str(path)):
            refused, flagged, passed = (_ids(spec.then, k) for k in ("refused_by", "flagged", "passed"))
            if refused or flagged:
                folders[folder]["refused_or_flagged"] += 1
            if _accepted(spec.then):
                folders[folder]["accepted"] += 1
            for rule_id in refused:
                expected[rule_id].add(VerdictKind.DENY)
            for rule_id in flagged:
                expected[rule_id].add(VerdictKind.FLAG)
            for rule_id in passed:
                expected[rule_id].add("pass")
    return folders, expected


FOLDERS, EXPECTED = _read_all()


@pytest.mark.parametrize("rule_id", list(REGISTER))
def test_every_rule_has_a_folder_of_specs_that_allow_and_refuse(rule_id):
    entry = REGISTER[rule_id]
    if rule_id in ("INPUT", "STATE"):
        pytest.skip("derived checks every command makes; the rules' own specs show them refusing")
    counts = FOLDERS.get(rule_id)
    assert counts is not None, f"no folder tests/specs/<domain>/{rule_id}/"
    assert counts["accepted"] >= 1, f"{rule_id}: no spec in its folder is accepted"
    assert counts["refused_or_flagged"] >= 1, f"{rule_id}: no spec in its folder is refused or flagged"
    for kind in entry.verdicts & {VerdictKind.DENY, VerdictKind.FLAG}:
        assert kind in EXPECTED[rule_id], f"{rule_id} can {kind.value}, but no spec expects it to"
    if entry.verdicts and not entry.refuses_only:
        assert "pass" in EXPECTED[rule_id], f"{rule_id}: no spec expects it to pass"


def test_the_check_itself_notices_a_rule_without_a_refusing_spec():
    # the same reading as above, of one made-up folder with only an accepted spec
    text = """
service: pastoral support
specs:
  - name: only allowed
    when:
      receive_request: {case: c1, at: 2026-12-24 16:00, kind: gp, recipients: [{recipient_id: gp-1, kind: gp}]}
    then:
      accepted: yes
      passed: [PSN-RESPONSE]
"""
    (spec,) = load_spec(text, "made-up.spec.yaml")
    assert _accepted(spec.then)
    assert _ids(spec.then, "passed") == {"PSN-RESPONSE"}
    assert _ids(spec.then, "refused_by") == set()
