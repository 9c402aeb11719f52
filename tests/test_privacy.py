"""Free text never shows where it does not belong: not in a repr, a refusal or an error.

A canary string is put in every free-text field of every registered command and event
(an override's reason included); it must never appear in their reprs, in the records a
log holds, or in what a refusal says.
"""

import typing

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pastoral_core.eventlog import COMMANDS, EVENTS, EventLog
from pastoral_core.exceptions import Refused
from pastoral_core.kernel import execute
from pastoral_core.rules import Override
from pastoral_core.support import (
    CASE,
    DeclineIntervention,
    DisclosureBasis,
    NoteRecorded,
    RaiseSafetyConcern,
    RecordDisclosure,
    RecordNote,
    SeekSafetyGuidance,
)
from pastoral_core.testing.strategies import values_of
from pastoral_core.values import free_text_fields, free_text_paths
from tests.builders import at, command
from tests.support.helpers import CONTEXT, allocate, gp_request, history, mou

CANARY = "Canary-7f3a suicidal thoughts disclosed"


def _with_canary(value):
    """``value`` with every free-text field, at any depth, set to the canary."""
    if isinstance(value, tuple):
        return tuple(_with_canary(v) for v in value)
    if isinstance(value, frozenset):
        return frozenset(_with_canary(v) for v in value)
    if not attrs.has(type(value)):
        return value
    secret = set(free_text_fields(type(value)))
    changes = {}
    for field in attrs.fields(type(value)):
        if not field.init:
            continue
        current = getattr(value, field.name)
        if field.name in secret:
            changes[field.name] = CANARY
        elif field.name == "overrides":
            changes[field.name] = (Override("PSN-SKILLS", CANARY, "coord-1"),)
        else:
            changes[field.name] = _with_canary(current)
    return attrs.evolve(value, **changes)


WITH_FREE_TEXT = sorted(
    {entry.cls for entry in (*COMMANDS, *EVENTS) if free_text_paths(entry.cls)}, key=lambda c: c.__name__
)


def test_every_class_that_holds_free_text_is_covered():
    names = {cls.__name__ for cls in WITH_FREE_TEXT}
    assert {"RecordNote", "NoteRecorded", "AllocateOfficer", "OfficerAllocated", "DeclineIntervention"} <= names
    # What a coordinator types on one line about a case (ShortText), in commands and events alike.
    typed = {
        "ReceiveRequest": "external_body",
        "RequestReceived": "external_body",
        "DeclineIntervention": "intervention",
        "InterventionDeclined": "intervention",
        "SeekSafetyGuidance": "source",
        "SafetyGuidanceSought": "source",
        "RecordDisclosure": "recipient_body",
        "DisclosureRecorded": "recipient_body",
    }
    assert {name: field for name, field in typed.items() if (field,) not in _paths(name)} == {}


def _paths(name):
    (cls,) = [cls for cls in WITH_FREE_TEXT if cls.__name__ == name] or [type(None)]
    return free_text_paths(cls) if cls is not type(None) else ()


def test_short_text_is_one_line_of_up_to_500_characters_and_never_blank():
    from pastoral_core.exceptions import InvalidValue
    from pastoral_core.support import SeekSafetyGuidance
    from pastoral_core.values import SHORT_TEXT, ShortText, check_value

    assert SHORT_TEXT.free and not SHORT_TEXT.multiline and SHORT_TEXT.max_chars == 500
    check_value("x" * 500, ShortText, "Owner", "field")
    for wrong, problem in (
        ("x" * 501, "short text is limited to 500 characters, got 501"),
        ("  ", "short text must not be empty or blank"),
        ("Caldicott\nGuardian", "not printable at character 10"),
    ):
        with pytest.raises(InvalidValue, match=problem):
            check_value(wrong, ShortText, "Owner", "field")
    with pytest.raises(InvalidValue, match=r"SeekSafetyGuidance\.source: short text is limited"):
        command(SeekSafetyGuidance, at(2027, 1, 12), "officer", "off-gp-1", concern_id="c1", source="x" * 501)


@pytest.mark.parametrize("cls", WITH_FREE_TEXT, ids=lambda c: c.__name__)
@settings(max_examples=5)
@given(data=st.data())
def test_no_repr_shows_free_text(cls, data):
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = {f.name: data.draw(values_of(hints[f.name])) for f in attrs.fields(cls) if f.init}
    if "occurred_at" in fields:
        fields["occurred_at"] = None
    if "overrides" in fields:  # a command overrides each rule once at most
        fields["overrides"] = tuple({o.rule_id: o for o in fields["overrides"]}.values())
    value = _with_canary(cls(**fields))
    assert CANARY in str(attrs.asdict(value)), "the canary must really be in the value"
    assert "Canary-7f3a" not in repr(value)
    assert "characters hidden" in repr(value)


def test_a_note_recorded_in_a_log_does_not_show_in_the_records_reprs():
    log = EventLog()
    for c in (gp_request(), mou(), allocate("gp-a", "off-gp-1")):
        execute(log, CASE, "1", c, CONTEXT)
    note = command(RecordNote, at(2027, 1, 12), "officer", "off-gp-1", note_id="n1", text=CANARY)
    accepted = execute(log, CASE, "1", note, CONTEXT)
    assert isinstance(accepted.events[0], NoteRecorded) and accepted.events[0].text == CANARY
    for shown in (repr(accepted), repr(log.read_all()), repr(log.recorded_for(note.command_id)), str(accepted)):
        assert "Canary-7f3a" not in shown


