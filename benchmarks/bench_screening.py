"""Screen a megabyte of ordinary notes, and each adversarial megabyte; report milliseconds per MB.

Targets (reported, never asserted; machines here are shared and noisy, so each figure is
the best of a few runs, and the lines of one run are compared with each other):
- an ordinary note is screened well under 100 ms per MB (a million characters), with
  typographic quotes (text pasted from a word processor) too;
- screening is linear: twice the text takes about twice the time (the ratio printed is
  about 1), and no adversarial megabyte comes near the 20 s the unit test allows.

The adversarial inputs are ``ADVERSARIAL`` of ``tests/rules/test_screening.py`` (a unit of
text and how many times it is repeated); ``tests/test_benchmarks.py`` checks the two lists
agree.

(Annotations here are real types, not strings: the suite runs this file with ``runpy``.)

Usage: python benchmarks/bench_screening.py [--mb 1] [--repeat 3]
"""

import argparse
import random
import time

from pastoral_core.rules import screen

ADVERSARIAL = [
    ("a", 1_000_000),
    ("a.", 500_000),
    ("a@", 500_000),
    ("@", 1_000_000),
    ("0 ", 500_000),
    ("1", 1_000_000),
    ("+44 ", 250_000),
    ("(0", 500_000),
    ("07 ", 333_333),
    ("077 ", 250_000),
    ("0800 12 ", 125_000),
    ("0 - ", 333_333),
    ("a at b dot ", 100_000),
    ("a at b.uk ", 100_000),
    ("x at ", 200_000),
    ("a @ b . ", 125_000),
    (".uk", 333_333),
    (" dot uk", 142_857),
    ("(at)", 250_000),
    ("AB 12 ", 200_000),
    ("A1 1AA ", 140_000),
    ("R0AA ", 200_000),
    ("\u200b9", 500_000),
    ("9\u00a0", 500_000),
    ("\uff10\uff17 ", 333_333),
    ("07700 900123 ", 80_000),
    ("943 476 5919 ", 80_000),
    ("943/", 250_000),
    ("No.9434765919 ", 70_000),
]

SENTENCES = [
    "Met Dr {name} at the surgery on {day:02d}/{month:02d}/2027 at {hour}:{minute} for {minutes} minutes.",
    "She described a heavy on-call rota, poor sleep and a dispute with a partner over the rota.",
    "We agreed {n} sessions over {m} months; the next is on {day} March at {hour}.{minute}.",
    "An allowance of £{pounds}.{pence:02d} was agreed for the {ordinal} tranche, {percent}% paid by the LMC.",
    "He has spoken to his appraiser and will raise the workload with the practice manager.",
    "The meeting moved to the {ordinal} floor of the B{road} building, room {room}.",
    "Printed {pages} pages on A4 for the {ordinal} draft of the plan.",
    "Drove the A{a_road} and the M{motorway} to the practice and arrived at {hour}:{minute}.",
    "No safety concern was raised. Reviewed on 2027-{month:02d}-{day:02d}; {k} of 40 reviews done.",
    "Between {hour}.30 and {later}.45, {gps} GPs attended the peer group at the LMC office.",
    "She pointed at the dot on the map where the new surgery will be; we met at the cafe after.",
    "Guidance is at nhs.uk/conditions; she will look at gov.uk for the pension rules.",
    "Agreed to meet again in two weeks. She will write to the partners before then.",
]


def ordinary_note(size: int, seed: int = 2027, quotes: bool = False) -> str:
    """About ``size`` characters of notes with dates, times, money, ordinals and road names, no items."""
    rng = random.Random(seed)
    parts, total = [], 0
    while total < size:
        sentence = rng.choice(SENTENCES).format(
            name=rng.choice(["Okafor", "Patel", "Jones", "Nguyen", "Smith"]),
            day=rng.randrange(1, 29),
            month=rng.randrange(1, 13),
            hour=rng.randrange(8, 16),
            later=rng.randrange(16, 19),
            minute=rng.choice(["00", "15", "30", "45"]),
            minutes=rng.choice([60, 90, 120]),
            n=rng.randrange(2, 9),
            m=rng.randrange(2, 13),
            pounds=rng.randrange(40, 2000),
            pence=rng.randrange(100),
            ordinal=rng.choice(["1st", "2nd", "3rd", "4th"]),
            percent=rng.randrange(0, 101),
            road=rng.randrange(1000, 9999),
            room=rng.randrange(1, 40),
            pages=rng.randrange(2, 40),
            a_road=rng.randrange(30, 400),
            motorway=rng.randrange(1, 60),
            k=rng.randrange(1, 40),
            gps=rng.randrange(2, 15),
        )
        if quotes:
            sentence = sentence.replace("She ", "She\u2019d said \u201cno\u201d, and ")
        parts.append(sentence)
        total += len(sentence) + 1
    return " ".join(parts)[:size]


def best_seconds(text: str, repeat: int) -> tuple[float, int]:
    """The fastest of ``repeat`` screenings of ``text``, and how many items it found."""
    best, found = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = len(screen(text))
        best = min(best, time.perf_counter() - started)
    return best, found


def run(mb: float, repeat: int) -> dict[str, float]:
    size = max(int(mb * 1_000_000), 1)
    results: dict[str, float] = {}
    note = ordinary_note(size)
    seconds, found = best_seconds(note, repeat)
    assert found == 0, "the ordinary note is meant to hold no sensitive items"
    results["ordinary note"] = seconds * 1_000_000 / len(note) * 1000
    twice, _ = best_seconds(note + " " + note, repeat)
    results["ordinary note, twice as long"] = twice / seconds / 2
    quoted = ordinary_note(size, quotes=True)
    results["ordinary note, typographic quotes"] = best_seconds(quoted, repeat)[0] * 1_000_000 / len(quoted) * 1000
    for unit, times in ADVERSARIAL:
        text = unit * max(int(times * mb), 1)
        results[f"adversarial {unit!r}"] = best_seconds(text, repeat)[0] * 1_000_000 / len(text) * 1000
    return results


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="millions of characters per input")
    parser.add_argument("--repeat", type=int, default=3, help="runs per input; the best is reported")
    args = parser.parse_args(argv)
    results = run(args.mb, args.repeat)
    ordinary = results["ordinary note"]
    print(f"ordinary note:            {ordinary:>9.1f} ms per MB  (target: well under 100)")
    print(f"  with typographic quotes:{results['ordinary note, typographic quotes']:>9.1f} ms per MB")
    print(f"  twice as long:          {results['ordinary note, twice as long']:>9.2f} x the time per MB  (target ~1)")
    worst = max((k for k in results if k.startswith("adversarial")), key=results.__getitem__)
    for name, value in results.items():
        if name.startswith("adversarial"):
            print(f"{name[len('adversarial ') :]:<26}{value:>9.1f} ms per MB")
    print(f"slowest adversarial:      {results[worst]:>9.1f} ms per MB  ({worst[len('adversarial ') :]})")
    return results


if __name__ == "__main__":
    main()
