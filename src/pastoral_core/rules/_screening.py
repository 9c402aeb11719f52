"""Screening free text for sensitive items without ever repeating them (PSN-NOTE-SENSITIVE).

Every pattern has bounded repetition only, so screening is linear in the length of the
text (no pattern can backtrack over more than a few dozen characters from any start).
Text is first normalised: no-break and other Unicode spaces read as spaces, and
invisible characters (zero-width spaces and joiners, soft hyphens, word joiners) are
skipped, so ``943\u00a0476\u200b5919`` is read as ``943 4765919``; findings point into the
text as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

import attrs


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

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060\ufeff]")
_SPACES = str.maketrans(dict.fromkeys([0x09, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000], " "))

_NHS = re.compile(r"(?<![\d.-])(?:\d{3}[ .-]?\d{3}[ .-]?\d{4}|\d{3}[ .-]?\d{4}[ .-]?\d{3})(?![\d])")
# A UK number: +44, 0044 or 0, then digits in groups (spaces, dots, dashes, brackets round
# the area code, "(0)" after +44); its length is checked on the digits afterwards.
_PHONE = re.compile(r"(?<![\w+(])(?:(?:\+|00) ?44[ .-]?(?:\(0\) ?)?|\(?0)\d[\d ().-]{4,18}\d(?!\d)")
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-](?:[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{0,63})"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})"
_TLD = r"[A-Za-z]{2,24}(?![A-Za-z0-9-])"
_EMAIL = re.compile(
    rf"(?<![A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]){_LOCAL}"
    r"(?: {0,2}@ {0,2}| {0,2}[(\[] ?at ?[)\]] {0,2})"
    rf"{_LABEL}(?:(?:\.| {{0,2}}[(\[] ?dot ?[)\]] {{0,2}}| dot )(?:{_LABEL})){{0,4}}"
    rf"(?:\.| {{0,2}}[(\[] ?dot ?[)\]] {{0,2}}| dot ){_TLD}",
    re.IGNORECASE,
)
_EMAIL_SPELLED = re.compile(
    rf"(?<![A-Za-z0-9.@-])[A-Za-z0-9](?:[A-Za-z0-9._-]{{0,63}}) at {_LABEL}(?: dot {_LABEL}){{0,3}} dot {_TLD}",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR {0,2}0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? {0,2}(\d[ABD-HJLNP-UW-Z]{2}))(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"1st|2nd|3rd|[04-9]th")
_NINO = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2})[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D](?![A-Za-z0-9])", re.IGNORECASE)
_NINO_BAD_PREFIXES = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}
_GROUPS = re.compile(r"\d+")
_INTERNATIONAL = re.compile(r"(?:\+|00) ?44[ .-]?(?:\(0\) ?)?")


def nhs_number_is_valid(digits: str) -> bool:
    """Whether a 10-digit string passes the NHS number modulus-11 check.

    The first nine digits are weighted 10 down to 2; 11 minus the remainder of the sum
    divided by 11 is the check digit (11 becomes 0; 10 means no valid number).
    """
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nino_prefix_ok(prefix: str) -> bool:
    prefix = prefix.upper()
    if prefix == "QQ":  # the specimen prefix: screened too, it is what people copy
        return True
    first, second = prefix[0], prefix[1]
    return first not in "DFIQUV" and second not in "DFIOQUV" and prefix not in _NINO_BAD_PREFIXES


def screen(text: str, terms: Iterable[str] = ()) -> tuple[Finding, ...]:
    """Find sensitive items in ``text``, naming their kind and position only.

    Kinds (:data:`KINDS`): NHS numbers (ten digits passing the modulus-11 check, in any
    grouping, not starting with 0), UK phone numbers (0, +44 or 0044 and a national
    number of 9 or 10 digits, however grouped or bracketed), e-mail addresses (also
    written ``a @ b.net`` or ``a (at) b dot net``), UK postcodes (an ordinal such as
    ``3rd`` is not an inward code), National Insurance numbers (spaced, dashed or not),
    and any of ``terms``. Linear in the length of the text.

    Args:
        text: The text to screen.
        terms: Host-supplied words or phrases (matched case-insensitively, whole words).

    Returns:
        Findings in order of position; each names a kind and a position only.
    """
    normal, origin = _normalise(text)
    found = _find(normal, tuple(terms))
    if origin is not None:
        found = (Finding(f.kind, origin[f.start], origin[f.end - 1] + 1) for f in found)
    return tuple(sorted(found, key=lambda f: (f.start, f.kind)))


def _normalise(text: str) -> tuple[str, Sequence[int] | None]:
    """``text`` with Unicode spaces as spaces and invisible characters dropped, and where each came from."""
    spaced = text.translate(_SPACES)
    if not _INVISIBLE.search(spaced):
        return spaced, None
    origin = [i for i, ch in enumerate(spaced) if not _INVISIBLE.match(ch)]
    return "".join(spaced[i] for i in origin), origin


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
    phones = list(_phones(text))
    for start, end, international in phones:  # "+44 1595579435" is a phone number even if it passes modulus 11
        if international and spans.claim_if_free(start, end):
            yield Finding("phone number", start, end)
    spans.end_pass()
    for m in _NHS.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if digits[0] != "0" and nhs_number_is_valid(digits) and spans.claim_if_free(*m.span()):
            yield Finding("NHS number", *m.span())
    spans.end_pass()
    for start, end, international in phones:
        if not international and spans.claim_if_free(start, end):
            yield Finding("phone number", start, end)
    spans.end_pass()
    for pattern in (_EMAIL, _EMAIL_SPELLED):
        for m in pattern.finditer(text):
            if spans.claim_if_free(*m.span()):
                yield Finding("e-mail address", *m.span())
        spans.end_pass()
    for m in _POSTCODE.finditer(text):
        inward = m.group(1)
        outward = text[m.start() : m.start(1)] if inward is not None else ""
        if inward is not None and _ORDINAL.fullmatch(inward) and not outward.islower():
            continue  # "B12 3rd floor", "A4 2nd draft"; but "b33 8th", written all in lower case, is a postcode
        yield Finding("postcode", *m.span())
    for m in _NINO.finditer(text):
        if _nino_prefix_ok(m.group(1)):
            yield Finding("National Insurance number", *m.span())
    for term in terms:
        if term.strip():
            pattern = re.compile(rf"(?<!\w){re.escape(term.strip())}(?!\w)", re.IGNORECASE)
            for m in pattern.finditer(text):
                yield Finding("listed term", *m.span())


def _phones(text: str) -> Iterator[tuple[int, int, bool]]:
    """Each UK phone number in ``text``: start, end, and whether it has an international prefix.

    A candidate may run on into the next number; the search resumes where the number
    found ends, so "07700 900123 07700 900124" gives two.
    """
    position = 0
    while (m := _PHONE.search(text, position)) is not None:
        end = _phone_end(m.group())
        if end is None:
            position = m.start() + 1
            continue
        yield m.start(), m.start() + end, m.group().startswith(("+", "00"))
        position = m.start() + end


def _phone_end(candidate: str) -> int | None:
    """Where the phone number that ``candidate`` begins with ends, or ``None`` if it is not one.

    After the prefix (0, +44, 0044, +44 (0)) a UK number has 9 or 10 digits, not starting
    with 0, in at most three groups. The candidate may run on into a following number
    ("01392 123456 2027"): the longest run of groups that makes a number is taken.
    """
    prefix = _INTERNATIONAL.match(candidate)
    start = prefix.end() if prefix else 0
    if not prefix and not candidate.lstrip("(").startswith("0"):
        return None
    best, digits = None, ""
    for groups, group in enumerate(_GROUPS.finditer(candidate, start), start=1):
        digits += group.group()
        national = digits if prefix else digits[1:]
        if groups <= 3 and len(national) in (9, 10) and national[0] != "0":
            best = group.end()
        if len(digits) > 11 or groups > 3:
            break
    return best
