"""A command's decision on its own line, just before its record: written, joined again, skipped by facts."""

import importlib.util
import json

import pytest

from pastoral_core.eventlog import (
    EVENTS,
    Codec,
    CodecError,
    dumps,
    fact_of,
    iter_facts,
    iter_loads,
    loads,
    to_dict,
    verify,
)
from pastoral_core.testing import synthetic_history

ORJSON = importlib.util.find_spec("orjson") is not None
BACKENDS = ["stdlib", pytest.param("orjson", marks=pytest.mark.skipif(not ORJSON, reason="orjson is not installed"))]


@pytest.fixture(scope="module")
def records():
    return synthetic_history(3, cases=4, groups=1, members=3, listings=2, months=2).log.read_all()


@pytest.fixture(scope="module")
def text(records):
    return dumps(records)


def outcome(action):
    try:
        return ("ok", action())
    except CodecError as error:
        return ("error", error.record, error.path, error.reason)


def lines_of(text):
    return text.split("\n")[:-1]


def first_decided(text):
    """The line number of the first decision line (the record it belongs to is on the next)."""
    return next(n for n, line in enumerate(lines_of(text), start=1) if line.startswith('{"decision_of": '))


def edited(text, number, change):
    """``text`` with line ``number`` (from 1) made ``change(value)``, written back with json."""
    lines = lines_of(text)
    value = json.loads(lines[number - 1])
    change(value)
    lines[number - 1] = json.dumps(value)
    return "\n".join(lines) + "\n"


def another_record(lines, number):
    """A record line other than the one after decision line ``number``."""
    return next(line for line in lines[number + 1 :] if not line.startswith('{"decision_of": '))


def test_each_decision_is_on_the_line_before_its_record_and_nowhere_else(records, text):
    lines = lines_of(text)
    decided = [r for r in records if r.decision is not None]
    assert decided and len(lines) == len(records) + len(decided)
    values = [json.loads(line) for line in lines]
    assert not any("decision" in v for v in values if "decision_of" not in v), "no record line holds a decision"
    rows = iter(values)
    for record in records:
        value = next(rows)
        if record.decision is not None:
            assert lines[values.index(value)].startswith('{"decision_of": ')
            assert value == {
                "decision_of": {"stream_id": record.stream_id, "stream_version": record.stream_version},
                "decision": json.loads(json.dumps(to_dict(record)["decision"])),
            }
            value = next(rows)
        assert value == json.loads(json.dumps({k: v for k, v in to_dict(record).items() if k != "decision"}))


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_lines_read_back_as_the_records_whole_streamed_or_as_facts(records, text, backend):
    codec = Codec(EVENTS, json_backend=backend)
    assert codec.loads(text) == records
    assert tuple(codec.iter_loads(line + "\n" for line in lines_of(text))) == records
    assert tuple(codec.iter_facts(text)) == tuple(fact_of(r) for r in records)
    assert verify(text, codec=codec).ok


def test_a_decision_and_its_record_streamed_in_any_two_pieces_read_the_same(records, text):
    start = len("\n".join(lines_of(text)[: first_decided(text) - 1]))
    for cut in range(start, start + 3000, 37):  # cuts inside the decision line, at its end, in its record
        assert tuple(iter_loads([text[:cut], text[cut:]])) == records


