"""The JSON backends: stdlib ``json`` and orjson read every input to the same records or the same error.

``json`` is the reference. Every test here runs the codec once per backend and compares;
orjson cases are skipped only where the ``[fast]`` extra is not installed.
"""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pastoral_core
from pastoral_core.eventlog import JSON_BACKENDS, Codec, CodecError, _jsonlines, iter_loads, loads, verify
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.testing import synthetic_history
from tests.conftest import count
from tests.eventlog.test_codec import LINES, SAMPLE_ROWS, SAMPLE_TEXT
from tests.sample_events import SAMPLES

BACKENDS = [
    pytest.param(name, marks=pytest.mark.skipif(name not in JSON_BACKENDS, reason=f"{name} is not installed"))
    for name in ("stdlib", "orjson")
]
HAVE_ORJSON = "orjson" in JSON_BACKENDS
needs_orjson = pytest.mark.skipif(not HAVE_ORJSON, reason="orjson is not installed")


_CODECS = {}


def codecs(registry=SAMPLES):
    """One codec per installed backend, the reference (stdlib) first (built once: building takes a while)."""
    if id(registry) not in _CODECS:
        _CODECS[id(registry)] = [Codec(registry, json_backend=name) for name in JSON_BACKENDS]
    return _CODECS[id(registry)]


def outcome(action):
    """What ``action()`` made: ``("ok", value)`` or ``("error", record, path, reason)``."""
    try:
        return ("ok", action())
    except CodecError as error:
        return ("error", error.record, error.path, error.reason)


def loaded(codec, text):
    return outcome(lambda: codec.loads(text))


def streamed(codec, text):
    """``iter_loads`` over the text as a file's lines: the records before any error, and the error."""
    records = []

    def read():
        records.extend(codec.iter_loads(line + "\n" for line in text.split("\n")))
        return tuple(records)

    result = outcome(read)
    return result, tuple(records)


def assert_backends_agree(text, registry=SAMPLES):
    """``loads``, ``iter_loads`` and ``verify`` give the same with every backend; return the reference's ``loads``."""
    reference, *others = codecs(registry)
    expected = loaded(reference, text)
    expected_stream = streamed(reference, text)
    expected_check = verify(text, codec=reference)
    for codec in others:
        assert loaded(codec, text) == expected, codec.json_backend
        assert streamed(codec, text) == expected_stream, codec.json_backend
        assert verify(text, codec=codec) == expected_check, codec.json_backend
    return expected


# -- choosing a backend -----------------------------------------------------------------------


def test_the_backends_on_offer_and_the_default():
    assert JSON_BACKENDS[0] == "stdlib" and set(JSON_BACKENDS) <= {"stdlib", "orjson"}
    assert Codec().json_backend == JSON_BACKENDS[-1] == Codec(json_backend="auto").json_backend
    assert pastoral_core.eventlog.DEFAULT_CODEC.json_backend == JSON_BACKENDS[-1]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_backend_is_chosen_by_name(backend):
    codec = Codec(SAMPLES, json_backend=backend)
    assert codec.json_backend == backend
    assert codec.loads(SAMPLE_TEXT) == Codec(SAMPLES).loads(SAMPLE_TEXT)


@pytest.mark.parametrize(
    ("choice", "error", "reason"),
    [
        ("fast", InvalidValue, "must be one of ('auto', 'stdlib', 'orjson')"),
        ("", InvalidValue, "must be one of"),
        ("ORJSON", InvalidValue, "must be one of"),
        (None, InvalidType, "got NoneType"),
        (b"orjson", InvalidType, "got bytes"),
        (json, InvalidType, "got module"),
    ],
)
def test_a_bad_backend_choice_is_refused_by_name(choice, error, reason):
    with pytest.raises(error, match="json_backend") as refused:
        Codec(json_backend=choice)
    assert refused.value.owner == "Codec" and reason in refused.value.reason
    assert isinstance(refused.value, pastoral_core.exceptions.PastoralCoreError)


def test_without_orjson_auto_is_stdlib_and_orjson_is_refused(monkeypatch):
    monkeypatch.setattr(_jsonlines, "_ORJSON_LOADS", None)
    assert Codec(json_backend="auto").json_backend == "stdlib"
    with pytest.raises(InvalidValue, match=r"orjson is not installed \(install pastoral-core\[fast\]\)"):
        Codec(json_backend="orjson")


