"""A spec's ``then:``: the outcome expected, checked against what the service did.

One outcome, exactly:

- ``accepted: yes``;
- ``refused_by: [RULE-ID, ...]``: exactly those rules refused;
- ``invalid: {field: text, says: "..."}``: the input was refused as the command was built;
- ``id_reused: yes``: the command id had been used for another command;
- ``conflict: yes``: appended on a version the record had moved on from (the last of
  ``when: {concurrently: [...]}``).

Beside it: with ``accepted``, ``flagged``, ``passed``, ``replayed``, ``recorded`` and
``costs`` (see ``_spec_events``); with ``accepted`` or ``refused_by``, ``says: {RULE-ID:
text}``; with any, ``written: nothing``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pastoral_core.exceptions import CommandIdReused, ConcurrencyConflict, InvalidValue
from pastoral_core.rules import Outcome as VerdictOutcome
from pastoral_core.testing._spec_events import costs, recorded
from pastoral_core.testing._spec_load import Spec
from pastoral_core.testing._spec_outcome import Outcome, by
from pastoral_core.testing._spec_world import SAME_AS
from pastoral_core.testing._spec_yaml import Located, SpecError, nearest, normalise

OUTCOME_KEYS = ("accepted", "refused_by", "invalid", "id_reused", "conflict")
THEN_KEYS = (*OUTCOME_KEYS, "flagged", "passed", "replayed", "says", "recorded", "costs", "written")
_ONLY_IF_ACCEPTED = ("flagged", "passed", "replayed", "recorded", "costs")
_WHEN_NOT_ACCEPTED = {
    "refused_by": "when refused",
    "invalid": "when the input is refused",
    "id_reused": "when the id is reused",
    "conflict": "in a conflict",
}
_INVALID_KEYS = ("field", "says")
_ONE_OUTCOME = (
    "then: says one outcome: 'accepted: yes', 'refused_by: [RULE-ID]', 'invalid: {field: ...}', "
    "'id_reused: yes' or 'conflict: yes'"
)

Found = list[tuple[int, str]]


def expects_invalid(spec: Spec) -> bool:
    """Whether ``then:`` expects the command's input to be refused (``invalid:``)."""
    return any(normalise(key) == "invalid" for key, _ in spec.then.items())


def check_then(spec: Spec, outcome: Outcome) -> tuple[str, ...]:
    """Every expectation of ``spec.then`` that ``outcome`` does not meet, as ``"<path>:<line>: <what>"``, by line.

    Raises:
        SpecError: If ``then:`` is not written as expectations can be.
    """
    then, path = {normalise(k): v for k, v in spec.then.items()}, spec.path
    for key, loc in then.items():
        if key not in THEN_KEYS:
            reason = f"then: has no {key!r}{nearest(key, THEN_KEYS)} (it has: {', '.join(THEN_KEYS)})"
            raise SpecError(path, loc.key_line, reason)
    named = [key for key in OUTCOME_KEYS if key in then]
    if len(named) != 1:
        raise SpecError(path, spec.then.key_line, _ONE_OUTCOME)
    key = named[0]
    if key != "accepted":
        extra = [k for k in _ONLY_IF_ACCEPTED if k in then]
        if extra:
            reason = f"{extra[0]}: goes with 'accepted: yes' (nothing is recorded {_WHEN_NOT_ACCEPTED[key]})"
            raise SpecError(path, then[extra[0]].key_line, reason)
    if "says" in then and key not in ("accepted", "refused_by"):
        reason = "says: goes with 'accepted: yes' or 'refused_by:' (it reads what the rules said)"
        raise SpecError(path, then["says"].key_line, reason)
    found = _CHECKS[key](then, spec, outcome)
    if "says" in then and (outcome.accepted if key == "accepted" else outcome.refused) is not None:
        found += _says(then["says"], spec, outcome)
    if "written" in then:
        found += _written(then["written"], path, outcome)
    return tuple(f"{path}:{line}: {message}" for line, message in sorted(found, key=lambda item: item[0]))


def _yes(loc: Located, path: str, hint: str) -> None:
    if loc.value is not True:
        raise SpecError(path, loc.line, hint)


def _known(spec: Spec, outcome: Outcome) -> frozenset[str]:
    return outcome.kind.rule_ids(outcome.service.rulebooks)


