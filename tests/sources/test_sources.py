"""Sources: dispatch by extension and sniffing, JSON-lines merging, WARC records, feeds, URLs."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from marsad.models import Page, SourceFailure, canonical_url, known_outlet
from marsad.sources import Expected, Skipped, iter_targets, parse_feed
from marsad.sources.common import file_kind
from marsad.sources.feeds import FeedError, html_paragraphs
from marsad.sources.http.safety import AddressPolicy

from .loopback import serving

PAGE = (
    '<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>خبر</title></head>'
    "<body><p>انطلقت اليوم فعاليات المهرجان الوطني للمسرح بمشاركة فرق من مختلف المدن.</p></body></html>"
)

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>سكاي نيوز عربية</title><link href="https://www.skynewsarabia.com/"/>
  <entry>
    <title>ارتفاع أسعار النفط في الأسواق العالمية</title>
    <link href="https://www.skynewsarabia.com/business/1-oil"/>
    <id>tag:sky,1</id>
    <published>2018-03-05T08:15:00+04:00</published>
    <author><name>قسم الاقتصاد</name></author>
    <category term="اقتصاد"/>
    <summary>ارتفعت أسعار النفط صباح اليوم.</summary>
    <content type="html">&lt;p&gt;ارتفعت أسعار النفط صباح اليوم.&lt;/p&gt;&lt;p&gt;وعزا المحللون ذلك إلى تراجع المخزونات.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def _rss(items: str, *, close: bool = True) -> bytes:
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>أخبار</title><link>https://akhbar.example/</link>'
    return (head + items + ("</channel></rss>" if close else "")).encode()


RSS_ITEM = (
    "<item><title>افتتاح سوق الكتاب</title><link>https://akhbar.example/a1</link>"
    "<pubDate>Tue, 10 Apr 2018 09:00:00 +0100</pubDate><description>افتتح سوق الكتاب أبوابه.</description></item>"
)


LOOPBACK = AddressPolicy.from_strings(["127.0.0.0/8"])  # the test server; every other address stays refused


def _items(targets, policy: AddressPolicy | None = LOOPBACK) -> list:
    return [i for i in iter_targets([str(t) for t in targets], policy=policy)]


def _warc_record(
    url: str, payload: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200
) -> bytes:
    http = f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n\r\n".encode() + payload
    return (
        (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2018-06-01T10:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
        ).encode()
        + http
        + b"\r\n\r\n"
    )


# --- dispatch ---------------------------------------------------------------------------------------------


def test_file_kind_by_extension_and_content(tmp_path: Path) -> None:
    cases = {
        "a.txt": b"text",
        "b.htm": PAGE.encode(),
        "feed.xml": _rss(RSS_ITEM),
        "page.xml": PAGE.encode(),
        "crawl.gz": gzip.compress(_warc_record("https://x.example/", PAGE.encode())),
        "corpus.gz": gzip.compress(b'{"url": "https://x.example/"}\n'),
        "noext": _rss(RSS_ITEM),
        "blob": bytes(range(256)) * 4,
        "empty.dat": b"",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    kinds = {name: file_kind(tmp_path / name) for name in cases}
    assert kinds == {
        "a.txt": "text",
        "b.htm": "html",
        "feed.xml": "feed",
        "page.xml": "html",
        "crawl.gz": "warc",
        "corpus.gz": "jsonl",
        "noext": "feed",
        "blob": "binary",
        "empty.dat": None,
    }


def test_folder_is_recursive_and_skips_other_files(tmp_path: Path) -> None:
    (tmp_path / "site" / "2018").mkdir(parents=True)
    (tmp_path / "site" / "2018" / "one.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "site" / "two.txt").write_text("عنوان\n\nنص الخبر", encoding="utf-8")
    (tmp_path / "site" / "gold.json").write_text("{}", encoding="utf-8")
    (tmp_path / "site" / ".hidden.html").write_text(PAGE, encoding="utf-8")
    items = _items([tmp_path / "site"])
    assert [type(i).__name__ for i in items] == ["Skipped", "Expected", "Page", "Page"]
    assert items[0].origin.endswith("gold.json") and items[1].count == 2
    assert [(Path(p.origin).name, p.kind) for p in items[2:]] == [("one.html", "html"), ("two.txt", "text")]
    assert isinstance(items[2].content, bytes) and items[3].content == "عنوان\n\nنص الخبر"


def test_missing_path_is_a_failure(tmp_path: Path) -> None:
    (failure,) = _items([tmp_path / "nope"])
    assert (failure.stage, failure.reason) == ("read", "no such file or folder")


def test_text_dump_in_windows_1256(tmp_path: Path) -> None:
    text = "تراجع أسعار الخضر في أسواق الجملة بعد وفرة الإنتاج خلال هذا الأسبوع"
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1256"))
    (_, page) = _items([tmp_path / "legacy.txt"])
    assert (page.content, page.encoding) == (text, "cp1256")


# --- JSON lines ------------------------------------------------------------------------------------------


def _ant_line(url: str, category: str, text: str, title: str = "عنوان الخبر") -> str:
    row = {"docno": "X", "url": url, "source": "skynews", "category": category, "title": title,
           "time": "Mon, 05 Mar 2018 08:15:00 +0400", "author": "دبي", "abstract": "ملخص", "text": text}  # fmt: skip
    return json.dumps(row, ensure_ascii=False)


def test_jsonl_merges_duplicates_and_keeps_the_later_text(tmp_path: Path) -> None:
    a, b = "https://www.skynewsarabia.com/world/1", "https://www.skynewsarabia.com/world/2"
    lines = [
        _ant_line(a, "middleEast", "النص الأول\n\nفقرة ثانية"),
        _ant_line(b, "sport", ""),
        "not json",
        _ant_line(b, "economy", "نص\nآخر"),
        _ant_line(a, "internationalNews", "النص المعدل\nفقرة ثانية", title="عنوان معدل"),
        _ant_line(a, "middleEast", "النص المعدل\nفقرة ثانية", title="عنوان معدل"),
    ]
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    items = _items([path])
    assert isinstance(items[0], Expected) and items[0].count == 4
    shown = [
        (i.origin.rsplit(":", 1)[1], i.stage, i.reason) if isinstance(i, SourceFailure) else (i.origin.rsplit(":", 1)[1], i.record)
        for i in items[1:]
    ]  # fmt: skip
    when = datetime(2018, 3, 5, 8, 15, tzinfo=timezone(timedelta(hours=4))).isoformat()
    common = {
        "published": when,
        "precision": "minute",
        "author": "دبي",
        "outlet": "سكاي نيوز عربية",
        "summary": "ملخص",
    }
    assert shown == [
        ("2", "extract", "the record's text is empty"),
        ("3", "read", "not a JSON object: Expecting value"),
        ("4", {"url": b, "title": "عنوان الخبر", "body": ["نص", "آخر"], "categories": ["economy"], **common}),
        ("6", {"url": a, "title": "عنوان معدل", "body": ["النص المعدل", "فقرة ثانية"],
               "categories": ["middleEast", "internationalNews"], **common}),
    ]  # fmt: skip
    assert all(isinstance(i, Page) and i.kind == "record" for i in items[3:])


def test_a_json_document_is_not_json_lines(tmp_path: Path) -> None:
    (tmp_path / "gold.json").write_text('{\n  "title": "عنوان",\n  "body": []\n}\n', encoding="utf-8")
    (failure,) = _items([tmp_path / "gold.json"])
    assert failure.reason == "a JSON document, not JSON lines (one record a line)"


def test_a_corrupt_gzip_corpus_is_one_clear_failure(tmp_path: Path) -> None:
    lines = [_ant_line(f"https://www.skynewsarabia.com/world/{n}", "sport", "نص الخبر") for n in range(400)]
    data = bytearray(gzip.compress("\n".join(lines).encode(), mtime=0))
    data[-8:-4] = b"\x00\x00\x00\x00"  # a wrong CRC: the whole stream reads, then fails its check
    (tmp_path / "bad.jsonl.gz").write_bytes(bytes(data))
    items = _items([tmp_path / "bad.jsonl.gz"])
    assert [type(i).__name__ for i in items] == ["SourceFailure"]
    assert items[0].reason.startswith("cannot read the JSON-lines file: CRC check failed")


# --- WARC --------------------------------------------------------------------------------------------------


def test_warc_gz_response_records_only(tmp_path: Path) -> None:
    records = [
        _warc_record("https://x.example/1", PAGE.encode("cp1256"), "text/html; charset=windows-1256"),
        _warc_record("https://x.example/logo.png", b"\x89PNG....", "image/png"),
        _warc_record("https://x.example/gone", PAGE.encode(), status=404),
        _warc_record("https://x.example/2", PAGE.encode()),
    ]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(gzip.compress(r) for r in records))
    pages = _items([path])
    assert [(p.url, p.kind, p.encoding) for p in pages] == [
        ("https://x.example/1", "html", "windows-1256"),
        ("https://x.example/2", "html", "utf-8"),
    ]
    assert pages[0].content == PAGE.encode("cp1256")
    assert pages[0].fetched_at.isoformat() == "2018-06-01T10:00:00+00:00"


def test_truncated_warc_gz_keeps_records_before_the_break(tmp_path: Path) -> None:
    records = [_warc_record(f"https://x.example/{n}", PAGE.encode() * 3) for n in range(3)]
    data = b"".join(gzip.compress(r) for r in records)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:-60])
    items = _items([path])
    assert [type(i).__name__ for i in items] == ["Page", "Page", "SourceFailure"]
    assert items[2].url == "https://x.example/2"
    assert items[2].reason.startswith("the archive is truncated: this record has ")


def test_garbage_warc_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(b"WARC/1.0\r\nthis is not a header block at all" * 3)
    (failure,) = _items([path])
    assert failure.stage == "read"
    assert failure.reason == "no WARC response records could be read from the file"


# --- feeds ------------------------------------------------------------------------------------------------


def test_parse_atom_feed() -> None:
    feed = parse_feed(ATOM.encode(), "https://www.skynewsarabia.com/rss")
    assert (feed.title, feed.error, len(feed.entries)) == ("سكاي نيوز عربية", None, 1)
    entry = feed.entries[0]
    assert entry.url == "https://www.skynewsarabia.com/business/1-oil"
    assert entry.title == "ارتفاع أسعار النفط في الأسواق العالمية"
    assert entry.published.isoformat() == "2018-03-05T08:15:00+04:00"
    assert entry.content == ["ارتفعت أسعار النفط صباح اليوم.", "وعزا المحللون ذلك إلى تراجع المخزونات."]
    assert (entry.summary, entry.author, entry.categories) == (
        "ارتفعت أسعار النفط صباح اليوم.",
        "قسم الاقتصاد",
        ["اقتصاد"],
    )


def test_feed_file_pages_carry_the_known_outlet(tmp_path: Path) -> None:
    (tmp_path / "sky.atom").write_text(ATOM, encoding="utf-8")
    expected, page = _items([tmp_path / "sky.atom"])
    assert expected.count == 1
    assert (page.kind, page.record["outlet"], page.record["body"][1]) == (
        "record", "سكاي نيوز عربية", "وعزا المحللون ذلك إلى تراجع المخزونات.",
    )  # fmt: skip


def test_broken_and_non_feeds() -> None:
    broken = parse_feed(_rss(RSS_ITEM + "<item><title>ناقص", close=False), "https://akhbar.example/rss")
    assert broken.error is not None and [e.url for e in broken.entries][0] == "https://akhbar.example/a1"
    with pytest.raises(FeedError, match="not a readable RSS or Atom feed"):
        parse_feed(b"\x00\x01 not xml at all", "https://akhbar.example/rss")


def test_html_paragraphs() -> None:
    assert html_paragraphs("<p>أ</p><p>ب<br>ج</p>") == ["أ", "ب", "ج"]
    assert html_paragraphs("نص بلا وسوم") == ["نص بلا وسوم"]
    assert html_paragraphs("") == []


# --- URLs ------------------------------------------------------------------------------------------------


ROUTES = {
    "/rss": ("application/rss+xml", _rss(RSS_ITEM)),
    "/page": ("text/html; charset=utf-8", PAGE.encode()),
    "/big": ("text/html", b"<html>" + b"x" * (11 * 1024 * 1024)),
}


@pytest.fixture(scope="module")
def server():
    with serving(ROUTES) as base:
        yield base


def test_urls_feed_page_and_errors(server: str) -> None:
    items = _items([f"{server}/rss", f"{server}/page", f"{server}/missing", f"{server}/big"])
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Expected", "Page", "Page", "SourceFailure", "SourceFailure"]
    assert (items[1].kind, items[1].url, items[1].record["title"]) == (
        "record",
        "https://akhbar.example/a1",
        "افتتاح سوق الكتاب",
    )
    assert (items[2].kind, items[2].url, items[2].encoding) == ("html", f"{server}/page", "utf-8")
    assert (items[3].stage, items[3].reason) == ("fetch", f"HTTP 404 from {server}/missing")
    assert items[4].reason == f"{server}/big is larger than the 10485760-byte cap"


def test_a_url_on_a_private_address_is_refused_unless_allowed(server: str) -> None:
    [refused] = _items([f"{server}/page"], policy=None)
    assert (refused.stage, refused.reason) == ("fetch", "refused 127.0.0.1: 127.0.0.1 is a loopback address")


def test_canonical_url_and_known_outlets() -> None:
    assert (
        canonical_url("HTTPS://WWW.Example.com:443/ar/خبر?utm_source=x&id=3#top")
        == "https://www.example.com/ar/خبر?id=3"
    )
    assert canonical_url("file:///tmp/a.txt") == "file:///tmp/a.txt"
    assert known_outlet("alarabia").name == "العربية"
    assert known_outlet(None, "http://www.bbc.co.uk/arabic/x").name_latin == "BBC Arabic"
    assert known_outlet("جريدة لا نعرفها", "https://unknown.example/") is None
    assert isinstance(Skipped("a", "b"), Skipped)
