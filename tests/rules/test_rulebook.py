import datetime as dt
from typing import ClassVar

import attrs
import pytest

from pastoral_core.exceptions import InvalidValue, NaiveDatetimeError
from pastoral_core.rules import (
    Citation,
    NoRulebookInForce,
    Rulebook,
    Rulebooks,
    UnknownRule,
)

UTC = dt.UTC


@attrs.frozen
class SessionCap:
    rule_id: ClassVar[str] = "TEST-CAP"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 4")
    sessions: int = 6


@attrs.frozen
class Notice:
    rule_id: ClassVar[str] = "TEST-NOTICE"
    citation: ClassVar[Citation] = Citation("DERIVED", "from MOU LMC 4")
    hours: int = 24


V1 = Rulebook("TEST", 1, dt.date(2019, 1, 1), (SessionCap(), Notice()))
V2 = V1.revised(2, dt.date(2027, 4, 1), SessionCap(sessions=8))
BOOKS = Rulebooks.of(V2, V1)


def test_revised_replaces_parameters_not_code():
    assert V2.rule(SessionCap).sessions == 8
    assert V2.rule(Notice) is V1.rule(Notice)
    assert V1.rule(SessionCap).sessions == 6
    assert V2.label == "TEST v2"


@pytest.mark.parametrize(
    ("at", "version"),
    [
        (dt.date(2019, 1, 1), 1),
        (dt.date(2027, 3, 31), 1),
        (dt.date(2027, 4, 1), 2),
        # 22:59 UTC on 31 March 2027 is 23:59 BST: still the old rulebook.
        (dt.datetime(2027, 3, 31, 22, 59, tzinfo=UTC), 1),
        # 23:30 UTC on 31 March 2027 is 00:30 BST on 1 April: the new one.
        (dt.datetime(2027, 3, 31, 23, 30, tzinfo=UTC), 2),
        (dt.datetime(2030, 1, 1, tzinfo=UTC), 2),
    ],
)
def test_the_version_in_force_at_the_moment_decides(at, version):
    assert BOOKS.in_force(at).version == version


def test_asking_before_the_first_version_is_a_clear_error():
    with pytest.raises(
        NoRulebookInForce,
        match="no TEST rulebook in force on 2018-12-31; the first version is effective from 2019-01-01",
    ):
        BOOKS.in_force(dt.date(2018, 12, 31))


def test_a_naive_moment_is_refused():
    with pytest.raises(NaiveDatetimeError):
        BOOKS.in_force(dt.datetime(2027, 4, 1, 9))


def test_rule_lookup_by_class_and_id():
    assert V1.rule_by_id("TEST-NOTICE") == Notice()
    assert V1.rule(SessionCap) is V1.rule_by_id("TEST-CAP")
    assert V1.rule_ids == ("TEST-CAP", "TEST-NOTICE")
    with pytest.raises(UnknownRule, match="TEST v1 has no rule 'TEST-OTHER'"):
        V1.rule_by_id("TEST-OTHER")
    with pytest.raises(UnknownRule, match="has no int rule"):
        V1.rule(int)


def test_the_devon_rulebook_is_indexed_by_every_rule_id_of_its_register():
    from pastoral_core.support import DEVON_PSN_V1, SessionAllowance

    assert DEVON_PSN_V1.rule_by_id("PSN-ALLOWANCE") == SessionAllowance()
    assert all(DEVON_PSN_V1.rule_by_id(rule_id).rule_id == rule_id for rule_id in DEVON_PSN_V1.rule_ids)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (lambda: SessionCap(sessions="6"), r"SessionCap.sessions: expected a whole number, got str"),
        (lambda: SessionCap(sessions=-1), r"SessionCap.sessions: must be between 0 and 1,000,000"),
        (lambda: SessionCap(sessions=True), r"SessionCap.sessions: expected a whole number, got bool"),
    ],
)
def test_a_rulebook_with_a_mistyped_parameter_fails_at_once(rule, message):
    with pytest.raises(InvalidValue, match=message):
        Rulebook("TEST", 1, dt.date(2019, 1, 1), (rule(),))


def test_a_rule_of_a_domain_refuses_a_typo_when_it_is_built():
    from pastoral_core.support import NoteLength, SessionAllowance

    with pytest.raises(InvalidValue, match="SessionAllowance.months: expected a whole number, got str"):
        SessionAllowance(months="3")
    with pytest.raises(InvalidValue, match="NoteLength.max_chars: must be between 0 and 10,000"):
        NoteLength(max_chars=-1)


def test_a_rule_listed_twice_is_refused():
    with pytest.raises(InvalidValue, match=r"Rulebook.rules: TEST lists rule TEST-CAP twice"):
        Rulebook("TEST", 1, dt.date(2019, 1, 1), (SessionCap(), SessionCap(7)))


def test_version_zero_is_refused():
    with pytest.raises(InvalidValue, match="version: must be a whole number >= 1"):
        Rulebook("TEST", 0, dt.date(2019, 1, 1), ())


@pytest.mark.parametrize(
    "versions",
    [
        (),
        (V1, Rulebook("OTHER", 2, dt.date(2027, 4, 1), ())),
        (V1, V1.adapted("OTHER")),
        (V2, V1),
    ],
)
def test_inconsistent_version_sets_are_refused(versions):
    with pytest.raises(InvalidValue, match="Rulebooks.versions"):
        Rulebooks(versions)


def test_a_revision_makes_a_new_version_and_an_adaptation_a_new_name():
    """Two different rulebooks never record the same label."""
    with pytest.raises(InvalidValue, match="needs a later version number"):
        V1.revised(1, dt.date(2027, 4, 1), SessionCap(sessions=7))
    assert V1.revised(2, dt.date(2027, 4, 1)).label == "TEST v2"
    with pytest.raises(InvalidValue, match="needs a name of its own"):
        V1.adapted("TEST", SessionCap(sessions=7))
    adapted = V1.adapted("EXETER", SessionCap(sessions=7))
    assert (adapted.label, adapted.rule(SessionCap).sessions, adapted.effective_from) == (
        "EXETER v1",
        7,
        V1.effective_from,
    )
