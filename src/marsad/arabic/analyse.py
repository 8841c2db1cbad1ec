"""The analyser: the one function that turns text into index terms, at index time and at query time."""

from __future__ import annotations

from marsad.arabic.normalise import normalise
from marsad.arabic.stem import stem, stem_cache
from marsad.arabic.stopwords import STOPWORDS
from marsad.arabic.tokens import tokens

MAX_TERM_LENGTH = 64  # longer "words" are runs of noise (a stuck key, base64), not terms anyone searches


def analyse(text: str) -> list[str]:
    """normalise -> tokens -> drop Arabic function words -> stem. Numbers, URLs and Latin words are kept;
    tokens longer than MAX_TERM_LENGTH characters are dropped."""
    if not text:
        return []
    cache = stem_cache()
    terms = []
    for token in tokens(normalise(text)):
        if token in STOPWORDS or len(token) > MAX_TERM_LENGTH:
            continue
        term = cache.get(token)
        terms.append(term if term is not None else stem(token))
    return terms
