"""kind "record": a corpus row that is already an article; map its fields onto Article."""

from __future__ import annotations

from datetime import datetime
from typing import get_args

from marsad.models import Article, ExtractionError, Page, Precision

_TEXT_FIELDS = (
    "author",
    "outlet",
    "original_outlet",
    "original_url",
    "language",
    "canonical_url",
    "summary",
    "previous_title",
    "previous_url",
    "next_title",
    "next_url",
)
_PRECISIONS: dict[str, Precision] = {name: name for name in get_args(Precision)}


def _body(value: object) -> list[str]:
    if isinstance(value, str):
        value = value.split("\n")
    if not isinstance(value, list):
        return []
    return [str(p) for p in value if str(p).strip()]  # as published: only empty lines go


def _stated_precision(value: object) -> Precision | None:
    """The record's own precision when it is one Marsad knows ("day", "minute", ...), else None."""
    return _PRECISIONS.get(value) if isinstance(value, str) else None


def _published(value: object) -> tuple[datetime | None, Precision | None]:
    """A record's ISO date and how precise it is ("2018-05-20" is a day; with a time, a minute)."""
    if isinstance(value, datetime):
        return value, "minute"
    if not isinstance(value, str) or not value.strip():
        return None, None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None, None
    return parsed, ("day" if len(text) <= 10 else "minute")


def from_record(page: Page) -> Article:
    record = page.record or {}
    title = str(record.get("title") or "")
    body = _body(record.get("body", record.get("text")))
    if not body:
        raise ExtractionError("record has no body text")
    published, precision = _published(record.get("published"))
    article = Article(
        url=str(record.get("url") or page.url),
        title=title,
        body=body,
        published=published,
        precision=_stated_precision(record.get("precision")) or precision,
        fetched_at=page.fetched_at,
    )
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            setattr(article, name, value.strip())
    if not article.outlet and page.outlet_hint:
        article.outlet = page.outlet_hint
    for name in ("categories", "ticker"):
        value = record.get(name)
        if isinstance(value, list):
            setattr(article, name, [str(v) for v in value if str(v).strip()])
    return article
