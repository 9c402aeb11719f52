"""The patterns the sensitive-item screen reads text with, and why a megabyte takes milliseconds.

Linear: every repetition is bounded, and the parts of a pattern are separated by characters
that cannot belong to the parts either side (a group of digits ends where a space or dash
starts, a label where a dot starts), so the text can be read only one way and nothing is
backtracked over more than a few dozen characters from any start.

Fast: the engine skips at C speed to a character that can start a pattern when that is a
short literal set, and runs the pattern only there. So each pattern starts with a character
its items must hold and ordinary prose seldom does (``+``, ``0`` or ``(``; a digit; ``@``,
a bracket or the "a" of "at"), and checks what stands before it with a look-behind placed
*after* that first character. An e-mail address starts with its local part, which may be
almost any word, so the patterns find what follows it (the "tail": ``@nhs.net``,
`` at nhs dot net``) and the screen looks back from there for the local part.
"""

from __future__ import annotations

import functools
import re

# -- phone numbers -------------------------------------------------------------------------


def _phone_shapes() -> set[tuple[int, ...]]:
    """How the 9 or 10 digits of a UK national number (after the 0 or +44) may be grouped.

    The first group is the area code or mobile prefix without its 0 (2 to 5 digits:
    ``20``, ``800``, ``7700``, ``16977``) unless the number is written without spaces;
    three groups (``020 7946 0123``, ``07700 900 123``) have later groups of 2 to 6 digits,
    four (``01392 12 34 56``, ``0800 123 45 67``) of 2 to 4. No two shapes can read the
    same digits, so where a number ends is never in doubt.
    """
    shapes: set[tuple[int, ...]] = set()
    for n in (9, 10):
        shapes.add((n,))
        for a in range(2, 6):
            shapes.add((a, n - a))
            shapes.update((a, b, n - a - b) for b in range(2, 7) if 2 <= n - a - b <= 6)
            shapes.update((a, b, c, n - a - b - c) for b in range(2, 5) for c in range(2, 5) if 2 <= n - a - b - c <= 4)
    return shapes


def _grouped(shapes: set[tuple[int, ...]], separator: str) -> str:
    """A pattern for digits in exactly one of ``shapes`` (group lengths), as a tree of choices."""
    by_length: dict[int, set[tuple[int, ...]]] = {}
    for shape in shapes:
        by_length.setdefault(shape[0], set()).add(shape[1:])
    choices = []
    for length, rests in sorted(by_length.items()):
        after = [r"(?![0-9])"] if () in rests else []
        if more := {rest for rest in rests if rest}:
            after.append(separator + _grouped(more, _SEPARATOR))
        choices.append(f"[0-9]{{{length}}}(?:{'|'.join(after)})")
    return f"(?:{'|'.join(choices)})"


_SEPARATOR = "(?:[ .-]| - )"  # between groups: "07700 900123", "07700-900-123", "01392 - 123456"
_STARTS = r"(?<![\w+(].)"  # after a first character: the one before it is no word character, + or (
_AFTER_44 = r"[ .-]?(?:\(0\)[ .-]?|0[ .-]?)?"  # "+44 ", "+44-", "+44 (0)", "+44 0"
_NATIONAL = _grouped(_phone_shapes(), rf"(?:\){_SEPARATOR}?|{_SEPARATOR})")  # an area code may end in ")"
#: A UK phone number: +44, 0044 or 0 (the area code may be bracketed), then a national
#: number starting 1, 2, 3, 5, 7, 8 or 9 in one of the shapes above. An international
#: number starts with ``+`` or ``00``.
PHONE = re.compile(
    rf"[+0(](?:(?<=\+){_STARTS} ?44{_AFTER_44}|(?<=0){_STARTS}(?:0 ?44{_AFTER_44})?|(?<=\(){_STARTS}0)"
    rf"(?=[1-35789]){_NATIONAL}"
)

# -- NHS numbers, postcodes, National Insurance numbers: one pass over the digits ------------

