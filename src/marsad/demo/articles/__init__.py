"""The demo articles, as their outlets published them. Every text here was written for Marsad."""

from __future__ import annotations

from marsad.demo.articles import economy, gctf, singles, sport
from marsad.demo.model import DemoArticle

ARTICLES: list[DemoArticle] = [*gctf.ARTICLES, *sport.ARTICLES, *economy.ARTICLES, *singles.ARTICLES]
