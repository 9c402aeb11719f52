"""iter_loads: JSON lines read one record at a time, equal to loads record for record and error for error."""

import io
import itertools
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pastoral_core.eventlog import CodecError, iter_loads, loads
from tests.conftest import count
from tests.eventlog.test_codec import FIXTURE, LINES, SAMPLE_TEXT
from tests.sample_events import CODEC

SAMPLE_LINES = SAMPLE_TEXT.split("\n")[:-1]


def outcome(action):
    try:
        return ("ok", action())
    except CodecError as error:
        return ("error", error.record, error.path, error.reason)


def stream(pieces, codec=CODEC):
    """The records ``iter_loads`` yields before it stops, and how it stops."""
    records = []
    result = outcome(lambda: records.extend(codec.iter_loads(pieces)))
    return tuple(records), result[1:] if result[0] == "error" else None


def test_a_stored_log_streams_to_the_records_loads_gives():
    records = CODEC.loads(SAMPLE_TEXT)
    assert tuple(CODEC.iter_loads(SAMPLE_TEXT)) == records, "one string"
    assert tuple(CODEC.iter_loads(line + "\n" for line in SAMPLE_LINES)) == records, "a generator of lines"
    assert tuple(CODEC.iter_loads(io.StringIO(SAMPLE_TEXT, newline="\n"))) == records, "a file's lines"
    assert tuple(CODEC.iter_loads(SAMPLE_TEXT[i : i + 7] for i in range(0, len(SAMPLE_TEXT), 7))) == records
    assert tuple(CODEC.iter_loads([])) == () == tuple(CODEC.iter_loads(["", "\n\n", "  "]))


def test_the_default_codec_streams_a_log_written_by_0_1_from_its_file():
    with FIXTURE.open(encoding="utf-8", newline="\n") as stored:
        streamed = tuple(iter_loads(stored))
    assert streamed == loads(FIXTURE.read_text(encoding="utf-8")) and len(streamed) > 5


def test_records_are_read_as_they_are_asked_for():
    taken = []

    def source():
        for line in SAMPLE_LINES:
            taken.append(line)
            yield line + "\n"
        raise AssertionError("read past the end")  # pragma: no cover

    records = CODEC.iter_loads(source())
    assert taken == [], "nothing is read until the first record is asked for"
    next(records)
    assert len(taken) == 1
    next(records)
    assert len(taken) == 2


def test_errors_name_the_line_and_come_after_the_records_before_it():
    broken = SAMPLE_LINES[2].replace('"maybe": null', '"maybe": "7"')
    text = "\n" + SAMPLE_LINES[0] + "\n\n" + SAMPLE_LINES[1] + "\n" + broken + "\n" + SAMPLE_LINES[3] + "\n"
    records, error = stream(text)
    assert records == CODEC.loads(text.split(broken)[0])
    assert error == (5, "$.event.maybe", "invalid value for int | None: expected an integer, got str")
    with pytest.raises(CodecError) as refused:
        CODEC.loads(text)
    assert (refused.value.record, refused.value.path, refused.value.reason) == error


def test_lines_end_at_newline_only():
    """U+2028, U+2029 and U+0085 inside a line do not end it, nor does a carriage return (as with loads)."""
    line = SAMPLE_LINES[0].replace('"text": "', '"text": "a\u2028b\u2029c\\r ')
    (record,) = CODEC.iter_loads(line)
    assert record.event.text.startswith("a\u2028b\u2029c\r ")
    c1 = SAMPLE_LINES[0].replace('"text": "', '"text": "a\u0085')
    assert stream(c1) == ((), (1, "$.event.text", "invalid value for Annotated: a control character at character 2"))
    crlf = "\r\n".join(SAMPLE_LINES) + "\r\n"
    assert tuple(CODEC.iter_loads(crlf)) == CODEC.loads(crlf) == CODEC.loads(SAMPLE_TEXT)
    two = SAMPLE_LINES[0] + "\r" + SAMPLE_LINES[1]
    assert stream(two)[1] == outcome(lambda: CODEC.loads(two))[1:], "a lone carriage return ends no line"


@pytest.mark.parametrize("source", [b"{}", bytearray(b"{}"), memoryview(b"{}"), None, 7, object()])
def test_what_is_not_text_is_refused_at_once(source):
    with pytest.raises(CodecError, match=r"^record: expected text or an iterable of text, got \w+ @ \$$"):
        CODEC.iter_loads(source)


