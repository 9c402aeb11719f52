"""iter_facts reads in one pass, skipping a decision line by comparing text, exactly as pairing line by line reads.

The reference here is the slow reading the one pass shortens: every line's value taken in
order (a decision line read for what it names, any other line parsed), paired by
``with_decisions``, each record's data made a fact. Whatever the lines, both give the same
facts or the same first error.
"""

import importlib.util
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pastoral_core.eventlog import Codec, CodecError, dumps
from pastoral_core.eventlog._decision_lines import (
    DECISION_LINE_START,
    DecisionLineNames,
    decision_line_value,
    with_decisions,
)
from pastoral_core.eventlog._jsonlines import numbered_lines, parse_json_line
from pastoral_core.testing import synthetic_history
from tests.conftest import count

ORJSON = importlib.util.find_spec("orjson") is not None
CODECS = [Codec(json_backend="stdlib")] + ([Codec(json_backend="orjson")] if ORJSON else [])


def line_by_line(codec, text):
    """The facts of ``text`` read line by line (the reference)."""
    fast = codec.json_reader

    def values():
        for line_no, line in numbered_lines((text,)):
            if line.startswith(DECISION_LINE_START):
                yield line_no, decision_line_value(fast, line_no, line)
            else:
                yield line_no, parse_json_line(fast, line_no, line)

    return [codec.fact_from_dict(data, record=line_no) for line_no, data in with_decisions(values(), join=False)]


def outcome(read):
    try:
        return ("ok", read())
    except CodecError as error:
        return ("error", error.record, error.path, error.reason)


@pytest.fixture(scope="module")
def lines():
    history = synthetic_history(7, cases=3, groups=1, members=2, listings=1, months=2)
    return dumps(history.log.read_all()[:60]).split("\n")[:-1]


def _respaced(line):
    """A decision line written in another spacing and key order: the same value (another line unchanged)."""
    try:
        value = json.loads(line)
        return json.dumps({"decision": value["decision"], "decision_of": value["decision_of"]}, separators=(",", ":"))
    except (ValueError, KeyError, TypeError):
        return line


def _renamed(line, field, value):
    """``line`` with ``field`` of what it names set to ``value`` (unchanged if it is not a JSON object)."""
    try:
        data = json.loads(line)
    except ValueError:
        return line
    named = data.get("decision_of", data) if isinstance(data, dict) else None
    if not isinstance(named, dict):
        return line
    named[field] = value
    return json.dumps(data)


def _put(lines, n, *new):
    """``lines`` with line ``n`` replaced by ``new`` (none: dropped)."""
    return [*lines[:n], *new, *lines[n + 1 :]]


def _decision(line):
    return line.startswith(DECISION_LINE_START)


VERSIONS = st.sampled_from([0, -1, 2**64, 10**18, 10**18 - 1, True, "1", 3])
STREAMS = st.sampled_from(["case-x", "", "case-}", 'case-"q', "case-\u00e9", "case-\\", 7])
EDITS = {
    "drop": lambda ls, n, d: _put(ls, n),
    "repeat": lambda ls, n, d: _put(ls, n, ls[n], ls[n]),
    "swap": lambda ls, n, d: [*ls[:n], *ls[n : n + 2][::-1], *ls[n + 2 :]],
    "join": lambda ls, n, d: [*ls[:n], "".join(ls[n : n + 2]), *ls[n + 2 :]],
    "cut": lambda ls, n, d: _put(ls, n, ls[n][: d.draw(st.integers(0, len(ls[n])))]),
    "blank": lambda ls, n, d: [*ls[:n], "   ", *ls[n:]],
    "garbage": lambda ls, n, d: _put(ls, n, d.draw(st.sampled_from(["null", "[]", "{", '{"decision_of": 1}', "7"]))),
    "respace": lambda ls, n, d: _put(ls, n, _respaced(ls[n]) if _decision(ls[n]) else ls[n]),
    "version": lambda ls, n, d: _put(ls, n, _renamed(ls[n], "stream_version", d.draw(VERSIONS))),
    "stream": lambda ls, n, d: _put(ls, n, _renamed(ls[n], "stream_id", d.draw(STREAMS))),
    "decided": lambda ls, n, d: _put(ls, n, ls[n] if _decision(ls[n]) else _renamed(ls[n], "decision", {})),
}


@given(st.data())
def test_one_pass_reads_any_edited_lines_as_pairing_line_by_line_does(lines, data):
    edited = list(lines)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        if not edited:
            break
        name = data.draw(st.sampled_from(sorted(EDITS)), label="edit")
        where = data.draw(st.integers(0, len(edited) - 1), label="line")
        edited = EDITS[name](edited, where, data)
    text = "\n".join(edited) + "\n"
    for codec in CODECS:
        expected = outcome(lambda codec=codec: line_by_line(codec, text))
        assert outcome(lambda codec=codec: list(codec.iter_facts(text))) == expected
        count(f"fact reader: edited logs read ({'facts' if expected[0] == 'ok' else 'refused'})")


def test_an_unedited_log_is_read_the_same_both_ways(lines):
    text = "\n".join(lines) + "\n"
    for codec in CODECS:
        assert list(codec.iter_facts(text)) == line_by_line(codec, text)
        assert any(line.startswith(DECISION_LINE_START) for line in lines)


@pytest.mark.parametrize(
    ("stream_id", "version", "compared"),
    [
        ("case-17", 3, True),
        ("case-17", -2, True),
        ("case-}", 3, False),  # a brace ends what the line names early: the line is read
        ('case-"', 3, False),  # written escaped
        ("case-\\", 3, False),
        ("case-é", 3, False),  # written as \\u00e9
        ("case-\t", 3, False),
        ("case-17", 10**18, False),  # orjson would read a longer one as a float
    ],
)
def test_a_decision_line_is_compared_as_text_only_where_dumps_writes_its_stream_as_itself(stream_id, version, compared):
    belongs = json.dumps({"stream_id": stream_id, "stream_version": version}, sort_keys=True)
    line = f'{DECISION_LINE_START}{belongs}, "decision": {{}}}}'
    record = {"stream_id": stream_id, "stream_version": version}
    names = DecisionLineNames()
    assert names(line, record) is compared
    assert names(line, record) is compared  # and again, from what it remembers of the stream
    for other in ({**record, "stream_version": 4}, {**record, "decision": {}}, [record], {"stream_id": stream_id}):
        assert names(line, other) is False
    for torn in (line[:-2], line + " ", line.replace(", ", ",", 1), line.replace(" ", "  ", 1)):
        assert names(torn, record) is False