@needs_orjson
def test_orjson_reads_ordinary_lines_and_json_the_odd_ones(monkeypatch):
    import orjson

    read = []

    def spy(data):
        read.append(data)
        return orjson.loads(data)

    monkeypatch.setattr(_jsonlines, "_ORJSON_LOADS", spy)
    codec = Codec(SAMPLES, json_backend="orjson")
    assert codec.loads(SAMPLE_TEXT) == Codec(SAMPLES, json_backend="stdlib").loads(SAMPLE_TEXT)
    assert len(read) == len(SAMPLE_ROWS), "every ordinary line is read by orjson"
    read.clear()
    odd = ["[" * 300 + "]" * 300, '{"position": 12345678901234567890}', '"\ud800"', "NaN"]
    for line in odd:
        outcome(lambda line=line: codec.loads(line))
    assert read == [b"NaN"], "deep nesting, long numbers and surrogates go straight to json"


# -- the same output and the same records over a realistic history ---------------------------


@pytest.fixture(scope="module")
def history():
    return synthetic_history(11, cases=40, groups=2, members=8, listings=6, months=6)


def test_every_backend_writes_and_reads_a_realistic_history_the_same(history):
    records = history.log.read_all()
    texts = {codec.json_backend: codec.dumps(records) for codec in codecs(pastoral_core.eventlog.EVENTS)}
    assert len(set(texts.values())) == 1, "the stored text never depends on the backend"
    text = texts["stdlib"]
    assert text == pastoral_core.eventlog.dumps(records)
    for codec in codecs(pastoral_core.eventlog.EVENTS):
        assert codec.loads(text) == records
        assert tuple(codec.iter_loads(text)) == records
        assert verify(text, codec=codec).ok
    assert loads(text) == records == tuple(iter_loads(text))


# -- hostile input: every difference between json and orjson ----------------------------------

FIRST = SAMPLE_TEXT.split("\n")[0]  # a NoteRecorded record, position 1
SECOND = SAMPLE_TEXT.split("\n")[1]  # a SessionHeld record (minutes: 90)
THIRD = SAMPLE_TEXT.split("\n")[2]  # an Everything record (maybe: null, members: [...])
assert '"position": 1,' in FIRST and '"minutes": 90' in SECOND and '"maybe": null' in THIRD


def deep(n, inner="1"):
    return "[" * n + inner + "]" * n