def _rule_id(item: Located, path: str, known: frozenset[str]) -> str:
    if item.text is None or item.value is None:
        raise SpecError(path, item.line, f"expected a rule id such as PSN-ALLOWANCE, got {item.describe()}")
    rule_id = item.text.strip()
    if rule_id not in known:
        raise SpecError(path, item.line, f"unknown rule id {rule_id!r}{nearest(rule_id.upper(), known)}")
    return rule_id


def _rule_ids(loc: Located, path: str, known: frozenset[str]) -> tuple[str, ...]:
    items = loc.value if loc.is_list else ([] if loc.value is None else [loc])
    return tuple(_rule_id(item, path, known) for item in items)


def _accepted(then: dict[str, Located], spec: Spec, outcome: Outcome) -> Found:
    loc, path = then["accepted"], spec.path
    _yes(loc, path, "write 'accepted: yes', or 'refused_by: [RULE-ID]' for a refusal")
    accepted = outcome.accepted
    if accepted is None:
        return [(loc.line, f"expected accepted, got {outcome.describe()}")]
    known = _known(spec, outcome)
    flagged_loc = then.get("flagged")
    expected = _rule_ids(flagged_loc, path, known) if flagged_loc is not None else ()
    found = _flags(expected, flagged_loc.line if flagged_loc else loc.line, outcome)
    if "passed" in then:
        found += _passes(_rule_ids(then["passed"], path, known), then["passed"].line, outcome)
    if "replayed" in then:
        found += _replayed(then["replayed"], path, outcome)
    if "recorded" in then:
        found += recorded(then["recorded"], accepted.events, outcome)
    if "costs" in then:
        found += costs(then["costs"], accepted.events, outcome)
    return found


def _refused(then: dict[str, Located], spec: Spec, outcome: Outcome) -> Found:
    loc = then["refused_by"]
    expected = _rule_ids(loc, spec.path, _known(spec, outcome))
    if outcome.refused is None:
        return [(loc.line, f"expected refused by {by(expected)}, got {outcome.describe()}")]
    if set(outcome.refused.rule_ids) != set(expected):
        return [(loc.line, f"expected refused by {by(expected)}, got {outcome.describe()}")]
    return []


def _flags(expected: tuple[str, ...], line: int, outcome: Outcome) -> Found:
    got = {v.rule_id for v in outcome.verdicts if v.outcome is VerdictOutcome.FLAG}
    if got == set(expected):
        return []
    want = f"flagged by {by(expected)}" if expected else "no flags"
    have = f"flagged by {by(got)}" if got else "no flags"
    return [(line, f"expected accepted with {want}, got accepted with {have}")]


def _passes(expected: tuple[str, ...], line: int, outcome: Outcome) -> Found:
    found = []
    for rule_id in expected:
        outcomes = {v.outcome for v in outcome.verdicts if v.rule_id == rule_id}
        if VerdictOutcome.PASS not in outcomes:
            got = ", ".join(sorted(o.value for o in outcomes)) if outcomes else "was not checked"
            found.append((line, f"expected {rule_id} to pass, got {got}"))
    return found


def _replayed(loc: Located, path: str, outcome: Outcome) -> Found:
    if not isinstance(loc.value, bool):
        raise SpecError(
            path, loc.line, "write 'replayed: yes' (a retry of a command already applied) or 'replayed: no'"
        )
    replayed = outcome.accepted is not None and outcome.accepted.replayed
    if replayed == loc.value:
        return []
    if loc.value:
        return [
            (
                loc.line,
                f"expected a replay of a command already applied, got a new decision: {outcome.written_names()}",
            )
        ]
    command_id = outcome.command.command_id if outcome.command is not None else "?"
    return [(loc.line, f"expected a new decision, got a replay of the command already applied under id {command_id!r}")]


def _written(loc: Located, path: str, outcome: Outcome) -> Found:
    nothing = (isinstance(loc.value, str) and loc.value.strip().lower() in ("nothing", "none")) or loc.value == []
    if not nothing:
        reason = "write 'written: nothing' (the command added no record); list what it recorded under recorded:"
        raise SpecError(path, loc.line, reason)
    if outcome.written:
        return [(loc.line, f"expected nothing written, got {outcome.written_names()}")]
    return []