def test_a_log_in_the_earlier_form_a_decision_inside_its_record_reads_the_same(records, text):
    earlier = "".join(json.dumps(to_dict(r), ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    assert loads(earlier) == records == tuple(iter_loads(earlier))
    assert tuple(iter_facts(earlier)) == tuple(iter_facts(text))
    assert verify(earlier).ok
    mixed = "".join(json.dumps(to_dict(r), sort_keys=True) + "\n" for r in records[:5]) + dumps(records[5:])
    assert loads(mixed) == records and verify(mixed).ok


def test_a_decision_line_written_in_another_key_order_or_spacing_reads_the_same(records, text):
    number = first_decided(text)
    lines = lines_of(text)
    value = json.loads(lines[number - 1])
    reordered = {"decision": value["decision"], "decision_of": value["decision_of"]}
    lines[number - 1] = json.dumps(reordered, separators=(" ,  ", " :  "))
    respaced = "\n".join(lines) + "\n"
    assert not respaced.split("\n")[number - 1].startswith('{"decision_of": ')
    assert loads(respaced) == records
    assert tuple(iter_facts(respaced)) == tuple(fact_of(r) for r in records)


def test_facts_skip_a_decision_unread_where_loads_and_verify_check_it(records, text):
    number = first_decided(text)
    lines = lines_of(text)
    opening = lines[number - 1].index('"decision": ') + len('"decision": ')
    lines[number - 1] = lines[number - 1][:opening] + "this is not JSON}"  # what it names still reads
    broken = "\n".join(lines) + "\n"
    assert tuple(iter_facts(broken)) == tuple(fact_of(r) for r in records)  # the decision is not what folding reads
    assert outcome(lambda: loads(broken))[:2] == ("error", number)
    assert verify(broken).broken_record is None and not verify(broken).ok


@pytest.mark.parametrize(
    "tear",
    [
        lambda lines, n: [*lines[: n - 1], lines[n - 1] + lines[n], *lines[n + 1 :]],  # the newline after it lost
        lambda lines, n: [*lines[: n - 1], lines[n - 1][:60], *lines[n:]],  # cut short
    ],
    ids=["joined-to-its-record", "cut-short"],
)
def test_facts_refuse_a_torn_decision_line_as_loads_does_never_dropping_the_record(text, tear):
    number = first_decided(text)
    torn = "\n".join(tear(lines_of(text), number)) + "\n"
    assert outcome(lambda: list(iter_facts(torn)))[:2] == ("error", number)
    assert outcome(lambda: loads(torn))[:2] == ("error", number)


def test_facts_refuse_a_record_line_that_also_names_a_decision(text):
    number = first_decided(text) + 1
    stray = edited(text, number, lambda v: v.update(decision_of={"stream_id": v["stream_id"], "stream_version": 1}))
    error = outcome(lambda: list(iter_facts(stray)))
    assert error[:3] == ("error", number, "$") and "unexpected field" in error[3]
    assert outcome(lambda: loads(stray))[:2] == ("error", number)


def test_facts_refuse_a_decision_line_not_just_before_its_record_as_loads_does(text):
    number = first_decided(text)
    lines = lines_of(text)
    for broken in (
        "\n".join(lines[:number]) + "\n",  # the log ends after it
        "\n".join([*lines[:number], another_record(lines, number), *lines[number + 1 :]]) + "\n",
    ):
        error = outcome(lambda broken=broken: list(iter_facts(broken)))
        assert error[:3] == ("error", number, "$.decision_of")
        assert error == outcome(lambda broken=broken: loads(broken))


def test_loads_names_the_first_line_that_is_not_json_when_a_later_one_is_not_either(text):
    lines = lines_of(text)
    broken = "\n".join([*lines[:2], "{bad one", lines[3], "{bad two", *lines[5:]]) + "\n"
    for read in (loads, lambda t: list(iter_loads(t)), lambda t: list(iter_facts(t))):
        assert outcome(lambda read=read: read(broken))[:2] == ("error", 3)


def test_a_decision_line_whose_decision_is_not_an_object_is_refused(text):
    number = first_decided(text)
    broken = edited(text, number, lambda v: v.update(decision=None))
    assert outcome(lambda: loads(broken))[:3] == ("error", number, "$.decision")


def test_errors_about_a_decision_line_never_repeat_a_long_value(text):
    number = first_decided(text)
    for change in (
        lambda v: v.update({"k" * 2_000_000: 1}),
        lambda v: v["decision_of"].update(stream_version=10**4000),
        lambda v: v["decision_of"].update(stream_id="case-\r\x1b[31m"),
    ):
        broken = edited(text, number, change)
        error = outcome(lambda broken=broken: loads(broken))
        assert error[0] == "error" and len(error[3]) < 300 and "\x1b" not in error[3] and "\r" not in error[3]


def test_a_record_line_is_never_skipped_by_facts_whatever_it_holds(text):
    # a record line that is not a record is refused by facts too, wherever it is
    number = first_decided(text) + 1
    broken = edited(text, number, lambda v: v.pop("event"))
    assert outcome(lambda: list(iter_facts(broken)))[:3] == ("error", number, "$.event")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda lines, n: lines[:n], "the log ends after it"),
        (lambda lines, n: [*lines[:n], lines[n - 1], *lines[n:]], "another decision line follows it"),
        (lambda lines, n: [*lines[:n], another_record(lines, n), *lines[n + 1 :]], "the next record is another"),
    ],
    ids=["last-line", "two-decisions", "another-record"],
)
def test_a_decision_line_not_just_before_its_record_is_refused_naming_it(text, change, why):
    number = first_decided(text)
    broken = "\n".join(change(lines_of(text), number)) + "\n"
    error = outcome(lambda: loads(broken))
    assert error[:3] == ("error", number, "$.decision_of") and why in error[3]
    assert outcome(lambda: list(iter_loads(broken))) == error
    result = verify(broken)
    assert (result.ok, result.broken_record) == (False, number) and why in result.reason


