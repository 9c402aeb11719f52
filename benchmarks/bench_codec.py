"""Serialise and load recorded events as JSON lines; compare the fast and detailed decode paths.

Targets (reported, never asserted; compare ratios within one run):
- structuring with the fast converter (no detailed validation) is never slower than with
  the detailed converter, which only a failing record needs (measured here, November 2026:
  about 1.15-1.2x faster; most of ``loads`` is structuring and JSON parsing);
- ``dumps`` and ``loads`` stay linear in the number of records.

(Annotations here are real types, not strings: the suite runs this file with ``runpy``.)

Usage: python benchmarks/bench_codec.py [--events 100000]
"""

import argparse
import datetime as dt
import json
import time
from decimal import Decimal

import attrs

from pastoral_core.eventlog import Codec, Event, EventLog, EventRegistry, Metadata, RecordedEvent

REGISTRY = EventRegistry()


@REGISTRY.register("bench.meeting_held")
@attrs.frozen
class MeetingHeld(Event):
    meeting_id: str
    held_on: dt.date
    minutes: int
    attendee_ids: frozenset[str]
    cost: Decimal


def run(events: int) -> dict[str, float]:
    codec = Codec(REGISTRY)
    log = EventLog(codec)
    at = dt.datetime(2027, 3, 3, 19, tzinfo=dt.UTC)
    for n in range(events):
        event = MeetingHeld(f"m-{n}", dt.date(2027, 3, 3), 90, frozenset({"gp-1", "gp-2", "gp-3"}), Decimal("90.00"))
        log.append(
            f"g-{n % 100}",
            [event],
            expected_version=log.stream_version(f"g-{n % 100}"),
            metadata=Metadata("fac-1", f"c-{n}", at, role="facilitator", command_type="group.hold_meeting"),
        )
    records = log.read_all()

    started = time.perf_counter()
    text = codec.dumps(records)
    dumps_s = time.perf_counter() - started

    started = time.perf_counter()
    loaded = codec.loads(text)
    loads_s = time.perf_counter() - started
    assert loaded == records, "round trip lost information"

    # Both converters on the same prepared rows (JSON parsing and upcasting excluded).
    prepared = [codec._prepare_record(json.loads(line), "$") for line in text.splitlines()]
    fast, detailed = codec._converters()
    timings = {}
    for name, converter in (("fast", fast), ("detailed", detailed)):
        started = time.perf_counter()
        for row in prepared:
            converter.structure(row, RecordedEvent)
        timings[name] = time.perf_counter() - started
    return {
        "events": events,
        "dumps_per_s": events / dumps_s,
        "loads_per_s": events / loads_s,
        "fast_per_s": events / timings["fast"],
        "detailed_per_s": events / timings["detailed"],
        "mib": len(text.encode()) / 2**20,
    }


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args(argv)
    r = run(args.events)
    print(f"events:                {r['events']:>10,}  ({r['mib']:.1f} MiB of JSON lines)")
    print(f"dumps:                 {r['dumps_per_s']:>10,.0f} records/s")
    print(f"loads (all of it):     {r['loads_per_s']:>10,.0f} records/s")
    print(f"structure, fast:       {r['fast_per_s']:>10,.0f} records/s (JSON parsed, upcast done)")
    print(f"structure, detailed:   {r['detailed_per_s']:>10,.0f} records/s")
    print(f"fast/detailed:         {r['fast_per_s'] / r['detailed_per_s']:>10.2f}  (target >= 1.0)")
    return r


if __name__ == "__main__":
    main()
