"""The command line end to end: `marsad sources add`, `marsad crawl --once` killed halfway and resumed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.store.db import Store

from .fixture_site import Hit, Outlet, Resource, article_html, article_text, rss

ARTICLES = range(100, 140)


@pytest.fixture()
def outlet():
    log: list[Hit] = []
    server = Outlet(log, "127.0.0.6")
    server.routes["/robots.txt"] = Resource(b"User-agent: *\nAllow: /\n", "text/plain")
    server.routes["/"] = Resource(
        b'<html><head><title>Outlet E</title><link rel="alternate" type="application/rss+xml" href="/rss">'
        b"</head><body></body></html>"
    )
    items = [(f"/e/{n}.html", f"خبر {n}") for n in ARTICLES]
    server.routes["/rss"] = Resource(rss(server.base, items), "application/rss+xml", etag='"e1"')
    for n in ARTICLES:
        server.routes[f"/e/{n}.html"] = Resource(article_html(n))
    server.start()
    yield server
    server.stop()


def marsad(*args: str) -> list[str]:
    return [sys.executable, "-m", "marsad.cli", *args]


def crawl_args(db, delay: str) -> list[str]:
    return marsad(
        "crawl", "--once", "--db", str(db), "--allow", "127.0.0.0/8", "--only-allowed", "--delay", delay,
        "--feed-interval", "0s", "--batch-size", "5",
    )  # fmt: skip


def add_source(db, url: str) -> None:
    result = CliRunner().invoke(
        app, ["sources", "add", url, "--db", str(db), "--allow", "127.0.0.0/8", "--only-allowed"]
    )
    assert result.exit_code == 0, result.output
    assert "added Outlet E (127.0.0.6)" in result.output


def committed(db) -> int:
    """Articles committed so far, read beside the running crawl (WAL lets readers in)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as conn:
            return conn.execute("SELECT count(*) FROM article").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def articles(db) -> set[tuple[str, str, str]]:
    with Store(db) as store:
        return {tuple(r) for r in store.conn.execute("SELECT url, title, body FROM article")}


def test_killed_crawl_resumes_to_the_same_articles(outlet, tmp_path):
    whole, resumed = tmp_path / "whole.db", tmp_path / "resumed.db"
    add_source(whole, outlet.base + "/")
    add_source(resumed, outlet.base + "/")
    env = {**os.environ, "COLUMNS": "200"}
    subprocess.run(crawl_args(whole, "0"), check=True, capture_output=True, env=env, timeout=120)
    expected = articles(whole)
    assert {url for url, _, _ in expected} == {f"{outlet.base}/e/{n}.html" for n in ARTICLES}
    assert all(title == article_text(int(url.rsplit("/", 1)[1][:-5]))[0] for url, title, _ in expected)

    outlet.log.clear()
    process = subprocess.Popen(
        crawl_args(resumed, "0.2"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 90
    while committed(resumed) < 5 and time.monotonic() < deadline:  # the first batch is in
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL  # killed, not finished
    interrupted = articles(resumed)
    assert 0 < len(interrupted) < len(ARTICLES)  # killed halfway: some batches committed, not all

    subprocess.run(crawl_args(resumed, "0"), check=True, capture_output=True, env=env, timeout=120)
    assert articles(resumed) == expected
    with Store(resumed) as store:
        states = dict(store.conn.execute("SELECT state, count(*) FROM crawl_queue GROUP BY state").fetchall())
    assert states == {"done": len(ARTICLES)}


def test_sources_list_shows_health_and_export_prints_opml(outlet, tmp_path):
    db = tmp_path / "m.db"
    add_source(db, outlet.base + "/")
    runner = CliRunner()
    listed = runner.invoke(app, ["sources", "list", "--db", str(db)], env={"COLUMNS": "250"})
    assert listed.exit_code == 0 and "127.0.0.6" in listed.output and "never" in listed.output
    exported = runner.invoke(app, ["sources", "export", "--db", str(db)])
    assert f'xmlUrl="{outlet.base}/rss"' in exported.output
    paused = runner.invoke(app, ["sources", "pause", "127.0.0.6", "--db", str(db)])
    assert paused.exit_code == 0 and paused.output.strip() == "paused Outlet E (127.0.0.6)"
    listed = runner.invoke(app, ["sources", "list", "--db", str(db)], env={"COLUMNS": "250"})
    assert "127.0.0.6" in listed.output and "(paused)" in listed.output  # still listed, said paused
    with Store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM crawl_feed").fetchone()[0] == 1  # its feed kept
    resumed = runner.invoke(app, ["sources", "resume", "127.0.0.6", "--db", str(db)])
    assert resumed.exit_code == 0 and resumed.output.strip() == "resumed Outlet E (127.0.0.6)"
    listed = runner.invoke(app, ["sources", "list", "--db", str(db)], env={"COLUMNS": "250"})
    assert "(paused)" not in listed.output
    unknown = runner.invoke(app, ["sources", "pause", "nowhere.example", "--db", str(db)])
    assert unknown.exit_code == 1 and "no crawled outlet 'nowhere.example'" in unknown.output
    removed = runner.invoke(app, ["sources", "remove", "127.0.0.6", "--db", str(db)])
    assert removed.exit_code == 0 and "removed Outlet E (127.0.0.6)" in removed.output


def test_sources_import_reads_an_opml_file(tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline type="rss" text="هسبريس" xmlUrl="https://example.org/feed"/></body></opml>',
        encoding="utf-8",
    )
    db = tmp_path / "m.db"
    result = CliRunner().invoke(app, ["sources", "import", str(opml), "--db", str(db)])
    assert result.exit_code == 0 and "imported 1 feeds of 1 outlets" in result.output
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body>", encoding="utf-8")
    result = CliRunner().invoke(app, ["sources", "import", str(broken), "--db", str(db)])
    assert result.exit_code == 1 and "not an OPML file" in result.output


def test_interval_parsing():
    from datetime import timedelta

    import typer

    from marsad.commands.crawl import parse_interval

    assert parse_interval("10m") == timedelta(minutes=10)
    assert parse_interval("90s") == parse_interval("90") == timedelta(seconds=90)
    assert parse_interval("2h") == timedelta(hours=2) and parse_interval("1d") == timedelta(days=1)
    with pytest.raises(typer.BadParameter):
        parse_interval("ten minutes")
