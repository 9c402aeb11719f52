"""Screening free text for sensitive items without ever repeating them (PSN-NOTE-SENSITIVE).

Screening is linear in the length of the text, and fast: a megabyte of ordinary notes
takes tens of milliseconds (``benchmarks/bench_screening.py``); how the patterns manage
that is told in :mod:`pastoral_core.rules._screening_patterns`. Text is first read as a
person would: no-break and other Unicode spaces as spaces, fullwidth and other decimal
digits as 0-9, and invisible characters (zero-width spaces and joiners, soft hyphens, word
joiners) skipped, so ``943\u00a0476\u200b5919`` is read as ``943 4765919``; findings point
into the text as written.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Callable, Iterable, Iterator

import attrs

from pastoral_core.rules import _screening_patterns as p


@attrs.frozen
class Finding:
    """One sensitive item found in a text: what kind, and where (never the item itself).

    Attributes:
        kind: e.g. ``"NHS number"``, ``"e-mail address"``.
        start: Offset of its first character (0-based).
        end: Offset just after its last character.
    """

    kind: str
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.kind} at characters {self.start + 1}-{self.end}"


#: Kinds of finding, in the order they are looked for.
KINDS = ("NHS number", "phone number", "e-mail address", "postcode", "National Insurance number", "listed term")

_ORDINAL = re.compile(r"1st|2nd|3rd|[04-9]th")
_NOT_DIGIT = re.compile("[^0-9]")


def nhs_number_is_valid(digits: str) -> bool:
    """Whether a 10-digit string passes the NHS number modulus-11 check.

    The first nine digits are weighted 10 down to 2; 11 minus the remainder of the sum
    divided by 11 is the check digit (11 becomes 0; 10 means no valid number).
    """
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    codes = digits.encode()  # character codes: "0" is 48, and the weights add up to 54
    total: int = sum(map(operator.mul, codes[:9], range(10, 1, -1))) - 48 * 54
    check = 11 - total % 11
    return check != 10 and check % 11 == codes[9] - 48


def screen(text: str, terms: Iterable[str] = ()) -> tuple[Finding, ...]:
    """Find sensitive items in ``text``, naming their kind and position only.

    Kinds (:data:`KINDS`): NHS numbers (ten digits passing the modulus-11 check, grouped
    3-3-4 or 3-4-3 by spaces, dots, dashes or slashes, not starting with 0, even glued to
    a label: ``NHS No.9434765919``); UK phone numbers (0, +44, +44 (0), +44 0 or 0044 and a
    national number of 9 or 10 digits in up to four groups: ``01392 12 34 56``); e-mail
    addresses (also ``a @ b . net``, ``a (at) b [dot] net``, and spelled out,
    ``jane at nhs.net`` or ``jane at nhs dot net``, when they end in a known domain
    such as uk, com, net or org and do not read as prose, "pointed at the dot on the
    map"); UK postcodes (an ordinal such as ``3rd`` is not an inward code); National
    Insurance numbers (spaced, dashed or not); and any of ``terms``. Linear in the length
    of the text.

    Args:
        text: The text to screen.
        terms: Host-supplied words or phrases (matched case-insensitively, whole words).

    Returns:
        Findings in order of position; each names a kind and a position only.
    """
    read, origin = _read(text)
    found = _find(read, tuple(terms))
    if origin is not None:
        found = (Finding(f.kind, origin(f.start), origin(f.end - 1) + 1) for f in found)
    return tuple(sorted(found, key=operator.attrgetter("start", "kind")))


def _read(text: str) -> tuple[str, Callable[[int], int] | None]:
    """``text`` as a person reads it, and how to map an offset in that back (``None``: unchanged)."""
    if not p.UNUSUAL.search(text):
        return text, None
    read = p.SPACES.sub(" ", text) if p.SPACES.search(text) else text
    if p.OTHER_DIGITS.search(read):
        read = read.translate(p.as_ascii_digits())
    if not p.INVISIBLE.search(read):
        return read, None
    dropped = [m.start() for m in p.INVISIBLE.finditer(read)]
    # The k-th character dropped (counting from 0) stood at offset dropped[k] - k of what is kept.
    kept_at = [at - k for k, at in enumerate(dropped)]
    return p.INVISIBLE.sub("", read), lambda offset: offset + bisect.bisect_right(kept_at, offset)


class _Spans:
    """Disjoint spans already claimed by an earlier kind, checked in one forward sweep per pass.

    Each pass offers candidates in increasing order of start, so the check moves a pointer
    forward instead of searching: linear however many items a text holds.
    """

    def __init__(self) -> None:
        self._claimed: list[tuple[int, int]] = []
        self._new: list[tuple[int, int]] = []
        self._at = 0

    def claim_if_free(self, start: int, end: int) -> bool:
        claimed = self._claimed
        while self._at < len(claimed) and claimed[self._at][1] <= start:
            self._at += 1
        if self._at < len(claimed) and claimed[self._at][0] < end:
            return False
        self._new.append((start, end))
        return True

    def end_pass(self) -> None:
        self._claimed = sorted(self._claimed + self._new)
        self._new, self._at = [], 0


def _find(text: str, terms: tuple[str, ...]) -> Iterator[Finding]:
    spans = _Spans()
    phones = [(m.span(), text[m.start()] == "+" or text.startswith("00", m.start())) for m in p.PHONE.finditer(text)]
    for span, international in phones:  # "+44 1595579435" is a phone number even if it passes modulus 11
        if international and spans.claim_if_free(*span):
            yield Finding("phone number", *span)
    spans.end_pass()
    after_letters = []
    for m in p.DIGIT_ITEMS.finditer(text):
        if m.lastgroup == "nhs":
            if nhs_number_is_valid(_NOT_DIGIT.sub("", m.group())) and spans.claim_if_free(*m.span()):
                yield Finding("NHS number", *m.span())
        elif (found := _after_letters(text, m)) is not None:
            after_letters.append(found)
    spans.end_pass()
    for span, international in phones:
        if not international and spans.claim_if_free(*span):
            yield Finding("phone number", *span)
    spans.end_pass()
    for span in _emails(text):
        if spans.claim_if_free(*span):
            yield Finding("e-mail address", *span)
    yield from after_letters
    for term in terms:
        if term.strip():
            pattern = re.compile(rf"(?<!\w){re.escape(term.strip())}(?!\w)", re.IGNORECASE)
            for m in pattern.finditer(text):
                yield Finding("listed term", *m.span())


def _after_letters(text: str, m: re.Match[str]) -> Finding | None:
    """The postcode or National Insurance number whose letters stand just before ``m``."""
    if m.lastgroup in ("nino", "spaced_nino"):
        return Finding("National Insurance number", m.start() - 2 - (m.lastgroup == "spaced_nino"), m.end())
    if m.lastgroup in ("gir", "spaced_gir"):
        return Finding("postcode", m.start() - 3 - _spaces_before(text, m.start()), m.end())
    start = m.start() - (1 if m.group("one_letter") is not None else 2)
    if _ORDINAL.fullmatch(m.group("inward")) and not text[start : m.start("inward")].islower():
        return None  # "B12 3rd floor", "A4 2nd draft"; but "b33 8th", written all in lower case, is a postcode
    return Finding("postcode", start, m.end())


def _emails(text: str) -> list[tuple[int, int]]:
    """Spans of e-mail addresses in order; where two readings overlap, the longer (``a@b.net dot uk``)."""
    found = sorted([*_addresses(text, loose=False), *_addresses(text, loose=True)], key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int]] = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _addresses(text: str, loose: bool) -> Iterator[tuple[int, int]]:
    """Spans of addresses written as usual or loosely: each tail, and the local part before it."""
    for m in (p.EMAIL_LOOSE_TAIL if loose else p.EMAIL_TAIL).finditer(text):
        local_ends = m.start()
        if loose or text[local_ends] != "@":  # up to two spaces before "(at)", " @", " at"
            local_ends -= _spaces_before(text, local_ends)
        local = p.LOCAL_BEFORE.search(text, max(local_ends - 64, 0), local_ends)
        if local is None or (loose and m.group("spelled") is not None and _prose(text, local.group(), m)):
            continue
        yield local.start(), m.end()


def _spaces_before(text: str, at: int) -> int:
    """How many spaces (at most two) stand just before ``at``."""
    before = text[max(at - 2, 0) : at]
    return len(before) - len(before.rstrip(" "))


def _prose(text: str, local: str, m: re.Match[str]) -> bool:
    """Whether "<local> at <domain>" reads as prose: "looked at the dot com", "Guidance at www.gov.uk"."""
    first = m.group("first").lower()
    if local.lower() in p.PROSE_BEFORE_AT or first == "www":
        return True
    return first in p.PROSE_AFTER_AT and text[m.end("first")] == " "
