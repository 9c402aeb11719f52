"""A store that fails on an append, before or after writing: execute leaves all or nothing, and a retry is safe.

The store is the host's, and it will fail: a connection drops before the write, or after
the write but before the answer arrives. Whatever happens, the log holds each command's
events whole or not at all, and retrying the same command id gives exactly the log a
run without faults gives.
"""

import contextlib

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from pastoral_core import EventLog, dumps, execute, verify
from pastoral_core.support import CASE
from tests.builders import at, command
from tests.support.helpers import CONTEXT, GP_A, allocate, gp_request, hold, mou, schedule


class StoreDown(Exception):
    """What a host's store raises when its connection drops."""


@attrs.define
class FlakyStore:
    """An EventStore that fails on chosen appends, before writing or after writing."""

    inner: EventLog
    failures: dict[int, str]  # append number -> "before" or "after"
    appends: int = 0

    def append(self, *args, **kwargs):
        self.appends += 1
        when = self.failures.get(self.appends)
        if when == "before":
            raise StoreDown("before the write")
        written = self.inner.append(*args, **kwargs)
        if when == "after":
            raise StoreDown("after the write, before the answer")
        return written

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _commands():
    from pastoral_core.support import RecordNote

    return [
        gp_request(),
        mou(),
        allocate(GP_A, "off-gp-1"),
        schedule("s1", GP_A, at(2027, 1, 18)),
        hold("s1", at(2027, 1, 18)),
        command(RecordNote, at(2027, 1, 19), "officer", "off-gp-1", note_id="n1", text="First session went well"),
        schedule("s2", GP_A, at(2027, 1, 25)),
    ]


COMMANDS = _commands()  # one set of ids for every run


def run(store):
    for c in COMMANDS:
        while True:
            try:
                execute(store, CASE, "1", c, CONTEXT)
                break
            except StoreDown:
                continue  # the host retries the same command, same id


CLEAN = EventLog()
run(CLEAN)


@settings(max_examples=40)
@given(st.dictionaries(st.integers(1, 14), st.sampled_from(["before", "after"]), max_size=8))
def test_faults_before_or_after_a_write_leave_the_same_log_as_no_faults(failures):
    store = FlakyStore(EventLog(), failures)
    run(store)
    records = store.inner.read_all()
    assert [(r.stream_id, r.stream_version, r.event) for r in records] == [
        (r.stream_id, r.stream_version, r.event) for r in CLEAN.read_all()
    ]
    assert [r.metadata.command_id for r in records] == [r.metadata.command_id for r in CLEAN.read_all()]
    assert verify(records).ok and verify(dumps(records)).ok


def test_a_failure_after_the_write_is_answered_by_the_retry_from_the_log():
    store = FlakyStore(EventLog(), {1: "after"})
    request = gp_request()
    with contextlib.suppress(StoreDown):
        execute(store, CASE, "1", request, CONTEXT)
    assert len(store.inner) == 1, "the write happened"
    again = execute(store, CASE, "1", request, CONTEXT)
    assert again.replayed and len(store.inner) == 1
