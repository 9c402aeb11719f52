"""The sensitive-item screen, measured: a corpus of what it must catch and leave alone.

A hand-written corpus holds every miss and false alarm found when the screen was probed,
and a generated held-out set (fixed seeds) writes each kind of item in the ways people
write it, inside ordinary sentences, beside sentences full of dates, times, money,
counts, ordinals, paper sizes and road names. Recall and the false-alarm rate are
asserted per kind and reported at the end of the run.
"""

import random
import subprocess
import sys
import textwrap

import pytest

from pastoral_core.rules import nhs_number_is_valid, screen
from tests.conftest import FIGURES

CAUGHT = {
    "phone number": [
        "01647 61648",  # 9 digits after the 0
        "0800 328282",
        "(01392) 123456",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "+44-7700-900123",
        "+447700900123",
        "07700 900123",
        "07700-900-123",
        "020 7946 0123",
        "01392.123456",
        "+44 0 7700 900123",  # the trunk 0 kept after +44
        "01392 12 34 56",  # four groups
        "0800 123 45 67",
        "07700 - 900123",
        "(01392) - 123456",
        "\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13",  # fullwidth digits
    ],
    "NHS number": [
        "943.476.5919",
        "943 4765 919",
        "943\u00a0476\u00a05919",  # no-break spaces
        "943\u200b476\u200b5919",  # zero-width spaces
        "943\u202f476\u202f5919",  # narrow no-break spaces
        "9434765919",
        "943-476-5919",
        "943/476/5919",
    ],
    "e-mail address": [
        "a @ b.net",
        "a (at) b dot net",
        "jo.bloggs@nhs.net",
        "jo at example dot org",
        "x [at] y [dot] co [dot] uk",
        "dr_who+lmc@devon-lmc.org.uk",
        "jane at nhs.net",  # spelled out, ending in a known domain
        "jane @ nhs . net",
        "JANE AT NHS DOT NET",
        "jo.bloggs at devon-lmc dot org dot uk",
        "a@b.net dot uk",  # the longer reading wins
        "x@example.photography",  # written as usual: any top-level domain
    ],
    "postcode": ["EX1  2AB", "EX1 2AB", "ex1 2ab", "SW1A 1AA", "M1 1AE", "B33 8TH", "GIR 0AA"],
    "National Insurance number": ["AB-12-34-56-C", "QQ 12 34 56 C", "AB123456C", "ab 12 34 56 c"],
}

CLEAN = [
    "B12 3rd floor",
    "A4 2nd draft",
    "Met for 90 minutes on 12/03/2027 at 10:00",
    "Six sessions agreed; review in 3 months",
    "Reference 943 476 5918 from the ICB",  # fails modulus 11
    "Reference 1234567890 from the ICB",  # check digit would be 10
    "Prefix GB 12 34 56 A is not issued",
    "Cost £1,920.50 for 14 of 40 reviews",
    "on 05 04 2027 10:30",
    "the 1st, 2nd and 3rd sessions",
    "Paper A4 and A3",
    "A38 and M5 roads",
    "at 09.30-10.30",
    "Tuesday 2 March 2027 at 14:15",
    "Scores 5 4 3 2 1 5 4 3 2 1",
    "We met at home.Then left",
    "version 0.109 of the data",
    "2027-03-31T10:00:00+01:00",
    "8 sessions in 4 months from 1 April",
    # "at" and "dot" in prose are not an address spelled out
    "She pointed at the dot on the map",
    "We met at the café dot com was mentioned",
    "We met at the cafe dot com was mentioned",
    "She looked at the dot com era",
    "Guidance at gov.uk and at nhs.uk/conditions",
    "Look at www.nhs.uk for advice",
    "Paid to Jo at Exeter. Net cost £40",
    "Met Jo @ home.Then left",
    # numbers in groups that are not phone numbers
    "on 05 04 2027 10 30",
    "Open 0900 - 1700 weekdays",
    "Scores 07 07 07 07 07 07",
    "Rooms 0.12 and 0.14 at 10.30",
    "Dates 2027/03/31 and 31/03/2027",
]


