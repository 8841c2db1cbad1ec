"""Stemmers for normalised Arabic words.

Three are kept and measured on inflected forms from the ANT corpus (benchmarks/stemmers.py): `light10`,
our implementation of the light stemmer Lucene/OpenSearch's Arabic analyser uses (ArabicNormalizer +
ArabicStemmer); Snowball Arabic from PyStemmer after stripping a leading و/ف before a preposition or the
article (kept in the benchmark, PyStemmer being a [bench] dependency); and `marsad_light`, light10 with three additions. `stem` is `marsad_light`,
chosen by those figures: it joins the most inflected forms (120 groups, 2,803 forms: 83.9% of forms and
90.7% of tokens get their group's stem, against 57.8% / 87.2% for light10 and 47.4% / 64.8% for
Snowball; on 54 held-out groups chosen afterwards 89.6% / 90.8%, against 66.5% / 85.3% and 54.7% /
64.5%) at the price of keeping fewer look-alike pairs apart (جامعة/جامع, سنة/سن: 28% of 50 pairs, against
32% for light10 and 62% for Snowball). All take a word already passed through `normalise`.

Figures on the ANT Corpus v2.1 (Chouigui, Ben Khiroun and Elayeb, "An Arabic Multi-source News Corpus:
Experimenting on Single-document Extractive Summarization", Arabian Journal for Science and Engineering
46(8), 2021).
"""

from __future__ import annotations

from marsad.arabic.names import name_term

# Lucene ArabicStemmer, in its order. Input is normalised, so ة is already ه and ية is يه.
_LIGHT10_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_LIGHT10_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")
_ARABIC_FIRST, _ARABIC_LAST = "\u0600", "\u06ff"


def light10(word: str) -> str:
    """Lucene's ArabicStemmer: strip at most one prefix, then each suffix in turn, keeping >= 2 letters.

    The one-letter prefix و needs a word of at least 4 letters; every other affix needs 2 letters left.
    """
    return _strip_suffixes(_strip_prefix(word)[1])


# Additions to light10 (measured in benchmarks/stemmers.py as "marsad"): the attached prepositions ب ل ك
# and the conjunction ف, the possessive pronouns light10 leaves on, and the ت a ta marbuta becomes before
# an ending (حكومتهم, دولتين).
# Letters stripped from the front, with the letters that must stay: بحر, بلد, لحظة keep their first letter.
_CLITIC_REST = {"و": 3, "ب": 4, "ل": 4, "ك": 4, "ف": 4}
_PRONOUNS = ("هما", "كما", "هم", "كم", "هن", "نا")
_PRONOUN_MIN_REST = 3


def _strip_prefix(word: str) -> tuple[str, str]:
    """light10's prefix step; returns (prefix removed, rest)."""
    if not word.startswith(_LIGHT10_PREFIXES):
        return "", word
    for prefix in _LIGHT10_PREFIXES:
        if word.startswith(prefix):
            if len(prefix) == 1 and len(word) < 4:
                continue
            if len(word) < len(prefix) + 2:
                continue
            return prefix, word[len(prefix) :]
    return "", word


def _strip_suffixes(word: str) -> str:
    if not word.endswith(_LIGHT10_SUFFIXES):
        return word
    for suffix in _LIGHT10_SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


def marsad_light(word: str) -> str:
    """light10 plus: the conjunction و and the proclitics ب/ل/ك/ف, one after another, after light10's
    prefix or without one (و when 3 letters stay, the others when 4 stay); one possessive pronoun (هم هما
    كم كما هن نا) when 3 letters stay; and the ت left of a ta marbuta once an ending is gone.

    So a word's first letters are stripped alike whatever came before it: light10 strips a bare و (وزير ->
    زير) but keeps it after the article (الوزير -> وزير), and a search for وزير missed الوزير; here both
    give زير, and بريطانيا, لبريطانيا, وبريطانيا all give ريطانيا."""
    _, word = _strip_prefix(word)
    while word[:1] in _CLITIC_REST and len(word) - 1 >= _CLITIC_REST[word[0]]:
        word = word[1:]
    before = word
    for pronoun in _PRONOUNS if word.endswith(_PRONOUNS) else ():
        if word.endswith(pronoun) and len(word) - len(pronoun) >= _PRONOUN_MIN_REST:
            word = word[: -len(pronoun)]
            break
    word = _strip_suffixes(word)
    if word != before and len(word) >= 4 and word.endswith("ت"):
        word = word[:-1]
    return word


def is_arabic(word: str) -> bool:
    return bool(word) and _ARABIC_FIRST <= word[0] <= _ARABIC_LAST


_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 1_000_000


def stem(word: str) -> str:
    """The stem used for indexing and querying: a listed proper name's own term (marsad.arabic.names),
    else `marsad_light` (chosen by benchmarks/stemmers.py).

    Non-Arabic tokens (numbers, Latin words, URLs) are returned as they are.
    """
    found = _CACHE.get(word)
    if found is not None:
        return found
    result = (name_term(word) or marsad_light(word)) if is_arabic(word) else word
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[word] = result
    return result


def stem_cache() -> dict[str, str]:
    """The memo of `stem` (word -> stem), for callers that look words up in a loop."""
    return _CACHE
