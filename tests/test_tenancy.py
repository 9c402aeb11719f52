"""Tenancy (rule SCOPE): a stream belongs to the organisation of its first command, and nobody of
another organisation acts on it; read models never mix organisations unless asked."""

import attrs
import pytest

from pastoral_core import EventLog, WhatIfChange, execute, verify
from pastoral_core.eventlog import DEFAULT_CODEC, dumps, loads
from pastoral_core.exceptions import InvalidValue, Refused
from pastoral_core.kernel import Tenancy, states_from
from pastoral_core.support import CASE, DestroyNotes, RecordNote, cases_from, flags_by_case
from tests.builders import at, command
from tests.support.helpers import CONTEXT, allocate, gp_request, mou

DEVON, CORNWALL = "lmc-devon", "lmc-cornwall"


def of(organisation, cmd):
    return attrs.evolve(cmd, organisation=organisation)


def devon_case(log, case_id="17"):
    for cmd in (gp_request(), mou(), allocate("gp-a", "off-gp-1")):
        execute(log, CASE, case_id, of(DEVON, cmd), CONTEXT)


def refused_with_nothing_written(log, case_id, cmd):
    before = log.read_all()
    with pytest.raises(Refused) as refused:
        execute(log, CASE, case_id, cmd, CONTEXT)
    assert log.read_all() == before
    return refused.value


@pytest.mark.parametrize(
    "build",
    [
        lambda: mou(at(2027, 1, 12)),  # a coordinator
        lambda: command(RecordNote, at(2027, 1, 12), "officer", "off-gp-1", note_id="n1", text="met today"),
        lambda: command(DestroyNotes, at(2027, 1, 12), role="caldicott_guardian", actor="cg-1"),
    ],
    ids=["coordinator", "officer", "caldicott-guardian"],
)
def test_a_role_held_in_one_lmc_is_refused_on_another_lmcs_case_and_the_refusal_names_neither(build):
    log = EventLog()
    devon_case(log)
    refusal = refused_with_nothing_written(log, "17", of(CORNWALL, build()))
    assert refusal.rule_ids == ("SCOPE",)
    assert "acts for another organisation than the one this case belongs to" in str(refusal)
    assert DEVON not in str(refusal) and CORNWALL not in str(refusal)


def test_a_command_that_does_not_say_its_organisation_is_refused_on_an_organisations_case():
    log = EventLog()
    devon_case(log)
    refusal = refused_with_nothing_written(log, "17", mou(at(2027, 1, 12)))
    assert refusal.rule_ids == ("SCOPE",) and "say which one the actor acts for" in str(refusal)


def test_the_same_role_in_the_cases_own_organisation_acts_and_the_organisation_is_kept_with_each_record():
    log = EventLog()
    devon_case(log)
    note = command(RecordNote, at(2027, 1, 12), "officer", "off-gp-1", note_id="n1", text="met today")
    accepted = execute(log, CASE, "17", of(DEVON, note), CONTEXT)
    assert accepted.records[0].metadata.organisation == DEVON
    assert CASE.replay(log.read_stream("case-17")).organisation == DEVON
    assert verify(dumps(log.read_all())).ok and loads(dumps(log.read_all())) == log.read_all()


def test_a_single_organisation_host_sees_no_change_in_what_it_stores_or_fingerprints():
    """organisation=None is left out of the stored metadata and of the command's stored form,
    so logs and fingerprints written before tenancy stay as they were."""
    log = EventLog()
    execute(log, CASE, "1", gp_request(), CONTEXT)
    row = DEFAULT_CODEC.to_dict(log.read_all()[0])
    assert "organisation" not in row["metadata"]
    assert "organisation" not in DEFAULT_CODEC.command_to_dict(gp_request())
    assert "organisation" in DEFAULT_CODEC.command_to_dict(of(DEVON, gp_request()))
    assert DEFAULT_CODEC.fingerprint(of(DEVON, gp_request())) != DEFAULT_CODEC.fingerprint(gp_request())


def test_an_organisation_cannot_take_over_a_case_of_no_organisation():
    log = EventLog()
    execute(log, CASE, "1", gp_request(), CONTEXT)
    refusal = refused_with_nothing_written(log, "1", of(DEVON, mou()))
    assert refusal.rule_ids == ("SCOPE",)