HOSTILE = {
    # integers beyond 64 bits: json keeps them exact, orjson would make floats of them
    "position 2**64": FIRST.replace('"position": 1,', f'"position": {2**64},'),
    "position 2**63": FIRST.replace('"position": 1,', f'"position": {2**63},'),
    "position 2**64 - 1": FIRST.replace('"position": 1,', f'"position": {2**64 - 1},'),
    "position -2**63 - 1": FIRST.replace('"position": 1,', f'"position": {-(2**63) - 1},'),
    "position 10**30": FIRST.replace('"position": 1,', f'"position": {10**30},'),
    "position of 19 nines": FIRST.replace('"position": 1,', f'"position": {"9" * 19},'),
    "position of 5000 digits": FIRST.replace('"position": 1,', f'"position": {"9" * 5000},'),
    "minutes 2**70": SECOND.replace('"minutes": 90', f'"minutes": {2**70}'),
    "maybe 2**64": THIRD.replace('"maybe": null', f'"maybe": {2**64}'),
    "maybe -2**64": THIRD.replace('"maybe": null', f'"maybe": {-(2**64)}'),
    "a bare big integer": str(2**64),
    "a big integer in an array": f"[1, {2**65}, 3]",
    "19 digits inside a string": FIRST.replace('"position": 1,', '"position": 1, "x": "1234567890123456789012",'),
    # numbers json reads and orjson refuses, or reads otherwise
    "position 1.0": FIRST.replace('"position": 1,', '"position": 1.0,'),
    "position 1e400": FIRST.replace('"position": 1,', '"position": 1e400,'),
    "position -1e400": FIRST.replace('"position": 1,', '"position": -1e400,'),
    "position 1e-400": FIRST.replace('"position": 1,', '"position": 1e-400,'),
    "position NaN": FIRST.replace('"position": 1,', '"position": NaN,'),
    "position Infinity": FIRST.replace('"position": 1,', '"position": Infinity,'),
    "position -Infinity": FIRST.replace('"position": 1,', '"position": -Infinity,'),
    "position -0": FIRST.replace('"position": 1,', '"position": -0,'),
    "position -0.0": FIRST.replace('"position": 1,', '"position": -0.0,'),
    "maybe NaN": THIRD.replace('"maybe": null', '"maybe": NaN'),
    "bare NaN": "NaN",
    "bare -Infinity": "-Infinity",
    "1.7976931348623159e308": "1.7976931348623159e308",
    # lone surrogates: escaped (valid JSON for json, refused by orjson) and raw in the text
    "escaped lone surrogate in text": FIRST.replace('"text": "', '"text": "\\ud800'),
    "escaped lone low surrogate": FIRST.replace('"text": "', '"text": "\\udfff'),
    "raw lone surrogate in text": FIRST.replace('"text": "', '"text": "\ud800'),
    "escaped lone surrogate in a key": FIRST.replace('"position": 1,', '"position": 1, "\\ud800": 1,'),
    "escaped surrogate pair": FIRST.replace('"text": "', '"text": "\\ud83d\\ude00'),
    "reversed surrogate pair": FIRST.replace('"text": "', '"text": "\\ude00\\ud83d'),
    # duplicate keys: the last value wins, at the first key's place
    "duplicate position": FIRST.replace('"position": 1,', '"position": 7, "position": 1,'),
    "duplicate position, last wrong": FIRST.replace('"position": 1,', '"position": 1, "position": "1",'),
    "duplicate event type": FIRST.replace('"event": {', '"event": {"event_type": "sample.nope", '),
    "duplicate metadata": FIRST.replace('"metadata": {', '"metadata": 1, "metadata": {'),
    # nesting depth: orjson's limit is 1024; json's is the interpreter's recursion limit
    **{f"nesting {n}": deep(n) for n in (1, 255, 256, 257, 500, 1000, 1023, 1024, 1025, 5000)},
    **{f"nesting {n} in an event": THIRD.replace('"maybe": null', f'"maybe": {deep(n)}') for n in (255, 300, 1024)},
    "objects nested 1100": '{"a": ' * 1100 + "1" + "}" * 1100,
    "unclosed nesting": "[" * 2000,
    # separators inside strings (dumps writes them raw) and outside
    "U+2028 in text": FIRST.replace('"text": "', '"text": "\u2028'),
    "U+2029 and U+0085 in text": FIRST.replace('"text": "', '"text": "\u2029\u0085'),
    "escaped U+2028": FIRST.replace('"text": "', '"text": "\\u2028'),
    "U+2028 between tokens": FIRST.replace('"position": 1,', '"position": 1,\u2028'),
    "carriage return between tokens": FIRST.replace('"position": 1,', '"position": 1,\r'),
    "carriage return between records": FIRST + "\r" + SECOND,
    "form feed between tokens": FIRST.replace('"position": 1,', '"position": 1,\x0c'),
    "non-breaking space before": "\u00a0" + FIRST,
    # byte order marks, control characters, NUL
    "byte order mark": "\ufeff" + FIRST,
    "byte order mark alone": "\ufeff",
    "raw control character in text": FIRST.replace('"text": "', '"text": "\x01'),
    "escaped control character": FIRST.replace('"text": "', '"text": "\\u0001'),
    "escaped NUL": FIRST.replace('"text": "', '"text": "\\u0000'),
    "raw DEL in text": FIRST.replace('"text": "', '"text": "\x7f'),
    "raw C1 in text": FIRST.replace('"text": "', '"text": "\x85'),
    "raw NUL": "\x00",
    "tab in text, escaped": FIRST.replace('"text": "', '"text": "\\t'),
    # keys that are not strings, trailing commas, comments, other non-JSON
    "number as key": "{1: 2}",
    "bare word key": "{position: 1}",
    "trailing comma": FIRST[:-1] + ", }",
    "comment": "// a comment",
    "single quotes": "{'position': 1}",
    "two values": FIRST + " " + FIRST,
    "escaped slash and unicode": FIRST.replace('"text": "', '"text": "\\/\\u00e9'),
    "non-ASCII text": FIRST.replace('"text": "', '"text": "Zoë ✓ 😀 '),
    "invalid escape": FIRST.replace('"text": "', '"text": "\\x41'),
    "short unicode escape": FIRST.replace('"text": "', '"text": "\\u12'),
    "truncated": FIRST[:-7],
    "empty object": "{}",
    "null": "null",
    "a string": '"record"',
    "true": "true",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_gives_the_same_records_or_the_same_error_with_every_backend(name):
    text = HOSTILE[name]
    count("codec backends: hostile inputs compared")
    # alone, and as the second line of a log (so the error names line 2)
    assert_backends_agree(text)
    assert_backends_agree(SAMPLE_TEXT.split("\n")[3] + "\n\n" + text + "\n")


def test_the_hostile_inputs_cover_what_they_claim():
    """A few of them are read by json and loaded; the others refused with the error json's reading gives."""
    reference = Codec(SAMPLES, json_backend="stdlib")
    (record,) = reference.loads(HOSTILE["position 2**64"])
    assert record.position == 2**64, "json keeps a big integer exact, and the log takes it"
    (record,) = reference.loads(HOSTILE["duplicate position"])
    assert record.position == 1
    assert reference.loads(HOSTILE["escaped surrogate pair"])[0].event.text.startswith("😀")
    assert reference.loads(HOSTILE["U+2028 in text"])[0].event.text.startswith("\u2028")
    expected = {
        "position 1e400": "expected an integer, got float",
        "position NaN": "expected an integer, got float",
        "escaped lone surrogate in text": "a lone surrogate at character 1",
        "escaped NUL": "a control character at character 1",
        "raw C1 in text": "a control character at character 1",
        "position of 5000 digits": "invalid JSON (ValueError)",
        "nesting 5000": "invalid JSON (RecursionError)",
        "byte order mark": "invalid JSON: Unexpected UTF-8 BOM",
        "raw control character in text": "invalid JSON: Invalid control character",
    }
    for name, reason in expected.items():
        result = loaded(reference, HOSTILE[name])
        assert result[0] == "error" and reason in result[3], (name, result)


@needs_orjson
def test_at_every_depth_even_where_json_runs_out_of_stack_the_backends_agree():
    """json's nesting limit is the interpreter's recursion limit less the stack already used;
    both backends call it from the same depth, so they meet it at the same nesting."""
    _, fast = _jsonlines.json_parser("orjson")
    verdicts = {}
    for n in range(1, 1200):
        for text in (deep(n), '{"a": ' * n + "1" + "}" * n):
            reference = _read(None, text)
            assert _read(fast, text) == reference, n
            verdicts[reference[0]] = n
    assert set(verdicts) == {"ok", "error"}, "the json limit was reached"


# -- properties -----------------------------------------------------------------------------------


@needs_orjson
@given(st.lists(LINES, min_size=1, max_size=4))
def test_any_text_gives_the_same_records_or_error_with_every_backend(lines):
    assert_backends_agree("\n".join(lines))


NUMBERS = st.one_of(
    st.integers(-(2**80), 2**80).map(str),
    st.floats(allow_nan=False).map(repr),
    st.from_regex(r"-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,24})?([eE][-+]?[0-9]{1,4})?", fullmatch=True),
)
JSON_TEXT = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**80), 2**80) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
).flatmap(lambda value: st.sampled_from([json.dumps(value), json.dumps(value, ensure_ascii=False)]))