def _contains(text: str, part: str) -> bool:
    """Whether ``part`` is in ``text``, ignoring case and runs of spaces."""

    def squeeze(value: str) -> str:
        return re.sub(r"\s+", " ", value).strip().casefold()

    return squeeze(part) in squeeze(text)


def _says(loc: Located, spec: Spec, outcome: Outcome) -> Found:
    path = spec.path
    if not loc.is_mapping or not loc.value:
        raise SpecError(
            path, loc.line, 'says: is a mapping of rule id to what its verdict says, e.g. {GPS-CAPACITY: "50 of 50"}'
        )
    known = _known(spec, outcome)
    found: Found = []
    for key, item in loc.items():
        rule_id = _rule_id(Located(key, item.key_line, key, item.key_line), path, known)
        messages = [v.message for v in outcome.verdicts if v.rule_id == rule_id]
        for text in item.value if item.is_list else [item]:
            if text.text is None or text.value is None or not text.text.strip():
                raise SpecError(path, text.line, f"under {rule_id}, write the words its verdict says, in quotes")
            if any(_contains(message, text.text) for message in messages):
                continue
            got = " / ".join(repr(m) for m in messages) if messages else f"no verdict of {rule_id}"
            found.append((text.line, f"{rule_id}: expected a verdict saying {text.text!r}, got {got}"))
    return found


def _invalid(then: dict[str, Located], spec: Spec, outcome: Outcome) -> Found:
    loc, path = then["invalid"], spec.path
    if loc.is_mapping and loc.value:
        wanted = {normalise(k): v for k, v in loc.items()}
        for key, item in wanted.items():
            if key not in _INVALID_KEYS:
                reason = f"invalid: has no {key!r}{nearest(key, _INVALID_KEYS)} (it has: {', '.join(_INVALID_KEYS)})"
                raise SpecError(path, item.key_line, reason)
            if item.text is None or item.value is None:
                raise SpecError(path, item.line, f"invalid: {key}: is text, got {item.describe()}")
    elif loc.value is True:
        wanted = {}
    else:
        raise SpecError(
            path, loc.line, 'write invalid: {field: text, says: "limited to 500 characters"}, or invalid: yes'
        )
    field = wanted.get("field")
    expected = _field_path(field.text) if field is not None and field.text is not None else None
    error = outcome.error
    if not isinstance(error, InvalidValue):
        at = f" at {expected}" if expected else ""
        return [(loc.line, f"expected invalid input{at}, got {outcome.describe()}")]
    found: Found = []
    if field is not None and expected != normalise(error.field):
        found.append((field.line, f"expected invalid input at {expected}, got {outcome.describe()}"))
    says = wanted.get("says")
    if says is not None and says.text is not None and not _contains(str(error), says.text):
        found.append((says.line, f"expected the refusal to say {says.text!r}, got {outcome.describe()}"))
    return found


def _field_path(text: str) -> str:
    """A field path as written (``occurred``, ``overrides[0].reason``), with a step's short names made full."""
    first, dot, rest = normalise(text).partition(".")
    head, bracket, index = first.partition("[")
    return SAME_AS.get(head, head) + bracket + index + dot + rest


def _id_reused(then: dict[str, Located], spec: Spec, outcome: Outcome) -> Found:
    loc = then["id_reused"]
    _yes(loc, spec.path, "write 'id_reused: yes' (the command id was already used for another command)")
    if isinstance(outcome.error, CommandIdReused):
        return []
    return [(loc.line, f"expected the id reused, got {outcome.describe()}")]


def _conflict(then: dict[str, Located], spec: Spec, outcome: Outcome) -> Found:
    loc = then["conflict"]
    _yes(loc, spec.path, "write 'conflict: yes' (appended on a version the record had moved on from)")
    if not spec.concurrently:
        reason = "conflict: needs 'when: {concurrently: [step, step]}': only steps decided at once can conflict"
        raise SpecError(spec.path, loc.key_line, reason)
    if isinstance(outcome.error, ConcurrencyConflict):
        return []
    return [(loc.line, f"expected a conflict, got {outcome.describe()}")]


_CHECKS: dict[str, Callable[[dict[str, Located], Spec, Outcome], Found]] = {
    "accepted": _accepted,
    "refused_by": _refused,
    "invalid": _invalid,
    "id_reused": _id_reused,
    "conflict": _conflict,
}
