"""A hostile host: every command type with hostile values in every field, and random commands
run against real histories. Only the library's own errors may come out; a refused command
writes nothing; the stored log always loads and verifies."""

import datetime as dt
import decimal
import typing
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pastoral_core import EventLog, dumps, execute, loads, verify
from pastoral_core.exceptions import InvalidValue, PastoralCoreError
from pastoral_core.peer_groups import (
    PEER_GROUP,
    PHP_GROUP_PEER_SUPPORT_V1,
    PROGRAMME,
    AppointFacilitator,
    ApproveGroup,
    EnrolAttendee,
    FacilitatorTariff,
    Frequency,
    Modality,
    PeerSupportContext,
    PeerSupportRole,
    PlanSeries,
    Profession,
    ProposeGroup,
    SetUpGroup,
    StartProgramme,
    Tariff,
    programmes_from,
)
from pastoral_core.portfolio import (
    MEMBER,
    OPPORTUNITY,
    AssignTeamMember,
    Intent,
    Listing,
    OpportunityKind,
    PortfolioContext,
    PostOpportunity,
    Profile,
    SignUpMember,
    listings_from,
)
from pastoral_core.rules import Rulebooks
from pastoral_core.support import (
    CASE,
    NETWORK,
    AllocateOfficer,
    Background,
    EnrolOfficer,
    NoteRecorded,
    RaiseSafetyConcern,
    ReceiveRequest,
    Recipient,
    RecipientKind,
    RecordNote,
    ReferToService,
    ScheduleSession,
    SendMou,
    SupportContext,
    SupportRole,
)
from pastoral_core.testing.strategies import commands
from tests.conftest import count

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
AGGREGATES = (CASE, NETWORK, PROGRAMME, PEER_GROUP, OPPORTUNITY, MEMBER)
COMMAND_CLASSES = sorted({cls for a in AGGREGATES for cls in a.commands}, key=lambda c: c.__name__)
CANARY = "CANARY-3f9a"


def at(year, month, day, hour=10):
    return dt.datetime(year, month, day, hour, tzinfo=LONDON)


# -- hostile values in every field of every command ----------------------------------------------

HOSTILE = [
    None,
    object(),
    1.5,
    float("nan"),
    decimal.Decimal("NaN"),
    decimal.Decimal("-Infinity"),
    decimal.Decimal("1e400"),
    10**30,
    -1,
    True,
    "",
    "   ",
    f"{CANARY}\x00",
    f"{CANARY}\ud800",
    f"{CANARY}\u202e",
    f"{CANARY}\r\n",
    CANARY * 20_000,
    b"bytes",
    [],
    {"a": 1},
    {CANARY},
    tuple(f"id-{n}" for n in range(1001)),
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    dt.datetime(2027, 1, 11, 10),
    dt.datetime(1, 1, 1, tzinfo=UTC),
    dt.datetime.max.replace(tzinfo=UTC),
    dt.datetime(2027, 3, 28, 1, 30, tzinfo=LONDON),  # the clocks went forward: no such time
    dt.time(17),
    PeerSupportRole.COORDINATOR,
    Recipient("gp-a", RecipientKind.GP),
]

FIELDS = [(cls, f.name) for cls in COMMAND_CLASSES for f in attrs.fields(cls)]


