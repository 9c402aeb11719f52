import datetime as dt
from typing import ClassVar

import attrs
import pytest

from pastoral_core.rules import (
    Citation,
    NaiveDatetimeError,
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
    assert V1.by_id("TEST-NOTICE") == Notice()
    with pytest.raises(UnknownRule, match="TEST v1 has no rule 'TEST-OTHER'"):
        V1.by_id("TEST-OTHER")
    with pytest.raises(UnknownRule, match="has no int rule"):
        V1.rule(int)


def test_a_rule_listed_twice_is_refused():
    with pytest.raises(ValueError, match=r"lists rule\(s\) twice: \['TEST-CAP'\]"):
        Rulebook("TEST", 1, dt.date(2019, 1, 1), (SessionCap(), SessionCap(7)))


def test_version_zero_is_refused():
    with pytest.raises(ValueError, match="version must be >= 1"):
        Rulebook("TEST", 0, dt.date(2019, 1, 1), ())


@pytest.mark.parametrize(
    "versions",
    [
        (),
        (V1, Rulebook("OTHER", 2, dt.date(2027, 4, 1), ())),
        (V1, V1.revised(1, dt.date(2027, 4, 1))),
        (V2, V1),
    ],
)
def test_inconsistent_version_sets_are_refused(versions):
    with pytest.raises(ValueError):
        Rulebooks(versions)
