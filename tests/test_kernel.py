"""The kernel on a toy aggregate: execute binds command, aggregate and stream; decide runs once."""

import datetime as dt
import enum
from zoneinfo import ZoneInfo

import attrs
import pytest

from pastoral_core import EventLog, Folded, RuleFlagged, execute
from pastoral_core.eventlog import Metadata
from pastoral_core.exceptions import (
    CommandIdReused,
    ConcurrencyConflict,
    InvalidType,
    InvalidValue,
    NaiveDatetimeError,
    PastoralCoreError,
    Refused,
)
from pastoral_core.kernel import Aggregate, decide, handles
from pastoral_core.support import SendMou, SupportRole
from tests.toy import (
    CONTEXT,
    TALLY,
    TOY_CODEC,
    Count,
    Counted,
    NearLimit,
    Open,
    Opened,
    Tally,
    ToyRole,
    count,
    counting,
)

UTC = dt.UTC
AT = dt.datetime(2026, 5, 1, 9, tzinfo=UTC)


def fresh_log() -> EventLog:
    return EventLog(TOY_CODEC)


def test_execute_derives_the_stream_decides_once_and_records_who_what_and_why():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 5, AT), CONTEXT)
    out = execute(log, TALLY, "1", counting("c2", 4, AT), CONTEXT, correlation_id="corr-9")
    assert out.events == (Counted(4), NearLimit(9), RuleFlagged("TOY-LIMIT", "9 is near 10", AT))
    assert [r.stream_id for r in out.records] == ["tally-1"] * 3
    assert [r.stream_version for r in out.records] == [2, 3, 4]
    assert out.records[0].metadata == Metadata(
        "coord-1", "c2", AT, "TOY v1", "corr-9", role="coordinator", command_type="toy.count", occurred_at=AT
    )
    assert [(v.rule_id, v.outcome.value) for v in out.verdicts] == [
        ("AUTH", "pass"),
        ("TOY-POSITIVE", "pass"),
        ("TOY-LIMIT", "pass"),
        ("TOY-LIMIT", "flag"),
    ]
    assert out.rulebook == "TOY v1" and not out.replayed
    # The decision (verdicts, the command, its fingerprint) is kept on the batch's first record only.
    assert out.records[0].decision.verdicts == out.verdicts
    assert '"by":4' in out.records[0].decision.command
    assert out.records[1].decision is None


def test_flags_are_folded_by_the_kernel_and_never_reach_the_domain_state():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 9, AT), CONTEXT)
    folded = TALLY.replay(log.read_stream("tally-1"))
    assert folded == Folded(Tally(9), 3, frozenset({"TOY-LIMIT"}), AT, began_at=AT, last_occurred_at=AT)


def test_a_refusal_writes_nothing_and_lists_every_failed_rule():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 9, AT), CONTEXT)
    with pytest.raises(Refused) as refused:
        execute(log, TALLY, "1", counting("c2", -5, AT), CONTEXT)
    assert refused.value.rule_ids == ("TOY-POSITIVE",)
    with pytest.raises(Refused) as refused:
        execute(log, TALLY, "1", counting("c3", 2, AT), CONTEXT)
    assert refused.value.rule_ids == ("TOY-LIMIT",)
    assert len(log) == 3
    assert log.recorded_for("c3") is None


def test_the_rulebook_in_force_at_the_command_time_decides():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 9, AT), CONTEXT)
    with pytest.raises(Refused):
        execute(log, TALLY, "1", counting("c2", 5, dt.datetime(2027, 3, 31, 22, 59, tzinfo=UTC)), CONTEXT)
    out = execute(log, TALLY, "1", counting("c3", 5, dt.datetime(2027, 3, 31, 23, 0, tzinfo=UTC)), CONTEXT)
    assert out.rulebook == "TOY v2"


# -- IDEMPOTENT: a repeated command id, and nothing else ----------------------------------------


def test_the_same_command_again_returns_its_first_result_without_deciding_again():
    log = fresh_log()
    first = execute(log, TALLY, "1", counting("c1", 9, AT), CONTEXT)
    execute(log, TALLY, "1", counting("c2", 1, AT), CONTEXT)
    written = len(log)
    # Deciding c1 again now would be refused (10 + 9 > 10), and a later `at` does not matter.
    again = execute(log, TALLY, "1", counting("c1", 9, AT + dt.timedelta(hours=2)), CONTEXT)
    assert again.records == first.records and again.verdicts == first.verdicts
    assert again.replayed and not first.replayed
    assert len(log) == written


