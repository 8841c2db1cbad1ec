"""A fuzzing campaign (atheris, coverage-guided) on five readers of untrusted input (issue 20):

- html:  marsad.extract.extract on a kind-"html" Page (declared charset and content type vary);
- text:  the text-dump path: a .txt file read by sources.textdump.read_textdump, each page extracted
         (or the bytes given straight to extract as a kind-"text" Page);
- dates: marsad.arabic.find_dates and parse_date, without a reference time and with naive, aware, date and
         extreme (year 1, year 9999) ones; every mention's span must give back its text;
- feed:  sources.feeds.parse_feed on RSS/Atom bytes, then feed_pages and extract of every record page;
- jsonl: sources.jsonl.read_jsonl on a file of bytes (plain, gzip, truncated gzip, gzip with trailing
         bytes), then extract of every record page.

The contract: a target returns normally or raises the documented error for bad input (ExtractionError,
FeedError; a reader yields SourceFailure items instead of raising), within a time bound. Anything else
(IndexError, RecursionError, UnicodeError, zlib.error, ValueError ...) is a crash: counted once per place
(exception type and innermost marsad frame), its smallest input kept in OUT/crashes/. Every input slower
than 1 s is counted and the slowest kept in OUT/slow/.

Seeds: the repo's fixtures and demo corpus, generated Arabic-ish structured inputs (HTML skeletons, date
strings with Arabic/Hindi digits and month names, RSS/Atom skeletons, JSON lines) and, when present, the
seeds and the first ANT lines in ../shared/data (read at run time only). Each input's first byte chooses a
mode (charset, reference time, gzip ...); the rest is the document.

Usage:
  .venv/bin/python benchmarks/fuzz.py campaign [--out DIR] [--jobs 2] [--seed S] [--plan html=150000,...]
  .venv/bin/python benchmarks/fuzz.py run TARGET --runs N [--out DIR] [--seed S]   (one target, one process)
  .venv/bin/python benchmarks/fuzz.py replay TARGET FILE...                        (re-run saved inputs)

atheris is in the `bench` extra (pip install -e '.[bench]').
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "marsad-fuzz"
SLOW_SECONDS = 1.0
STATS_EVERY = 2000

DEFAULT_PLAN = {"html": 150_000, "text": 200_000, "dates": 600_000, "feed": 150_000, "jsonl": 300_000}
MAX_LEN = {"html": 48_000, "text": 24_000, "dates": 400, "feed": 16_000, "jsonl": 8_000}
TIMEOUT = 30  # libFuzzer's per-input limit (s): a hang stops the run and is reported as one

# --------------------------------------------------------------------------------------- seed material
SENTENCES = [
    "وقال المسؤول إن الحكومة ستواصل العمل على تنفيذ الإصلاحات، مضيفا أن النتائج ستظهر قريبا.",
    "وأوضح البيان أن الاجتماع تناول سبل تعزيز التعاون الاقتصادي بين البلدين في مجالات عدة.",
    "ارتفعت أسعار النفط في الأسواق العالمية صباح اليوم بعد تراجع المخزونات الأمريكية.",
    "وأشار المتحدث إلى أن الوفد سيزور العاصمة الأسبوع المقبل لاستكمال المباحثات.",
    "افتتح معرض الكتاب أبوابه أمام الزوار بمشاركة أكثر من ثلاثمائة دار نشر عربية وأجنبية.",
]
DATES = [
    "الخميس 21 سبتمبر 2017 - 10:30 ص",
    "٢١/٠٩/٢٠١٧",
    "۲۱ شتنبر ۲۰۱۷",
    "نشر في دوزيم يوم 21 - 09 - 2017",
    "امس الاربعاء",
    "منذ 3 ساعات",
    "قبل يومين",
    "9 أيلول (سبتمبر) 2017",
    "متم شتنبر 2017",
    "مطلع العام المقبل",
    "الربع الأول من 2018",
    "15 رمضان 1438 هـ",
    "فاتح محرم 1439",
    "2017-09-21T10:30:00+01:00",
    "Sun, 18 Feb 2018 21:35:43 +0400",
    "الأسبوع الماضي",
    "يوم الأربعاء المقبل",
    "5 جويلية",
    "في عام 1999",
    "السبت، 10 نونبر 2018 على الساعة 14:05",
    "آخر تحديث: 03:15 م بتوقيت مكة",
    "2018/03/05 08:15 GMT",
    "أواخر كانون الأول 2016",
    "غدا",
    "اليوم",
    "منذ 2017 سنة",
    "+99:99",
    "12 Sept. 2017",
    "ربيع الآخر 1440",
]
DATE_WORDS = [
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
    "ديسمبر", "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
    "تشرين الأول", "تشرين الثاني", "كانون الأول", "جانفي", "فيفري", "أفريل", "ماي", "جوان", "جويلية",
    "أوت", "شتنبر", "نونبر", "دجنبر", "محرم", "صفر", "ربيع الأول", "جمادى الآخرة", "رجب", "شعبان",
    "رمضان", "شوال", "ذو القعدة", "ذي الحجة", "هـ", "م", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس",
    "الجمعة", "السبت", "الأحد", "امس", "أمس الأول", "غدا", "اليوم", "منذ", "قبل", "بعد", "ساعة", "ساعات",
    "دقيقة", "دقائق", "يوم", "يومين", "أيام", "أسبوع", "أسابيع", "شهر", "شهرين", "أشهر", "عام", "سنة",
    "سنوات", "الماضي", "المقبل", "الجاري", "متم", "نهاية", "مطلع", "بداية", "منتصف", "أواسط", "أوائل",
    "أواخر", "الربع", "الأول", "الثاني", "الثالث", "الرابع", "فاتح", "ص", "م", "صباحا", "مساء", "GMT",
    "+03:00", "T", "Z", "sept.", "janv.", "مليون", "درهم", "٠", "١", "٢", "٣", "٤", "٥", "٦", "٧", "٨",
    "٩", "۰", "۱", "۲", "۴", "۹", "\u0640", "\u064e", "\u0651", "\u200f", "\u200c", "\ufeff", "،", "؛",
    " - ", "/", ":", ".", "(", ")",
]  # fmt: skip
HTML_TOKENS = [
    "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<article>", "</article>", "<div>",
    "</div>", "<p>", "</p>", "<br>", "<br/>", "<h1>", "</h1>", "<h2>", "<span>", "<a href=\"/x\">", "</a>",
    "<time datetime=\"2017-09-21T10:30:00+03:00\">", "</time>", "<script type=\"application/ld+json\">",
    "</script>", "<meta property=\"og:title\" content=\"", "<meta name=\"author\" content=\"",
    "<meta property=\"article:published_time\" content=\"", "<link rel=\"canonical\" href=\"",
    "<meta charset=\"windows-1256\">", "<meta charset=\"utf-8\">",
    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=", "class=\"article-body\"",
    "class=\"related\"", "class=\"comments\"", "id=\"content\"", "itemprop=\"articleBody\"", "<!--", "-->",
    "<![CDATA[", "]]>", "&amp;", "&#1575;", "&#x627;", "&nbsp;", "<!DOCTYPE html>", "<title>", "</title>",
    "<ul><li>", "</li></ul>", "<table><tr><td>", "</td></tr></table>", "<blockquote>", "<figure>",
    "<figcaption>", "<img src=\"/i.jpg\" alt=\"", "<amp-img", "\"isBasedOn\":", "\"datePublished\":",
    "\"headline\":", "\"author\":{\"name\":", "\"@type\":\"NewsArticle\"", "اقرأ أيضا:", "المقال السابق",
    "المقال التالي", "المصدر:", "نقلا عن", "بقلم", "كتب:", "عاجل", "شريط الأخبار", "<svg>", "<math>",
    "<template>", "<noscript>", "<iframe>", "<form>", "<select><option>", "\x00", "\r\n", "\t",
]  # fmt: skip
FEED_TOKENS = [
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<?xml version=\"1.0\" encoding=\"windows-1256\"?>",
    "<rss version=\"2.0\">", "</rss>", "<channel>", "</channel>", "<item>", "</item>", "<title>",
    "</title>", "<link>", "</link>", "<description>", "</description>", "<pubDate>", "</pubDate>",
    "<guid>", "</guid>", "<category>", "</category>", "<author>", "</author>", "<dc:creator>",
    "</dc:creator>", "<content:encoded>", "</content:encoded>",
    "<feed xmlns=\"http://www.w3.org/2005/Atom\">", "</feed>", "<entry>", "</entry>",
    "<link href=\"https://a.example/x\"/>", "<id>", "</id>", "<published>", "</published>", "<updated>",
    "</updated>", "<summary>", "</summary>", "<content type=\"html\">", "</content>", "<category term=\"",
    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\">",
    "</rdf:RDF>", "<![CDATA[", "]]>", "&lt;p&gt;", "&lt;/p&gt;", "&amp;", "&#1575;", "&bogus;",
    "<!DOCTYPE rss [<!ENTITY e \"x\">]>", "&e;", "https://", "http://", "javascript:", "Tue, 10 Apr 2018 09:00:00 +0100",
    "2018-03-05T08:15:00+04:00", "9999-99-99", "\x00",
]  # fmt: skip
JSON_TOKENS = [
    "{", "}", "[", "]", "\"url\":", "\"title\":", "\"text\":", "\"body\":", "\"time\":", "\"published\":",
    "\"precision\":", "\"source\":", "\"outlet\":", "\"category\":", "\"categories\":", "\"author\":",
    "\"abstract\":", "\"summary\":", "\"docno\":", "\"fetched_at\":", "\"language\":", "\"canonical_url\":",
    "\"original_url\":", "\"https://a.example/1\"", "null", "true", "false", "1e400", "-0", "\\u0627",
    "\\ud800", "\\n", "\"minute\"", "\"day\"", "\"alarabia\"", "\"BBC\"", "\"skynews\"",
    "\"Sun, 18 Feb 2018 21:35:43 +0400\"", "\"2018-02-18T21:35:43+04:00\"", "\n", "\r\n", "\x1f\x8b",
    "\xef\xbb\xbf",
]  # fmt: skip


def _page_html(rng_index: int) -> str:
    """A real-looking news page: head metadata, JSON-LD, a byline, body paragraphs, chrome around."""
    s = SENTENCES
    title = "ارتفاع أسعار النفط في الأسواق العالمية"
    d = DATES[rng_index % len(DATES)]
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": "2017-09-21T10:30:00+03:00",
            "author": {"@type": "Person", "name": "هدى المنصوري"},
            "isBasedOn": "https://source.example/a/1",
        },
        ensure_ascii=rng_index % 2 == 0,
    )
    paragraphs = "".join(f"<p>{s[(rng_index + i) % len(s)]}</p>" for i in range(4))
    return (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{title} | موقع الأخبار</title>"
        f'<meta property="og:title" content="{title}">'
        '<link rel="canonical" href="https://news.example/economy/2017/09/21/oil">'
        f'<script type="application/ld+json">{ld}</script></head><body>'
        '<nav class="menu"><a href="/">الرئيسية</a> <a href="/economy">اقتصاد</a></nav>'
        f'<div class="ticker">عاجل: {s[1][:40]}</div><article><h1>{title}</h1>'
        f'<div class="byline">بقلم: هدى المنصوري - {d}</div>'
        f'<div class="article-body" itemprop="articleBody">{paragraphs}'
        f"<p>اقرأ أيضا: {s[3][:30]}</p><br>{s[4]}<br>{s[0]}</div></article>"
        '<div class="related"><ul><li><a href="/a">خبر ذو صلة</a></li></ul></div>'
        '<div class="comments"><p>تعليق: شكرا على الخبر</p></div>'
        "<footer>جميع الحقوق محفوظة</footer></body></html>"
    )


def _text_dump(i: int) -> str:
    s = SENTENCES
    return "\n".join(
        [
            "الرئيسية",
            "اقتصاد",
            "سياسة",
            "",
            "شريط الأخبار",
            s[1][:50],
            "",
            "ارتفاع أسعار النفط في الأسواق العالمية",
            f"هدى المنصوري {DATES[i % len(DATES)]}",
            "",
            *(s[(i + k) % len(s)] for k in range(4)),
            "اقرأ أيضا: افتتاح معرض الكتاب",
            "المقال السابق: " + s[2][:40],
            "التعليقات",
            "محمد، منذ 3 ساعات",
            "شكرا على هذا الخبر المفيد جدا.",
        ]
    )


def _rss(i: int) -> str:
    s = SENTENCES
    items = "".join(
        f"<item><title>خبر {k}</title><link>https://akhbar.example/a{k}</link>"
        f"<pubDate>Tue, 1{k} Apr 2018 09:00:00 +0100</pubDate><category>اقتصاد</category>"
        f"<description>&lt;p&gt;{s[(i + k) % len(s)]}&lt;/p&gt;</description>"
        f"<dc:creator>قسم الأخبار</dc:creator></item>"
        for k in range(3)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>أخبار</title>'
        f"<link>https://akhbar.example/</link>{items}</channel></rss>"
    )


def _atom(i: int) -> str:
    s = SENTENCES
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        '<title>سكاي نيوز عربية</title><link href="https://www.skynewsarabia.com/"/>'
        "<entry><title>ارتفاع أسعار النفط</title>"
        '<link href="https://www.skynewsarabia.com/business/1-oil"/><id>tag:sky,1</id>'
        "<published>2018-03-05T08:15:00+04:00</published><updated>2018-03-05</updated>"
        '<author><name>قسم الاقتصاد</name></author><category term="اقتصاد"/>'
        f"<summary>{s[i % len(s)]}</summary>"
        f'<content type="html">&lt;p&gt;{s[(i + 1) % len(s)]}&lt;/p&gt;&lt;br&gt;{s[2]}</content>'
        "</entry></feed>"
    )


def _rdf(i: int) -> str:
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://a.example/"><title>قناة</title><link>https://a.example/</link></channel>'
        '<item rdf:about="https://a.example/1"><title>خبر</title><link>https://a.example/1</link>'
        f"<dc:date>2017-09-21T10:30:00+03:00</dc:date><description>{SENTENCES[i % 5]}</description></item>"
        "</rdf:RDF>"
    )


def _json_lines(i: int) -> str:
    s = SENTENCES
    ant = {
        "docno": f"ANT-{i}",
        "url": f"https://www.alarabiya.net/ar/{i}",
        "source": ["alarabia", "BBC", "CNN", "france24", "skynews"][i % 5],
        "category": "اقتصاد",
        "title": "ارتفاع أسعار النفط",
        "time": "Sun, 18 Feb 2018 21:35:43 +0400",
        "author": "",
        "abstract": s[i % 5],
        "text": "\n".join(s[(i + k) % 5] for k in range(3)),
    }
    export = {
        "url": f"https://news.example/{i}",
        "title": "عنوان",
        "body": [s[i % 5], s[(i + 2) % 5]],
        "published": "2017-09-21",
        "precision": "day",
        "outlet": "العربية",
        "categories": ["سياسة", "اقتصاد"],
        "fetched_at": "2017-09-21T10:30:00+00:00",
    }
    lines = [json.dumps(ant, ensure_ascii=i % 2 == 0), json.dumps(export, ensure_ascii=False)]
    lines.append('{"url": "https://news.example/x", "text": ""}')
    lines.append("not json")
    lines.append(json.dumps(ant, ensure_ascii=False))  # the same URL again: merged
    # every field with a value of another type than the reader expects
    odd = [["x", 1], {"a": None}, 17, 1.5e300, True, None, "", "\ud800", [[["deep"]]]]
    for k, name in enumerate(
        ["url", "title", "text", "body", "time", "published", "precision", "source", "author"]
    ):
        record = dict(export if k % 2 else ant)
        record[name] = odd[(i + k) % len(odd)]
        lines.append(json.dumps(record, ensure_ascii=k % 3 == 0))
    lines.append('{"url": "https://a.example/d", "text": "x", "extra": ' + "[" * 40 + "]" * 40 + "}")
    lines.append('{"url": "https://a.example/n", "text": "x", "n": ' + "9" * 50 + "}")
    return "\n".join(lines) + "\n"


def _files(folder: Path, pattern: str, limit: int = 200) -> Iterator[bytes]:
    if folder.is_dir():
        for path in sorted(folder.rglob(pattern))[:limit]:
            yield path.read_bytes()


def seeds(target: str) -> Iterator[bytes]:
    """(mode byte + document) seeds for a target."""
    if target == "html":
        for k, raw in enumerate(
            [
                *_files(ROOT / "tests/extract/fixtures", "*.html"),
                *_files(ROOT / "src/marsad/demo/corpus", "*.html"),
            ]
        ):
            yield bytes([k % 8]) + raw
        for i in range(12):
            page = _page_html(i)
            yield bytes([i % 8]) + page.encode("cp1256" if i % 4 == 1 else "utf-8", errors="replace")
    elif target == "text":
        texts = [
            *_files(ROOT / "tests/extract/fixtures", "*.txt"),
            *_files(ROOT / "src/marsad/demo/corpus", "*.txt"),
            *_files(SHARED / "seeds", "*.txt"),
        ]
        for k, raw in enumerate(texts):
            yield bytes([k % 4]) + raw
        for i in range(12):
            text = _text_dump(i)
            yield bytes([i % 4]) + text.encode("cp1256" if i % 3 == 1 else "utf-8", errors="replace")
    elif target == "dates":
        for i, text in enumerate(DATES):
            for mode in (0, 1, 2, 4, 5 + 8 * (i % 2)):
                yield bytes([mode]) + text.encode()
                yield bytes([mode]) + f"وقال المسؤول {text} إن الحكومة".encode()
    elif target == "feed":
        for i in range(6):
            for doc in (_rss(i), _atom(i), _rdf(i)):
                yield bytes([i]) + doc.encode()
        yield b"\x00" + _rss(0).encode("cp1256", errors="replace").replace(b"utf-8", b"windows-1256")
    elif target == "jsonl":
        for i in range(8):
            yield bytes([i % 4]) + _json_lines(i).encode("utf-8", "surrogatepass")
        ant = SHARED / "ant_multisource_v2.1.jsonl.gz"
        if ant.exists():
            with gzip.open(ant, "rt", encoding="utf-8") as handle:
                lines = [next(handle) for _ in range(24)]
            for k in range(0, 24, 3):
                yield bytes([k % 4]) + "".join(lines[k : k + 3]).encode()[: MAX_LEN["jsonl"] - 1]
    else:
        raise SystemExit(f"unknown target {target!r}")


def dictionary(target: str) -> list[bytes]:
    words = {
        "html": HTML_TOKENS + DATE_WORDS[:60],
        "text": DATE_WORDS + ["اقرأ أيضا:", "المقال السابق:", "المقال التالي:", "عاجل", "التعليقات", "\n\n"],
        "dates": DATE_WORDS,
        "feed": FEED_TOKENS + DATE_WORDS[:40],
        "jsonl": JSON_TOKENS,
    }[target]
    return [w.encode("utf-8") for w in words]


def _dict_line(token: bytes) -> str:
    out = []
    for b in token:
        if 32 <= b < 127 and b not in (ord('"'), ord("\\")):
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02X}")
    return '"' + "".join(out) + '"'


# ---------------------------------------------------------------------------------------------- targets
# Every target takes the fuzzer's bytes and raises only for a contract violation.


class Invariant(AssertionError):
    """A result that breaks what the function promises (not an exception of the function itself)."""


def _refs() -> list[datetime | date | None]:
    return [
        None,
        datetime(2017, 9, 21, 10, 30),
        datetime(2017, 9, 21, 10, 30, tzinfo=UTC),
        datetime(2018, 2, 28, 23, 59, tzinfo=timezone(timedelta(hours=3, minutes=30))),
        date(2017, 9, 21),
        datetime(1, 1, 1),
        datetime(9999, 12, 31, 23, 59, 59),
        date(9999, 12, 31),
    ]


def make_target(target: str, workdir: Path) -> Callable[[bytes], None]:
    """The function the fuzzer calls (imports happen here, so atheris can instrument them)."""
    from marsad.models import Article, ExtractionError, Page, SourceFailure

    def check_article(article: object) -> None:
        if not isinstance(article, Article) or not isinstance(article.title, str):
            raise Invariant(f"not an Article: {article!r:.200}")
        if not article.body or not all(isinstance(p, str) for p in article.body):
            raise Invariant("an article without a body of strings")

    def extract_or_reason(page: Page) -> None:
        from marsad.extract import extract

        try:
            check_article(extract(page))
        except ExtractionError as error:
            if not str(error):
                raise Invariant("an ExtractionError without a reason") from error

    if target == "html":
        encodings = [
            None,
            "utf-8",
            "windows-1256",
            "iso-8859-6",
            "x-no-such-charset",
            "utf-16",
            "latin-1",
            None,
        ]
        types = ["text/html", "", "text/html; charset=windows-1256", "application/xhtml+xml; charset=utf-8"]
        fetched = datetime(2017, 9, 21, 12, 0, tzinfo=UTC)

        def run_html(data: bytes) -> None:
            mode = data[0] if data else 0
            page = Page(
                url="https://news.example/economy/2017/09/21/oil",
                kind="html",
                content=data[1:],
                content_type=types[(mode >> 3) % 4],
                encoding=encodings[mode % 8],
                fetched_at=fetched if mode & 32 else None,
            )
            extract_or_reason(page)

        return run_html

    if target == "text":
        from marsad.sources.textdump import read_textdump

        path = workdir / "page.txt"

        def run_text(data: bytes) -> None:
            mode = data[0] if data else 0
            if mode % 4 == 3:  # the bytes straight to extract, as a crawl's text dump would be
                extract_or_reason(Page(url="https://news.example/a", kind="text", content=data[1:]))
                return
            path.write_bytes(data[1:])
            for item in read_textdump(path):
                if isinstance(item, Page):
                    extract_or_reason(item)
                elif not isinstance(item, SourceFailure):
                    raise Invariant(f"read_textdump yielded {type(item).__name__}")

        return run_text

    if target == "dates":
        from marsad.arabic import find_dates, parse_date

        refs = _refs()

        def run_dates(data: bytes) -> None:
            mode = data[0] if data else 0
            text = data[1:].decode("utf-8", "surrogateescape" if mode & 8 else "replace")
            ref = refs[mode % 8]
            for mention in find_dates(text, ref):
                if text[mention.start : mention.end] != mention.text or mention.start >= mention.end:
                    raise Invariant(f"span {mention.start}:{mention.end} does not give {mention.text!r}")
                mention.date.iso()
            parsed = parse_date(text, ref)
            if parsed is not None:
                parsed.iso()

        return run_dates

    if target == "feed":
        from marsad.sources.common import Expected
        from marsad.sources.feeds import FeedError, feed_pages, parse_feed

        def run_feed(data: bytes) -> None:
            try:
                feed = parse_feed(data[1:], "https://akhbar.example/rss")
            except FeedError:
                return
            for item in feed_pages(feed, "https://akhbar.example/rss"):
                if isinstance(item, Page):
                    extract_or_reason(item)
                elif not isinstance(item, SourceFailure | Expected):
                    raise Invariant(f"feed_pages yielded {type(item).__name__}")

        return run_feed

    if target == "jsonl":
        from marsad.sources.common import Expected
        from marsad.sources.jsonl import read_jsonl

        path = workdir / "corpus.jsonl"

        def run_jsonl(data: bytes) -> None:
            mode = data[0] if data else 0
            body = data[1:]
            if mode % 4:
                packed = gzip.compress(body, mtime=0)
                if mode % 4 == 2:  # truncated
                    packed = packed[: max(2, len(packed) - 1 - (mode >> 2) * 3)]
                elif mode % 4 == 3:  # trailing bytes after the stream
                    packed += body[: 1 + (mode >> 2)]
                body = packed
            path.write_bytes(body)
            for item in read_jsonl(path):
                if isinstance(item, Page):
                    extract_or_reason(item)
                elif not isinstance(item, SourceFailure | Expected):
                    raise Invariant(f"read_jsonl yielded {type(item).__name__}")

        return run_jsonl

    raise SystemExit(f"unknown target {target!r}")


# ------------------------------------------------------------------------------------------------ runner
def signature(error: BaseException) -> tuple[str, str]:
    """(short id, where): the exception type and the innermost frame in marsad (else the innermost)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/marsad/" in f.filename]
    frame = (ours or frames or [None])[-1]
    where = f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" if frame else "?"
    if isinstance(error, Invariant):
        where = f"{where} | {str(error)[:60]}"
    key = f"{type(error).__name__} at {where}"
    return hashlib.sha1(key.encode()).hexdigest()[:10], key