@pytest.mark.parametrize(("kind", "item"), [(k, i) for k, items in CAUGHT.items() for i in items])
def test_each_way_of_writing_an_item_is_caught_where_it_stands(kind, item):
    text = f"Spoke to her; {item} is the one to use."
    found = screen(text)
    assert [f.kind for f in found] == [kind], found
    assert (found[0].start, found[0].end) == (14, 14 + len(item))


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_sentences_are_left_alone(text):
    assert screen(text) == ()


def test_findings_name_a_kind_and_a_place_never_the_item():
    text = "Call 07700 900123 or mail a.b@nhs.net; NHS 943-476-5919"
    found = screen(text)
    assert [(f.kind, text[f.start : f.end]) for f in found] == [
        ("phone number", "07700 900123"),
        ("e-mail address", "a.b@nhs.net"),
        ("NHS number", "943-476-5919"),
    ]
    assert str(found[0]) == "phone number at characters 6-17"
    assert all("07700" not in str(f) and "nhs.net" not in str(f) for f in found)


def test_numbers_side_by_side_are_each_caught():
    text = "07700 900123 07700 900124, 943 476 5919 943 476 5919"
    assert [(f.kind, text[f.start : f.end]) for f in screen(text)] == [
        ("phone number", "07700 900123"),
        ("phone number", "07700 900124"),
        ("NHS number", "943 476 5919"),
        ("NHS number", "943 476 5919"),
    ]


def test_a_number_running_on_into_another_is_still_caught():
    text = "Tel 01392 123456 2027 intake"
    (found,) = screen(text)
    assert (found.kind, text[found.start : found.end]) == ("phone number", "01392 123456")


@pytest.mark.parametrize("label", ["NHS No.", "NHS no:", "NHS#", "Ref.", "NHS-"])
def test_a_label_glued_to_an_nhs_number_does_not_hide_it(label):
    for number in ("9434765919", "943 476 5919"):
        text = f"Her {label}{number} is on file"
        (found,) = screen(text)
        assert (found.kind, text[found.start : found.end]) == ("NHS number", number)


# -- a generated held-out set -------------------------------------------------------------


def _nhs(rng):
    while True:
        digits = str(rng.randrange(400_000_000, 800_000_000)) + str(rng.randrange(10))
        if nhs_number_is_valid(digits):
            break
    sep = rng.choice(["", " ", "-", ".", "/", "\u00a0", "\u200b"])
    if rng.random() < 0.5:
        return sep.join((digits[:3], digits[3:6], digits[6:]))
    return sep.join((digits[:3], digits[3:7], digits[7:]))


def _phone(rng):
    kind = rng.choice(["mobile", "geo10", "geo9", "london", "freephone", "freephone10"])
    national = {
        "mobile": f"7{rng.randrange(10**8, 10**9)}",
        "geo10": f"1{rng.randrange(100, 999)}{rng.randrange(100000, 999999)}",
        "geo9": f"1{rng.randrange(1000, 9999)}{rng.randrange(1000, 9999)}",
        "london": f"20{rng.randrange(10**7, 10**8)}",
        "freephone": f"800{rng.randrange(100000, 999999)}",
        "freephone10": f"800{rng.randrange(10**6, 10**7)}",
    }[kind]
    split = {"mobile": 4, "geo10": 4, "geo9": 4, "london": 2, "freephone": 3, "freephone10": 3}[kind]
    area, local = national[:split], national[split:]
    sep = rng.choice([" ", "-", "", ".", " - "])
    style = rng.choice(["national", "brackets", "plus", "plus0", "plus_trunk", "0044", "groups"])
    if style == "national":
        return f"0{area}{sep}{local}"
    if style == "groups":  # the local number in pairs: 01392 12 34 56, 0800 123 45 67, 020 79 46 0123
        pairs = {5: (2, 3), 6: (2, 2, 2), 7: (3, 2, 2), 8: (2, 2, 4)}[len(local)]
        starts = [sum(pairs[:i]) for i in range(len(pairs))]
        return " ".join([f"0{area}", *(local[a : a + n] for a, n in zip(starts, pairs, strict=True))])
    if style == "plus_trunk":
        return f"+44 0 {area} {local}"
    if style == "brackets":
        return f"(0{area}) {local}"
    if style == "plus":
        return f"+44 {area}{sep}{local}"
    if style == "plus0":
        return f"+44 (0){area} {local}"
    return f"0044 {area} {local}"


