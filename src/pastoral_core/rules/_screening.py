"""Screening free text for sensitive items without ever repeating them (PSN-NOTE-SENSITIVE)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

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


_NHS = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PHONE = re.compile(r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?![\d])")
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
_NINO = re.compile(r"\b([A-Z]{2}) ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE)
_NINO_BAD_PREFIXES = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def nhs_number_is_valid(digits: str) -> bool:
    """Whether a 10-digit string passes the NHS number modulus-11 check.

    The first nine digits are weighted 10 down to 2; 11 minus the remainder of the sum
    divided by 11 is the check digit (11 becomes 0; 10 means no valid number).
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nino_prefix_ok(prefix: str) -> bool:
    prefix = prefix.upper()
    first, second = prefix[0], prefix[1]
    return first not in "DFIQUV" and second not in "DFIOQUV" and prefix not in _NINO_BAD_PREFIXES


def screen(text: str, terms: Iterable[str] = ()) -> tuple[Finding, ...]:
    """Find sensitive items in ``text``, naming their kind and position only.

    Kinds: NHS numbers (passing the modulus-11 check), e-mail addresses, UK phone numbers,
    UK postcodes, National Insurance numbers, and any of ``terms``.

    Args:
        text: The text to screen.
        terms: Host-supplied words or phrases (matched case-insensitively, whole words).

    Returns:
        Findings in order of position; each names a kind and a position only.
    """
    return tuple(sorted(_find(text, tuple(terms)), key=lambda f: (f.start, f.kind)))


def _find(text: str, terms: tuple[str, ...]) -> Iterator[Finding]:
    nhs_spans = []
    for m in _NHS.finditer(text):
        if nhs_number_is_valid("".join(m.groups())):
            nhs_spans.append(m.span())
            yield Finding("NHS number", *m.span())
    for m in _EMAIL.finditer(text):
        yield Finding("e-mail address", *m.span())
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        national = digits[2:] if m.group().startswith("+") else digits[1:]
        if len(national) == 10 and not any(s <= m.start() < e for s, e in nhs_spans):
            yield Finding("phone number", *m.span())
    for m in _POSTCODE.finditer(text):
        yield Finding("postcode", *m.span())
    for m in _NINO.finditer(text):
        if _nino_prefix_ok(m.group(1)):
            yield Finding("National Insurance number", *m.span())
    for term in terms:
        if term.strip():
            pattern = re.compile(rf"(?<!\w){re.escape(term.strip())}(?!\w)", re.IGNORECASE)
            for m in pattern.finditer(text):
                yield Finding("listed term", *m.span())