def test_a_refused_note_does_not_repeat_its_text():
    events = history(gp_request(), mou(), allocate("gp-a", "off-gp-1"))
    from pastoral_core.kernel import decide

    sensitive = f"{CANARY}, call 07700 900123"
    note = command(RecordNote, at(2027, 1, 12), "officer", "off-gp-1", note_id="n1", text=sensitive)
    with pytest.raises(Refused) as refused:
        decide(CASE, CASE.fold(events), note, CONTEXT)
    assert refused.value.rule_ids == ("PSN-NOTE-SENSITIVE",)
    assert "Canary-7f3a" not in str(refused.value) and "07700" not in str(refused.value)
    assert "Canary-7f3a" not in repr(refused.value.verdicts)


def test_a_refusal_never_repeats_a_label_it_did_not_recognise():
    from pastoral_core.kernel import decide
    from pastoral_core.support import ReferToService

    events = history(gp_request(), mou(), allocate("gp-a", "off-gp-1"))
    asked = command(ReferToService, at(2027, 1, 12), referral_id="r1", recipient_id="gp-a", service="Canary-7f3a")
    with pytest.raises(Refused) as refused:
        decide(CASE, CASE.fold(events), asked, CONTEXT)
    assert refused.value.rule_ids == ("PSN-REFERRAL",) and "Canary-7f3a" not in str(refused.value)
    strange_nation = gp_request(nation="Canary-7f3a")
    with pytest.raises(Refused) as refused:
        decide(CASE, CASE.fold([]), strange_nation, CONTEXT)
    assert refused.value.rule_ids == ("INPUT",) and "Canary-7f3a" not in str(refused.value)


def test_text_shaped_like_a_tombstone_cannot_be_entered():
    from pastoral_core.exceptions import InvalidValue

    fake = "<redacted sha256=" + "a" * 64 + ">"
    with pytest.raises(InvalidValue, match="looks like redacted text"):
        command(RecordNote, at(2027, 1, 12), "officer", "off-gp-1", note_id="n1", text=fake)
    with pytest.raises(InvalidValue, match="looks like redacted text"):
        Override("PSN-SKILLS", fake, "coord-1")
    command(RecordNote, at(2027, 1, 12), "officer", "off-gp-1", note_id="n1", text=f"quoted: {fake}")


@pytest.mark.parametrize(
    ("where", "build"),
    [
        (
            "overrides[0].reason",
            lambda text: allocate("gp-a", "off-lay-1", overrides=(Override("PSN-SKILLS", text, "coord-1"),)),
        ),
        ("reason", lambda text: command(DeclineIntervention, at(2027, 1, 12), intervention="mediation", reason=text)),
        (
            "intervention",
            lambda text: command(DeclineIntervention, at(2027, 1, 12), intervention=text, reason="Outside our remit"),
        ),
        (
            "source",
            lambda text: command(
                SeekSafetyGuidance, at(2027, 1, 12), "officer", "off-gp-1", concern_id="c1", source=text
            ),
        ),
        (
            "recipient_body",
            lambda text: command(
                RecordDisclosure,
                at(2027, 1, 12),
                disclosure_id="d1",
                recipient_body=text,
                basis=DisclosureBasis.CONSENT,
            ),
        ),
    ],
)
def test_MINIMAL_every_free_text_field_is_screened_not_only_notes(where, build):
    from pastoral_core.kernel import decide

    events = history(gp_request(), mou())
    if where == "source":  # guidance is sought on a concern an allocated officer raised
        concern = command(RaiseSafetyConcern, at(2027, 1, 11, 12), "officer", "off-gp-1", concern_id="c1")
        events = history(gp_request(), mou(), allocate("gp-a", "off-gp-1"), concern)
    refused_with = build("Off sick; ring her on 07700 900123")
    with pytest.raises(Refused) as refused:
        decide(CASE, CASE.fold(events), refused_with, CONTEXT)
    assert "MINIMAL" in refused.value.rule_ids
    (verdict,) = [v for v in refused.value.verdicts if v.rule_id == "MINIMAL"]
    assert verdict.message.startswith(f"{where} holds phone number") and "07700" not in verdict.message
    accepted = decide(CASE, CASE.fold(events), build("Off sick since March; agreed by the chair"), CONTEXT)
    assert not [v for v in accepted.verdicts if v.rule_id == "MINIMAL"]


def test_MINIMAL_the_external_body_of_a_request_is_screened():
    from pastoral_core.kernel import decide
    from pastoral_core.support import DifficultyKind

    external = {"difficulty": DifficultyKind.EXTERNAL}
    with pytest.raises(Refused) as refused:
        decide(CASE, CASE.fold([]), gp_request(external_body="GMC, re NHS no. 943 476 5919", **external), CONTEXT)
    (verdict,) = refused.value.verdicts
    assert verdict.rule_id == "MINIMAL" and verdict.message.startswith("external_body holds NHS number")
    assert "943" not in str(refused.value)
    assert decide(CASE, CASE.fold([]), gp_request(external_body="GMC", **external), CONTEXT).events