@pytest.mark.parametrize(
    ("aggregate_id", "command"),
    [
        ("2", counting("c1", 9, AT)),  # the same command sent to another tally
        ("1", counting("c1", 8, AT)),  # other content under the same id
        ("1", counting("c1", 9, AT, role=ToyRole.CLERK)),  # another role
        ("1", Open(command_id="c1", actor="coord-1", role=ToyRole.COORDINATOR, at=AT, tally_id="1")),  # another kind
    ],
    ids=["other-stream", "other-content", "other-role", "other-command"],
)
def test_a_command_id_reused_for_anything_else_is_refused_and_reveals_nothing(aggregate_id, command):
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 9, AT), CONTEXT)
    with pytest.raises(CommandIdReused) as refused:
        execute(log, TALLY, aggregate_id, command, CONTEXT)
    message = str(refused.value)
    assert "tally-1" not in message and "9" not in message and "Counted" not in message
    assert len(log) == 3


def test_after_redaction_a_command_id_can_no_longer_be_replayed():
    log = fresh_log()
    first = execute(log, TALLY, "1", counting("c1", 2, AT), CONTEXT)
    log.redact(first.records[0].position, ())  # what redacting any record of the batch does
    assert log.recorded_for("c1")[0].decision.fingerprint is None
    with pytest.raises(CommandIdReused):
        execute(log, TALLY, "1", counting("c1", 2, AT), CONTEXT)
    assert log.recorded_for("c1")[0].event == first.records[0].event


class RacingLog(EventLog):
    """Another writer appends between our read and our append."""

    def read_stream(self, stream_id, from_version=1):
        records = super().read_stream(stream_id, from_version)
        if not getattr(self, "raced", False):
            self.raced = True
            self.append(
                stream_id,
                [Counted(1)],
                expected_version=len(records),
                metadata=Metadata("other", "x1", AT, role="coordinator", command_type="toy.count"),
            )
        return records


def test_a_concurrent_writer_makes_execute_fail_and_write_nothing():
    log = RacingLog(TOY_CODEC)
    with pytest.raises(ConcurrencyConflict):
        execute(log, TALLY, "1", counting("c1", 2, AT), CONTEXT)
    assert [r.metadata.command_id for r in log.read_all()] == ["x1"]
    assert log.recorded_for("c1") is None


# -- TIME: the recorded clock only moves forward within a stream ---------------------------------


def test_TIME_a_command_earlier_than_the_streams_last_record_is_refused_and_the_same_moment_is_not():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 1, AT), CONTEXT)
    with pytest.raises(Refused) as refused:
        execute(log, TALLY, "1", counting("c2", 1, AT - dt.timedelta(microseconds=1)), CONTEXT)
    assert refused.value.rule_ids == ("TIME",)
    assert len(log) == 1
    execute(log, TALLY, "1", counting("c3", 1, AT), CONTEXT)
    # Another stream has its own clock.
    execute(log, TALLY, "2", counting("c4", 1, AT - dt.timedelta(days=30)), CONTEXT)


def test_TIME_compares_instants_not_wall_clocks():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 1, dt.datetime(2026, 5, 1, 9, tzinfo=UTC)), CONTEXT)
    ahead = dt.timezone(dt.timedelta(hours=2))
    with pytest.raises(Refused, match="TIME"):  # 10:00+02:00 is 08:00 UTC, an hour earlier
        execute(log, TALLY, "1", counting("c2", 1, dt.datetime(2026, 5, 1, 10, tzinfo=ahead)), CONTEXT)


def test_a_naive_command_time_is_refused_when_the_command_is_built():
    with pytest.raises(NaiveDatetimeError, match="Count.at: must be timezone-aware"):
        counting("c1", 1, dt.datetime(2026, 5, 1, 9))


# -- binding command, aggregate and stream ------------------------------------------------------


def test_a_command_the_aggregate_does_not_take_is_refused_and_nothing_is_written():
    log = fresh_log()
    mou = SendMou(command_id="c1", actor="coord-1", role=SupportRole.COORDINATOR, at=AT, terms_version="v1")
    with pytest.raises(Refused, match="SendMou is not a command for a Tally") as refused:
        execute(log, TALLY, "1", mou, CONTEXT)
    assert refused.value.rule_ids == ("INPUT",)
    assert len(log) == 0


