"""Page -> Article: the body paragraphs, title, date, author, outlet and repost origin of one page.

`extract(page)` dispatches on page.kind: "html" (a DOM pass), "text" (a crawl's text dump, line by line)
and "record" (a corpus row that already has the fields). Pure: no network, no database.
"""

from __future__ import annotations

from marsad.extract.decode import looks_binary, page_text
from marsad.models import Article, ExtractionError, Page

__all__ = ["extract", "ExtractionError"]


def extract(page: Page) -> Article:
    """The article on one page; raises ExtractionError with the reason when there is none."""
    if page.kind == "record":
        from marsad.extract.record import from_record

        return from_record(page)
    text = page_text(page.content, page.content_type, page.encoding)
    if not text.strip():
        raise ExtractionError("empty page")
    if looks_binary(text):
        raise ExtractionError("binary content, not a page of text (or an unknown encoding)")
    if page.kind == "text":
        from marsad.extract.textdump import extract_text

        return extract_text(text, page)
    if page.kind == "html":
        from marsad.extract.html import extract_html

        return extract_html(text, page)
    raise ExtractionError(f"unknown page kind {page.kind!r}")
