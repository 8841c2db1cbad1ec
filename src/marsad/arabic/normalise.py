"""The index form of Arabic text: one spelling for every way the same word is typed.

`normalise` is a derived form for matching, never a replacement for the text as published.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

# Harakat and other combining marks, Quranic annotation signs, superscript alef, tatweel.
_MARKS = (
    "\u0610-\u061a"  # Quranic honorifics and small signs
    "\u064b-\u065f"  # fathatan .. wavy hamza below (harakat, shadda, sukun, combining hamza)
    "\u0670"  # superscript alef
    "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"  # Quranic marks
    "\u0640"  # tatweel
)
# Bidi controls and invisible marks that carry no letters (ZWNJ is handled apart: it separates words).
_INVISIBLE = "\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u00ad"
_DROP_RE = re.compile(f"[{_MARKS}{_INVISIBLE}]+")

_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ی": "ي",  # Persian yeh
    "ې": "ي",
    "ک": "ك",  # Persian keheh
    "ڪ": "ك",
    "ە": "ه",
    "ۀ": "ه",
    "ہ": "ه",
    "\u200c": " ",  # ZWNJ: a word break in Persian typing
    "٫": ".",  # Arabic decimal separator
    "٬": ",",  # Arabic thousands separator
}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
# A chain of str.replace is about 20 times faster than str.translate with a dict on Arabic text.
_REPLACEMENTS = tuple((old, new) for old, new in (_LETTERS | _DIGITS).items() if old != new)


def _nfkc_unstable_class(*, letters_only: bool = False, bmp_only: bool = False) -> str:
    """A regex character class of the characters NFKC changes (with `letters_only`, those it turns into
    something holding a letter or digit): the BMP's, and those of the supplementary compatibility blocks
    (mathematical alphanumerics, enclosed alphanumerics, CJK compatibility ideographs). Only those: a flag
    emoji's regional indicators (U+1F1E6-1F1FF) are stable, and sent whole texts down the slow path."""
    ranges: list[tuple[int, int]] = []
    supplementary = (
        [] if bmp_only else [*range(0x1D400, 0x1D800), *range(0x1F100, 0x1F200), *range(0x2F800, 0x2FA20)]
    )
    for cp in [*range(0x80, 0x10000), *supplementary]:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        changed = unicodedata.normalize("NFKC", char)
        if changed != char and (not letters_only or any(c.isalnum() for c in changed)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )


# NFKC character by character: whole-text NFKC costs ~20x more and only differs by composing a base
# letter with a following combining mark; for Arabic the marks are dropped anyway (ا + hamza above -> ا,
# as أ -> ا), and Latin combining marks (U+0300-036F) send the text through whole-text NFKC.
_NFKC_RE = re.compile(f"[{_nfkc_unstable_class()}]")
_LATIN_COMBINING_RE = re.compile("[\u0300-\u036f]")
_NFKC_LETTERS_RE = re.compile(f"[{_nfkc_unstable_class(letters_only=True)}\u0300-\u036f]")
# The same classes for scanning a text: their BMP part and every supplementary character, each match then
# checked against the class itself. A class holding supplementary ranges is read range by range (~0.1 us
# a character: 0.3 ms a page with a no-break space, one ANT page in four); a BMP class is a bitmap.
_ASTRAL = "\U00010000-\U0010ffff"
_NFKC_SCAN_RE = re.compile(f"[{_nfkc_unstable_class(bmp_only=True)}{_ASTRAL}]")
_NFKC_LETTERS_SCAN_RE = re.compile(
    f"[{_nfkc_unstable_class(letters_only=True, bmp_only=True)}\u0300-\u036f{_ASTRAL}]"
)


def _nfkc_char(match: re.Match[str]) -> str:
    char = match.group()
    return unicodedata.normalize("NFKC", char) if char < "\U00010000" or _NFKC_RE.match(char) else char


def nfkc(text: str) -> str:
    """NFKC of `text`, fast on text that is mostly stable."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    if _LATIN_COMBINING_RE.search(text):
        return unicodedata.normalize("NFKC", text)
    return _NFKC_SCAN_RE.sub(_nfkc_char, text)


def fold_letters(text: str) -> str:
    """The one-for-one part of `normalise` (letters, digits, ZWNJ; ASCII lower-case): the result has
    exactly the length of `text`, so offsets into it are offsets into `text`."""
    return _fold(text, _REPLACEMENTS, lower=True)


def _fold(text: str, replacements: tuple[tuple[str, str], ...], *, lower: bool) -> str:
    """The replacements made, then lower case unless that would change the text's length."""
    for old, new in replacements:
        if old in text:
            text = text.replace(old, new)
    if not lower:
        return text
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


