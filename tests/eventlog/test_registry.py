import attrs
import pytest

from pastoral_core.eventlog import DuplicateType, Event, EventRegistry, UnknownType


@attrs.frozen
class Ping(Event):
    n: int


@attrs.frozen
class Pong(Event):
    n: int


def test_registered_class_gets_stable_name_and_version():
    registry = EventRegistry()
    registry.register("net.ping", version=3)(Ping)
    entry = registry.of_class(Ping)
    assert (entry.name, entry.version, entry.cls) == ("net.ping", 3, Ping)
    assert registry.of_name("net.ping") is entry
    assert "net.ping" in registry and Ping in registry and len(registry) == 1


def test_duplicate_name_is_refused():
    registry = EventRegistry()
    registry.add(Ping, "net.ping")
    with pytest.raises(DuplicateType, match="'net.ping' is already registered to Ping"):
        registry.add(Pong, "net.ping")
    assert registry.of_name("net.ping").cls is Ping


def test_same_class_twice_is_refused():
    registry = EventRegistry()
    registry.add(Ping, "net.ping")
    with pytest.raises(DuplicateType, match="Ping is already registered"):
        registry.add(Ping, "net.ping_again")


@pytest.mark.parametrize("name", ["Ping", "ping", "net.", "net.Ping", "net ping", "", "1net.ping"])
def test_malformed_names_are_refused(name):
    with pytest.raises(ValueError, match="lower-case dotted"):
        EventRegistry().add(Ping, name)


@pytest.mark.parametrize("version", [0, -1, True, "1"])
def test_bad_versions_are_refused(version):
    with pytest.raises(ValueError, match="schema version"):
        EventRegistry().add(Ping, "net.ping", version)


def test_every_event_is_immutable_even_if_declared_with_define():
    @attrs.define
    class Declared(Event):
        n: int

    EventRegistry().add(Declared, "net.declared")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Declared(1).n = 2  # type: ignore[misc]


def test_classes_not_deriving_from_event_are_refused():
    @attrs.frozen
    class NotAnEvent:
        n: int

    with pytest.raises(ValueError, match="deriving from Event"):
        EventRegistry().add(NotAnEvent, "net.foreign")  # type: ignore[arg-type]


def test_reserved_field_names_are_refused():
    @attrs.frozen
    class Clash(Event):
        event_type: str

    with pytest.raises(ValueError, match="reserved field name"):
        EventRegistry().add(Clash, "net.clash")


def test_upcasters_chain_to_current_version():
    registry = EventRegistry()
    registry.add(Ping, "net.ping", version=3)
    registry.upcaster("net.ping", 1)(lambda d: {"count": d["c"]})
    registry.upcaster("net.ping", 2)(lambda d: {"n": d["count"]})
    assert registry.upcast("net.ping", 1, {"c": 7}) == {"n": 7}
    assert registry.upcast("net.ping", 2, {"count": 7}) == {"n": 7}
    assert registry.upcast("net.ping", 3, {"n": 7}) == {"n": 7}


def test_upcast_refuses_unknown_future_and_gaps():
    registry = EventRegistry()
    registry.add(Ping, "net.ping", version=2)
    with pytest.raises(UnknownType, match="newer than this code knows"):
        registry.upcast("net.ping", 3, {})
    with pytest.raises(UnknownType, match="no upcaster"):
        registry.upcast("net.ping", 1, {})
    with pytest.raises(UnknownType, match="unknown event type 'net.pong'"):
        registry.upcast("net.pong", 1, {})


def test_duplicate_upcaster_is_refused():
    registry = EventRegistry()
    registry.upcaster("net.ping", 1)(lambda d: d)
    with pytest.raises(DuplicateType):
        registry.upcaster("net.ping", 1)(lambda d: d)


def test_generation_changes_with_every_registration():
    registry = EventRegistry()
    before = registry.generation
    registry.add(Ping, "net.ping")
    assert registry.generation > before