class Campaign:
    def __init__(self, target: str, runs: int, out: Path) -> None:
        self.target, self.runs, self.out = target, runs, out
        self.done = 0
        self.crashes: dict[str, dict] = {}
        self.slowest = 0.0
        self.slow_inputs = 0
        self.started = time.time()
        (out / "crashes").mkdir(parents=True, exist_ok=True)
        (out / "slow").mkdir(parents=True, exist_ok=True)
        workdir = Path(
            tempfile.mkdtemp(prefix=f"fuzz-{target}-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None)
        )
        self.function = make_target(target, workdir)
        for raw in list(seeds(target))[:3]:  # warm up: the first call imports lazily (trafilatura ...)
            with contextlib.suppress(Exception):  # counted when the fuzzer runs the seeds
                self.function(raw[: MAX_LEN[target]])

    def one(self, data: bytes) -> None:
        start = time.perf_counter()
        try:
            self.function(data)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 - anything escaping the target is a finding
            self.crash(data, error)
        elapsed = time.perf_counter() - start
        if elapsed > self.slowest:
            self.slowest = elapsed
            (self.out / "slow" / f"{self.target}-slowest.bin").write_bytes(data)
        if elapsed > SLOW_SECONDS:
            self.slow_inputs += 1
            name = hashlib.sha1(data).hexdigest()[:10]
            (self.out / "slow" / f"{self.target}-{name}-{elapsed:.1f}s.bin").write_bytes(data)
        self.done += 1
        if self.done % STATS_EVERY == 0 or self.done >= self.runs:
            self.save()
        if self.done >= self.runs:
            sys.stdout.flush()
            os._exit(0)

    def crash(self, data: bytes, error: BaseException) -> None:
        short, key = signature(error)
        found = self.crashes.get(short)
        name = f"{self.target}-{short}"
        if found is None:
            found = self.crashes[short] = {"where": key, "count": 0, "size": None, "message": ""}
            print(f"\nCRASH {self.target}: {key}: {str(error)[:200]}", file=sys.stderr, flush=True)
        found["count"] += 1
        if found["size"] is None or len(data) < found["size"]:
            found["size"] = len(data)
            found["message"] = f"{type(error).__name__}: {str(error)[:300]}"
            found["file"] = str(self.out / "crashes" / f"{name}.bin")
            (self.out / "crashes" / f"{name}.bin").write_bytes(data)
            (self.out / "crashes" / f"{name}.txt").write_text(
                "".join(traceback.format_exception(error)), encoding="utf-8"
            )

    def save(self) -> None:
        stats = {
            "target": self.target,
            "inputs": self.done,
            "planned": self.runs,
            "seconds": round(time.time() - self.started, 1),
            "distinct_crashes": len(self.crashes),
            "crashes": self.crashes,
            "slowest_seconds": round(self.slowest, 3),
            "inputs_over_1s": self.slow_inputs,
        }
        tmp = self.out / f"{self.target}.json.tmp"
        tmp.write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.out / f"{self.target}.json")