def test_read_models_never_mix_organisations_unless_asked():
    log = EventLog()
    devon_case(log, "17")
    execute(log, CASE, "18", of(CORNWALL, gp_request()), CONTEXT)
    with pytest.raises(InvalidValue, match="several organisations"):
        cases_from(log.read_all())
    with pytest.raises(InvalidValue, match="several organisations"):
        flags_by_case(log.read_all())
    assert set(cases_from(log.read_all(), DEVON)) == {"17"}
    assert set(cases_from(log.read_all(), CORNWALL)) == {"18"}
    assert set(cases_from(log.read_all(), Tenancy.ALL)) == {"17", "18"}
    assert cases_from(log.read_all(), None) == {}
    assert set(states_from(CASE, log.read_all(), DEVON)) == {"17"}
    one = EventLog()
    devon_case(one)
    assert set(cases_from(one.read_all())) == {"17"}, "one organisation's records need nothing said"


def test_a_group_of_one_programme_organisation_cannot_be_set_up_on_another_organisations_approval():
    from pastoral_core.peer_groups import ApproveGroup, PeerSupport, ProposeGroup, StartProgramme
    from tests.peer_groups.helpers import BOOKS, PID, START, lead, set_up

    peer = PeerSupport(EventLog(), BOOKS)
    for c in (
        lead(StartProgramme, funder="php-gph", starts_on=START),
        lead(ProposeGroup, group_id="g1", region="North West"),
        lead(ApproveGroup, group_id="g1"),
    ):
        peer.handle(of("php-north-west", c), PID)
    with pytest.raises(Refused, match="not approved in programme"):
        peer.handle(of("php-south-west", set_up()))  # the approval is another organisation's
    assert peer.handle(of("php-north-west", set_up())).records[0].metadata.organisation == "php-north-west"


def test_one_lmcs_service_refuses_another_organisations_case_commands_which_would_use_its_officers():
    from pastoral_core import PastoralSupport
    from pastoral_core.support import EnrolOfficer

    support = PastoralSupport(EventLog())
    enrol = of(DEVON, command(EnrolOfficer, at(2027, 1, 4), officer_id="off-gp-1", background=_gp()))
    support.handle(enrol)
    with pytest.raises(Refused) as refused:
        support.handle(of(CORNWALL, gp_request()), "c-1")
    assert refused.value.rule_ids == ("SCOPE",) and CORNWALL not in str(refused.value)
    assert support.handle(of(DEVON, gp_request()), "d-1").records[0].metadata.organisation == DEVON


def _gp():
    from pastoral_core.support import Background

    return Background.GP


def test_an_lmcs_what_if_decides_its_own_organisations_cases_only():
    """Another LMC's cases share the store but not the network: deciding them with these officers would invent refusals."""
    from pastoral_core import PastoralSupport
    from pastoral_core.support import DEVON_PSN, EnrolOfficer

    log = EventLog()
    devon, cornwall = PastoralSupport(log, network_id="devon"), PastoralSupport(log, network_id="cornwall")
    for service, organisation in ((devon, DEVON), (cornwall, CORNWALL)):
        enrol = command(EnrolOfficer, at(2027, 1, 4), officer_id=f"off-{organisation}", background=_gp())
        service.handle(of(organisation, enrol))
        for cmd in (gp_request(), mou(), allocate("gp-a", f"off-{organisation}")):
            service.handle(of(organisation, cmd), f"{organisation}-1")
    report = devon.what_if(DEVON_PSN)
    assert report.totals.count(WhatIfChange.REFUSED) == 0
    assert {line.stream_id for line in report.lines} <= {"case-lmc-devon-1", "network-devon"}
    assert report.totals.decisions == 4  # Devon's enrolment and its case's three commands
    assert devon.what_if(DEVON_PSN, organisation=DEVON).totals == report.totals
    for elsewhere in (CORNWALL, Tenancy.ALL, None):
        with pytest.raises(InvalidValue, match=r"its network's organisation \(lmc-devon\) only"):
            devon.what_if(DEVON_PSN, organisation=elsewhere)
