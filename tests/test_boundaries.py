"""Every public entry point refuses what it cannot handle with a library error, and writes nothing.

These came from a hostile review of the kernel: each was an AttributeError, TypeError,
OverflowError or KeyError from deep inside, or a value that slipped through a check.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest

from pastoral_core import EventLog, Folded, execute, verify
from pastoral_core.eventlog import DecisionRecord, Metadata
from pastoral_core.exceptions import CodecError, InvalidType, InvalidValue, PastoralCoreError
from pastoral_core.kernel import decide
from pastoral_core.peer_groups import Evaluation, Frequency, PeerSupportContext, series_dates
from pastoral_core.portfolio import PortfolioContext
from pastoral_core.rules import WorkingCalendar
from pastoral_core.support import (
    CASE,
    DEVON_PSN,
    RecipientKind,
    RecordNote,
    RequestReceived,
    SendMou,
    SupportContext,
    SupportRole,
)
from tests.sample_events import CODEC, NoteRecorded

LONDON = ZoneInfo("Europe/London")
AT = dt.datetime(2027, 1, 11, 10, tzinfo=LONDON)
PLUS_FIVE = dt.timezone(dt.timedelta(hours=5))


def mou(**changes):
    fields = {"command_id": "c1", "actor": "coord-1", "role": SupportRole.COORDINATOR, "at": AT, "terms_version": "v1"}
    return SendMou(**{**fields, **changes})


class PretendRole:
    """Claims to be a SupportRole: isinstance() believes it; an exact type check does not."""

    __class__ = property(lambda self: SupportRole)  # type: ignore[assignment]
    value = "coordinator"


class SlowClock(dt.datetime):
    """A datetime whose comparisons lie."""

    def __lt__(self, other):
        return False


class RaisingZone(dt.tzinfo):
    def utcoffset(self, moment):
        raise RuntimeError("no offset")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": PretendRole()}, "role"),
        ({"at": SlowClock(2027, 1, 11, 10, tzinfo=LONDON)}, "at"),
        ({"at": dt.datetime(2027, 1, 11, 10, tzinfo=RaisingZone())}, "at"),
        ({"actor": "coord\u061c1"}, "actor"),  # an invisible Arabic letter mark
        ({"actor": "coord\u00a01"}, "actor"),  # a no-break space
        ({"actor": "coord-\ue000"}, "actor"),  # a private-use character
        ({"terms_version": "v\u0378"}, "terms_version"),  # an unassigned code point
    ],
    ids=[
        "spoofed-role",
        "datetime-subclass",
        "raising-zone",
        "invisible",
        "no-break-space",
        "private-use",
        "unassigned",
    ],
)
def test_a_value_pretending_to_be_what_it_is_not_never_becomes_a_command(changes, field):
    with pytest.raises(InvalidValue, match=f"SendMou.{field}"):
        mou(**changes)


def test_a_command_altered_after_it_was_built_is_refused_by_execute_and_decide():
    log = EventLog()
    note = RecordNote(command_id="c1", actor="off-1", role=SupportRole.OFFICER, at=AT, note_id="n1", text="Met.")
    object.__setattr__(note, "note_id", "n\x00\ud800")
    with pytest.raises(InvalidValue, match="RecordNote.note_id"):
        execute(log, CASE, "1", note, SupportContext())
    with pytest.raises(InvalidValue, match="RecordNote.note_id"):
        decide(CASE, CASE.fold(()), note, SupportContext())
    assert len(log) == 0


@pytest.mark.parametrize(
    ("context", "message"),
    [
        (None, "decides with a SupportContext, got NoneType"),
        (PeerSupportContext(), "decides with a SupportContext, got PeerSupportContext"),
    ],
)
def test_decide_refuses_a_context_or_a_state_it_was_not_given_for(context, message):
    with pytest.raises(InvalidType, match=message):
        decide(CASE, CASE.fold(()), mou(), context)
    with pytest.raises(InvalidType, match="decide.folded"):
        decide(CASE, None, mou(), SupportContext())


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SupportContext(directory=None), "SupportContext.directory: expected a Directory"),
        (lambda: SupportContext(rulebooks="DEVON"), "SupportContext.rulebooks: expected a Rulebooks"),
        (lambda: PeerSupportContext(programmes={"p1": 1}), "PeerSupportContext.programmes"),
        (lambda: PortfolioContext(listings=[]), "PortfolioContext.listings"),
        (lambda: Folded(None, last_recorded_at=dt.datetime(2027, 1, 1)), "must be timezone-aware"),
    ],
)
def test_contexts_and_folded_states_are_checked_when_built(build, message):
    with pytest.raises(InvalidValue, match=message):
        build()


def test_a_rulebook_naming_an_instrument_the_library_cannot_score_fails_at_once():
    with pytest.raises(InvalidValue, match="Evaluation.instruments: 1 instrument"):
        Evaluation(instruments=("WEMWBS", "PHQ9"))
    assert Evaluation(instruments=("CBI",)).instruments == ("CBI",)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: DEVON_PSN.in_force(5), InvalidType),
        (lambda: DEVON_PSN.in_force("2027-01-01"), InvalidType),
        (lambda: DEVON_PSN.in_force(dt.datetime.min.replace(tzinfo=PLUS_FIVE)), InvalidValue),
        (lambda: WorkingCalendar().next_working_day(dt.date.max), InvalidValue),
        (lambda: WorkingCalendar().is_working_day(dt.date(1, 1, 1)), InvalidValue),
        (lambda: WorkingCalendar().counts_from(dt.datetime(9999, 12, 31, 23, tzinfo=PLUS_FIVE)), InvalidValue),
    ],
)
def test_rulebooks_and_calendars_refuse_values_outside_what_they_reason_about(call, error):
    with pytest.raises(error):
        call()


@pytest.mark.parametrize("source", [None, 5, [1], [None, "x"]])
def test_verify_reports_malformed_input_instead_of_raising(source):
    result = verify(source)
    assert not result.ok and result.reason


def meta(command_id="c1"):
    return Metadata("coord-1", command_id, AT, role="coordinator", command_type="case.receive_request")


def test_a_hand_made_event_with_a_date_no_replay_could_handle_is_never_written():
    log = EventLog()
    request = RequestReceived(
        dt.datetime(1, 1, 1, 1, tzinfo=PLUS_FIVE), RecipientKind.GP, (), None, "ENG", None, None, False, AT
    )
    with pytest.raises(CodecError):
        log.append("case-1", [request], expected_version=0, metadata=meta())
    assert len(log) == 0


@pytest.mark.parametrize(
    "command", ["{not json", "[1, 2]", '{"b":1, "a":2}'], ids=["not-json", "not-object", "not-canonical"]
)
def test_a_decision_record_must_keep_the_canonical_json_of_a_command(command):
    log = EventLog(CODEC)
    with pytest.raises(CodecError, match=r"\$\.decision\.command"):
        log.append(
            "case-1",
            [NoteRecorded("a", "b")],
            expected_version=0,
            metadata=meta(),
            decision=DecisionRecord((), command),
        )
    with pytest.raises(CodecError, match=r"\$\.decision"):
        log.append(
            "case-1", [NoteRecorded("a", "b")], expected_version=0, metadata=meta(), decision=DecisionRecord([1], None)
        )
    assert len(log) == 0


def test_a_series_across_the_spring_clock_change_moves_to_times_that_exist():
    first = dt.datetime(2027, 3, 21, 1, 30, tzinfo=LONDON)
    second = series_dates(Frequency.WEEKLY, first, 2)[1]  # 01:30 on 28 March 2027 does not exist
    assert second == dt.datetime(2027, 3, 28, 2, 30, tzinfo=LONDON)
    assert second.utcoffset() == dt.timedelta(hours=1)


def test_a_series_in_the_repeated_hour_keeps_the_hour_it_was_asked_for():
    first = dt.datetime(2027, 10, 31, 1, 30, fold=1, tzinfo=LONDON)  # the second 01:30, in GMT
    assert series_dates(Frequency.WEEKLY, first, 1)[0].utcoffset() == dt.timedelta(0)


def test_everything_above_is_a_library_error():
    assert all(issubclass(e, PastoralCoreError) for e in (InvalidType, InvalidValue, CodecError))
    assert attrs.has(Folded)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda log: execute(None, CASE, "1", mou(), SupportContext()), "execute.store"),
        (lambda log: execute(log, CASE, "1", mou(), SupportContext(), codec=None), "execute.codec"),
        (lambda log: execute(log, None, "1", mou(), SupportContext()), "execute.aggregate"),
        (lambda log: decide(None, CASE.fold(()), mou(), SupportContext()), "decide.aggregate"),
        (lambda log: decide(CASE, Folded(None), mou(), SupportContext()), "decide.folded"),
    ],
)
def test_the_kernel_refuses_plumbing_of_the_wrong_kind(call, field):
    log = EventLog()
    with pytest.raises(InvalidType, match=field):
        call(log)
    assert len(log) == 0