def run(target: str, runs: int, out: Path, seed: int) -> None:
    import atheris

    corpus = out / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    for raw in seeds(target):
        raw = raw[: MAX_LEN[target]]
        (corpus / f"seed-{hashlib.sha1(raw).hexdigest()[:12]}").write_bytes(raw)
    dict_path = out / f"{target}.dict"
    dict_path.write_text("\n".join(_dict_line(t) for t in dictionary(target)) + "\n", encoding="ascii")
    include = ["marsad", "feedparser"] if target == "feed" else ["marsad"]
    with atheris.instrument_imports(include=include):
        campaign = Campaign(target, runs, out)
    argv = [
        sys.argv[0],
        str(corpus),
        f"-dict={dict_path}",
        f"-max_len={MAX_LEN[target]}",
        f"-timeout={TIMEOUT}",
        "-rss_limit_mb=3072",
        f"-seed={seed}",
        "-print_final_stats=1",
        "-close_fd_mask=1",  # the targets print nothing of use; keep libFuzzer's own lines (stderr)
    ]
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    atheris.Setup(argv, campaign.one)
    atheris.Fuzz()


def replay(target: str, files: list[str]) -> int:
    function = make_target(target, Path(tempfile.mkdtemp(prefix="fuzz-replay-")))
    status = 0
    for name in files:
        data = Path(name).read_bytes()
        start = time.perf_counter()
        try:
            function(data)
            outcome = "ok"
        except BaseException as error:  # noqa: BLE001
            outcome = f"CRASH {signature(error)[1]}: {type(error).__name__}: {str(error)[:200]}"
            status = 1
        print(f"{name}: {outcome} ({time.perf_counter() - start:.3f} s)")
    return status


