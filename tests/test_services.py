"""The services' shared plumbing (Router, StateCache, advance) and one service over the SQLite reference store.

The domain services are tested in tests/<domain>/test_service.py; here, the pieces every
service is made of, and PastoralSupport end to end over ``examples/stores/sqlite_store.py``,
through a restart.
"""

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pastoral_core import EventLog, Refused, execute, states_from
from pastoral_core.eventlog import Metadata, verify
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel import Aggregate, Folded, Router, RuleFlagged, StateCache, Tenancy, advance, check_store
from pastoral_core.support import (
    CASE,
    NETWORK,
    NoteRecorded,
    PastoralSupport,
    SupportRole,
    cases_from,
    flags_by_case,
)
from pastoral_core.support import ReinstateOfficer as Reinstate
from tests.examples import example
from tests.support.helpers import GP_A, T0, allocate, gp_request, mou
from tests.support.test_service import enrol, history, run_by_service
from tests.toy import CONTEXT as TOY_CONTEXT
from tests.toy import TALLY, TOY_CODEC, counting

# -- advance and StateCache: the same states as replaying the whole stream -------------------------

#: An aggregate whose state is the order its facts were applied in, so any misordering shows.
TRAIL = Aggregate(name="Trail", category="trail", initial=(), evolve=lambda s, e: (*s, e.note_id), commands={},
                  roles=SupportRole)  # fmt: skip
START = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)

#: One command's batch: which stream, minutes after the previous record, minutes it happened
#: before it was recorded, how many notes, whether a flag comes with them.
BATCHES = st.lists(
    st.tuples(st.sampled_from(["1", "2"]), st.integers(0, 90), st.integers(0, 300), st.integers(1, 3), st.booleans()),
    min_size=1,
    max_size=25,
)


def append(log, n, stream, recorded_at, occurred_at, size, flag):
    events = [NoteRecorded(f"n{n}-{k}", "off-1", "text") for k in range(size)]
    events += [RuleFlagged("TOY-FLAG", "flagged", recorded_at)] if flag else []
    metadata = Metadata("off-1", f"cmd-{n}", recorded_at, occurred_at=occurred_at)
    log.append(f"trail-{stream}", events, expected_version=log.stream_version(f"trail-{stream}"), metadata=metadata)


@settings(max_examples=60, deadline=None)
@given(BATCHES, st.integers(1, 4))
def test_a_cache_caught_up_piece_by_piece_is_a_replay_of_the_whole_stream(batches, every):
    log, cache, category = EventLog(), StateCache(TRAIL), StateCache(TRAIL)
    recorded = START
    for n, (stream, later, before, size, flag) in enumerate(batches):
        recorded += dt.timedelta(minutes=later)
        append(log, n, stream, recorded, recorded - dt.timedelta(minutes=before), size, flag)
        if n % every == 0:
            assert cache.folded(log, stream) == TRAIL.replay(log.read_stream(f"trail-{stream}"))
            assert dict(category.states(log)) == states_from(TRAIL, log.read_all())
    for stream in ("1", "2"):
        assert cache.folded(log, stream) == TRAIL.replay(log.read_stream(f"trail-{stream}"))
    assert dict(category.states(log)) == states_from(TRAIL, log.read_all())


def test_advance_folds_only_newer_records_and_asks_for_a_replay_for_a_late_entry():
    log = EventLog()
    append(log, 1, "1", START, START, 2, False)
    folded = TRAIL.replay(log.read_stream("trail-1"))
    assert advance(TRAIL, folded, log.read_stream("trail-1")) is folded  # nothing newer
    append(log, 2, "1", START + dt.timedelta(hours=1), START + dt.timedelta(minutes=30), 1, True)
    after = advance(TRAIL, folded, log.read_stream("trail-1"))
    assert after == TRAIL.replay(log.read_stream("trail-1")) and after.flagged == {"TOY-FLAG"}
    append(log, 3, "1", START + dt.timedelta(hours=2), START - dt.timedelta(hours=1), 1, False)
    assert advance(TRAIL, after, log.read_stream("trail-1", 4)) is None  # happened before the others
    assert advance(TRAIL, folded, log.read_stream("trail-1", 4)) is None  # version 3 is missing


def test_a_cache_at_the_stream_version_does_not_read_the_stream_again():
    log = EventLog()
    append(log, 1, "1", START, START, 1, False)
    reads = []

    class Counting:
        def __getattr__(self, name):
            if name == "read_stream":
                return lambda *a: reads.append(a) or log.read_stream(*a)
            return getattr(log, name)

    cache, store = StateCache(TRAIL), Counting()
    first = cache.folded(store, "1")
    assert cache.folded(store, "1") is first and reads == [("trail-1", 1)]
    append(log, 2, "1", START, START, 1, False)
    assert cache.folded(store, "1").state == ("n1-0", "n2-0") and reads[-1] == ("trail-1", 2)
    cache.forget()
    cache.folded(store, "1")
    assert reads[-1] == ("trail-1", 1)
    states = cache.states(store)
    assert cache.states(store) is states  # the same mapping until a stream changes


# -- Router and check_store -------------------------------------------------------------------------


