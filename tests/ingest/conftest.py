"""Inputs for the ingest tests, written here with original Arabic text: HTML pages, WARC archives, feeds."""

from __future__ import annotations

import gzip
import uuid
from pathlib import Path

import pytest

ARTICLES = [
    {
        "url": "https://akhbar.example.ma/economie/2018/03/port-tanger",
        "title": "ميناء طنجة المتوسط يسجل رقما قياسيا في عدد الحاويات",
        "date": "2018-03-14",
        "body": [
            "سجل ميناء طنجة المتوسط خلال الشهرين الأولين من السنة الجارية ارتفاعا ملحوظا في عدد الحاويات المعالجة مقارنة بالفترة نفسها من السنة الماضية.",
            "وأوضحت الوكالة الخاصة المسيرة للميناء أن هذا الارتفاع يعود إلى توسيع الأرصفة الجديدة وتحسين سرعة المناولة.",
            "ويتوقع مسؤولو الميناء أن يتواصل هذا النمو خلال الأشهر المقبلة مع دخول خطوط بحرية جديدة إلى الخدمة.",
        ],
    },
    {
        "url": "https://akhbar.example.ma/sport/2018/04/raja-final",
        "title": "فريق الرجاء يبلغ نهائي الكأس بعد مباراة مثيرة",
        "date": "2018-04-02",
        "body": [
            "تأهل فريق الرجاء الرياضي إلى المباراة النهائية لكأس العرش بعد فوزه في مباراة مثيرة حسمت بركلات الترجيح.",
            "وقدم اللاعبون أداء قويا في الشوط الثاني، حيث تمكنوا من تعديل النتيجة في الدقائق الأخيرة أمام جمهور غفير.",
            "وسيواجه الفريق في النهائي المقرر الشهر المقبل متصدر البطولة الوطنية على أرضية ملعب محايد.",
        ],
    },
    {
        "url": "https://akhbar.example.ma/culture/2018/05/festival-books",
        "title": "افتتاح معرض الكتاب بمشاركة دور نشر من عشرين بلدا",
        "date": "2018-05-09",
        "body": [
            "افتتحت مساء أمس الدورة الجديدة لمعرض الكتاب بمشاركة دور نشر قدمت من عشرين بلدا عربيا وأجنبيا.",
            "ويتضمن برنامج المعرض ندوات فكرية وأمسيات شعرية ولقاءات مع كتاب شباب يقدمون أعمالهم الأولى للجمهور.",
            "وقال المنظمون إن عدد الزوار في اليوم الأول فاق التوقعات رغم الأمطار التي عرفتها المدينة.",
        ],
    },
]


def article_html(article: dict, charset: str = "utf-8") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in article["body"])
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="{charset}">
<title>{article["title"]} | أخبار المثال</title>
<meta property="og:title" content="{article["title"]}">
<meta property="article:published_time" content="{article["date"]}T09:30:00+01:00">
<link rel="canonical" href="{article["url"]}">
</head>
<body>
<nav><a href="/">الرئيسية</a> <a href="/economie">اقتصاد</a> <a href="/sport">رياضة</a></nav>
<article>
<h1>{article["title"]}</h1>

{paragraphs}
</article>
<footer>جميع الحقوق محفوظة</footer>
</body>
</html>
"""


def warc_record(url: str, html: bytes, charset: str = "utf-8") -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset={charset}\r\n\r\n".encode() + html
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {url}\r\nWARC-Date: 2018-06-01T10:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return header + http + b"\r\n\r\n"


def warc_bytes(articles: list[dict], *, gz: bool = False) -> bytes:
    records = [warc_record(a["url"], article_html(a).encode("utf-8")) for a in articles]
    if gz:
        return b"".join(gzip.compress(r) for r in records)
    return b"".join(records)


def rss(articles: list[dict], *, broken: bool = False) -> str:
    items = []
    for article in articles:
        description = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in article["body"])
        items.append(
            f"<item><title>{article['title']}</title><link>{article['url']}</link>"
            f"<pubDate>{_rfc822(article['date'])}</pubDate><category>أخبار</category>"
            f"<description>{description}</description></item>"
        )
    tail = (
        "<item><title>خبر لم يكتمل</title><link>https://akhbar.example.ma/x" if broken else "</channel></rss>"
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>أخبار المثال</title>'
        "<link>https://akhbar.example.ma/</link><description>آخر الأخبار</description>"
        + "".join(items)
        + tail
    )


def _rfc822(day: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(f"{day}T09:30:00+01:00"))


@pytest.fixture
def articles() -> list[dict]:
    return ARTICLES


@pytest.fixture
def write(tmp_path: Path):
    """write(name, content) -> the path of a new file under tmp_path (str is written as UTF-8)."""

    def _write(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return _write


@pytest.fixture(autouse=True)
def _on_both_backends(both_backends: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (tests/conftest.py `backend`)."""
    return both_backends
