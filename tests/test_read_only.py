"""Reads never write: the demo archive, its database file made read-only (mode 0444), is served and listed
in full (every page, feed, API route and CLI listing), and afterwards the file is byte for byte the same.
And the reader's timeline of a thread is the command line's."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from typer.testing import CliRunner

from marsad import Archive
from marsad.archive import ReadOnlyArchive
from marsad.cli import app as cli
from marsad.demo import html_files
from marsad.store import stories, threads
from marsad.store.db import Store
from marsad.web.app import create_app

GCTF_QUERY = "المنتدى العالمي لمكافحة الإرهاب"


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory) -> Iterator[Path]:
    """The demo corpus ingested, linked and indexed through marsad.Archive, then made read-only."""
    path = tmp_path_factory.mktemp("readonly") / "demo.db"
    with Archive(path) as archive:
        report = archive.ingest([str(p) for p in html_files()])
        assert (report.new, report.failed) == (43, 0)
    conn = sqlite3.connect(path)  # everything into the main file: a reader then needs no -wal of ours
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    path.chmod(0o444)
    yield path
    path.chmod(0o644)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ids(path: Path, sql: str) -> list:
    with Store(path, readonly=True) as store:
        return [row[0] for row in store.conn.execute(sql)]


def _get_paths(path: Path) -> list[str]:
    """Every GET route of the reader, with each article, story, thread, outlet and category filled in."""
    articles = _ids(path, "SELECT id FROM article ORDER BY id")
    story_ids = _ids(path, "SELECT id FROM story ORDER BY id")
    thread_ids = _ids(path, "SELECT id FROM thread ORDER BY id")
    outlet_ids = _ids(path, "SELECT id FROM source ORDER BY id")
    categories = _ids(path, "SELECT DISTINCT j.value FROM article a, json_each(a.categories) j ORDER BY 1")
    paths = ["/", "/stories", "/stories?page=2", "/outlets", f"/search?q={GCTF_QUERY}", "/admin/login"]
    paths += [f"/articles/{i}" for i in articles] + [f"/stories/{i}" for i in story_ids]
    paths += [f"/threads/{i}" for i in thread_ids] + [f"/outlets/{i}" for i in outlet_ids]
    paths += [f"/categories/{name}" for name in categories]
    for fmt in ("atom", "json"):
        paths += [f"/feeds/latest.{fmt}", f"/feeds/search.{fmt}?q={GCTF_QUERY}"]
        paths += [f"/feeds/stories/{i}.{fmt}" for i in story_ids]
        paths += [f"/feeds/outlets/{i}.{fmt}" for i in outlet_ids]
    api = ["/api/v1/articles", "/api/v1/stories", "/api/v1/outlets", f"/api/v1/search?q={GCTF_QUERY}"]
    api += [f"/api/v1/articles/{i}" for i in articles] + [f"/api/v1/stories/{i}" for i in story_ids]
    api += [f"/api/v1/threads/{i}" for i in thread_ids] + ["/openapi.json"]
    return paths + api


def test_a_read_only_archive_serves_every_page_and_route_without_writing(demo_archive):
    before = _digest(demo_archive)
    paths = _get_paths(demo_archive)
    assert len(paths) == 231  # 43 articles, 18 stories, 7 outlets, threads and categories, twice or more
    with TestClient(create_app(demo_archive)) as client:
        failed = [(p, r.status_code) for p in paths if (r := client.get(p)).status_code != 200]
        assert failed == []
        # a report cannot be stored: it is refused with the reason, not a server error
        refused = client.post("/api/v1/articles/1/reports", json={"reason": "spam"})
        assert (refused.status_code, refused.json()["detail"]) == (
            503,
            "this archive is served read-only: reports and moderation cannot be stored",
        )
    assert _digest(demo_archive) == before


def test_a_read_only_archive_answers_every_cli_listing_without_writing(demo_archive):
    before = _digest(demo_archive)
    db = ["--db", str(demo_archive)]
    story_id, thread_id = _ids(demo_archive, "SELECT id, thread_id FROM story ORDER BY id LIMIT 1")[0], 1
    commands = [
        ["stats"],
        ["stats", "--json"],
        ["failures"],
        ["export", "--format", "jsonl"],
        ["export", "--format", "csv"],
        ["stories"],
        ["stories", "--json", "--min-outlets", "2"],
        ["story", str(story_id)],
        ["story", str(story_id), "--json"],
        ["thread", str(thread_id)],
        ["thread", str(thread_id), "--timeline", "--json"],
        ["search", GCTF_QUERY],
        ["search", GCTF_QUERY, "--json", "--all"],
    ]
    runner = CliRunner()
    for command in commands:
        out = runner.invoke(cli, [*command, *db])
        assert out.exit_code == 0, (command, out.output)
    assert _digest(demo_archive) == before


def _html_timeline(page: str, kind: str) -> list[tuple[str, list[int], str]]:
    """The page's <ol class="{kind}">: each item's date, its sources' article ids, its sentence."""
    lists = [ol for ol in HTMLParser(page).css("ol") if ol.attributes.get("class") == kind]
    assert len(lists) == 1, kind
    return [
        (
            li.css_first("time").attributes["datetime"],
            [int(a.attributes["href"].rsplit("/", 1)[1]) for a in li.css("a")],
            li.css_first("p").text(),
        )
        for li in lists[0].css("ol > li")
    ]


def test_the_reader_the_api_and_the_command_line_show_one_timeline(demo_archive):
    with Store(demo_archive, readonly=True) as store:
        gctf = max(
            (threads.thread(store, t) for t in _ids(demo_archive, "SELECT id FROM thread")),
            key=lambda t: len(t.events),
        )
        assert "الإرهاب" in gctf.title or any(
            "الإرهاب" in s.title for s in stories.thread_stories(store, gctf.id)
        )
    shown = {
        part: [(e.date, [s.article_id for s in e.sources], e.text) for e in getattr(gctf, part)]
        for part in ("background", "events")
    }
    assert (len(shown["background"]), len(shown["events"])) == (1, 19)
    out = CliRunner().invoke(cli, ["thread", str(gctf.id), "--timeline", "--json", "--db", str(demo_archive)])
    assert out.exit_code == 0, out.output
    listed = json.loads(out.output)
    with TestClient(create_app(demo_archive)) as client:
        api = client.get(f"/api/v1/threads/{gctf.id}").json()
        page = client.get(f"/threads/{gctf.id}").text
    for part, kind in (("background", "timeline background"), ("events", "timeline")):
        cli_entries = [
            (e["date"], [s["article"]["id"] for s in e["sources"]], e["text"]) for e in listed[part]
        ]
        api_entries = [(e["date"], [s["article_id"] for s in e["sources"]], e["text"]) for e in api[part]]
        assert cli_entries == api_entries == _html_timeline(page, kind) == shown[part]
        assert [e["background"] for e in listed[part]] == [part == "background"] * len(listed[part])


def test_a_file_without_write_permission_is_opened_read_only(demo_archive):
    assert os.stat(demo_archive).st_mode & 0o777 == 0o444
    before = _digest(demo_archive)
    with Archive(demo_archive) as archive:
        assert archive.readonly
        assert len(archive.stories(limit=1000)) == len(_ids(demo_archive, "SELECT id FROM story"))
        with pytest.raises(ReadOnlyArchive, match="is read-only: cannot ingest"):
            archive.ingest([str(html_files()[0])])
        with pytest.raises(ReadOnlyArchive, match="is read-only: cannot relink"):
            archive.relink()
    assert _digest(demo_archive) == before
