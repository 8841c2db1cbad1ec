"""HTML pages (first version: trafilatura)."""

from __future__ import annotations

from datetime import datetime

from trafilatura import bare_extraction

from marsad.models import Article, ExtractionError, Page


def extract_html(text: str, page: Page) -> Article:
    doc = bare_extraction(text, url=page.url or None, with_metadata=True)
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no article text found in the HTML page")
    body = [line.strip() for line in doc.text.split("\n") if line.strip()]
    published = None
    if doc.date:
        try:
            published = datetime.fromisoformat(doc.date)
        except ValueError:
            published = None
    return Article(
        url=page.url,
        title=doc.title or "",
        body=body,
        published=published,
        precision="day" if published else None,
        author=doc.author,
        outlet=doc.sitename,
        canonical_url=doc.url,
        fetched_at=page.fetched_at,
    )
