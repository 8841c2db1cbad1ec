"""The analyser: the one function that turns text into index terms, at index time and at query time."""

from __future__ import annotations

from marsad.arabic.normalise import normalise
from marsad.arabic.stem import stem
from marsad.arabic.stopwords import STOPWORDS
from marsad.arabic.tokens import tokens


def analyse(text: str) -> list[str]:
    """normalise -> tokens -> drop Arabic function words -> stem. Numbers, URLs and Latin words are kept."""
    if not text:
        return []
    return [stem(token) for token in tokens(normalise(text)) if token not in STOPWORDS]
