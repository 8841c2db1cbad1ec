"""What linking looks at in an article: word shingles (reposts), weighted terms (stories, threads), numbers
and places, and the dates its body mentions (timeline).

The language work (normalisation, tokens, stems, dates) is marsad.arabic's; this module only decides which
of its outputs linking uses, in one pass over each paragraph (normalise -> tokens -> shingles, stems).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from marsad.arabic import STOPWORDS, attribution, normalise, stem, tokens

SHINGLE_WORDS = 2  # word bigrams: see duplicates.py for why
TOP_TERMS = 40
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Places a story is about weigh more when two articles share them (normalised forms).
PLACES = _words(
    """المغرب الرباط الدار البيضاء الجزاير تونس ليبيا طرابلس مصر القاهره السودان الخرطوم موريتانيا نواكشوط
    السعوديه الرياض جده الامارات ابوظبي دبي قطر الدوحه الكويت البحرين المنامه عمان مسقط اليمن صنعاء عدن الحديده
    العراق بغداد الموصل البصره كركوك سوريا دمشق حلب ادلب حمص درعا الغوطه الرقه دير الزور لبنان بيروت الاردن عمان
    فلسطين القدس غزه رام الله الضفه اسراييل تل ابيب ايران طهران تركيا انقره اسطنبول روسيا موسكو اوكرانيا الصين
    بكين اليابان طوكيو كوريا بيونغ يانغ سيول الهند باكستان افغانستان كابول امريكا واشنطن نيويورك كندا المكسيك
    البرازيل فرنسا باريس بريطانيا لندن المانيا برلين ايطاليا روما اسبانيا مدريد هولندا بلجيكا بروكسل سويسرا جنيف
    السويد النرويج الدنمارك بولندا اليونان قبرص افريقيا اوروبا اسيا نيجيريا اثيوبيا الصومال كينيا مالي النيجر تشاد
    فنزويلا كوبا"""
)

_TERMS: dict[str, str] = {}  # word -> term; a dict lookup beats a call per word


@dataclass
class Features:
    shingles: list[str]
    vector: dict[str, float]  # L2-normalised tf-idf of analysed terms, top TOP_TERMS
    numbers: frozenset[str]
    places: frozenset[str]
    terms: Counter = field(default_factory=Counter)  # analysed term counts (for document frequencies)


def paragraph_words(paragraphs: list[str]) -> list[list[str]]:
    """Normalised tokens of each paragraph (normalising keeps line breaks, so the body goes in one call)."""
    return [tokens(p) for p in normalise("\n".join(paragraphs)).split("\n")] if paragraphs else []


def shingles(words_by_paragraph: list[list[str]]) -> list[str]:
    """Word bigrams inside each paragraph: reordering paragraphs leaves them intact."""
    out: set[str] = set()
    for w in words_by_paragraph:
        if len(w) >= SHINGLE_WORDS:
            out.update(map(" ".join, zip(w, w[1:], strict=False)))
        elif w:
            out.add(" ".join(w))
    return list(out)


def _term(word: str) -> str:
    """The stem of a word, or "" for a function word or a single letter (cached)."""
    found = _TERMS.get(word)
    if found is None:
        if len(_TERMS) > 500_000:
            _TERMS.clear()
        found = _TERMS[word] = "" if word in STOPWORDS or len(word) < 2 else stem(word)
    return found


def weighted_terms(title_words: list[str], words_by_paragraph: list[list[str]]) -> tuple[Counter, set[str]]:
    """Stemmed term counts (the title and the lead weigh more than the rest of the body) and the set of
    distinct words."""
    words: dict[str, float] = Counter(chain.from_iterable(words_by_paragraph))
    get = words.get
    for w in title_words:
        words[w] = get(w, 0) + TITLE_WEIGHT
    if words_by_paragraph:
        for w in words_by_paragraph[0]:
            words[w] = get(w, 0) + (LEAD_WEIGHT - 1.0)
    counts: dict[str, float] = {}  # a plain dict: Counter's item methods run in Python
    seen = counts.get
    terms = _TERMS
    for word, count in words.items():
        term = terms.get(word)
        if term is None:
            term = _term(word)
        if term:
            counts[term] = seen(term, 0) + count
    return Counter(counts), set(words)


class _Logs(dict):
    """key -> f(key), computed on first use (math.log per term and article was a tenth of linking)."""

    def __init__(self, f):
        super().__init__()
        self.f = f

    def __missing__(self, key: float) -> float:
        if len(self) > 1_000_000:
            self.clear()
        value = self[key] = self.f(key)
        return value


_ONE_PLUS_LOG = _Logs(lambda tf: 1.0 + math.log(tf))
_LOG_DF = np.zeros(0)  # _LOG_DF[d] = math.log(d + 1), grown as documents are counted


def tf_weights(counts: dict[str, float]) -> np.ndarray:
    """1 + log tf of each term of `counts`, in its order."""
    weight = _ONE_PLUS_LOG
    return np.array([weight[tf] for tf in counts.values()], dtype=np.float64)


def _log_df(dfs: np.ndarray, n_docs: int) -> np.ndarray:
    """math.log(df + 1) of each df (at most n_docs), read from a table: the same values as math.log gives,
    which numpy's own log may not (the last bit), so the ranking of tied terms stays what it is."""
    global _LOG_DF
    if n_docs >= len(_LOG_DF):
        _LOG_DF = np.array([math.log(d + 1) for d in range(max(1024, 2 * n_docs))], dtype=np.float64)
    return _LOG_DF[dfs]


