"""The store's side of outlet memory: line counts that an update takes back, and pages kept as fetched."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from marsad.models import Article, Page
from marsad.store import pages, profiles
from marsad.store.articles import SourceCache, upsert_article
from marsad.store.db import Store


def _article(store: Store, n: int, outlet: str) -> int:
    with store.transaction() as conn:
        article = Article(url=f"https://{outlet}/{n}", title=f"خبر {n}", body=["نص"], outlet=outlet)
        return upsert_article(conn, SourceCache(), article, kind="html").id


def _counts(store: Store) -> list[tuple[int, str | None, int]]:
    rows = store.conn.execute("SELECT source_id, line, pages FROM outlet_line")
    return sorted(((r[0], r[1], r[2]) for r in rows), key=lambda r: (r[0], r[1] or "", r[2]))


def test_counts_are_pages_per_line_and_an_update_takes_its_old_lines_back(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as store:
        ids = [_article(store, n, "a.example") for n in range(3)]
        other = _article(store, 9, "b.example")
        source_a, source_b = (profiles.article_source(store.conn, i) for i in (ids[0], other))
        assert source_a is not None and source_b is not None
        with store.transaction() as conn:
            assert profiles.count_lines(conn, ids[0], source_a, ["شارك", "خبر اول", "شارك", ""])
            assert profiles.count_lines(conn, ids[1], source_a, ["شارك", "خبر ثان"])
            assert profiles.count_lines(conn, ids[2], source_a, ["شارك", "خبر ثان"])
            assert not profiles.count_lines(conn, ids[2], source_a, ["خبر ثان", "شارك"])  # counted as it is
        assert _counts(store) == [(source_a, None, 1), (source_a, "خبر ثان", 2), (source_a, "شارك", 3)]
        with store.transaction() as conn:  # article 2's page changed: its old lines are taken back
            assert profiles.count_lines(conn, ids[2], source_a, ["شارك", "خبر ثالث"])
            assert profiles.count_lines(conn, ids[1], source_b, ["شارك"])  # and article 1 moved outlet
        # خبر ثان is on no page of a.example any more; خبر اول and خبر ثالث are on one each (no text kept)
        assert _counts(store) == [
            (source_a, None, 1),
            (source_a, None, 1),
            (source_a, "شارك", 2),
            (source_b, None, 1),
        ]
        counts = profiles.outlet_counts(store, source_a, 2)
        assert (counts.name, counts.pages, counts.lines) == ("a.example", 2, {"شارك": 2})
        assert profiles.outlet_counts(store, source_b, 1).pages == 1


def test_a_page_is_kept_as_fetched_bytes_or_text(tmp_path: Path) -> None:
    raw = '<html><head><meta charset="windows-1256"></head><body><p>خبر</p></body></html>'.encode("cp1256")
    fetched = datetime(2024, 3, 1, 10, 30, tzinfo=UTC)
    html = Page(
        "https://a.example/1", "html", raw, "text/html; charset=windows-1256", "windows-1256", fetched, "o"
    )
    dump = Page("file:///d.txt", "text", "عنوان\n\nنص الخبر", "text/plain", "utf-8", None, "/d.txt")
    with Store(tmp_path / "m.db") as store:
        ids = [_article(store, n, "a.example") for n in range(2)]
        with store.transaction() as conn:
            pages.keep(conn, ids[0], html)
            pages.keep(conn, ids[1], dump)
            pages.keep(conn, ids[1], html, replace=False)  # it has a page: left alone
            pages.keep(conn, ids[0], Page("https://a.example/r", "record", record={}))  # not a page kind
        assert pages.kept_page(store, ids[0]) == html
        assert pages.kept_page(store, ids[1]) == dump
        sizes = pages.page_sizes(store)
        assert (sizes.pages, sizes.size) == (2, len(raw) + len("عنوان\n\nنص الخبر".encode()))