def test_a_command_naming_another_aggregate_than_its_stream_is_refused():
    log = fresh_log()
    opening = Open(command_id="c1", actor="coord-1", role=ToyRole.COORDINATOR, at=AT, tally_id="2")
    with pytest.raises(Refused, match="Open.tally_id names another Tally") as refused:
        execute(log, TALLY, "1", opening, CONTEXT)
    assert refused.value.rule_ids == ("INPUT",)
    assert len(log) == 0
    assert execute(log, TALLY, "2", opening, CONTEXT).events == (Opened("2"),)


@pytest.mark.parametrize("aggregate_id", ["", " 1", "a\nb", 7, None, "x" * 201])
def test_an_aggregate_id_that_is_not_an_id_is_refused(aggregate_id):
    log = fresh_log()
    with pytest.raises(InvalidValue, match="Tally.aggregate_id"):
        execute(log, TALLY, aggregate_id, counting("c1", 1, AT), CONTEXT)
    assert len(log) == 0


@pytest.mark.parametrize("not_a_command", [None, "count", {"by": 1}])
def test_execute_refuses_what_is_not_a_command(not_a_command):
    with pytest.raises(InvalidType, match="execute.command"):
        execute(fresh_log(), TALLY, "1", not_a_command, CONTEXT)


# -- AUTH, SCOPE and the one declaration -------------------------------------------------------


def test_AUTH_a_role_the_table_does_not_allow_is_refused_before_any_rule_runs():
    with pytest.raises(Refused) as refused:
        decide(TALLY, TALLY.fold(()), counting("c1", -5, AT, role=ToyRole.CLERK), CONTEXT)
    assert refused.value.rule_ids == ("AUTH",)
    assert "a clerk may not Count; allowed: coordinator" in str(refused.value)


def test_SCOPE_runs_once_for_scoped_roles_and_its_failure_is_cited():
    def only_for_the_first(tally, command, context):
        return None if command.actor == "clerk-1" else f"{command.actor} does not keep this tally"

    scoped = attrs.evolve(
        TALLY,
        commands={Count: handles(count, ToyRole.COORDINATOR, ToyRole.CLERK, scope=only_for_the_first)},
        scoped_roles=frozenset({ToyRole.CLERK}),
    )
    clerk = attrs.evolve(counting("c1", 1, AT, role=ToyRole.CLERK), actor="clerk-2")
    with pytest.raises(Refused, match="clerk-2 does not keep this tally") as refused:
        decide(scoped, scoped.fold(()), clerk, CONTEXT)
    assert refused.value.rule_ids == ("SCOPE",)
    accepted = decide(scoped, scoped.fold(()), attrs.evolve(clerk, actor="clerk-1"), CONTEXT)
    assert [v.rule_id for v in accepted.verdicts][:2] == ["AUTH", "SCOPE"]


class Elsewhere(enum.Enum):
    CLERK = "clerk"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "Tally-1"}, "category: must be lower-case"),
        ({"commands": {int: handles(count, ToyRole.COORDINATOR)}}, "is not a registered command class"),
        ({"commands": {Count: handles(count)}}, "needs a Handles row with at least one role"),
        ({"commands": {Count: handles(count, Elsewhere.CLERK)}}, "allows roles of another domain"),
        ({"scoped_roles": frozenset({ToyRole.COORDINATOR})}, "allows a scoped role but declares no scope"),
    ],
)
def test_an_inconsistent_aggregate_declaration_fails_when_it_is_made(change, message):
    fields = {f.name: getattr(TALLY, f.name) for f in attrs.fields(Aggregate)}
    with pytest.raises(PastoralCoreError, match=message):
        Aggregate(**{**fields, **change})


def test_an_accepted_command_whose_handler_records_nothing_is_a_bug_not_a_silent_success():
    silent = attrs.evolve(TALLY, commands={Count: handles(lambda *_: [], ToyRole.COORDINATOR)})
    with pytest.raises(AssertionError, match="recorded nothing"):
        decide(silent, silent.fold(()), counting("c1", 1, AT), CONTEXT)