def tfidf_of(
    terms: list[str], weights: np.ndarray, dfs: np.ndarray, n_docs: int
) -> tuple[dict[str, float], list[int]]:
    """Top TOP_TERMS terms by (1 + log tf) * idf, L2-normalised, from each term's tf weight (tf_weights)
    and document frequency (counting the article itself), heaviest first, ties in term order; and the
    positions in `terms` of the terms kept, in that order."""
    log_n = math.log(n_docs + 1) + 1.0
    scores = weights * (log_n - _log_df(dfs, n_docs))
    if len(scores) > TOP_TERMS:  # the few at or above the TOP_TERMS-th score, then ranked exactly
        kth = np.partition(scores, len(scores) - TOP_TERMS)[len(scores) - TOP_TERMS]
        chosen = np.flatnonzero(scores >= kth).tolist()
    else:
        chosen = range(len(scores))
    values = scores.tolist()
    # (-weight, term, i) tuples order as the ranking wants (heaviest first, ties by term) without a key
    top = sorted([(-values[i], terms[i], i) for i in chosen])[:TOP_TERMS]
    norm = math.sqrt(sum([w * w for w, _, _ in top])) or 1.0
    weights_kept = rounded(np.array([w for w, _, _ in top]) / -norm)  # -w / norm
    return dict(zip([t for _, t, _ in top], weights_kept, strict=True)), [i for _, _, i in top]


def rounded(values: list[float] | np.ndarray) -> list[float]:
    """Each value rounded to 9 places, as link state keeps weights and scores (so that ties compare the
    same after a round trip through the store). np.round gave round(x, 9) on 2 million random weights, at
    a third of its cost for 40."""
    return np.round(np.asarray(values, dtype=np.float64), 9).tolist()


def numbers(words: set[str]) -> frozenset[str]:
    """Numbers worth sharing: two digits or more."""
    return frozenset(w for w in words if w[0].isdigit() and len(w) >= 2 and w[-1].isdigit())


def places(words: set[str]) -> frozenset[str]:
    found = words & PLACES
    found.update(w[1:] for w in words if w[:1] in "وبلف" and w[1:] in PLACES)
    return frozenset(found)


def without_attribution(paragraphs: list[str]) -> list[str]:
    """The paragraphs less a short attribution line ("نشر في دوزيم يوم ...") among the first and last two:
    every repost from one aggregator carries the same line, which says nothing about the text."""
    if not paragraphs:
        return paragraphs
    edge = {0, 1, len(paragraphs) - 1, len(paragraphs) - 2}
    return [
        p
        for i, p in enumerate(paragraphs)
        if not (i in edge and p.count(" ") < 20 and attribution(p) is not None)
    ]


def article_features(title: str, paragraphs: list[str]) -> Features:
    """Everything linking needs from one article; `vector` is filled in by the linker once the document
    frequencies count this article (see tfidf_of)."""
    title_words = tokens(normalise(title))
    by_paragraph = paragraph_words(without_attribution(paragraphs))
    terms, distinct = weighted_terms(title_words, by_paragraph)
    return Features(
        shingles=shingles(by_paragraph),
        vector={},
        numbers=numbers(distinct),
        places=places(distinct),
        terms=terms,
    )
