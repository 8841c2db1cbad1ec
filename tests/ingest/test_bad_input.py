"""Bad input in one batch with good files: each bad one is a clear failure row, the good ones are ingested."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from typer.testing import CliRunner

from marsad.cli import app
from marsad.ingest import ingest
from marsad.store.db import Store

from .conftest import article_html, rss, warc_bytes

EXPECTED_FAILURES = [
    ("empty.txt", "read", "the file is empty"),
    ("blob.bin", "read", "a binary file, not a page, archive, feed or corpus"),
    ("cut.warc", "read", "the archive is truncated: this record has 949 of its 1345 bytes"),
    (
        "feed.xml",
        "read",
        "the feed's XML is broken (<unknown>:2:782: no element found); 1 entry read before the break",
    ),
    ("not-there.html", "read", "no such file or folder"),
]


def _targets(write, articles: list[dict], tmp_path: Path) -> list[str]:
    """Two good HTML pages (one in windows-1256), then five bad inputs; the WARC and the feed hold good
    records before their break: the WARC repeats the two pages, the feed brings the third article."""
    good_html = write("good/port.html", article_html(articles[0]))
    legacy = write("good/raja-1256.html", article_html(articles[1], "windows-1256").encode("cp1256"))
    empty = write("bad/empty.txt", b"")
    binary = write("bad/blob.bin", random.Random(7).randbytes(3000) + b"\x00\x00")
    full = warc_bytes(articles)
    truncated = write("bad/cut.warc", full[: len(full) - 400])
    broken_feed = write("bad/feed.xml", rss(articles[2:], broken=True))
    missing = tmp_path / "not-there.html"
    return [str(p) for p in (good_html, legacy, empty, binary, truncated, broken_feed, missing)]


def _failures(db: Path) -> list[tuple[str, str, str]]:
    with Store(db) as store:
        rows = store.conn.execute("SELECT origin, stage, reason FROM failure ORDER BY id").fetchall()
    return [(os.path.basename(origin.split("@")[0]), stage, reason) for origin, stage, reason in rows]


def test_bad_inputs_become_failure_rows_and_good_files_are_ingested(write, articles, tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    with Store(db) as store:
        report = ingest(_targets(write, articles, tmp_path), store, progress=False, link=False, index=False)
        rows = store.conn.execute("SELECT url, title, body, kind FROM article ORDER BY id").fetchall()
    # The WARC's two complete records are the same pages as the HTML files: unchanged.
    assert (report.new, report.updated, report.unchanged, report.failed) == (3, 0, 2, 5)
    assert [tuple(r) for r in rows] == [
        (a["url"], a["title"], "\n".join(a["body"]), kind)
        for a, kind in zip(articles, ("html", "html", "record"), strict=True)
    ]
    assert _failures(db) == EXPECTED_FAILURES
    assert [
        (os.path.basename(n.origin.split("@")[0]), n.stage, n.reason) for n in report.failures
    ] == EXPECTED_FAILURES


def test_windows_1256_page_is_decoded(write, articles, tmp_path: Path) -> None:
    page = write("raja.html", article_html(articles[1], "windows-1256").encode("cp1256"))
    with Store(tmp_path / "m.db") as store:
        report = ingest([str(page)], store, progress=False, link=False, index=False)
        title, body, published = store.conn.execute("SELECT title, body, published FROM article").fetchone()
    assert report.new == 1
    assert title == "فريق الرجاء يبلغ نهائي الكأس بعد مباراة مثيرة"
    assert body.split("\n") == articles[1]["body"]
    assert published == "2018-04-02T09:30:00+01:00"


def test_cli_reports_bad_input_clearly(write, articles, tmp_path: Path) -> None:
    targets = _targets(write, articles, tmp_path)
    db = str(tmp_path / "c.db")
    result = CliRunner().invoke(app, ["ingest", *targets, "--db", db, "--no-link", "--no-index", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["new"], report["updated"], report["unchanged"], report["failed"]) == (3, 0, 2, 5)
    assert [
        (os.path.basename(f["origin"].split("@")[0]), f["stage"], f["reason"]) for f in report["failures"]
    ] == (EXPECTED_FAILURES)
    table = CliRunner().invoke(app, ["ingest", *targets, "--db", db, "--no-link", "--no-index"])
    assert table.exit_code == 0
    assert "Traceback" not in table.output
    assert "│ unchanged │     5 │" in table.output
    assert "│ failed    │     5 │" in table.output


def test_cli_all_bad_exits_non_zero(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "nothing.txt"), "--db", str(tmp_path / "c.db")]
    )
    assert result.exit_code == 1
    assert "no such file or folder" in result.output
    assert "Traceback" not in result.output