_SPECIAL_RE = re.compile(f"(?P<drop>{_DROP_RE.pattern})|(?P<nfkc>{_NFKC_SCAN_RE.pattern})")


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """NFKC (character by character), marks dropped and `fold_letters`, with each folded character's index
    in `text` (plus len(text) at the end); the list is None when the folded text has the same offsets."""
    if text.isascii() or (unicodedata.is_normalized("NFKC", text) and not has_dropped_marks(text)):
        folded = fold_letters(text)
        if len(folded) == len(text):
            return folded, None
    pieces: list[str] = []
    origin: list[int] = []
    last = 0
    for m in _SPECIAL_RE.finditer(text):
        pieces.append(text[last : m.start()])
        origin.extend(range(last, m.start()))
        last = m.end()
        if m.lastgroup == "nfkc":
            for char in _DROP_RE.sub("", _nfkc_char(m)):
                pieces.append(char)
                origin.append(m.start())
    pieces.append(text[last:])
    origin.extend(range(last, len(text)))
    origin.append(len(text))
    joined = "".join(pieces)
    folded = fold_letters(joined)
    return (folded if len(folded) == len(joined) else joined), origin


def nfkc_changes_letters(text: str) -> bool:
    """True when NFKC would change a letter or digit of `text` (presentation forms, ligatures, fullwidth
    or superscript characters, Latin combining marks); changed spaces and punctuation (no-break space,
    ellipsis: one ANT article in four has them) do not count."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):  # C-fast, true of most text
        return False
    return any(
        m.group() < "\U00010000" or _NFKC_LETTERS_RE.match(m.group())
        for m in _NFKC_LETTERS_SCAN_RE.finditer(text)
    )


def find_folded(text: str, needles: Iterable[str]) -> dict[str, list[int]]:
    """needle -> the sorted offsets in `text` where it starts once `text` is folded as `normalise` folds
    letters (marks dropped, أ/إ/آ -> ا, ة -> ه, digits, case, NFKC); needles already folded, found ones only.
    Offsets point into `text` as published, at the first letter."""
    needles = list(needles)
    if nfkc_changes_letters(text):  # rare: letters in compatibility forms change length when folded
        folded, origin = fold_with_offsets(text)
        return _find_all(folded, needles, origin.__getitem__ if origin is not None else None)
    # The marks normalise drops (in half of all texts), one by one: a class with `+` is scanned position by
    # position, three times slower than a single-character class.
    marks = [m.start() for m in _DROP_CHAR_RE.finditer(text)]
    if not marks:
        return _find_all(_fold_for(text, needles), needles, None)
    kept, last = [], 0
    for mark in marks:
        kept.append(text[last:mark])
        last = mark + 1
    kept.append(text[last:])
    # Map an offset in the text without its marks back: add the number of marks dropped up to there (the
    # k-th mark sat before kept offset mark - k).
    before = [mark - k for k, mark in enumerate(marks)]

    def published(position: int) -> int:
        return position + bisect.bisect_right(before, position)

    return _find_all(_fold_for("".join(kept), needles), needles, published)


_DROP_CHAR_RE = re.compile(f"[{_MARKS}{_INVISIBLE}]")
# Characters no other character lower-cases to: needles made of these need no lower() of the text.
_CASELESS_RE = re.compile(r"[\u0600-\u06ff0-9]*")


def _fold_for(text: str, needles: list[str]) -> str:
    """`fold_letters(text)` where it can matter to `needles` (folded, so they hold no character a fold
    replaces): a character whose folded form is in no needle can be part of no match, folded or not. The
    same offsets as fold_letters for these needles at a third of its cost."""
    replacements, lower = _fold_plan(tuple(needles))
    return _fold(text, replacements, lower=lower)


@functools.lru_cache(maxsize=1024)
def _fold_plan(needles: tuple[str, ...]) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The replacements into the needles' characters, and whether they need lower() (only needles with
    letters that have an upper case do)."""
    wanted = set("".join(needles))
    replacements = tuple((old, new) for old, new in _REPLACEMENTS if new in wanted)
    return replacements, not all(_CASELESS_RE.fullmatch(needle) for needle in needles)


def _find_all(
    folded: str, needles: Iterable[str], origin: Callable[[int], int] | None
) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for needle in needles:
        position = folded.find(needle) if needle else -1
        while position >= 0:
            found.setdefault(needle, []).append(origin(position) if origin else position)
            position = folded.find(needle, position + 1)
    return found


def skip_dropped(text: str, pos: int) -> int:
    """The index after any marks `normalise` drops that start at `pos` (harakat, tatweel, bidi marks):
    a span that ends at a letter also takes the marks written on it (مساءً, هـ)."""
    m = _DROP_RE.match(text, pos)
    return m.end() if m else pos


def has_dropped_marks(text: str) -> bool:
    """True when `normalise` would delete characters (harakat, tatweel, bidi or zero-width marks)."""
    return _DROP_RE.search(text) is not None


def normalise(text: str) -> str:
    """The index form: NFKC, no harakat/tatweel/bidi marks, one alef, ya, ta marbuta -> ha, ASCII digits,
    lower-case Latin. ZWNJ becomes a space."""
    if not text:
        return ""
    text = _DROP_RE.sub("", nfkc(text))
    for old, new in _REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
    return text.lower()