def campaign(plan: dict[str, int], out: Path, jobs: int, base_seed: int = 0) -> int:
    out.mkdir(parents=True, exist_ok=True)
    logs = out / "logs"
    logs.mkdir(exist_ok=True)

    def one(item: tuple[str, int]) -> int:
        target, runs = item
        seed = int(hashlib.sha1(target.encode()).hexdigest()[:6], 16) + base_seed
        with (logs / f"{target}.log").open("w") as log:
            return subprocess.call(
                [
                    sys.executable,
                    __file__,
                    "run",
                    target,
                    "--runs",
                    str(runs),
                    "--out",
                    str(out),
                    "--seed",
                    str(seed),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    started = time.time()
    # the longest plans first, so that the two lanes end together
    order = sorted(plan.items(), key=lambda kv: -kv[1] / THROUGHPUT.get(kv[0], 1000))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        codes = dict(zip([t for t, _ in order], pool.map(one, order), strict=True))
    return summary(out, list(plan), codes, time.time() - started)


# inputs/s of one instrumented process on this machine, for ordering the lanes only
THROUGHPUT = {"html": 300, "text": 800, "dates": 1400, "feed": 200, "jsonl": 900}


def summary(out: Path, targets: list[str], codes: dict[str, int] | None = None, seconds: float = 0) -> int:
    total = 0
    left = 0
    print(f"{'target':8} {'inputs':>10} {'crashes':>8} {'slowest s':>10} {'>1 s':>5}  seconds")
    for target in targets:
        path = out / f"{target}.json"
        if not path.exists():
            print(f"{target:8} (no stats)")
            continue
        stats = json.loads(path.read_text(encoding="utf-8"))
        total += stats["inputs"]
        left += stats["distinct_crashes"]
        note = ""
        if codes and codes.get(target):
            note = f"  (exit {codes[target]}: see {out}/logs/{target}.log)"
        print(
            f"{target:8} {stats['inputs']:>10,} {stats['distinct_crashes']:>8} {stats['slowest_seconds']:>10.3f}"
            f" {stats['inputs_over_1s']:>5}  {stats['seconds']:.0f}{note}"
        )
        for short, crash in stats["crashes"].items():
            print(
                f"    {short}: {crash['where']} x{crash['count']}: {crash['message'][:150]} ({crash.get('file')})"
            )
    print(f"{'total':8} {total:>10,} {left:>8}" + (f"  wall {seconds:.0f} s" if seconds else ""))
    return 1 if left else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_camp = sub.add_parser("campaign")
    p_camp.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p_camp.add_argument("--jobs", type=int, default=2)
    p_camp.add_argument("--seed", type=int, default=0, help="added to each target's libFuzzer seed")
    p_camp.add_argument("--plan", default=",".join(f"{k}={v}" for k, v in DEFAULT_PLAN.items()))
    p_run = sub.add_parser("run")
    p_run.add_argument("target", choices=list(DEFAULT_PLAN))
    p_run.add_argument("--runs", type=int, required=True)
    p_run.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p_run.add_argument("--seed", type=int, default=1)
    p_rep = sub.add_parser("replay")
    p_rep.add_argument("target", choices=list(DEFAULT_PLAN))
    p_rep.add_argument("files", nargs="+")
    p_sum = sub.add_parser("summary")
    p_sum.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if args.command == "run":
        run(args.target, args.runs, args.out, args.seed)
        return 0
    if args.command == "replay":
        return replay(args.target, args.files)
    if args.command == "summary":
        return summary(args.out, list(DEFAULT_PLAN))
    plan = {k: int(v) for k, v in (part.split("=") for part in args.plan.split(",") if part)}
    return campaign(plan, args.out, args.jobs, args.seed)


if __name__ == "__main__":
    sys.exit(main())
