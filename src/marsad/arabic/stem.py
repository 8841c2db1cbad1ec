"""Stemmers for normalised Arabic words.

Two are kept and measured (benchmarks/stemmers.py): `light10`, our implementation of the light stemmer
Lucene/OpenSearch's Arabic analyser uses (ArabicNormalizer + ArabicStemmer), and `snowball`, Snowball
Arabic from PyStemmer after stripping a leading و/ف before a preposition or the article. `stem` is the
one chosen by those figures; both take a word already passed through `normalise`.
"""

from __future__ import annotations

import Stemmer

# Lucene ArabicStemmer, in its order. Input is normalised, so ة is already ه and ية is يه.
_LIGHT10_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_LIGHT10_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")
_ARABIC_FIRST, _ARABIC_LAST = "\u0600", "\u06ff"


def light10(word: str) -> str:
    """Lucene's ArabicStemmer: strip at most one prefix, then each suffix in turn, keeping >= 2 letters.

    The one-letter prefix و needs a word of at least 4 letters; every other affix needs 2 letters left.
    """
    for prefix in _LIGHT10_PREFIXES:
        if word.startswith(prefix):
            if len(prefix) == 1 and len(word) < 4:
                continue
            if len(word) < len(prefix) + 2:
                continue
            word = word[len(prefix) :]
            break
    for suffix in _LIGHT10_SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


_SNOWBALL = Stemmer.Stemmer("arabic")
_CONJUNCTION_BEFORE = ("وال", "فال", "وبال", "فبال", "ولل", "فلل", "وب", "فب", "ول", "فل", "وك", "فك")


def snowball(word: str) -> str:
    """Snowball Arabic after dropping a leading و/ف that stands before ال, بال, لل, ب, ل or ك."""
    if len(word) > 4 and word.startswith(_CONJUNCTION_BEFORE):
        word = word[1:]
    return _SNOWBALL.stemWord(word)


def is_arabic(word: str) -> bool:
    return bool(word) and _ARABIC_FIRST <= word[0] <= _ARABIC_LAST


_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 1_000_000


def stem(word: str) -> str:
    """The stem used for indexing and querying (light10, chosen by benchmarks/stemmers.py).

    Non-Arabic tokens (numbers, Latin words, URLs) are returned as they are.
    """
    found = _CACHE.get(word)
    if found is not None:
        return found
    result = light10(word) if is_arabic(word) else word
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[word] = result
    return result
