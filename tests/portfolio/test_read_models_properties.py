"""Portfolio Plus read models are the same built from a whole history or a record at a time.

Random valid histories come from driving ``PortfolioPlus`` over an ``EventLog`` with
commands drawn from a small pool of members and dates (sign-ups on month ends and leap
days, outcomes as of the day a mark falls), keeping what is accepted; many facts are
entered late, dated before facts already recorded. The read models from
``Projection.build`` and from applying the records one at a time are equal at every few
records and at the end, for several query days, and applying a record leaves the
projection it was applied to as it was.
"""

import datetime as dt
import functools
import itertools

from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pastoral_core import EventLog, Refused
from pastoral_core.exceptions import PastoralCoreError
from pastoral_core.kernel import Projection, occurred_at
from pastoral_core.portfolio import (
    MEMBER,
    AssignTeamMember,
    CareerOutcome,
    HoldOneToOne,
    Intent,
    MembersAtMarks,
    PortfolioPlus,
    PortfolioRole,
    Profile,
    RecordOutcome,
    RetentionAfterSignUp,
    SignUpMember,
    Topic,
    UpdateProfile,
)
from pastoral_core.values import instant, london_date
from tests.builders import at
from tests.conftest import count

MEMBERS = ("m-1", "m-2", "m-3")
IDS = itertools.count(1)
QUERY_DAYS = (dt.date(2027, 8, 31), dt.date(2028, 2, 29), dt.date(2028, 8, 31), dt.date(2029, 3, 1))


def command(cls, when, occurred=None, **fields):
    return cls(command_id=f"pp-rm-{next(IDS)}", actor="coord-1", role=PortfolioRole.COORDINATOR, at=when,
               occurred_at=occurred, **fields)  # fmt: skip


def read_models(members):
    return tuple(
        model.of(members, on, months)
        for model in (MembersAtMarks, RetentionAfterSignUp)
        for on in QUERY_DAYS
        for months in ((6, 12), (1, 3))
    )


class Driver:
    """Draws member commands for a ``PortfolioPlus`` as it stands, on a clock that only moves forward."""

    def __init__(self, data, scheme):
        self.data, self.scheme = data, scheme
        self.clock = at(2026, 12, 31)

    def pick(self, items):
        return self.data.draw(st.sampled_from(sorted(items, key=str)))

    def step(self):
        member_id = self.pick(MEMBERS)
        member = self.scheme.member(member_id)
        self.clock += dt.timedelta(days=self.pick([0, 1, 1, 3, 10, 61, 120]), hours=self.pick([0, 7]))
        lag = self.pick([0, 0, 2, 12, 25, 25, 40])
        # wall-clock arithmetic can land in the hour the clocks skip: take the instant it names
        self.clock = self.clock.astimezone(dt.UTC).astimezone(self.clock.tzinfo)
        earlier = (self.clock - dt.timedelta(days=lag)).astimezone(dt.UTC).astimezone(self.clock.tzinfo)
        when, occurred = self.clock, (earlier if lag else None)
        profile = Profile(self.pick(Intent), frozenset({"teaching"}), "Mansfield", 2)
        if member is None:
            return member_id, command(SignUpMember, when, occurred, member_id=member_id, profile=profile)
        kinds = ["profile", "outcome", "outcome", "outcome", "team"] + (["one_to_one"] if member.team_member else [])
        kind = self.pick(kinds)
        if kind == "profile":
            return member_id, command(UpdateProfile, when, occurred, profile=profile)
        if kind == "team":
            return member_id, command(AssignTeamMember, when, occurred, team_member_id=self.pick(["tm-1", "tm-2"]))
        if kind == "one_to_one":
            session = f"s-{len(member.one_to_ones)}"
            return member_id, command(HoldOneToOne, when, occurred, session_id=session, topic=self.pick(Topic))
        return member_id, command(RecordOutcome, when, occurred, outcome=self.pick(CareerOutcome),
                                  as_of=self.as_of(member, occurred or when))  # fmt: skip

    def as_of(self, member, occurred):
        """A day between the last outcome (or sign-up) and the fact: often a mark's day."""
        since = member.outcomes[-1].as_of if member.outcomes else member.signed_up_on
        marks = [member.signed_up_on + relativedelta(months=n) for n in (1, 3, 6, 12)]
        today = london_date(occurred)
        days = [d for d in (since, *marks, today) if since <= d <= today] or [today]
        return self.pick(days)


def history(data):
    log = EventLog()
    scheme = PortfolioPlus(log)
    driver = Driver(data, scheme)
    for _ in range(data.draw(st.integers(8, 30))):
        member_id, c = driver.step()
        try:
            scheme.handle(c, member_id)
        except Refused:
            count("portfolio read models: commands refused")
            continue
        except PastoralCoreError:
            continue
        count("portfolio read models: commands accepted")
    return log.read_all()


def late_entries(records):
    latest, late = {}, 0
    for r in records:
        when = instant(occurred_at(r))
        late += r.stream_id in latest and when < latest[r.stream_id]
        latest[r.stream_id] = max(when, latest.get(r.stream_id, when))
    return late


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)
@given(data=st.data())
def test_retention_is_the_same_built_at_once_or_a_record_at_a_time(data):
    records = history(data)
    count("portfolio read models: records", len(records))
    count("portfolio read models: late entries", late_entries(records))
    members, kept = Projection(MEMBER), []
    for n, record in enumerate(records, start=1):
        before = dict(members.states)
        after = members.apply(record)
        assert dict(members.states) == before  # apply leaves what it was given
        members = after
        if n % 5 == 0 or n == len(records):
            built = read_models(Projection.build(MEMBER, records[:n]).states)
            assert read_models(members.states) == built
            kept.append((members, built))
    for then, models in kept:
        assert read_models(then.states) == models
    reduced = functools.reduce(lambda p, r: p.apply(r), records, Projection(MEMBER))
    assert read_models(reduced.states) == read_models(Projection.build(MEMBER, records).states)
    for table in read_models(members.states)[len(QUERY_DAYS) * 2 :]:  # the retention tables add up
        for row in table.rows:
            assert row.still_in + row.left + row.unknown == row.due <= row.members
        for months in table.months:
            everyone, *by_intent = [r for r in table.rows if r.months == months]
            assert everyone.intent is None
            assert everyone.due == sum(r.due for r in by_intent) and everyone.members == sum(
                r.members for r in by_intent
            )
