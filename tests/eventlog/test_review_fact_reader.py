"""What a hostile review of the one-pass fact reader found, held: each case as the slow paths decide it."""

import datetime as dt
import enum
from typing import Annotated

import attrs
import pytest
from cattrs.gen import override

from pastoral_core.eventlog import Codec, CodecError, Event, EventRegistry, Fact, ReadFacts, checked_facts
from pastoral_core.exceptions import InvalidType, InvalidValue
from tests.eventlog.review_postponed import POSTPONED
from tests.eventlog.test_codec import FIXTURE

REGISTRY = EventRegistry()


@REGISTRY.register("probe.derived")
@attrs.frozen
class Derived(Event):
    who: str
    derived: str = attrs.field(init=False, default="x")


@REGISTRY.register("probe.hidden")
@attrs.frozen
class Hidden(Event):
    who: str
    hidden: Annotated[str, override(omit=True)] = "kept"


class Access(enum.Flag):
    READ = 1
    WRITE = 2
    BOTH = 3


class Colour(enum.Enum):
    RED = "red"

    @classmethod
    def _missing_(cls, value: object) -> "Colour | None":
        return cls.RED if value == "scarlet" else None  # an old spelling still read


@REGISTRY.register("probe.access")
@attrs.frozen
class Granted(Event):
    access: Access
    colour: Colour


CODECS = [Codec(REGISTRY, json_backend=b) for b in ("stdlib", "orjson")]
LATER = [Codec(POSTPONED, json_backend=b) for b in ("stdlib", "orjson")]


def outcome(read):
    try:
        return ("ok", read())
    except CodecError as error:
        return ("error", error.path, error.reason)


@pytest.mark.parametrize(
    "event",
    [
        {"event_type": "probe.derived", "schema_version": 1, "who": "a", "derived": "INJECTED"},
        {"event_type": "probe.hidden", "schema_version": 1, "who": "a", "hidden": "INJECTED"},
    ],
)
def test_a_key_the_event_does_not_read_is_refused_on_the_quick_path_as_on_the_slow(event):
    later = {**event, "event_type": "probe.hidden_later"} if event["event_type"] == "probe.hidden" else None
    for codec, data in [(c, event) for c in CODECS] + ([(c, later) for c in LATER] if later else []):
        slow = outcome(lambda codec=codec, data=data: codec._decode(None, data, Event, codec._prepare_event))
        assert slow[0] == "error" and "unexpected field" in slow[2]
        assert outcome(lambda codec=codec, data=data: codec.event_from_dict(data)) == slow


def test_flag_combinations_and_an_enums_own_missing_values_are_read_as_before():
    event = {"event_type": "probe.access", "schema_version": 1, "access": 3, "colour": "scarlet"}
    for codec in CODECS:
        assert codec.event_from_dict(event) == Granted(Access.BOTH, Colour.RED)
        assert codec.event_from_dict(codec.encode_event(Granted(Access.READ | Access.WRITE, Colour.RED))) == Granted(
            Access.BOTH, Colour.RED
        )
        for wrong in ("3", 4, None, [1]):
            with pytest.raises(CodecError, match="not a Access"):
                codec.event_from_dict({**event, "access": wrong})


def test_a_codec_subclass_reads_facts_that_are_checked_as_a_hosts_are():
    naive = dt.datetime(2026, 1, 1)
    bad = Fact("", 0, naive, naive, None, "not an event")

    class Lax(Codec):
        def fact_builder(self):
            return lambda data: bad

    facts = Lax().iter_facts(FIXTURE.read_text())
    assert type(facts) is not ReadFacts
    with pytest.raises((InvalidType, InvalidValue)):
        list(checked_facts("states_from", facts))


def test_a_held_decision_line_is_named_before_a_piece_that_is_not_text():
    for codec in (Codec(json_backend="stdlib"), Codec(json_backend="orjson")):
        with pytest.raises(CodecError, match="field 'decision' missing") as raised:
            list(codec.iter_facts(['{"decision_of": 1}\n', 5]))  # the line is named, not the piece after it
        assert raised.value.record == 1

        def failing():
            yield '{"decision_of": {"stream_id": "case-1", "stream_version": 1}, "decision": [\n'  # torn
            raise OSError("the disk went away")

        with pytest.raises(CodecError, match="invalid JSON") as raised:
            list(codec.iter_facts(failing()))
        assert raised.value.record == 1
