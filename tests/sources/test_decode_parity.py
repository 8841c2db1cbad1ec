"""Issue 19: one decoder for every path. The same bytes, with the same labels, give the same text whether
they arrive as an HTML file, a text dump, a WARC record, a crawled page, a fetched URL or a feed, and
labels are read as browsers read them (iso-8859-1 is windows-1252)."""

from __future__ import annotations

import asyncio
import codecs
import html
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from marsad.charsets import charset_param, codec_for, decode, document_label
from marsad.crawl.rounds import _page as crawled_page
from marsad.extract import extract
from marsad.extract.decode import page_text
from marsad.models import Page
from marsad.sources import iter_targets
from marsad.sources.http.fetcher import FetchConfig, Fetcher, detect_encoding
from marsad.sources.http.safety import AddressPolicy

from .loopback import serving

LOOPBACK = AddressPolicy.from_strings(["127.0.0.0/8"])
ARABIC = [
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة بطاقة مئتي سرير.",
    "وقال الوزير إن المستشفى سيخدم سكان الأحياء الجنوبية التي تفتقر إلى الخدمات.",
]
SHORT_ARABIC = ["افتتح الوزير مستشفى جديدا في العاصمة."]
LATIN = ["Le ministre a déclaré : “quoted” — l’été sera chaud.", "Prix : 5 € ; œuvre française."]


@dataclass(frozen=True)
class Case:
    paragraphs: list[str]
    codec: str  # how the bytes are written
    header: str | None  # the charset label of the Content-Type, where the path has one
    meta: str | None  # the page's <meta charset>, and the feed's XML declaration
    bom: bytes = b""

    def page(self) -> bytes:
        meta = f'<meta charset="{self.meta}">' if self.meta else ""
        body = "".join(f"<p>{p}</p>" for p in self.paragraphs)
        document = (
            f'<!DOCTYPE html><html lang="ar"><head>{meta}<title>{self.paragraphs[0][:20]}</title></head>'
            f"<body><article>{body}</article></body></html>"
        )
        return self.bom + document.encode(self.codec)

    def feed(self) -> bytes:
        declaration = f'<?xml version="1.0" encoding="{self.meta}"?>' if self.meta else ""
        paragraphs = html.escape("".join(f"<p>{p}</p>" for p in self.paragraphs))
        document = (
            f'{declaration}<rss version="2.0"><channel><title>News</title><link>https://akhbar.example/</link>'
            f"<item><title>item</title><link>https://akhbar.example/1</link>"
            f"<description>{paragraphs}</description></item></channel></rss>"
        )
        return self.bom + document.encode(self.codec)

    @property
    def content_type(self) -> str:
        return f"text/html; charset={self.header}" if self.header else "text/html"

    @property
    def feed_type(self) -> str:
        return f"application/rss+xml; charset={self.header}" if self.header else "application/rss+xml"


CASES = {
    "utf-8": Case(ARABIC, "utf-8", None, "utf-8"),
    "utf-8 unlabelled": Case(ARABIC, "utf-8", None, None),
    "utf-8 with a BOM": Case(ARABIC, "utf-8", None, None, codecs.BOM_UTF8),
    "utf-16 LE with a BOM": Case(ARABIC, "utf-16-le", None, "utf-16", codecs.BOM_UTF16_LE),
    "utf-16 BE with a BOM": Case(ARABIC, "utf-16-be", None, None, codecs.BOM_UTF16_BE),
    "windows-1256 by header": Case(ARABIC, "cp1256", "windows-1256", None),
    "windows-1256 by meta": Case(ARABIC, "cp1256", None, "windows-1256"),
    "iso-8859-1 labelled (windows-1252)": Case(LATIN, "cp1252", "iso-8859-1", "iso-8859-1"),
    "latin1 in the header only": Case(LATIN, "cp1252", "latin1", None),
    "short windows-1256, unlabelled": Case(SHORT_ARABIC, "cp1256", None, None),
    "header utf-8, meta windows-1256, bytes windows-1256": Case(ARABIC, "cp1256", "utf-8", "windows-1256"),
    "header windows-1256, meta utf-8, bytes utf-8": Case(ARABIC, "utf-8", "windows-1256", "utf-8"),
}


def expected_text(case: Case) -> str:
    return case.page()[len(case.bom) :].decode(case.codec)


@pytest.fixture(scope="module")
def server():
    routes = {}
    for n, case in enumerate(CASES.values()):
        routes[f"/page/{n}"] = (case.content_type, case.page())
        routes[f"/feed/{n}"] = (case.feed_type, case.feed())
    with serving(routes) as base:
        yield base