@settings(max_examples=6, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
@pytest.mark.parametrize(("cls", "field"), FIELDS, ids=[f"{c.__name__}.{f}" for c, f in FIELDS])
def test_a_hostile_value_in_any_field_fails_as_the_command_is_built_naming_command_and_field(cls, field, data):
    valid = data.draw(commands([cls], times=st.just(at(2027, 1, 11))))
    hostile = data.draw(st.sampled_from(HOSTILE))
    count("hostile commands: tried")
    count("hostile commands: built with a hostile value in one field")
    try:
        built = attrs.evolve(valid, **{field: hostile})
    except PastoralCoreError as error:
        count("hostile commands: refused as they were built (InvalidValue)")
        message = str(error)
        assert isinstance(error, InvalidValue)
        assert message.startswith(f"{cls.__name__}.{field}"), message
        assert CANARY not in message
        assert len(message) < 400
        return
    except Exception as error:
        pytest.fail(f"{cls.__name__}.{field}={hostile!r:.40} raised {type(error).__name__}: {error}")
    # The value fitted the field (None for an optional field, say): then it is a valid command,
    # and running it on a real history is refused or accepted like any other.
    assert getattr(built, field) == hostile or hostile != hostile
    aggregate = next(a for a in AGGREGATES if cls in a.commands)
    run_on_the_world(aggregate, WORLD_IDS[aggregate], built)


def run_on_the_world(aggregate, aggregate_id, command):
    """Execute on a copy of the world: only library errors; refused writes nothing; the log loads."""
    log = EventLog.from_records(WORLD.read_all())
    before = log.read_all()
    stream = aggregate.stream_id(aggregate_id)
    count("hostile commands: executed on a real history")
    try:
        accepted = execute(log, aggregate, aggregate_id, command, CONTEXTS[aggregate])
    except PastoralCoreError:
        count("hostile commands: refused by execute, nothing written")
        assert log.read_all() == before, "a refused command wrote something"
        assert aggregate.replay(log.read_stream(stream)) == aggregate.replay(WORLD.read_stream(stream))
    except Exception as error:
        pytest.fail(
            f"{type(command).__name__} on {aggregate.name} {aggregate_id!r} raised {type(error).__name__}: {error}"
        )
    else:
        assert {r.stream_id for r in accepted.records} == {stream}
        assert log.read_all()[: len(before)] == before
    text = dumps(log.read_all())
    assert loads(text) == log.read_all()
    assert verify(text).ok


@settings(max_examples=2, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("cls", COMMAND_CLASSES, ids=lambda c: c.__name__)
def test_every_field_of_every_command_refuses_something(cls, data):
    """No field is left unchecked: each refuses at least one of the hostile values."""
    valid = data.draw(commands([cls], times=st.just(at(2027, 1, 11))))
    unchecked = []
    for field in (f.name for f in attrs.fields(cls)):
        refused = 0
        for hostile in HOSTILE:
            try:
                attrs.evolve(valid, **{field: hostile})
            except InvalidValue:
                refused += 1
        count("hostile commands: tried", len(HOSTILE))
        count("hostile commands: built with a hostile value in one field", len(HOSTILE))
        count("hostile commands: refused as they were built (InvalidValue)", refused)
        if not refused:
            unchecked.append(field)
    assert not unchecked


# -- random valid commands against real histories ------------------------------------------------

IDS = [
    "1",
    "devon",
    "prog-1",
    "g1",
    "mem-1",
    "opp-1",
    "gp-a",
    "gp-b",
    "pm-c",
    "P-DEVON-7",
    "off-gp-1",
    "off-gp-2",
    "s1",
    "r1",
    "c1",
    "n1",
    "fac-1",
    "gp-1",
    "gp-2",
    "plan-1-1",
    "tm-1",
    "coord-1",
    "cg-1",
    "lead-1",
    "new-7",
]


def _command(cls, when, role=None, actor="coord-1", **fields):
    roles = typing.get_type_hints(cls)["role"]
    return cls(
        command_id=f"world-{cls.__name__}-{len(fields)}-{when:%m%d%H}-{actor}",
        actor=actor,
        role=role or roles["COORDINATOR"],
        at=when,
        **fields,
    )


def build_world():
    log = EventLog()
    books = Rulebooks(
        (
            PHP_GROUP_PEER_SUPPORT_V1.adapted(
                "TEST_GPS", FacilitatorTariff(tariffs=(Tariff(dt.date(2026, 4, 1), decimal.Decimal("60.00")),))
            ),
        )
    )
    for n, officer in enumerate(("off-gp-1", "off-gp-2")):
        execute(
            log,
            NETWORK,
            "devon",
            _command(EnrolOfficer, at(2027, 1, 1, 9 + n), officer_id=officer, background=Background.GP),
            SupportContext(),
        )
    support = SupportContext(directory=NETWORK.replay(log.read_stream("network-devon")).state)
    members = (
        Recipient("gp-a", RecipientKind.GP),
        Recipient("gp-b", RecipientKind.GP),
        Recipient("pm-c", RecipientKind.PRACTICE_MANAGER),
    )
    officer = SupportRole.OFFICER
    for c in (
        _command(
            ReceiveRequest, at(2027, 1, 4), kind=RecipientKind.PRACTICE, recipients=members, practice_id="P-DEVON-7"
        ),
        _command(SendMou, at(2027, 1, 5), terms_version="v1"),
        _command(AllocateOfficer, at(2027, 1, 5, 11), recipient_id="gp-a", officer_id="off-gp-1"),
        _command(ScheduleSession, at(2027, 1, 6), session_id="s1", recipient_id="gp-a", starts_at=at(2027, 1, 8)),
        _command(ReferToService, at(2027, 1, 6, 11), referral_id="r1", recipient_id="gp-a", service="legal"),
        _command(RaiseSafetyConcern, at(2027, 1, 7), officer, "off-gp-1", concern_id="c1"),
        _command(RecordNote, at(2027, 1, 7, 11), officer, "off-gp-1", note_id="n1", text="Met; agreed a plan."),
    ):
        execute(log, CASE, "1", c, support)
    lead = PeerSupportRole.PROGRAMME_LEAD
    programme = PeerSupportContext(books)
    for c in (
        _command(StartProgramme, at(2026, 4, 1), lead, "lead-1", funder="php", starts_on=dt.date(2026, 4, 1)),
        _command(ProposeGroup, at(2026, 4, 2), lead, "lead-1", group_id="g1", region="London"),
        _command(ApproveGroup, at(2026, 4, 3), lead, "lead-1", group_id="g1"),
    ):
        execute(log, PROGRAMME, "prog-1", c, programme)
    groups = PeerSupportContext(books, programmes_from(log.read_all()))
    for c in (
        _command(SetUpGroup, at(2026, 5, 1), group_id="g1", programme_id="prog-1", modality=Modality.BALINT),
        _command(AppointFacilitator, at(2026, 5, 1, 11), facilitator_id="fac-1"),
        _command(EnrolAttendee, at(2026, 5, 2), attendee_id="gp-1", profession=Profession.GP),
        _command(EnrolAttendee, at(2026, 5, 2, 11), attendee_id="gp-2", profession=Profession.GP_TRAINEE),
        _command(
            PlanSeries,
            at(2026, 5, 3),
            plan_id="plan-1",
            frequency=Frequency.MONTHLY,
            first_at=at(2026, 6, 1, 18),
            count=3,
        ),
    ):
        execute(log, PEER_GROUP, "g1", c, groups)
    listing = Listing(
        OpportunityKind.ROLE,
        "Salaried GP, two sessions",
        "org-1",
        "Mansfield",
        dt.date(2027, 3, 1),
        None,
        dt.date(2027, 2, 20),
        2,
        frozenset({"teaching"}),
    )
    execute(log, OPPORTUNITY, "opp-1", _command(PostOpportunity, at(2027, 1, 4), listing=listing), PortfolioContext())
    portfolio = PortfolioContext(listings=listings_from(log.read_all()))
    profile = Profile(Intent.FLEXIBLE_WORK, frozenset({"teaching"}), "Mansfield", 4)
    execute(log, MEMBER, "mem-1", _command(SignUpMember, at(2027, 1, 4), member_id="mem-1", profile=profile), portfolio)
    execute(log, MEMBER, "mem-1", _command(AssignTeamMember, at(2027, 1, 5), team_member_id="tm-1"), portfolio)
    contexts = {
        CASE: support,
        NETWORK: support,
        PROGRAMME: programme,
        PEER_GROUP: groups,
        OPPORTUNITY: portfolio,
        MEMBER: portfolio,
    }
    return log, contexts


WORLD, CONTEXTS = build_world()
WORLD_IDS = {CASE: "1", NETWORK: "devon", PROGRAMME: "prog-1", PEER_GROUP: "g1", OPPORTUNITY: "opp-1", MEMBER: "mem-1"}
#: Who holds each role in the world, so that most commands get past AUTH and SCOPE to the rules.
HOLDERS = {
    "coordinator": "coord-1",
    "officer": "off-gp-1",
    "recipient": "gp-a",
    "caldicott_guardian": "cg-1",
    "programme_lead": "lead-1",
    "facilitator": "fac-1",
    "attendee": "gp-1",
    "team_member": "tm-1",
    "member": "mem-1",
}
TIMES = st.one_of(
    st.datetimes(dt.datetime(2027, 1, 8), dt.datetime(2027, 9, 30), timezones=st.just(LONDON), allow_imaginary=False),
    st.datetimes(dt.datetime(2018, 1, 1), dt.datetime(2199, 12, 31), timezones=st.just(LONDON), allow_imaginary=False),
)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_random_commands_on_real_histories_raise_only_library_errors_and_keep_the_log_loadable(data):
    aggregate = data.draw(st.sampled_from(AGGREGATES))
    command = data.draw(commands(aggregate.commands, ids=st.sampled_from(IDS), times=TIMES))
    if data.draw(st.integers(0, 4)):  # mostly someone who may issue it, acting as themselves
        role = data.draw(st.sampled_from(sorted(aggregate.commands[type(command)].roles, key=lambda r: r.value)))
        command = attrs.evolve(command, role=role, actor=HOLDERS[role.value])
    aggregate_id = WORLD_IDS[aggregate] if data.draw(st.integers(0, 4)) else data.draw(st.sampled_from(IDS))
    count("hostile commands: tried")
    run_on_the_world(aggregate, aggregate_id, command)


# -- what the hostile host found, each now refused with nothing written --------------------------


def _fresh_world():
    return EventLog.from_records(WORLD.read_all())


def test_a_badly_typed_field_never_reaches_the_log():
    from pastoral_core.exceptions import InvalidType
    from pastoral_core.support import CancelSession

    log = _fresh_world()
    with pytest.raises(InvalidType, match="CancelSession.with_notice: expected true or false, got str"):
        CancelSession(
            command_id="x1",
            actor="coord-1",
            role=SupportRole.COORDINATOR,
            at=at(2027, 2, 1),
            session_id="s1",
            with_notice="yes",
        )
    with pytest.raises(InvalidType, match="SendMou.role: expected a SupportRole, got str"):
        SendMou(command_id="x2", actor="coord-1", role="coordinator", at=at(2027, 2, 1), terms_version="v1")
    assert loads(dumps(log.read_all())) == WORLD.read_all()


def test_a_command_id_reused_on_another_case_returns_nothing_of_that_case():
    from pastoral_core.exceptions import CommandIdReused

    log = _fresh_world()
    note = next(r for r in log.read_all() if isinstance(r.event, NoteRecorded))
    reused = RecordNote(
        command_id=note.metadata.command_id,
        actor="off-gp-1",
        role=SupportRole.OFFICER,
        at=at(2027, 2, 1),
        note_id="n1",
        text="Met; agreed a plan.",
    )
    with pytest.raises(CommandIdReused) as refused:
        execute(log, CASE, "2", reused, CONTEXTS[CASE])
    assert "agreed a plan" not in str(refused.value) and "case-1" not in str(refused.value)
    changed = attrs.evolve(reused, text="Something else entirely.")
    with pytest.raises(CommandIdReused):
        execute(log, CASE, "1", changed, CONTEXTS[CASE])
    assert len(log) == len(WORLD)


def test_a_network_command_sent_to_a_case_is_refused_and_not_written():
    log = _fresh_world()
    enrol = EnrolOfficer(
        command_id="x3",
        actor="coord-1",
        role=SupportRole.COORDINATOR,
        at=at(2027, 2, 1),
        officer_id="off-9",
        background=Background.LAY,
    )
    with pytest.raises(PastoralCoreError, match="EnrolOfficer is not a command for a Case"):
        execute(log, CASE, "1", enrol, CONTEXTS[CASE])
    assert len(log) == len(WORLD)


def test_a_back_dated_closure_cannot_move_the_end_of_note_retention():
    from pastoral_core.support import CloseCase, ClosureOutcome, ResolveSafetyConcern, SafetyOutcome, SeekSafetyGuidance

    log = _fresh_world()
    coordinator = SupportRole.COORDINATOR
    for n, c in enumerate(
        (
            SeekSafetyGuidance(
                command_id="x4",
                actor="coord-1",
                role=coordinator,
                at=at(2027, 2, 1),
                concern_id="c1",
                source="medical director",
            ),
            ResolveSafetyConcern(
                command_id="x5",
                actor="coord-1",
                role=coordinator,
                at=at(2027, 2, 2),
                concern_id="c1",
                outcome=SafetyOutcome.NO_FURTHER_ACTION,
            ),
        )
    ):
        assert execute(log, CASE, "1", c, CONTEXTS[CASE]).events, n
    back_dated = CloseCase(
        command_id="x6", actor="coord-1", role=coordinator, at=at(2021, 1, 1), outcome=ClosureOutcome.RESOLVED
    )
    with pytest.raises(PastoralCoreError) as refused:
        execute(log, CASE, "1", back_dated, CONTEXTS[CASE])
    assert refused.value.rule_ids == ("TIME",)
    closed = execute(log, CASE, "1", attrs.evolve(back_dated, command_id="x7", at=at(2027, 2, 3)), CONTEXTS[CASE])
    assert closed.events[-1].retain_until == dt.date(2033, 2, 3)


def test_a_context_of_another_domain_is_refused_before_anything_is_decided():
    from pastoral_core.exceptions import InvalidType

    log = _fresh_world()
    mou = SendMou(command_id="x8", actor="coord-1", role=SupportRole.COORDINATOR, at=at(2027, 2, 1), terms_version="v2")
    with pytest.raises(InvalidType, match="a Case decides with a SupportContext, got PeerSupportContext"):
        execute(log, CASE, "1", mou, CONTEXTS[PEER_GROUP])
    with pytest.raises(InvalidType, match="decides with a SupportContext, got NoneType"):
        execute(log, CASE, "1", mou, None)
    assert len(log) == len(WORLD)


def test_redacting_a_reason_removes_it_from_the_kept_command_too_nested_or_not():
    from pastoral_core.rules import Override
    from pastoral_core.support import OfficerAllocated

    log = _fresh_world()
    secret = "Off sick with stress since March"
    allocate = AllocateOfficer(
        command_id="x9",
        actor="coord-1",
        role=SupportRole.COORDINATOR,
        at=at(2027, 2, 1),
        recipient_id="pm-c",
        officer_id="off-gp-2",
        overrides=(Override("PSN-SKILLS", secret, "coord-1"),),
    )
    accepted = execute(log, CASE, "1", allocate, CONTEXTS[CASE])
    assert isinstance(accepted.events[0], OfficerAllocated) and secret in dumps(log.read_all())
    log.redact(accepted.records[0].position, ["override_reason"])
    text = dumps(log.read_all())
    assert secret not in text
    assert verify(text).ok and verify(log.read_all()).ok
    assert log.recorded_for("x9")[0].decision.fingerprint is None
    with pytest.raises(PastoralCoreError):
        execute(log, CASE, "1", allocate, CONTEXTS[CASE])  # no longer replayable


def test_evaluation_answers_are_never_stored_and_their_command_id_is_bound_to_the_attendee():
    from pastoral_core.exceptions import CommandIdReused
    from pastoral_core.peer_groups import OpenEvaluationRound, RecordEvaluationResponse, RoundKind

    log = _fresh_world()
    coordinator = PeerSupportRole.COORDINATOR
    opened = OpenEvaluationRound(
        command_id="x10",
        actor="coord-1",
        role=coordinator,
        at=at(2026, 6, 1),
        round_id="base",
        kind=RoundKind.BASELINE,
        instrument="WEMWBS",
    )
    execute(log, PEER_GROUP, "g1", opened, CONTEXTS[PEER_GROUP])
    answers = (5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 5, 4, 3, 2)
    response = RecordEvaluationResponse(
        command_id="x11",
        actor="gp-1",
        role=PeerSupportRole.ATTENDEE,
        at=at(2026, 6, 2),
        round_id="base",
        attendee_id="gp-1",
        answers=answers,
    )
    accepted = execute(log, PEER_GROUP, "g1", response, CONTEXTS[PEER_GROUP])
    assert '"answers"' not in accepted.records[0].decision.command
    assert "5,4,3,2,1" not in dumps(log.read_all()).replace(", ", ",")
    assert execute(log, PEER_GROUP, "g1", response, CONTEXTS[PEER_GROUP]).replayed
    someone_else = attrs.evolve(response, actor="gp-2", attendee_id="gp-2")
    with pytest.raises(CommandIdReused):
        execute(log, PEER_GROUP, "g1", someone_else, CONTEXTS[PEER_GROUP])
