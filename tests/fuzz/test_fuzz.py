"""A short fuzz run of the five readers of untrusted input (the long campaign is benchmarks/fuzz.py), and
the crashes that campaign found, each with its exact expected behaviour now.

The contract: a reader returns normally or raises its documented error (ExtractionError, FeedError; a file
reader yields SourceFailure items instead of raising), never IndexError, RecursionError, UnicodeError ...
"""

from __future__ import annotations

import gzip
import json
import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.arabic import find_dates, parse_date
from marsad.extract import extract
from marsad.models import Article, ExtractionError, Page, SourceFailure
from marsad.sources.common import Expected
from marsad.sources.feeds import FeedError, feed_pages, html_paragraphs, parse_feed
from marsad.sources.jsonl import read_jsonl
from marsad.sources.textdump import read_textdump

SHORT = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SENTENCES = [
    "وقال المسؤول إن الحكومة ستواصل العمل على تنفيذ الإصلاحات، مضيفا أن النتائج ستظهر قريبا.",
    "وأوضح البيان أن الاجتماع تناول سبل تعزيز التعاون الاقتصادي بين البلدين في مجالات عدة.",
    "ارتفعت أسعار النفط في الأسواق العالمية صباح اليوم بعد تراجع المخزونات الأمريكية.",
]
DATE_PIECES = [
    "21", "٢١", "۲۱", "2017", "٢٠١٧", "1438", "09", "/", "-", " - ", ":", "10:30", "ص", "م", "هـ",
    "سبتمبر", "شتنبر", "أيلول", "(سبتمبر)", "كانون الأول", "رمضان", "ذو الحجة", "جانفي", "sept.",
    "الخميس", "امس", "أمس الأول", "غدا", "اليوم", "منذ", "قبل", "3", "ساعات", "يومين", "أسبوع", "عام",
    "الماضي", "المقبل", "الجاري", "متم", "مطلع", "منتصف", "الربع الأول من", "فاتح", "يوم", "T", "Z",
    "+03:00", "GMT", "وقال", "مليون", " ", "\u0640", "\u064e", "\u200f", "\ufeff", "،", ".",
]  # fmt: skip
HTML_PIECES = [
    "<html>", "<body>", "</body>", "<article>", "</article>", "<div class=\"article-body\">", "</div>",
    "<div class=\"related\">", "<p>", "</p>", "<br>", "<h1>", "</h1>", "<a href=\"/x\">", "</a>",
    "<time datetime=\"2017-09-21T10:30:00+03:00\">", "</time>", "<meta charset=\"windows-1256\">",
    "<meta property=\"og:title\" content=\"عنوان\">", "<link rel=\"canonical\" href=\"javascript:x\">",
    "<script type=\"application/ld+json\">", "</script>", "{\"@type\":\"NewsArticle\",\"datePublished\":",
    "\"2017-13-45\"}", "<!--", "-->", "&#1575;", "&nbsp;", "اقرأ أيضا:", "بقلم", "الخميس 21 سبتمبر 2017",
    "\x00", "\r\n", *SENTENCES,
]  # fmt: skip
REFS = [
    None,
    datetime(2017, 9, 21, 10, 30),
    datetime(2017, 9, 21, 10, 30, tzinfo=UTC),
    datetime(2018, 2, 28, 23, 59, tzinfo=timezone(timedelta(hours=3, minutes=30))),
    date(2017, 9, 21),
    datetime(1, 1, 1),
    datetime(9999, 12, 31, 23, 59, 59),
]


def _pieces(pieces: list[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces) | st.text(max_size=6), max_size=max_size).map("".join)


def _extract_or_reason(page: Page) -> Article | None:
    try:
        article = extract(page)
    except ExtractionError as error:
        assert str(error)
        return None
    assert isinstance(article.title, str)
    assert article.body and all(isinstance(p, str) for p in article.body)
    return article


