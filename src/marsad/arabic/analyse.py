"""The analyser: the one function that turns text into index terms, at index time and at query time."""

from __future__ import annotations

from marsad.arabic.normalise import normalise
from marsad.arabic.stem import stem
from marsad.arabic.stopwords import STOPWORDS
from marsad.arabic.tokens import tokens

MAX_TERM_LENGTH = 64  # longer "words" are runs of noise (a stuck key, base64), not terms anyone searches

# token -> term ("" for a token that gives no term); one dict lookup per token once a word has been seen
_TERMS: dict[str, str] = {}
_TERMS_LIMIT = 1_000_000


def _term(token: str) -> str:
    term = "" if token in STOPWORDS or len(token) > MAX_TERM_LENGTH else stem(token)
    if len(_TERMS) >= _TERMS_LIMIT:
        _TERMS.clear()
    _TERMS[token] = term
    return term


def analyse(text: str) -> list[str]:
    """normalise -> tokens -> drop Arabic function words -> stem. Numbers, URLs and Latin words are kept;
    tokens longer than MAX_TERM_LENGTH characters are dropped."""
    if not text:
        return []
    terms = []
    lookup = _TERMS.get
    for token in tokens(normalise(text)):
        term = lookup(token)
        if term is None:
            term = _term(token)
        if term:
            terms.append(term)
    return terms


def clear_caches() -> None:
    """Forget memoised terms and stems (for benchmarks that measure a cold start)."""
    from marsad.arabic.stem import stem_cache

    _TERMS.clear()
    stem_cache().clear()