def test_a_decision_line_followed_by_a_record_with_a_decision_of_its_own_is_refused(records, text):
    number = first_decided(text)
    both = edited(text, number + 1, lambda v: v.update(decision=to_dict(records[0]).get("decision") or {}))
    error = outcome(lambda: loads(both))
    assert error[:3] == ("error", number, "$.decision_of")
    assert "not a record without a decision" in error[3]


@pytest.mark.parametrize(
    ("change", "path", "why"),
    [
        (lambda v: v.update(extra=1), "$", "unexpected field 'extra'"),
        (lambda v: v.pop("decision"), "$", "field 'decision' missing"),
        (lambda v: v.update(decision_of="case-1"), "$.decision_of", "stream_id and stream_version"),
        (lambda v: v["decision_of"].update(stream_version="2"), "$.decision_of", "stream_id and stream_version"),
        (lambda v: v["decision_of"].update(position=3), "$.decision_of", "stream_id and stream_version"),
    ],
    ids=["extra-key", "no-decision", "of-not-object", "version-text", "of-extra-key"],
)
def test_a_decision_line_not_of_its_shape_is_refused_naming_it(text, change, path, why):
    number = first_decided(text)
    broken = edited(text, number, change)
    error = outcome(lambda: loads(broken))
    assert error[:3] == ("error", number, path) and why in error[3]
    assert outcome(lambda: list(iter_loads(broken))) == error
    assert not verify(broken).ok and verify(broken).broken_record == number


def test_a_bad_decision_is_refused_as_its_record_naming_the_records_line(text):
    number = first_decided(text)
    broken = edited(text, number, lambda v: v["decision"].update(verdicts="all passed"))
    error = outcome(lambda: loads(broken))
    assert error[:3] == ("error", number + 1, "$.decision.verdicts")


def test_an_edited_decision_on_its_own_line_breaks_verification_at_its_record(text):
    number = first_decided(text)
    forged = edited(
        text, number, lambda v: v["decision"].update(command=v["decision"]["command"].replace("coord", "cXord"))
    )
    result = verify(forged)
    assert (result.ok, result.broken_record) == (False, number + 1)
    assert "digest" in result.reason


def test_loads_names_a_later_line_that_is_not_json_before_a_misplaced_decision(text):
    number = first_decided(text)
    lines = lines_of(text)
    broken = "\n".join([*lines[:number], *lines[number + 1 :], "not json"]) + "\n"  # its record dropped
    assert outcome(lambda: loads(broken))[:3] == ("error", len(lines), "$")


def test_a_stray_decision_line_naming_a_megabyte_stream_gives_a_short_error(text):
    number = first_decided(text)
    huge = edited(text, number, lambda v: v["decision_of"].update(stream_id="x" * 1_000_000))
    error = outcome(lambda: loads(huge))
    assert error[:3] == ("error", number, "$.decision_of") and len(error[3]) < 300
    assert repr("x" * 80) + "..." in error[3]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda v: v.update(stream_version=0), "$.stream_version"),
        (lambda v: v.update(stream_version=-3), "$.stream_version"),
        (lambda v: v.update(stream_id=""), "$.stream_id"),
    ],
)
def test_a_record_with_no_stream_or_a_version_below_one_is_refused_naming_its_line(text, change, path):
    from pastoral_core.kernel import Tenancy, states_from
    from pastoral_core.support import CASE

    number = first_decided(text)
    broken = edited(edited(text, number + 1, change), number, lambda v: change(v["decision_of"]))  # both agree
    for read in (loads, lambda t: list(iter_loads(t)), lambda t: list(iter_facts(t))):
        assert outcome(lambda read=read: read(broken))[:3] == ("error", number + 1, path)
    with pytest.raises(CodecError, match="record"):
        states_from(CASE, iter_facts(broken), Tenancy.ALL)
    with pytest.raises(CodecError):
        CASE.replay_facts(iter_facts(broken))