# ----------------------------------------------------------------------------------------- short runs
@SHORT
@given(
    body=_pieces(HTML_PIECES, 40),
    encoding=st.sampled_from([None, "utf-8", "windows-1256", "x-no-such-charset", "utf-16"]),
    as_cp1256=st.booleans(),
)
def test_html_extractor(body: str, encoding: str | None, as_cp1256: bool) -> None:
    content = body.encode(
        "cp1256" if as_cp1256 else "utf-8", errors="replace" if as_cp1256 else "surrogatepass"
    )
    _extract_or_reason(Page(url="https://news.example/a", kind="html", content=content, encoding=encoding))


_DUMP_LINES = [
    *SENTENCES,
    "",
    "عاجل",
    "شريط الأخبار",
    "تفاصيل أخرى",
    "الدرهم يدخل مرحلة المرونة    المركزي يثبت سعر الفائدة    بنك المغرب يبقي على السعر",
    "هدى المنصوري 21 سبتمبر 2017",
    "اقرأ أيضا: افتتاح معرض الكتاب",
    "المقال السابق: خبر آخر",
    "محمد، منذ 3 ساعات",
    "الرئيسية",
]


@SHORT
@given(
    lines=st.lists(st.sampled_from(_DUMP_LINES) | st.text(max_size=40), max_size=30),
    raw=st.binary(max_size=40),
)
def test_text_dump_extractor(lines: list[str], raw: bytes) -> None:
    text = "\n".join(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.txt"
        path.write_bytes(text.encode("utf-8", "surrogatepass") + raw)
        for item in read_textdump(path):
            assert isinstance(item, Page | SourceFailure)
            if isinstance(item, Page):
                _extract_or_reason(item)
    _extract_or_reason(Page(url="https://news.example/a", kind="text", content=text))


@SHORT
@given(text=_pieces(DATE_PIECES, 25), ref=st.sampled_from(REFS))
def test_date_parser(text: str, ref: datetime | date | None) -> None:
    for mention in find_dates(text, ref):
        assert text[mention.start : mention.end] == mention.text
        mention.date.iso()
    parsed = parse_date(text, ref)
    assert parsed is None or parsed.iso()


_FEEDS = [
    '<?xml version="1.0" encoding="{enc}"?><rss version="2.0"><channel><title>أخبار</title>'
    "<link>https://akhbar.example/</link><item><title>{a}</title><link>https://akhbar.example/{b}</link>"
    "<pubDate>{c}</pubDate><description>{d}</description></item></channel></rss>",
    '<?xml version="1.0" encoding="{enc}"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{a}</title>'
    '<entry><title>{a}</title><link href="https://a.example/{b}"/><published>{c}</published>'
    '<content type="html">{d}</content></entry></feed>',
]


@SHORT
@given(
    template=st.sampled_from(_FEEDS),
    enc=st.sampled_from(["utf-8", "windows-1256", "utf-8\x00", "bogus"]),
    parts=st.lists(
        st.text(max_size=30) | st.sampled_from(["&lt;p&gt;", "&amp;", "\x1b", "<![CDATA[", "]]>"]),
        min_size=4,
        max_size=4,
    ),
    cut=st.integers(min_value=0, max_value=400),
)
def test_feed_reader(template: str, enc: str, parts: list[str], cut: int) -> None:
    a, b, c, d = parts
    data = template.format(enc=enc, a=a, b=b, c=c, d=d).encode("utf-8", "surrogatepass")
    data = data[: len(data) - cut] if cut < len(data) else data
    try:
        feed = parse_feed(data, "https://akhbar.example/rss")
    except FeedError:
        return
    for item in feed_pages(feed, "https://akhbar.example/rss"):
        assert isinstance(item, Page | SourceFailure | Expected)
        if isinstance(item, Page):
            _extract_or_reason(item)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.sampled_from(SENTENCES),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_RECORD = st.fixed_dictionaries(
    {"url": st.sampled_from(["https://a.example/1", "https://a.example/2", " ", ""]) | st.text(max_size=10)},
    optional={
        "title": _JSON_VALUES,
        "text": st.sampled_from(SENTENCES) | _JSON_VALUES,
        "body": _JSON_VALUES,
        "time": st.sampled_from(["Sun, 18 Feb 2018 21:35:43 +0400", "2018-02-18", "x"]) | _JSON_VALUES,
        "published": st.sampled_from(["2017-09-21", "2017-09-21T10:30:00Z", "9999-99-99"]) | _JSON_VALUES,
        "precision": st.sampled_from(["day", "minute", "week"]) | _JSON_VALUES,
        "source": st.sampled_from(["alarabia", "BBC"]) | _JSON_VALUES,
        "categories": _JSON_VALUES,
        "category": _JSON_VALUES,
    },
)


@SHORT
@given(
    lines=st.lists(
        _RECORD.map(lambda r: json.dumps(r, ensure_ascii=False)) | st.text(max_size=30), max_size=8
    ),
    packing=st.sampled_from(["plain", "gzip"]),
)
def test_jsonl_reader(lines: list[str], packing: str) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if packing == "gzip":
        data = gzip.compress(data, mtime=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.jsonl"
        path.write_bytes(data)
        for item in read_jsonl(path):
            assert isinstance(item, Page | SourceFailure | Expected)
            if isinstance(item, Page):
                _extract_or_reason(item)


# -------------------------------------------------------------------- crashes the campaign found (fixed)
S = SENTENCES[0]


def test_text_dump_ending_in_a_short_line_and_a_one_line_ticker() -> None:
    """Was IndexError in find_runs: a block of ticker lines only, after a held short line."""
    text = f"{S}\n\nتفاصيل أخرى\n\nالدرهم يدخل مرحلة المرونة    المركزي يثبت سعر الفائدة    بنك المغرب يبقي على السعر"
    article = extract(Page(url="https://news.example/a", kind="text", content=text))
    assert article.title == ""
    assert article.body == [S]


def test_feed_with_a_non_utf8_byte_in_its_encoding_name() -> None:
    """Was UnicodeDecodeError inside feedparser (it decodes the declared encoding's name as UTF-8). Marsad
    decodes the feed itself (marsad.charsets): an unknown label is no label, and the UTF-8 feed is read."""
    data = (
        b'<?xml version="1.0" encoding="utf-8\xae"?><rss version="2.0"><channel><title>t</title>'
        b"<item><link>https://a.example/1</link><description>x</description></item></channel></rss>"
    )
    feed = parse_feed(data, "https://a.example/rss")
    assert [(e.url, e.summary) for e in feed.entries] == [("https://a.example/1", "x")]
    assert feed.error is None


def test_feed_with_a_null_in_its_encoding_name() -> None:
    """Was ValueError (embedded null character) inside feedparser's decoding; now the label is ignored and
    the feed, which has no entries, is read as empty."""
    data = b'<?xml version="1.0" encoding="wind\x00"?><rss version="2.0"><channel></channel></rss>'
    feed = parse_feed(data, "https://a.example/rss")
    assert (feed.entries, feed.error) == ([], None)


def test_feed_with_a_tag_inside_a_category_tag() -> None:
    """Was KeyError 'tags' inside feedparser's loose parser."""
    data = b'<rss version="2.0"><channel><item><category</entry>>x</category></item></channel></rss>'
    with pytest.raises(FeedError, match=r"feedparser failed on it \(KeyError: 'tags'\)"):
        parse_feed(data, "https://a.example/rss")


def test_empty_feed_data() -> None:
    """Was AttributeError: feedparser's result for no data has no `version` (a fetched empty body)."""
    with pytest.raises(FeedError, match="not a readable RSS or Atom feed: no feed element"):
        parse_feed(b"", "https://a.example/rss")


def test_feed_html_with_control_characters() -> None:
    """Was ValueError from lxml (text not XML compatible): control characters are dropped."""
    assert html_paragraphs("<p>نص\x1bآخر</p><p>ثان\x00</p>") == ["نصآخر", "ثان"]
    data = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>أخبار</title><item>'
        "<title>خبر</title><link>https://akhbar.example/a1</link>"
        "<description>&lt;p&gt;افتتح\x1b سوق الكتاب&lt;/p&gt;</description></item></channel></rss>"
    ).encode()
    feed = parse_feed(data, "https://a.example/rss")
    assert [(e.url, e.title, e.summary) for e in feed.entries] == [
        ("https://akhbar.example/a1", "خبر", "افتتح سوق الكتاب")
    ]
    assert feed.error  # the control byte makes the XML not well-formed: said, and the entry kept


# ------------------------------------------ crashes found in the JSON-lines reader (fixed there, 0b3b0ed)
@pytest.mark.parametrize("time", [17, ["x"], True, {"a": 1}], ids=["int", "list", "bool", "object"])
def test_jsonl_time_of_another_type(time: object, tmp_path: Path) -> None:
    """Was AttributeError (parsedate_to_datetime on a number, a list ...). A `time` that is not a string is no date: the line is kept without one, and so is the next."""
    path = tmp_path / "corpus.jsonl"
    lines = [
        {"url": "https://a.example/1", "text": S, "time": time},
        {"url": "https://a.example/2", "text": S, "time": "Sun, 18 Feb 2018 21:35:43 +0400"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    pages = [item for item in read_jsonl(path) if isinstance(item, Page)]
    assert [(p.url, p.record and p.record["published"]) for p in pages] == [
        ("https://a.example/1", None),
        ("https://a.example/2", "2018-02-18T21:35:43+04:00"),
    ]


@pytest.mark.parametrize(
    "pub_date",
    ["00", "Tue, 1000000000000000000000000000000000000000000000000000 Apr 2018 09:00:00 +0100"],
    ids=["year -99", "day of 52 digits"],
)
def test_feed_dates_out_of_range(pub_date: str) -> None:
    """Were ValueError (feedparser reads "00" as the year -99) and OverflowError (parsedate_to_datetime):
    a date out of range is no date, and the entry is kept."""
    data = (
        '<rss version="2.0"><channel><title>t</title><item><title>خبر</title><link>https://a.example/1</link>'
        f"<pubDate>{pub_date}</pubDate><description>نص الخبر</description></item></channel></rss>"
    ).encode()
    feed = parse_feed(data, "https://a.example/rss")
    assert [(e.url, e.title, e.published, e.summary) for e in feed.entries] == [
        ("https://a.example/1", "خبر", None, "نص الخبر")
    ]
    assert feed.error is None


def test_feed_link_after_a_links_element() -> None:
    """Was TypeError in host_of: after a <links/> element feedparser gives the channel's link as a dict.
    A link that is not text is no link: the outlet is the feed's title."""
    data = (
        b'<rss version="2.0"><channel><title>t</title><links/><link>https://a.example/</link><item><title>x</title>'
        b"<link>https://a.example/1</link><description>y</description></item></channel></rss>"
    )
    feed = parse_feed(data, "https://a.example/rss")
    assert (feed.title, feed.link, feed.error) == ("t", None, None)
    pages = [item for item in feed_pages(feed, "origin") if isinstance(item, Page)]
    assert [(p.url, p.outlet_hint, p.record and p.record["body"]) for p in pages] == [
        ("https://a.example/1", "t", ["y"])
    ]


def test_entry_link_after_a_links_element() -> None:
    """Was AttributeError (dict.startswith): an entry whose only link feedparser gives as a dict has no
    URL, and is left out like any entry without one."""
    data = (
        b'<rss version="2.0"><channel><title>t</title><item><title>x</title><links/>'
        b"<link>https://a.example/1</link><description>y</description></item></channel></rss>"
    )
    feed = parse_feed(data, "https://a.example/rss")
    assert (feed.entries, feed.error) == ([], None)
