"""Issue 19, outlet memory: the lines an outlet repeats across its stored pages are its chrome. Ingest keeps
each page and counts its lines for its outlet; `reextract` extracts the kept pages again with the outlet's
profile, records what changed, and the changed articles are linked and indexed again."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.archive import Archive
from marsad.cli import app
from marsad.extract.profile import chrome_key
from marsad.ingest import ingest_pages
from marsad.models import Page
from marsad.store import pages as page_store
from marsad.store import profiles
from marsad.store.db import Store

# The outlet's standing line, on every one of its pages, inside the article (nothing on one page says it is
# not news).
STANDING = "جميع أخبار المدينة نيوز متاحة مجانا للقراء على موقعنا وتطبيقنا الجديد"
# A background paragraph that six follow-ups of one story repeat: news, not chrome.
BACKGROUND = "وكانت السلطات قد أعلنت في مطلع الشهر الماضي خطة لإعادة تأهيل الميناء القديم بكلفة كبيرة."
DISTRICTS = [
    "الشمالي", "الجنوبي", "الشرقي", "الغربي", "القديم", "الجديد", "الساحلي", "الجبلي", "الصناعي", "الجامعي",
    "التجاري", "الأخضر", "الكبير", "الصغير", "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس",
    "السابع", "الثامن", "التاسع", "العاشر", "المركزي", "البحري",
]  # fmt: skip
HOST = "https://almadina.example"


def paragraphs(n: int) -> list[str]:
    district = DISTRICTS[n]
    own = [
        f"عقد مجلس بلدية المدينة اجتماعه رقم {n + 10} لمناقشة مشروع تطوير الحي {district} وتوسيع شبكة الطرق فيه.",
        f"وقال رئيس المجلس إن أشغال الحي {district} ستنطلق بعد {n + 2} أسابيع وتستمر حتى نهاية السنة المقبلة.",
    ]
    return [own[0], BACKGROUND, own[1]] if n < 6 else own


def page_html(n: int) -> bytes:
    title = f"بلدية المدينة تناقش تطوير الحي {DISTRICTS[n]}"
    body = "".join(f"<p>{p}</p>" for p in [STANDING, *paragraphs(n)])
    return (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f'<title>{title}</title><meta property="og:site_name" content="المدينة نيوز">'
        f'<meta property="article:published_time" content="2024-03-{n + 1:02d}T09:00:00+00:00"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def crawled(n: int) -> Page:
    return Page(
        url=f"{HOST}/news/{n}",
        kind="html",
        content=page_html(n),
        content_type="text/html",
        encoding="utf-8",
        fetched_at=datetime(2024, 3, n + 1, 10, tzinfo=UTC),
        origin=f"{HOST}/news/{n}",
    )


def bodies(archive: Archive) -> dict[int, list[str]]:
    rows = archive.store.conn.execute("SELECT url, body FROM article ORDER BY id").fetchall()
    return {int(r["url"].rsplit("/", 1)[1]): r["body"].split("\n") for r in rows}


def finds(archive: Archive, words: str) -> int:
    return archive.search(words, collapse=False, limit=100).total


@pytest.fixture
def ingested(tmp_path: Path) -> Path:
    path = tmp_path / "m.db"
    with Store(path) as store:
        report = ingest_pages(store, [crawled(n) for n in range(24)])
    assert (report.new, report.failed) == (24, 0)
    return path


def test_an_outlets_standing_line_is_learnt_and_reextraction_drops_it(ingested: Path) -> None:
    with Archive(ingested) as archive:
        # one batch: no profile yet when these pages were extracted, so every body opens with the line
        assert bodies(archive) == {n: [STANDING, *paragraphs(n)] for n in range(24)}
        assert finds(archive, "متاحة مجانا للقراء") == 24
        profile = archive.profile("almadina.example")
        assert profile is not None and (profile.outlet, profile.pages) == ("المدينة نيوز", 24)
        assert profile.chrome == frozenset({chrome_key(STANDING)})  # the background (6 pages) is news

        report = archive.reextract(outlet="المدينة نيوز")
        assert (report.checked, report.from_pages, report.from_stored, report.changed) == (24, 24, 0, 24)
        assert [(o.outlet, o.pages, o.chrome, o.articles, o.changed) for o in report.outlets] == [
            ("المدينة نيوز", 24, [chrome_key(STANDING)], 24, 24)
        ]
        assert bodies(archive) == {n: paragraphs(n) for n in range(24)}
        assert finds(archive, "متاحة مجانا للقراء") == 0
        assert finds(archive, "إعادة تأهيل الميناء القديم") == 6
        changes = archive.changes()
        assert [
            (c.article_id, c.source, c.profile_pages, c.dropped, c.added, c.title_before) for c in changes
        ] == [(n + 1, "page", 24, [(0, STANDING)], [], None) for n in range(24)]
        assert changes[0].changed_at.startswith(datetime.now(UTC).strftime("%Y-%m-%d"))
        assert archive.pending() == {"link": 0, "index": 0}
        # the page as fetched is kept as it was
        kept = page_store.kept_page(archive.store, 1)
        assert kept is not None and (kept.content, kept.url) == (page_html(0), f"{HOST}/news/0")

        again = archive.reextract()
        assert (again.checked, again.changed) == (24, 0)
        assert len(archive.changes()) == 24


def test_a_page_arriving_after_the_profile_is_stored_without_the_line(ingested: Path) -> None:
    with Store(ingested) as store:
        report = ingest_pages(store, [crawled(24), crawled(3)], link=False, index=False)
        # the page met again is read with the profile: its stored body loses the line (an update)
        assert (report.new, report.updated, report.unchanged) == (1, 1, 0)
        rows = store.conn.execute(
            "SELECT url, body FROM article WHERE url IN (?, ?) ORDER BY id",
            (f"{HOST}/news/3", f"{HOST}/news/24"),
        ).fetchall()
        assert [r["body"].split("\n") for r in rows] == [paragraphs(3), paragraphs(24)]
        assert store.conn.execute("SELECT pages FROM outlet_pages").fetchone()[0] == 25  # page 3 counted once
        line = profiles.line_hash(chrome_key(STANDING))
        counted = store.conn.execute("SELECT pages, line FROM outlet_line WHERE hash = ?", (line,)).fetchone()
        assert tuple(counted) == (25, chrome_key(STANDING))  # counted although the profile dropped it


def test_articles_stored_before_pages_were_kept_are_profiled_from_their_paragraphs(ingested: Path) -> None:
    with Store(ingested) as store, store.transaction() as conn:  # an archive from before migration 015
        for table in ("page", "article_lines", "outlet_line", "outlet_pages"):
            conn.execute(f"DELETE FROM {table}")
    with Archive(ingested) as archive:
        assert archive.profile("almadina.example") == archive.profile("Almadina.example")
        report = archive.reextract(outlet="almadina.example")
        assert (report.counted, report.checked, report.from_pages, report.from_stored) == (24, 24, 0, 24)
        assert report.changed == 24
        assert bodies(archive) == {n: paragraphs(n) for n in range(24)}
        assert {(c.source, tuple(c.dropped), tuple(c.added)) for c in archive.changes()} == {
            ("stored", ((0, STANDING),), ())
        }
        assert finds(archive, "متاحة مجانا للقراء") == 0


def test_the_command(ingested: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(app, ["reextract", "--db", str(ingested), "--outlet", "nowhere.example"])
    assert unknown.exit_code == 2 and "no outlet named 'nowhere.example'" in unknown.output
    result = runner.invoke(
        app, ["reextract", "--db", str(ingested), "--outlet", "almadina.example", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["checked"], report["changed"], report["from_pages"]) == (24, 24, 24)
    assert report["changes"][0] == {
        "article_id": 1,
        "url": f"{HOST}/news/0",
        "source": "page",
        "dropped": [[0, STANDING]],
        "added": [],
    }
    text = runner.invoke(app, ["reextract", "--db", str(ingested)])
    assert text.exit_code == 0
    assert text.output.splitlines()[:2] == [
        "المدينة نيوز: profile from 24 pages, 1 chrome lines; 0 of 24 articles changed",
        "24 articles re-extracted (24 from their kept page, 0 from their stored paragraphs), 0 changed, 0 failed",
    ]