def _word(rng, n=6):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(2, n + 1)))


def _email(rng):
    local, domain = f"{_word(rng)}.{_word(rng)}", _word(rng, 10)
    tld = rng.choice(["net", "org", "com", "uk", "scot", "nhs.net", "nhs.uk", "co.uk", "org.uk", "ac.uk", "gov.uk"])
    return rng.choice(
        [
            f"{local}@{domain}.{tld}",
            f"{local}@{domain}.{rng.choice(['photography', 'health', 'cloud'])}",
            f"{local} @ {domain}.{tld}",
            f"{local} @ {domain} . {tld.replace('.', ' . ')}",
            f"{local} (at) {domain} dot {tld}",
            f"{local} [at] {domain} [dot] {tld}",
            f"{_word(rng)} at {domain} dot {tld.replace('.', ' dot ')}",
            f"{_word(rng)} at {domain}.{tld}",
        ]
    )


def _postcode(rng):
    area = rng.choice(["EX", "PL", "TQ", "B", "M", "SW", "NG", "LS"])
    outward = f"{area}{rng.randrange(1, 30)}"
    inward = f"{rng.randrange(10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    text = f"{outward}{rng.choice([' ', '  ', ''])}{inward}"
    return text.lower() if rng.random() < 0.2 else text


def _nino(rng):
    prefix = rng.choice(["AB", "CE", "JK", "QQ", "SP", "TW", "WP"])
    digits = [f"{rng.randrange(100):02d}" for _ in range(3)]
    sep = rng.choice(["", " ", "-"])
    return sep.join([prefix, *digits, rng.choice("ABCD")])


GENERATORS = {
    "NHS number": _nhs,
    "phone number": _phone,
    "e-mail address": _email,
    "postcode": _postcode,
    "National Insurance number": _nino,
}
TEMPLATES = [
    "Her details: {} (she asked us to call after 5pm).",
    "{}, noted at the second session.",
    "Left a message; contact via {} from Monday 3 May.",
    "Agreed 6 sessions; reference {} for the review in 3 months.",
    "Ref.{} noted at the session.",  # a label glued to the item
]


