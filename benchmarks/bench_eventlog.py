"""Append and replay small events through the in-memory EventLog; report events per second.

Targets (reported, never asserted; machines here are shared and noisy, so compare the
ratios printed in one run rather than absolute numbers across runs):
- append throughput stays flat from the first to the last tenth of the run (linear
  appends: no per-append copy of the whole log); ratio last/first >= 0.7;
- replay (read_stream + fold) is at least 10x faster per event than append;
- sealing with a host key (HMAC-SHA256) keeps append at >= 0.8 of unkeyed throughput.

Usage: python benchmarks/bench_eventlog.py [--events 1000000] [--batch 10] [--streams 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import tracemalloc

import attrs

from pastoral_core import fold
from pastoral_core.eventlog import Codec, Event, EventLog, EventRegistry, Keyring, Metadata

REGISTRY = EventRegistry()


@REGISTRY.register("bench.session_held")
@attrs.frozen
class SessionHeld(Event):
    officer: str
    minutes: int


def evolve(total: int, event: Event) -> int:
    match event:
        case SessionHeld(minutes=minutes):
            return total + minutes
    return total


KEYS = Keyring({"bench": b"b" * 32}, active="bench")


def run(events: int, batch: int, streams: int, measure_memory: bool = False, keyed: bool = False) -> dict[str, float]:
    log = EventLog(Codec(REGISTRY), keys=KEYS if keyed else None)
    at = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    commands = events // batch
    tenth = max(commands // 10, 1)
    tenths: list[float] = []
    if measure_memory:
        tracemalloc.start()
    started = mark = time.perf_counter()
    for n in range(commands):
        stream = f"case-{n % streams}"
        log.append(
            stream,
            [SessionHeld("officer-1", 60)] * batch,
            expected_version=log.stream_version(stream),
            metadata=Metadata("officer-1", f"cmd-{n}", at, role="officer", command_type="case.record_note"),
        )
        if (n + 1) % tenth == 0:
            now = time.perf_counter()
            tenths.append(tenth * batch / (now - mark))
            mark = now
    append_seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if measure_memory else 0
    if measure_memory:
        tracemalloc.stop()

    started = time.perf_counter()
    total = 0
    for s in range(streams):
        total += fold(evolve, 0, (r.event for r in log.read_stream(f"case-{s}")))
    replay_seconds = time.perf_counter() - started
    assert total == 60 * commands * batch, "replay lost events"
    written = commands * batch
    return {
        "events": written,
        "append_per_s": written / append_seconds,
        "replay_per_s": written / replay_seconds,
        "first_tenth_per_s": tenths[0] if tenths else 0.0,
        "last_tenth_per_s": tenths[-1] if tenths else 0.0,
        "peak_mib": peak / 2**20,
    }


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--streams", type=int, default=1_000)
    parser.add_argument("--memory", action="store_true", help="trace peak memory (slower)")
    args = parser.parse_args(argv)
    result = run(args.events, args.batch, args.streams, args.memory)
    keyed = run(args.events, args.batch, args.streams, keyed=True)
    result["keyed_append_per_s"] = keyed["append_per_s"]
    ratio = result["last_tenth_per_s"] / result["first_tenth_per_s"] if result["first_tenth_per_s"] else 0
    print(f"events:            {result['events']:>12,}")
    print(f"append:            {result['append_per_s']:>12,.0f} events/s")
    print(f"replay:            {result['replay_per_s']:>12,.0f} events/s")
    print(f"append last/first: {ratio:>12.2f}  (target >= 0.7: linear appends)")
    print(f"replay/append:     {result['replay_per_s'] / result['append_per_s']:>12.1f}  (target >= 10)")
    print(f"keyed append:      {result['keyed_append_per_s']:>12,.0f} events/s")
    print(f"keyed/unkeyed:     {result['keyed_append_per_s'] / result['append_per_s']:>12.2f}  (target >= 0.8)")
    if args.memory:
        print(f"peak memory:       {result['peak_mib']:>12.1f} MiB")
    return result


if __name__ == "__main__":
    main()