@pytest.mark.parametrize("correlation_id", ["corr\n1", "", 7])
def test_a_correlation_id_that_is_not_an_id_is_refused_and_nothing_is_written(correlation_id):
    log = fresh_log()
    with pytest.raises(InvalidValue, match="execute.correlation_id"):
        execute(log, TALLY, "1", counting("c1", 1, AT), CONTEXT, correlation_id=correlation_id)
    assert len(log) == 0


def test_TIME_compares_instants_across_the_autumn_clock_change():
    """01:45 BST and 01:30 GMT on 31 October 2027: the wall clock says later, the instant earlier."""
    london = ZoneInfo("Europe/London")
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 1, dt.datetime(2027, 10, 31, 1, 30, fold=1, tzinfo=london)), CONTEXT)
    earlier = dt.datetime(2027, 10, 31, 1, 45, fold=0, tzinfo=london)  # 00:45 UTC
    with pytest.raises(Refused) as refused:
        execute(log, TALLY, "1", counting("c2", 1, earlier), CONTEXT)
    assert refused.value.rule_ids == ("TIME",)
    later = dt.datetime(2027, 10, 31, 1, 45, fold=1, tzinfo=london)  # 01:45 UTC
    assert execute(log, TALLY, "1", counting("c3", 1, later), CONTEXT).events


# -- business time: when the fact happened, as against when it was recorded ---------------------

DAY = dt.timedelta(days=1)


def test_a_fact_cannot_be_dated_after_it_is_recorded():
    with pytest.raises(InvalidValue, match="Count.occurred_at: is after the command is recorded"):
        counting("c1", 1, AT, occurred_at=AT + dt.timedelta(seconds=1))
    assert counting("c1", 1, AT, occurred_at=AT).occurred == AT


def test_the_rulebook_in_force_on_the_business_date_decides_not_the_recording_date():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 9, dt.datetime(2027, 3, 20, 9, tzinfo=UTC)), CONTEXT)
    recorded = dt.datetime(2027, 4, 2, 9, tzinfo=UTC)  # v2 (limit 20) is in force when it is entered
    with pytest.raises(Refused) as refused:  # ... but it happened on 31 March, under v1 (limit 10)
        execute(log, TALLY, "1", counting("c2", 5, recorded, occurred_at=recorded - 2 * DAY), CONTEXT)
    assert "limit=10" in str(refused.value)
    accepted = execute(log, TALLY, "1", counting("c3", 5, recorded, occurred_at=recorded), CONTEXT)
    assert accepted.rulebook == "TOY v2" and accepted.records[0].metadata.occurred_at == recorded


@pytest.mark.parametrize(("days", "refused"), [(30, False), (31, True)])
def test_TIME_a_fact_may_be_entered_up_to_the_rulebooks_lag_and_no_later(days, refused):
    log = fresh_log()
    late = counting("c1", 1, AT, occurred_at=AT - days * DAY)
    if not refused:
        accepted = execute(log, TALLY, "1", late, CONTEXT)
        assert any(
            v.rule_id == "TIME" and "30 days after it happened (up to 30 days)" in v.message for v in accepted.verdicts
        )
        return
    with pytest.raises(Refused) as refusal:
        execute(log, TALLY, "1", late, CONTEXT)
    assert refusal.value.rule_ids == ("TIME",) and "max_days=30" in str(refusal.value)
    assert len(log) == 0


def test_TIME_a_coordinator_may_enter_an_older_fact_with_a_recorded_reason():
    from pastoral_core.rules import Override

    log = fresh_log()
    reason = Override("TIME", "found in the paper diary", "coord-1")
    older = counting("c1", 1, AT, occurred_at=AT - 90 * DAY, overrides=(reason,))
    accepted = execute(log, TALLY, "1", older, CONTEXT)
    assert any("overridden by coord-1" in v.message for v in accepted.verdicts)
    theirs = Override("TIME", "Dr Quixley's diary", "coord-9")
    someone_else = counting("c2", 1, AT, occurred_at=AT - 90 * DAY, overrides=(theirs,))
    with pytest.raises(Refused, match="TIME") as refused:
        execute(log, TALLY, "2", someone_else, CONTEXT)
    assert refused.value.verdicts[0].message.endswith(
        "; the override given was not accepted: it was given by coord-9, not by coord-1 who enters this fact "
        "(only the entering coordinator's own override counts)"
    )
    assert "Quixley" not in str(refused.value), "the override's reason is never echoed"