def _warc(url: str, payload: bytes, content_type: str) -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n".encode() + payload
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2018-06-01T10:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


def _only_page(target: str, policy: AddressPolicy | None = None) -> Page:
    pages = [i for i in iter_targets([target], policy=policy) if isinstance(i, Page)]
    assert len(pages) == 1, target
    return pages[0]


def _crawled(url: str) -> Page:
    async def get():
        async with Fetcher(FetchConfig(delay=0.0, policy=LOOPBACK)) as fetcher:
            return await fetcher.fetch(url)

    result = asyncio.run(get())
    assert result.ok, result.error
    return crawled_page({"url": url}, result, None)


@pytest.mark.parametrize("name", list(CASES))
def test_the_same_bytes_give_the_same_text_on_every_path(tmp_path: Path, server: str, name: str) -> None:
    case = CASES[name]
    n = list(CASES).index(name)
    expected = expected_text(case)
    pages: dict[str, Page] = {}
    if case.header is None:  # a file carries no transport label
        (tmp_path / "page.html").write_bytes(case.page())
        pages["html file"] = _only_page(str(tmp_path / "page.html"))
    (tmp_path / "crawl.warc").write_bytes(_warc("https://akhbar.example/1", case.page(), case.content_type))
    pages["warc"] = _only_page(str(tmp_path / "crawl.warc"))
    pages["crawl"] = _crawled(f"{server}/page/{n}")
    pages["url"] = _only_page(f"{server}/page/{n}", LOOPBACK)
    texts = {path: page_text(p.content, p.content_type, p.encoding) for path, p in pages.items()}
    assert texts == dict.fromkeys(pages, expected)
    assert {path: extract(p).body for path, p in pages.items()} == dict.fromkeys(pages, case.paragraphs)
    if case.header is None:  # the same bytes as a text dump: the dump's text is the same document
        (tmp_path / "dump.txt").write_bytes(case.page())
        assert _only_page(str(tmp_path / "dump.txt")).content == expected
        (tmp_path / "feed.rss").write_bytes(case.feed())
        feed_file = _only_page(str(tmp_path / "feed.rss"))
        assert feed_file.record is not None and feed_file.record["body"] == case.paragraphs
    feed_url = _only_page(f"{server}/feed/{n}", LOOPBACK)
    assert feed_url.record is not None and feed_url.record["body"] == case.paragraphs


def test_iso_8859_1_quotes_are_curly_on_every_path() -> None:
    """The two bugs of the issue, on the decoder itself: 0x93/0x94 are “ ” and a short unlabelled Arabic
    body is windows-1256 (never cp1006, Urdu)."""
    quoted = "“quoted”".encode("cp1252")
    assert decode(quoted, "iso-8859-1").text == "“quoted”"
    assert decode(quoted, "iso8859-1").text == "“quoted”"  # Python's name of Latin-1 is a WHATWG label too
    assert decode(b"\x81\x8d", "windows-1252").text == "\x81\x8d"  # WHATWG: the gaps are C1 controls
    tiny = "خبر عاجل".encode("cp1256")  # the crawler's own detection read this as cp1006
    assert (
        decode(tiny).text,
        detect_encoding(tiny),
        detect_encoding("“quoted”".encode("cp1252"), "iso-8859-1"),
    ) == (
        "خبر عاجل",
        "cp1256",
        "cp1252",
    )
    short = SHORT_ARABIC[0].encode("cp1256")
    assert (decode(short).text, decode(short).codec, decode(short).by) == (
        SHORT_ARABIC[0],
        "cp1256",
        "detected",
    )


def test_labels_are_read_as_browsers_read_them() -> None:
    assert [codec_for(label) for label in ("ISO-8859-1", " latin1 ", "US-ASCII", "ascii", "cp1252")] == [
        "cp1252"
    ] * 5
    assert [codec_for(label) for label in ("utf-16", "UTF-16BE", "gb2312", "x-sjis", "arabic", "utf8")] == [
        "utf-16-le",
        "utf-16-be",
        "gb18030",
        "cp932",
        "iso8859-6",
        "utf-8",
    ]
    assert [codec_for(label) for label in ("x-mac-arabic", "latin-1", "rot13", "", None, b"utf-8")] == [
        None,
        None,
        None,
        None,
        None,
        "utf-8",
    ]
    assert charset_param('text/html; Charset="Windows-1256"; q=1') == "Windows-1256"
    assert charset_param("text/html") is None
    assert document_label(b"<?xml version='1.0' encoding='windows-1256'?><rss/>") == "windows-1256"
    assert document_label(b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">') == (
        "iso-8859-6"
    )