def _ordinary(rng):
    day, month = rng.randrange(1, 29), rng.randrange(1, 13)
    return rng.choice(
        [
            f"Met on {day:02d}/{month:02d}/2027 at {rng.randrange(8, 18)}:{rng.choice(['00', '15', '30', '45'])}.",
            f"Session {rng.randrange(1, 9)} of {rng.randrange(6, 9)} held for {rng.choice([60, 90, 120])} minutes.",
            f"Cost £{rng.randrange(40, 2000)}.{rng.randrange(100):02d} split {rng.randrange(0, 101)}% to the LMC.",
            f"The {rng.choice(['1st', '2nd', '3rd', '4th', '21st'])} meeting moved to the {rng.randrange(2, 9)}th floor.",
            f"Printed {rng.randrange(2, 40)} pages on A{rng.randrange(3, 6)}, {rng.choice(['2nd', '3rd'])} draft.",
            f"Drove the A{rng.randrange(30, 400)} and the M{rng.randrange(1, 60)} to the B{rng.randrange(1000, 9999)}.",
            f"Review on {2027 + rng.randrange(3)}-{month:02d}-{day:02d}, {rng.randrange(1, 13)} of 40 reviews done.",
            f"Between {rng.randrange(8, 12)}.30 and {rng.randrange(12, 18)}.45, {rng.randrange(2, 15)} GPs attended.",
            f"Open 0{rng.randrange(7, 10)}00 - {rng.randrange(16, 20)}00; scores 0{day % 10} 0{month % 10} 0{day % 7} 10.",
            f"She pointed at the dot on the map by the A{rng.randrange(30, 400)}; we met at the cafe after.",
            f"Guidance at gov.uk and nhs.uk/conditions; look at www.nhs.uk for the {rng.choice(['1st', '2nd'])} step.",
            f"Paid to Jo at Exeter. Net cost £{rng.randrange(40, 200)}, room 0.{rng.randrange(10, 40)} at {day}.30.",
        ]
    )


def test_recall_and_false_alarms_per_kind_on_a_generated_held_out_set():
    rng = random.Random(20270401)
    per_kind = 400
    figures = {}
    for kind, make in GENERATORS.items():
        hits = 0
        for _ in range(per_kind):
            item = make(rng)
            text = rng.choice(TEMPLATES).format(item)
            start = text.index(item)
            found = screen(text)
            hits += any(f.kind == kind and f.start <= start and f.end >= start + len(item) for f in found)
        figures[kind] = hits / per_kind
    clean = [_ordinary(rng) for _ in range(2000)]
    alarms: dict[str, int] = {}
    for text in clean:
        for finding in screen(text):
            alarms[finding.kind] = alarms.get(finding.kind, 0) + 1
    FIGURES["screen recall (generated, 400 per kind)"] = ", ".join(f"{k} {v:.1%}" for k, v in figures.items())
    FIGURES["screen false alarms (2,000 ordinary sentences)"] = (
        ", ".join(f"{k} {n}" for k, n in sorted(alarms.items())) or "none"
    )
    assert all(recall >= 0.99 for recall in figures.values()), figures
    assert sum(alarms.values()) <= len(clean) // 200, alarms  # under 0.5% of sentences


# -- linear time ---------------------------------------------------------------------------

#: Adversarial inputs of about a megabyte: a unit of text and how many times it is repeated
#: (``benchmarks/bench_screening.py`` times the same list).
ADVERSARIAL = [
    ("a", 1_000_000),
    ("a.", 500_000),
    ("a@", 500_000),
    ("@", 1_000_000),
    ("0 ", 500_000),
    ("1", 1_000_000),
    ("+44 ", 250_000),
    ("(0", 500_000),
    ("07 ", 333_333),  # every "07" could start a phone number
    ("077 ", 250_000),
    ("0800 12 ", 125_000),
    ("0 - ", 333_333),
    ("a at b dot ", 100_000),
    ("a at b.uk ", 100_000),  # spelled-out addresses, each read and found to be prose
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


def test_a_megabyte_of_adversarial_text_is_screened_in_linear_time():
    """All inputs in one child process, each under a hard limit, so a regression fails instead of hanging.

    Past 20 seconds on one input, ``faulthandler`` ends the child; the last input it
    printed is the one that hung.
    """
    script = textwrap.dedent(
        f"""
        import faulthandler
        from pastoral_core.rules import screen
        for unit, times in {ADVERSARIAL!r}:
            print(repr(unit), times, flush=True)
            faulthandler.dump_traceback_later(20, exit=True)
            screen(unit * times)
            faulthandler.cancel_dump_traceback_later()
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=20 * len(ADVERSARIAL))
    last = run.stdout.splitlines()[-1:] or ["(none)"]
    assert run.returncode == 0, f"screening {last[0]} took over 20 s or failed:\n{run.stderr}"