def test_TIME_no_fact_is_dated_before_the_aggregate_began():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 1, AT, occurred_at=AT - 5 * DAY), CONTEXT)
    with pytest.raises(Refused, match="before this tally began") as refused:
        execute(log, TALLY, "1", counting("c2", 1, AT, occurred_at=AT - 6 * DAY), CONTEXT)
    assert refused.value.rule_ids == ("TIME",)


def _opening(command_id, at):
    return Open(command_id=command_id, actor="coord-1", role=ToyRole.COORDINATOR, at=at, tally_id="1")


def test_a_late_entry_is_decided_as_of_its_date_and_takes_its_place_among_the_facts():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 1, AT - 10 * DAY), CONTEXT)
    execute(log, TALLY, "1", _opening("c2", AT - 8 * DAY), CONTEXT)  # decided by no count
    late = execute(log, TALLY, "1", counting("c3", 1, AT, occurred_at=AT - 9 * DAY), CONTEXT)
    assert late.events == (Counted(1),)
    records = log.read_stream("tally-1")
    assert [r.metadata.command_id for r in records] == ["c1", "c2", "c3"]  # recorded order
    from pastoral_core.kernel import in_order_of_occurrence

    assert [r.metadata.command_id for r in in_order_of_occurrence(records)] == ["c1", "c3", "c2"]
    assert TALLY.replay(records).state == Tally(2)


def test_a_late_entry_that_changes_only_what_a_later_verdict_says_is_accepted_and_keeps_it_as_it_now_reads():
    """c2 was recorded as "3 of 10"; with c3 before it, it is now "4 of 10": the same event and
    outcome, another reading. The late entry is accepted and its decision keeps the re-decided
    verdict, marked with the fact it belongs to; c2's own record is not rewritten."""
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 1, AT - 10 * DAY), CONTEXT)
    recorded = execute(log, TALLY, "1", counting("c2", 2, AT - 8 * DAY), CONTEXT)
    assert next(v.message for v in recorded.verdicts if v.rule_id == "TOY-LIMIT") == "3 of 10"
    late = execute(log, TALLY, "1", counting("c3", 1, AT, occurred_at=AT - 9 * DAY), CONTEXT)
    redecided = [v for v in late.verdicts if v.message.startswith("re-decided")]
    assert [(v.rule_id, v.message) for v in redecided] == [
        ("TOY-LIMIT", "re-decided for toy.count dated 2026-04-23T09:00:00+00:00: 4 of 10")
    ]
    assert late.records[0].decision.verdicts == late.verdicts, "the re-decided verdict is kept in the log"
    assert log.recorded_for("c2")[0].decision.verdicts == recorded.verdicts


def test_domain_verdicts_are_what_recheck_reaches_again_on_the_same_state():
    """The kernel's settled verdicts (AUTH, TIME's lag when dated) are left out; the rest match a recheck."""
    from pastoral_core.kernel import domain_verdicts, recheck

    folded = TALLY.fold([Counted(1)])
    for command in (counting("c1", 2, AT), counting("c2", 2, AT, occurred_at=AT - DAY), _opening("c3", AT)):
        decision = decide(TALLY, folded, command, CONTEXT)
        rules = domain_verdicts(TALLY, command, CONTEXT, decision.verdicts)
        assert rules == recheck(TALLY, folded, command, CONTEXT).verdicts
        settled = [v.rule_id for v in decision.verdicts[: len(decision.verdicts) - len(rules)]]
        assert settled == (["AUTH", "TIME"] if command.occurred_at else ["AUTH"])


def test_a_late_entry_that_would_change_a_verdict_recorded_after_it_is_refused():
    log = fresh_log()
    execute(log, TALLY, "1", counting("c1", 5, AT - 10 * DAY), CONTEXT)
    execute(log, TALLY, "1", counting("c2", 4, AT - 8 * DAY), CONTEXT)  # 9: near the limit of 10
    with pytest.raises(Refused, match="it would change what was decided for toy.count") as refused:
        execute(log, TALLY, "1", counting("c3", 1, AT, occurred_at=AT - 9 * DAY), CONTEXT)
    assert refused.value.rule_ids == ("TIME",)
    assert len(log) == 4  # c1, c2 and its NearLimit and flag; nothing of c3
