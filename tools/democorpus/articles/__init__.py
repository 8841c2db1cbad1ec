"""The demo articles, as their outlets published them. Every text here was written for Marsad."""

from __future__ import annotations

from dataclasses import replace

from democorpus.articles import economy, gctf, singles, sport
from democorpus.articles.dates import DATES
from democorpus.model import DemoArticle


def _with_dates(articles: list[DemoArticle]) -> list[DemoArticle]:
    """Attach the hand-annotated date mentions to the articles whose text is their own."""
    return [replace(a, dates=DATES[a.slug]) if a.slug in DATES else a for a in articles]


ARTICLES: list[DemoArticle] = _with_dates(
    [*gctf.ARTICLES, *sport.ARTICLES, *economy.ARTICLES, *singles.ARTICLES]
)