_WORD_STARTS = r"(?<![A-Za-z0-9])"
_NHS = (  # ten digits 3-3-4 or 3-4-3, not run on from another number (0.943..., 12-943...)
    r"(?<=[1-9])(?<![0-9][./-][0-9])(?:[0-9]{2}[ ./-]?[0-9]{3}[ ./-]?[0-9]{4}|[0-9]{2}[ ./-]?[0-9]{4}[ ./-]?[0-9]{3})"
    r"(?![0-9])(?P<nhs>)"
)
_AREA = "[A-PR-UWYZa-pr-uwyz]"  # a postcode area's letters: no Q, V or X first, no I, J or Z second
_POSTCODE = (  # from the digit after the area letters: "1 2AB" of "EX1 2AB"
    rf"(?:(?<={_WORD_STARTS}{_AREA}[0-9])(?P<one_letter>)|(?<={_WORD_STARTS}{_AREA}[A-HK-Ya-hk-y][0-9]))"
    r"[A-Za-z0-9]? {0,2}(?P<inward>[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})(?![A-Za-z0-9])(?P<postcode>)"
)
_GIR = rf"(?<={_WORD_STARTS}(?i:GIR)0)[Aa]{{2}}(?![A-Za-z0-9])(?P<gir>)"  # GIR 0AA breaks the rules
_SPACED_GIR = (
    rf"(?:(?<={_WORD_STARTS}(?i:GIR) 0)|(?<={_WORD_STARTS}(?i:GIR)  0))[Aa]{{2}}(?![A-Za-z0-9])(?P<spaced_gir>)"
)
# A National Insurance prefix: neither letter D, F, I, Q, U or V, the second not O, not one
# of the prefixes never issued; or QQ, the specimen prefix (screened: it is what people copy).
_PREFIX = "(?:(?!(?i:BG|GB|NK|KN|TN|NT|ZZ))[A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z][A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z]|[Qq]{2})"
_NINO_DIGITS = r"[0-9][ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[A-Da-d](?![A-Za-z0-9])"
_NINO = rf"(?<={_WORD_STARTS}{_PREFIX}[0-9]){_NINO_DIGITS}(?P<nino>)"
_SPACED_NINO = rf"(?<={_WORD_STARTS}{_PREFIX}[ -][0-9]){_NINO_DIGITS}(?P<spaced_nino>)"
#: From the first digit of a run, one of these (named by ``lastgroup``): an NHS number
#: (``nhs``; its check digit is tested afterwards; it may be glued to a label,
#: ``NHS No.9434765919``); a postcode from the digit after its area letters
#: (``postcode``; group ``inward``, and ``one_letter`` if the area has one letter); the
#: ``0AA`` of ``GIR 0AA`` (``gir``, ``spaced_gir``); a National Insurance number from the
#: digits after its prefix (``nino``, or ``spaced_nino`` if a space or dash follows the
#: prefix). Look-behinds check what stands before, first whether it is a letter or a
#: space. No two of these can start at, or overlap, the same digits: one pass finds all.
DIGIT_ITEMS = re.compile(
    rf"[0-9](?<![0-9][0-9])(?:{_NHS}|(?<=[A-Za-z][0-9])(?:{_POSTCODE}|{_GIR}|{_NINO})"
    rf"|(?<=[ -][0-9])(?:{_SPACED_GIR}|{_SPACED_NINO}))"
)

# -- e-mail addresses ----------------------------------------------------------------------

_LOCAL_CHARS = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-"
_AFTER_LOCAL = rf"(?:(?<=[.{_LOCAL_CHARS}].)|(?<=[.{_LOCAL_CHARS}] .)|(?<=[.{_LOCAL_CHARS}]  .))"  # 0-2 spaces
_LABEL = r"[A-Za-z0-9][A-Za-z0-9-]{0,62}+"
_BRACKETED_AT = r"(?<=[(\[])(?i: ?at ?)[)\]] {0,2}"  # after the bracket that starts "(at)"
_DOT = r"(?:\.| {0,2}[(\[](?i: ?dot ?)[)\]] {0,2})"
_LOOSE_DOT = r"(?:\.| {1,2}\. {1,2}| {0,2}[(\[](?i: ?dot ?)[)\]] {0,2}| {1,2}(?i:dot) {1,2})"
#: Top-level domains (and the last part of second-level ones: nhs.net, nhs.uk, gov.uk,
#: ac.uk, co.uk, org.uk) that an address written loosely must end in.
KNOWN_DOMAINS = ("uk", "com", "net", "org", "scot", "wales", "cymru", "london", "io", "info", "biz", "co", "eu", "ie")

