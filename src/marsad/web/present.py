"""How things look on a page: Arabic dates, safe links, sanitised paragraphs, highlighted snippets."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import escape
from typing import Protocol
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup

from marsad.arabic.counts import counted

MONTHS_AR = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
QUARTERS_AR = ["الربع الأول", "الربع الثاني", "الربع الثالث", "الربع الرابع"]

# Inline markup a published paragraph may keep; everything else is stripped or escaped by nh3.
PARAGRAPH_TAGS = {"b", "strong", "i", "em", "u", "q", "sub", "sup", "br", "a", "span", "mark", "small"}
PARAGRAPH_ATTRIBUTES = {"a": {"href", "title"}}


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no javascript:, data: or relative tricks)."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch in url for ch in "\x00\r\n\t<>\"' "):
        return None
    return url


def paragraph_html(text: str) -> Markup:
    """One paragraph as published, through nh3: harmless inline tags kept, anything active removed."""
    cleaned = nh3.clean(
        text,
        tags=PARAGRAPH_TAGS,
        attributes=PARAGRAPH_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    )
    return Markup(cleaned)


def arabic_date(value: str | None, precision: str | None = None) -> str:
    """An ISO date at its precision, written the Arabic way: "21 سبتمبر 2017", "سبتمبر 2017", "2017"."""
    if not value:
        return "تاريخ غير معروف"
    text = value.strip()
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        return f"{QUARTERS_AR[int(m[2]) - 1]} {m[1]}"
    if re.fullmatch(r"\d{4}", text):
        return text
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return f"{MONTHS_AR[int(m[2]) - 1]} {m[1]}"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if precision == "year":
        return str(moment.year)
    if precision in ("month", "quarter"):
        return f"{MONTHS_AR[moment.month - 1]} {moment.year}"
    day = f"{moment.day} {MONTHS_AR[moment.month - 1]} {moment.year}"
    if precision == "minute" or (precision is None and "T" in text and moment.hour + moment.minute):
        return f"{day}، الساعة {moment.hour:02d}:{moment.minute:02d}"
    return day


def iso_datetime(value: str | None) -> str:
    """A full RFC 3339 timestamp for feeds (midnight UTC when only a day is known)."""
    if not value:
        return "1970-01-01T00:00:00Z"
    text = value.strip()
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        return f"{m[1]}-{3 * int(m[2]) - 2:02d}-01T00:00:00Z"
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-01-01T00:00:00Z"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{text}-01T00:00:00Z"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return "1970-01-01T00:00:00Z"
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat()


class HasSource(Protocol):
    url: str
    original_url: str | None


def read_at_source(item: HasSource) -> str | None:
    """The "read at the source" link: the original's URL for a repost, else the article's own URL."""
    return safe_url(item.original_url) or safe_url(item.url)


def highlight(text: str, terms: list[str], width: int = 220) -> Markup:
    """An escaped snippet of `text` around the first term, every term wrapped in <mark>."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return Markup(escape(text[:width]))
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    first = pattern.search(text)
    start = max(0, first.start() - width // 3) if first else 0
    piece = text[start : start + width]
    out, last = [], 0
    for m in pattern.finditer(piece):
        out.append(escape(piece[last : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(piece[last:]))
    prefix = "… " if start else ""
    return Markup(prefix + "".join(out) + (" …" if start + width < len(text) else ""))


def clean_snippet(html: str) -> Markup:
    """A snippet from the search index: only <mark> survives."""
    return Markup(nh3.clean(html or "", tags={"mark"}, attributes={}))


RELATIVE_DAYS = 30  # older than this, a listing shows the date itself


def instant(value: str | None) -> datetime | None:
    """The UTC time of an ISO `published` value (a period at its start, no offset read as UTC), or None:
    the instant the store orders by (store.articles.instant_of)."""
    text = (value or "").strip()
    try:
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
            moment = datetime(int(m[1]), 3 * int(m[2]) - 2, 1)
        elif m := re.fullmatch(r"(\d{4})(?:-(\d{2}))?", text):
            moment = datetime(int(m[1]), int(m[2] or 1), 1)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def relative_time(value: str | None, precision: str | None = None, now: datetime | None = None) -> str:
    """How long ago, in Arabic: "الآن", "منذ 5 دقائق", "منذ ساعتين", "أمس", "منذ 3 أيام", "منذ 11 يوما"; a
    day without a time counts in days ("اليوم", "أمس", "منذ يومين"). "" when the time is unknown, known only
    to the month or year, more than RELATIVE_DAYS days ago or in the future: then the date itself is shown."""
    moment = instant(value)
    if moment is None or precision in ("month", "quarter", "year"):
        return ""
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    if seconds < -300 or seconds >= RELATIVE_DAYS * 86_400:
        return ""
    if precision == "day" or "T" not in (value or ""):
        days = (now.date() - moment.date()).days
        return "اليوم" if days <= 0 else _days_ago(days)
    if seconds < 60:
        return "الآن"
    if seconds < 3600:
        return "منذ " + counted(int(seconds // 60), "minute", genitive=True)
    if seconds < 86_400:
        return "منذ " + counted(int(seconds // 3600), "hour", genitive=True)
    return _days_ago(int(seconds // 86_400))


def _days_ago(days: int) -> str:
    return "أمس" if days == 1 else "منذ " + counted(days, "day", genitive=True)


SUMMARY_CHARS = 280  # a summary written from the body, when the article has none, is cut here


def summary_of(summary: str | None, lead: str | None, limit: int = SUMMARY_CHARS) -> str:
    """The article's own summary; else its first paragraphs (from `lead`, the body's start) up to `limit`
    characters, cut at a word with an ellipsis; "" when it has neither."""
    if summary and summary.strip():
        return summary.strip()
    text = " ".join(p.strip() for p in (lead or "").split("\n") if p.strip())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ،,.؛:") + "…"


LISTING_TITLE_CHARS = (
    300  # a title shown in a listing, feed or API list is cut here (the stored one is whole)
)


def short_title(title: str | None, limit: int = LISTING_TITLE_CHARS) -> str:
    """TITLE as a listing shows it: whole up to LIMIT characters, else cut at a word with an ellipsis."""
    title = title or ""
    if len(title) <= limit:
        return title
    cut = title[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def has_surrogate(text: str) -> bool:
    """Whether TEXT holds a lone UTF-16 surrogate (which a JSON escape can carry, and UTF-8 cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
