"""Replay folds a stream in the order its facts happened, in one pass or sorted: against a plain reference."""

import datetime as dt
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from pastoral_core.eventlog import Fact
from pastoral_core.kernel import RuleFlagged
from pastoral_core.support import CASE, NoteRecorded

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = dt.UTC
# instants around the autumn clock change (01:00-02:00 comes twice), a spring one, a leap day
BASES = [
    dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
    dt.datetime(2028, 2, 29, 23, 30, tzinfo=UTC),
]


@st.composite
def moments(draw):
    """An aware time: an instant near a clock change, in UTC or as London's wall clock shows it."""
    instant = draw(st.sampled_from(BASES)) + dt.timedelta(minutes=30 * draw(st.integers(0, 5)))
    return instant if draw(st.booleans()) else instant.astimezone(LONDON)


@st.composite
def facts(draw):
    count = draw(st.integers(1, 12))
    out = []
    for n in range(count):
        occurred = draw(moments())
        recorded = occurred if draw(st.booleans()) else draw(moments())
        event = (
            RuleFlagged(f"R{n % 3}", "flag", occurred)
            if draw(st.integers(0, 4)) == 0
            else NoteRecorded(f"n{n}", "off-1", "a note")
        )
        version = draw(st.integers(1, 20))
        out.append(Fact("case-1", version, occurred, recorded, draw(st.sampled_from([None, "lmc-a", "lmc-b"])), event))
    return out


def reference(given_facts):
    """What replay must give: a stable sort by instant, then the stream's own figures, plainly."""
    order = sorted(range(len(given_facts)), key=lambda n: (given_facts[n].occurred_at.astimezone(UTC), n))
    ordered = [given_facts[n] for n in order]
    occurred_keys = [f.occurred_at.astimezone(UTC) for f in ordered]
    recorded_keys = [f.recorded_at.astimezone(UTC) for f in ordered]
    latest = occurred_keys.index(max(occurred_keys))  # the first of the latest
    last_recorded = recorded_keys.index(max(recorded_keys))
    notes = tuple(f.event.note_id for f in ordered if isinstance(f.event, NoteRecorded))
    flagged = frozenset(f.event.rule_id for f in ordered if isinstance(f.event, RuleFlagged))
    return (
        notes,
        flagged,
        max(f.stream_version for f in ordered),
        ordered[last_recorded].recorded_at,
        ordered[0].occurred_at,
        ordered[latest].occurred_at,
        ordered[0].organisation,
    )


def figures(folded):
    return (
        tuple(folded.state.note_ids),
        folded.flagged,
        folded.version,
        folded.last_recorded_at,
        folded.began_at,
        folded.last_occurred_at,
        folded.organisation,
    )


def same_moments(a, b):
    """Equal, and the same zone: replay gives back the very times it was given."""
    return a == b and all(
        x is None or (x.tzinfo, x.fold) == (y.tzinfo, y.fold) for x, y in zip(a[3:6], b[3:6], strict=True)
    )


@given(facts())
def test_replay_folds_in_business_order_and_reports_the_streams_own_figures(given_facts):
    expected = reference(given_facts)
    assert same_moments(figures(CASE.replay_facts(given_facts)), expected)
    assert same_moments(figures(CASE.replay_checked(given_facts)), expected)


def test_a_fact_an_hour_later_by_the_clock_change_comes_after_though_its_wall_clock_is_earlier():
    first = dt.datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)  # BST: 00:45 UTC
    second = dt.datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON)  # GMT: 01:15 UTC, later
    notes = [
        Fact("case-1", 1, first, first, None, NoteRecorded("a", "off-1", "a")),
        Fact("case-1", 2, second, second, None, NoteRecorded("b", "off-1", "b")),
    ]
    assert tuple(CASE.replay_facts(notes).state.note_ids) == ("a", "b")
    assert tuple(CASE.replay_facts(notes[::-1]).state.note_ids) == ("a", "b")
    assert CASE.replay_facts(notes[::-1]).last_occurred_at is second