#: The local part of an address, ending where the search for it ends (its ``endpos``).
LOCAL_BEFORE = re.compile(rf"(?<![.{_LOCAL_CHARS}])[{_LOCAL_CHARS}][.{_LOCAL_CHARS}]{{0,63}}+\Z")
#: What follows the local part of an address as usually written, from the ``@`` (right
#: after the local part) or the bracket of ``(at)`` (up to two spaces after it): a domain
#: of labels joined by dots or ``[dot]``, ending in any top-level domain. Group ``first``
#: is the domain's first label.
EMAIL_TAIL = re.compile(
    rf"[@(\[](?:(?<=@)(?<=[.{_LOCAL_CHARS}]@)|{_AFTER_LOCAL}{_BRACKETED_AT})"
    rf"(?P<first>{_LABEL})(?:{_DOT}{_LABEL}){{0,4}}{_DOT}[A-Za-z]{{2,24}}(?![A-Za-z0-9-])"
)
#: What follows the local part of an address written loosely (`` @ b . net``,
#: `` at b dot net``, `` at nhs.net``), from the ``@``, the bracket or the "a" of "at"
#: (group ``spelled``; the local part up to two spaces before): a domain ending in a known
#: one (:data:`KNOWN_DOMAINS`), not in a path (``nhs.uk/conditions`` is a web page).
EMAIL_LOOSE_TAIL = re.compile(
    rf"[@(\[Aa]{_AFTER_LOCAL}(?:(?<=@) {{0,2}}|{_BRACKETED_AT}|(?<= [Aa])[Tt] {{1,2}}(?P<spelled>))"
    rf"(?P<first>{_LABEL})(?:{_LOOSE_DOT}{_LABEL}){{0,4}}{_LOOSE_DOT}(?i:{'|'.join(KNOWN_DOMAINS)})(?![A-Za-z0-9/-])"
)
#: Words that stand before "at" in prose and never as the whole local part of an address
#: spelled out ("pointed at ...", "Guidance at gov.uk").
PROSE_BEFORE_AT = frozenset(
    (  # noqa: SIM905 (a list of words reads best as words)
        "a aim aimed am an and are arrive arrived arrives arriving back based be been being best book booked but call"
        " called contact contacted details down email emailed ended ends find finished found good guidance he held"
        " help her here him hold i in information is it just left live lived lives living look looked looking looks"
        " mail me meet meeting meets met more not on online only or out point pointed points published resources saw"
        " see seen sees she shown start started starts stay stayed staying stays stopped support taught that them"
        " there they trained training us visit visited was we well were website work worked working works you"
    ).split()
)
#: Words that follow "at" in prose and never start a domain when a space follows them
#: ("at the dot on the map").
PROSE_AFTER_AT = frozenset(
    (  # noqa: SIM905
        "a all an any each every first her his home its last least my no once one our some that the their these"
        " this those work your"
    ).split()
)

# -- reading the text ------------------------------------------------------------------------

#: A character the screen may read differently: a tab, a no-break space, a soft hyphen or
#: anything beyond Latin-1 (where the other spaces, invisible characters and digits are).
UNUSUAL = re.compile("[\t\u00a0\u00ad\u0100-\U0010ffff]")
#: Spaces other than " " (read as " ").
SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
#: Invisible characters (skipped).
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060\ufeff]")
#: Decimal digits other than 0-9, such as fullwidth ones (read as the digit they are). All
#: are beyond U+065F: the range is tested first, so Latin text is passed over quickly.
OTHER_DIGITS = re.compile(r"[^\x00-\u065f\D]")


@functools.cache
def as_ascii_digits() -> dict[int, int]:
    """A table for ``str.translate`` from every decimal digit beyond 0-9 to the 0-9 it stands for."""
    return {c: ord("0") + int(chr(c)) for c in range(0x660, 0x20000) if chr(c).isdecimal()}