def test_the_router_finds_the_aggregate_and_the_id():
    router = Router("Host", (CASE, NETWORK), fixed={NETWORK: "devon"})
    assert router.route(enrol("off-1")) == (NETWORK, "devon")
    assert router.route(allocate(GP_A, "off-1"), "17") == (CASE, "17")
    with pytest.raises(InvalidValue, match="Host.aggregates: .* is in two command tables"):
        Router("Host", (CASE, CASE))
    with pytest.raises(InvalidValue, match="Host.fixed: Network is not one of the aggregates routed"):
        Router("Host", (CASE,), fixed={NETWORK: "devon"})
    with pytest.raises(InvalidType, match="Host.aggregates"):
        Router("Host", ("case",))
    with pytest.raises(InvalidType, match="Host.command: must be a Command, got NoneType"):
        router.route(None, "17")


def test_check_store_names_what_is_missing():
    log = EventLog()
    assert check_store(log, "Host") is log
    with pytest.raises(InvalidType, match="Host.store: must be an EventStore .* got list"):
        check_store([], "Host")


# -- tenancy: the services' read models never mix organisations unless asked ------------------------


def test_read_models_of_a_service_over_several_organisations_are_picked_as_the_projections_pick_them():
    devon, cornwall = "lmc-devon", "lmc-cornwall"
    log = EventLog()
    support = PastoralSupport(log)
    support.handle(attrs.evolve(enrol("off-1"), organisation=devon))
    support.handle(attrs.evolve(gp_request(), organisation=devon), "17")
    with pytest.raises(Refused):  # Devon's service decides with Devon's officers only
        support.handle(attrs.evolve(gp_request(), organisation=cornwall), "18")
    cornwall_network = PastoralSupport(log, network_id="cornwall")  # the same store, Cornwall's network
    cornwall_network.handle(attrs.evolve(enrol("off-2"), organisation=cornwall))
    cornwall_network.handle(attrs.evolve(gp_request(), organisation=cornwall), "18")
    with pytest.raises(InvalidValue, match="PastoralSupport.organisation: .*several organisations"):
        support.cases()
    records = log.read_all()
    for organisation in (devon, cornwall, None, Tenancy.ALL):
        assert support.cases(organisation) == cases_from(records, organisation)
        assert support.flags_by_case(organisation) == flags_by_case(records, organisation)
    assert set(support.cases(devon)) == {"17"} and set(support.cases(Tenancy.ALL)) == {"17", "18"}
    with pytest.raises(Refused) as refused:  # the kernel's SCOPE check, through the service
        support.handle(attrs.evolve(mou(), organisation=cornwall), "17")
    assert refused.value.rule_ids == ("SCOPE",)


# -- PastoralSupport over the SQLite reference store, through a restart ------------------------------


def test_pastoral_support_over_sqlite_writes_the_records_the_in_memory_log_does_and_survives_a_restart(tmp_path):
    SqliteStore = example("stores/sqlite_store.py").SqliteStore
    steps = history()
    path = tmp_path / "lmc.db"
    store = SqliteStore(path)
    try:
        support, outcomes = run_by_service(store, steps)
        memory = EventLog()
        assert run_by_service(memory, steps)[1] == outcomes
        assert store.read_all() == memory.read_all()
        before = (support.directory(), support.case("1"), support.cases(), support.flags_by_case())
    finally:
        store.close()
    reopened = SqliteStore(path)
    try:
        again = PastoralSupport(reopened)
        assert (again.directory(), again.case("1"), again.cases(), again.flags_by_case()) == before
        assert verify(reopened.read_all()).ok
        assert again.handle(steps[-1][1], "1").replayed
        with pytest.raises(Refused):  # off-2 is active: reinstating them again is refused
            again.handle(Reinstate(command_id="after-restart", actor="coord-1", role=SupportRole.COORDINATOR,
                                   at=T0 + dt.timedelta(days=60), officer_id="off-2"))  # fmt: skip
        assert again.case("2", as_of=T0) is None and again.case("2").received
        assert isinstance(again.folded(CASE, "1"), Folded)
    finally:
        reopened.close()


def test_execute_with_a_cache_records_what_folding_the_stream_would_and_refuses_a_strangers_cache():
    folding, caching, cache = EventLog(TOY_CODEC), EventLog(TOY_CODEC), StateCache(TALLY)
    for n, by in enumerate((3, 4, 2), start=1):
        command = counting(f"c{n}", by, dt.datetime(2027, 1, n, 10, tzinfo=dt.UTC))
        plain = execute(folding, TALLY, "t1", command, TOY_CONTEXT, codec=TOY_CODEC)
        cached = execute(caching, TALLY, "t1", command, TOY_CONTEXT, codec=TOY_CODEC, cache=cache)
        assert cached.verdicts == plain.verdicts
        assert [r.event for r in cached.records] == [r.event for r in plain.records]
    over = counting("c4", 5, dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC))  # 9 + 5 is past the limit of 10
    with pytest.raises(Refused) as by_folding:
        execute(folding, TALLY, "t1", over, TOY_CONTEXT, codec=TOY_CODEC)
    with pytest.raises(Refused) as by_cache:
        execute(caching, TALLY, "t1", over, TOY_CONTEXT, codec=TOY_CODEC, cache=cache)
    assert by_cache.value.verdicts == by_folding.value.verdicts
    assert cache.folded(caching, "t1").state.total == 9
    with pytest.raises(InvalidType, match="StateCache of Tally"):
        execute(caching, TALLY, "t1", over, TOY_CONTEXT, codec=TOY_CODEC, cache=StateCache(TRAIL))
    with pytest.raises(InvalidValue, match="the one store it was first used with"):
        execute(folding, TALLY, "t1", over, TOY_CONTEXT, codec=TOY_CODEC, cache=cache)
    assert caching.read_all()[-1].event == folding.read_all()[-1].event and len(caching) == len(folding)
