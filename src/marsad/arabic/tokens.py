"""Words, numbers and URLs of a text, in order.

`tokens` reads any text, but it is meant for the normalised form (see `normalise`): Arabic words come out
without harakat and with one spelling, Latin words lower-cased, numbers in ASCII digits.
A hashtag gives its words (#عاصي_الحلاني -> عاصي, الحلاني); a URL or e-mail address stays one token.
"""

from __future__ import annotations

import re

_ARABIC_LETTERS = "\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06ff"
# Combining marks inside words of other scripts (Latin accents, Hebrew points, Indic vowel signs, Thai).
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0900-\u0dff\u0e31-\u0e4e\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_URL = r"(?:https?://|www\.)[^\s<>\"'«»()\[\]{}]+[^\s<>\"'«»()\[\]{}.,;:!?،؛؟]"  # no trailing punctuation
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_WORDS = (
    r"\d+(?:[.,]\d+)*(?![^\W\d_\u0600-\u06ff])"  # number (decimal or thousands separators), not "2M" or "4G"
    f"|[{_ARABIC_LETTERS}]+"  # Arabic word
    f"|[^\\W_{_ARABIC_LETTERS}\u0600-\u06ff](?:[^\\W_{_ARABIC_LETTERS}\u0600-\u06ff]|[{_MARKS}])*"  # other scripts
)
_TOKEN_RE = re.compile(f"{_URL}|{_WORDS}")
# The e-mail alternative rescans every word; only texts with an "@" pay for it.
_TOKEN_EMAIL_RE = re.compile(f"{_URL}|{_EMAIL}|{_WORDS}")


def tokens(text: str) -> list[str]:
    """The tokens of `text` in order: URLs, e-mail addresses, numbers, words (one script per token)."""
    if not text:
        return []
    return (_TOKEN_EMAIL_RE if "@" in text else _TOKEN_RE).findall(text)