def test_a_piece_that_is_not_text_is_refused_where_it_comes():
    records, error = stream([SAMPLE_LINES[0] + "\n", b"{}\n", SAMPLE_LINES[1] + "\n"])
    assert records == CODEC.loads(SAMPLE_LINES[0]) and error == (None, "$", "expected text, got bytes")


@given(st.lists(LINES | st.sampled_from(SAMPLE_LINES) | st.just(""), min_size=1, max_size=6), st.data())
def test_any_text_in_any_pieces_streams_to_what_loads_gives_line_by_line(lines, data):
    """Cut anywhere, the pieces give loads's records; a bad line stops the stream with the error
    loads gives for the text up to that line, after the records before it."""
    text = "\n".join(lines)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=5), label="cuts"))
    pieces = [text[a:b] for a, b in itertools.pairwise([0, *cuts, len(text)])]
    count("codec streaming: texts streamed in pieces")
    records, error = stream(pieces)
    assert (records, error) == stream(text) == stream(line + "\n" for line in text.split("\n"))
    if error is None:
        assert records == CODEC.loads(text)
    else:
        count("codec streaming: streams stopped by a bad line")
        record = error[0]
        upto = "\n".join(text.split("\n")[:record])
        assert CODEC.loads("\n".join(text.split("\n")[: record - 1])) == records
        assert outcome(lambda: CODEC.loads(upto))[1:] == error


def test_streaming_holds_one_record_at_a_time_where_loads_holds_the_whole_log():
    """Peak memory (traced) of streaming a long log from a generator, against loads of the same text."""
    lines = 5_000

    def source():
        for n in range(lines):
            yield SAMPLE_LINES[n % len(SAMPLE_LINES)] + "\n"

    text = "".join(source())
    tracemalloc.start()
    try:
        streamed = sum(1 for _ in CODEC.iter_loads(source()))
        _, streaming_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        baseline, _ = tracemalloc.get_traced_memory()
        loaded = CODEC.loads(text)
        _, loading_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert streamed == len(loaded) == lines
    ratio = (loading_peak - baseline) / streaming_peak
    assert ratio > 20, f"loads peaked at {loading_peak - baseline:,} bytes, iter_loads at {streaming_peak:,}"


def test_loads_names_a_line_that_is_not_json_first_and_iter_loads_the_first_bad_line():
    """loads has always read every line as JSON before naming a record that is not valid."""
    invalid_record = SAMPLE_LINES[1].replace('"minutes": 90', '"minutes": "90"')
    text = "\n".join([SAMPLE_LINES[0], invalid_record, SAMPLE_LINES[2], SAMPLE_LINES[3][:-3]])
    assert outcome(lambda: CODEC.loads(text))[1:3] == (4, "$")
    records, error = stream(text)
    assert records == CODEC.loads(SAMPLE_LINES[0]) and error[:2] == (2, "$.event.minutes")


def test_a_chunk_longer_than_is_split_at_once_is_cut_into_the_same_numbered_lines():
    from pastoral_core.eventlog._jsonlines import SPLIT_AT, numbered_lines

    rows = ["x" * 1000, "", "  ", "y", "z" * 70_000] * 80
    text = "\n".join(rows) + "\n tail"
    assert len(text) > SPLIT_AT
    expected = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line and not line.isspace()]
    assert list(numbered_lines([text])) == expected  # cut a line at a time
    middle = SPLIT_AT // 2 + 7
    assert list(numbered_lines([text[:middle], text[middle:]])) == expected  # split, then cut
    assert list(numbered_lines(line + "\n" for line in text.split("\n"))) == expected  # a file's lines


@pytest.mark.parametrize(
    "pieces",
    [
        ["", "\n", "  \n"],  # empty, blank and blank-with-spaces lines, each a whole piece
        ["\n", "", "\t\n", ""],
        ["x\n"],  # not JSON: named as line 1
        ["", "", "x\n"],
        ["\n", "x"],  # a last line without its newline
        ["\n\n", "x\n"],  # two lines in one piece, then a whole one
        ["{", "}\n", "x\n"],  # a line begun in one piece and ended in the next
    ],
)
def test_pieces_that_are_whole_lines_are_numbered_as_the_joined_text_is(pieces):
    def outcome(read):
        try:
            return ("ok", read())
        except CodecError as error:
            return ("error", error.record, error.path)

    text = "".join(pieces)
    assert outcome(lambda: list(iter_loads(pieces))) == outcome(lambda: list(iter_loads(text)))
    assert outcome(lambda: list(CODEC.iter_facts(pieces))) == outcome(lambda: list(CODEC.iter_facts(text)))
