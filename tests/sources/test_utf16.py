"""Issue 20: a UTF-16 HTML (or text) file with a byte-order mark was rejected as binary. Pages saved as
UTF-16 LE or BE with a mark, or as UTF-8 with one, are read and decoded exactly; a binary file is still one."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from marsad.extract import extract
from marsad.extract.decode import decode_bytes
from marsad.ingest import ingest
from marsad.models import Page, SourceFailure
from marsad.sources import iter_targets
from marsad.sources.common import file_kind, read_page_file, sniff_bytes
from marsad.store.db import Store

TITLE = "وزير الخارجية يدعو إلى تعاون دولي أوثق لمكافحة الإرهاب"
PARAGRAPHS = [
    "دعا وزير الخارجية، يوم الأربعاء في نيويورك، إلى تكثيف التعاون الدولي لمواجهة الإرهاب والتطرف العنيف"
    " في المنطقة وخارجها.",
    "وجاءت كلمته خلال الاجتماع الوزاري الثامن للمنتدى العالمي لمكافحة الإرهاب الذي ترأسه بلاده مع هولندا"
    " منذ تأسيسه قبل ستة أعوام.",
    "وأكد الوزير أن المقاربة الأمنية وحدها لا تكفي، وأن التنمية والتعليم ومحاربة الفقر جزء من الحل.",
]
HTML = (
    '<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="{charset}">'
    f"<title>{TITLE}</title></head>\n<body><article><h1>{TITLE}</h1>\n"
    + "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "\n</article></body></html>\n"
)
ENCODINGS = {
    "utf-16-le": (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    "utf-16-be": (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    "utf-8-bom": (codecs.BOM_UTF8, "utf-8", "utf-8"),
}


def saved(folder: Path, name: str, encoding: str) -> Path:
    bom, codec, declared = ENCODINGS[encoding]
    path = folder / name
    path.write_bytes(bom + HTML.format(charset=declared).encode(codec))
    return path


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_a_page_with_a_byte_order_mark_is_html_not_binary(tmp_path: Path, encoding: str) -> None:
    path = saved(tmp_path, "page.html", encoding)
    assert sniff_bytes(path.read_bytes()[:4096]) == "html"
    assert file_kind(saved(tmp_path, "page-without-suffix", encoding)) == "html"
    raw = read_page_file(path, "an HTML page")
    assert isinstance(raw, bytes) and raw == path.read_bytes()
    assert decode_bytes(raw) == HTML.format(charset=ENCODINGS[encoding][2])


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_a_utf16_page_is_extracted_exactly(tmp_path: Path, encoding: str) -> None:
    path = saved(tmp_path, "page.html", encoding)
    items = list(iter_targets([str(path)]))
    pages = [i for i in items if isinstance(i, Page)]
    assert [type(i).__name__ for i in items if not isinstance(i, Page)] in ([], ["Expected"])
    assert len(pages) == 1
    article = extract(pages[0])
    assert article.title == TITLE
    assert article.body == PARAGRAPHS


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_page_is_ingested_with_its_title_and_body(tmp_path: Path, encoding: str) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    saved(folder, "page.html", encoding)
    saved(folder, "other.htm", encoding).write_bytes(
        ENCODINGS[encoding][0]
        + HTML.format(charset="utf-16").replace("الأربعاء", "الخميس").encode(ENCODINGS[encoding][1])
    )
    with Store(tmp_path / "m.db") as store:
        report = ingest([str(folder)], store, progress=False, link=False, index=False)
        rows = store.conn.execute("SELECT url, title, body FROM article ORDER BY url").fetchall()
        failures = store.conn.execute("SELECT origin, reason FROM failure").fetchall()
    assert [tuple(f) for f in failures] == []
    assert [(r["url"].rsplit("/", 1)[-1], r["title"], r["body"]) for r in rows] == [
        ("other.htm", TITLE, "\n".join(PARAGRAPHS).replace("الأربعاء", "الخميس")),
        ("page.html", TITLE, "\n".join(PARAGRAPHS)),
    ]
    assert report is not None


def test_a_utf16_text_dump_is_read(tmp_path: Path) -> None:
    text = TITLE + "\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        path = tmp_path / f"dump-{codec}.txt"
        path.write_bytes(bom + text.encode(codec))
        assert sniff_bytes(path.read_bytes()) == "text"
        pages = [i for i in iter_targets([str(path)]) if isinstance(i, Page)]
        assert len(pages) == 1 and pages[0].content == text, codec


def test_binary_files_are_still_binary(tmp_path: Path) -> None:
    noise = tmp_path / "noise.html"
    noise.write_bytes(codecs.BOM_UTF16_LE + bytes(4000))  # a mark, then zeros
    failure = read_page_file(noise, "an HTML page")
    assert isinstance(failure, SourceFailure) and failure.reason == "a binary file, not an HTML page"
    blob = tmp_path / "blob.html"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4000))
    assert isinstance(read_page_file(blob, "an HTML page"), SourceFailure)
    assert sniff_bytes(codecs.BOM_UTF16_BE) is None  # a mark alone is empty


def test_a_meta_charset_of_utf16_on_a_page_without_a_mark_is_utf8() -> None:
    """WHATWG: a page whose meta charset can be read as ASCII is not UTF-16; a Latin page read as UTF-16
    would decode "cleanly" into nonsense."""
    page = (
        b'<html><head><meta charset="utf-16"><title>Forum</title></head><body><p>New York.</p></body></html>'
    )
    assert decode_bytes(page) == page.decode("utf-8")
    assert decode_bytes(page, "text/html; charset=utf-16le") == page.decode(
        "utf-16-le"
    )  # the header is believed
