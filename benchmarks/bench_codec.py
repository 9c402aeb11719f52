"""Serialise and load recorded events as JSON lines, with each JSON backend; compare the decode paths.

Targets (reported, never asserted; compare ratios within one run):
- the lean path (the envelope built by hand, the event by the fast converter) is much
  faster than the fast cattrs pass, which is never slower than the detailed converter that
  only a failing record needs (measured here, November 2026: lean about 2.5-3x the fast
  pass; fast about 1.15-1.2x the detailed one);
- ``loads`` with orjson is faster than with the standard library's ``json``, and both
  give the same records (``dumps`` always writes with ``json``);
- ``iter_loads`` goes about as fast as ``loads``, holding one record at a time;
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

from pastoral_core.eventlog import JSON_BACKENDS, Codec, Event, EventLog, EventRegistry, Metadata, RecordedEvent

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

    result: dict[str, float] = {"events": events, "dumps_per_s": events / dumps_s, "mib": len(text.encode()) / 2**20}
    for backend in JSON_BACKENDS:
        reader = Codec(REGISTRY, json_backend=backend)
        started = time.perf_counter()
        loaded = reader.loads(text)
        result[f"loads_{backend}_per_s"] = events / (time.perf_counter() - started)
        assert loaded == records, "round trip lost information"
        started = time.perf_counter()
        streamed = sum(1 for _ in reader.iter_loads(text))
        result[f"iter_loads_{backend}_per_s"] = events / (time.perf_counter() - started)
        assert streamed == events
    result["loads_per_s"] = result[f"loads_{JSON_BACKENDS[-1]}_per_s"]

    # The three decode paths on the same parsed rows (JSON parsing excluded; upcasting
    # done for the converters, which take prepared rows).
    rows = [json.loads(line) for line in text.splitlines()]
    prepared = [codec._prepare_record(row, "$") for row in rows]
    fast, detailed = codec._converters()
    lean = codec._lean
    assert lean is not None
    started = time.perf_counter()
    for row in rows:
        lean.record(row)
    result["lean_per_s"] = events / (time.perf_counter() - started)
    for name, converter in (("fast", fast), ("detailed", detailed)):
        started = time.perf_counter()
        for row in prepared:
            converter.structure(row, RecordedEvent)
        result[f"{name}_per_s"] = events / (time.perf_counter() - started)
    return result


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args(argv)
    r = run(args.events)
    print(f"events:                {r['events']:>10,}  ({r['mib']:.1f} MiB of JSON lines)")
    print(f"dumps:                 {r['dumps_per_s']:>10,.0f} records/s (json, whatever the backend)")
    for backend in JSON_BACKENDS:
        print(f"loads, {backend + ':':<16}{r[f'loads_{backend}_per_s']:>10,.0f} records/s (all of it)")
        print(f"iter_loads, {backend + ':':<11}{r[f'iter_loads_{backend}_per_s']:>10,.0f} records/s (one at a time)")
    print(f"structure, lean:       {r['lean_per_s']:>10,.0f} records/s (JSON parsed)")
    print(f"structure, fast:       {r['fast_per_s']:>10,.0f} records/s (JSON parsed, upcast done)")
    print(f"structure, detailed:   {r['detailed_per_s']:>10,.0f} records/s")
    print(f"lean/fast:             {r['lean_per_s'] / r['fast_per_s']:>10.2f}  (target well above 1)")
    print(f"fast/detailed:         {r['fast_per_s'] / r['detailed_per_s']:>10.2f}  (target >= 1.0)")
    return r


if __name__ == "__main__":
    main()