def _same(a, b):
    """Equal and of the same types all the way down (``1 == 1.0 == True`` in Python, but not here)."""
    pending = [(a, b)]
    while pending:
        a, b = pending.pop()
        if type(a) is not type(b):
            return False
        if isinstance(a, list):
            if len(a) != len(b):
                return False
            pending.extend(zip(a, b, strict=True))
        elif isinstance(a, dict):
            if list(a) != list(b):
                return False
            pending.extend((a[k], b[k]) for k in a)
        elif isinstance(a, float):
            if repr(a) != repr(b):
                return False
        elif a != b:
            return False
    return True


def _read(fast, line):
    try:
        return ("ok", _jsonlines.parse_json_line(fast, 1, line))
    except CodecError as error:
        return ("error", error.record, error.path, error.reason)


@needs_orjson
@given(
    st.one_of(
        NUMBERS,
        JSON_TEXT,
        st.tuples(JSON_TEXT, st.integers(0, 60), st.text(alphabet='[]{}",:0123456789.eE-+ \\ufn\ud800\ufeff\x00')).map(
            lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]
        ),
        st.text(),
    )
)
def test_orjson_reads_any_line_exactly_as_json_does(line):
    """Value for value and type for type (an int stays an int, -0.0 stays -0.0), or the same error."""
    _, fast = _jsonlines.json_parser("orjson")
    assert fast is not None
    reference, result = _read(None, line), _read(fast, line)
    if reference[0] == "ok" and result[0] == "ok":
        assert _same(reference[1], result[1]), line
    else:
        assert result == reference, line
