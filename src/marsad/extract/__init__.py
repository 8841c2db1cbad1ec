"""Page -> Article: the body paragraphs, title, date, author, outlet and repost origin of one page.

`extract(page, profile)` dispatches on page.kind: "html" (a DOM pass), "text" (a crawl's text dump, line by
line) and "record" (a corpus row that already has the fields). Pure: no network, no database; what it
knows of the outlet comes in `profile` (extract/profile.py), learnt from the store by the caller.
"""

from __future__ import annotations

from marsad.extract.authors import split_byline
from marsad.extract.decode import looks_binary, page_text
from marsad.extract.profile import OutletProfile, drop_chrome
from marsad.models import Article, ExtractionError, Page

__all__ = ["extract", "ExtractionError", "OutletProfile"]


def extract(page: Page, profile: OutletProfile | None = None) -> Article:
    """The article on one page; raises ExtractionError with the reason when there is none.

    With the outlet's `profile`, paragraphs that the outlet repeats on its pages (its chrome) are left out.
    """
    article = _extract(page, profile)
    if page.kind != "record":
        article.body = drop_chrome(article.body, profile)
    if page.kind == "text":  # the HTML pass reads the byline with more of the outlet's names (html.py)
        names = [article.outlet, page.outlet_hint, profile.outlet if profile else None]
        article.author, article.byline_place = split_byline(article.author, names)
    return article


def _extract(page: Page, profile: OutletProfile | None) -> Article:
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

        return extract_html(text, page, profile)
    raise ExtractionError(f"unknown page kind {page.kind!r}")
