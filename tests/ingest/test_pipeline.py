"""The pipeline: every source kind end to end, re-ingest outcomes, batches, after-commit hooks, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.ingest import ingest, ingest_pages, pipeline
from marsad.models import Page, SourceFailure
from marsad.store import pending
from marsad.store.db import Store

from .conftest import article_html, rss, warc_bytes


def _run(store: Store, targets: list, **options):
    options.setdefault("link", False)
    options.setdefault("index", False)
    report = ingest([str(t) for t in targets], store, progress=False, **options)
    return (report.new, report.updated, report.unchanged, report.failed), report


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "p.db") as s:
        yield s


def test_every_kind_once_then_unchanged(store: Store, write, articles) -> None:
    targets = [
        write("site/a.html", article_html(articles[0])),
        write("crawl.warc.gz", warc_bytes(articles[1:2], gz=True)),
        write("news.rss", rss(articles[2:])),
    ]
    counts, report = _run(store, targets)
    assert counts == (3, 0, 0, 0)
    assert dict(report.kinds) == {"html": 2, "record": 1}
    counts, _ = _run(store, targets)
    assert counts == (0, 0, 3, 0)


def test_changed_page_is_updated(store: Store, write, articles, tmp_path: Path) -> None:
    page = write("a.html", article_html(articles[0]))
    assert _run(store, [page])[0] == (1, 0, 0, 0)
    edited = dict(
        articles[0], body=[*articles[0]["body"], "وأكدت الوكالة أن الأرقام النهائية ستنشر نهاية الشهر."]
    )
    page.write_text(article_html(edited), encoding="utf-8")
    counts, report = _run(store, [page])
    assert counts == (0, 1, 0, 0)
    assert report.updated_ids == [1]
    body = store.conn.execute("SELECT body FROM article WHERE id = 1").fetchone()[0]
    assert body.split("\n")[-1] == "وأكدت الوكالة أن الأرقام النهائية ستنشر نهاية الشهر."


def test_ingest_pages_for_producers(store: Store, articles) -> None:
    items = [
        Page(
            url=articles[0]["url"], kind="html", content=article_html(articles[0]).encode(), origin="crawler"
        ),
        SourceFailure("crawler", "https://akhbar.example.ma/503", "fetch", "the server answered HTTP 503"),
        Page(
            url="https://akhbar.example.ma/empty",
            kind="html",
            content=b"<html><body></body></html>",
            origin="crawler",
        ),
    ]
    report = ingest_pages(store, items, link=False, index=False)
    assert (report.new, report.failed) == (1, 2)
    assert [(f.stage, f.url) for f in report.failures] == [
        ("fetch", "https://akhbar.example.ma/503"),
        ("extract", "https://akhbar.example.ma/empty"),
    ]
    assert report.failures[0].reason == "the server answered HTTP 503"
    assert report.failures[1].reason == "no article text found in the HTML page"


def test_batches_commit_and_hooks_get_changed_ids(store: Store, write, articles, monkeypatch) -> None:
    calls: list[tuple[str, list[int]]] = []

    def hook(kind: str):  # stands for linking or indexing: records the ids and clears their pending marks
        def done(s, ids, *linker) -> None:
            calls.append((kind, list(ids)))
            pending.clear(s, kind, ids)

        return done

    monkeypatch.setattr(pipeline, "link_new", hook("link"))
    monkeypatch.setattr(pipeline, "index_articles", hook("index"))
    pages = [write(f"p{n}.html", article_html(a)) for n, a in enumerate(articles)]
    report = ingest([str(p) for p in pages], store, progress=False, batch_size=2)
    assert report.batches == 2
    assert calls == [("link", [1, 2]), ("index", [1, 2]), ("link", [3]), ("index", [3])]
    calls.clear()
    ingest([str(p) for p in pages], store, progress=False, batch_size=2)
    assert calls == []  # nothing changed: nothing to link or index


def test_a_failing_hook_keeps_the_batch_and_says_what_to_rerun(
    store: Store, write, articles, monkeypatch
) -> None:
    def broken(store, ids, *analysed_out):
        raise RuntimeError("index is locked")

    monkeypatch.setattr(pipeline, "link_new", lambda s, ids, linker: None)
    monkeypatch.setattr(pipeline, "index_articles", broken)
    counts, report = _run(store, [write("a.html", article_html(articles[0]))], link=True, index=True)
    assert counts == (1, 0, 0, 1)
    assert [(f.origin, f.stage, f.reason) for f in report.failures] == [
        ("index of articles 1-1", "index",
         "index_articles failed for 1 articles (RuntimeError: index is locked); they stay pending:"
         " the next `marsad ingest` retries (or run `marsad reindex`)"),
    ]  # fmt: skip
    assert store.conn.execute("SELECT count(*) FROM article").fetchone()[0] == 1
    assert pending.counts(store) == {"link": 1, "index": 1}  # the stand-in linker did not link it either
    monkeypatch.undo()
    again = ingest([], store, progress=False)  # no input: finishes the pending work only
    assert (again.pending_linked, again.pending_indexed, again.failed) == (1, 1, 0)
    assert pending.counts(store) == {"link": 0, "index": 0}
    assert store.conn.execute("SELECT story_id IS NOT NULL FROM article").fetchone()[0] == 1


def test_export_round_trip(store: Store, write, articles, tmp_path: Path) -> None:
    _run(store, [write(f"p{n}.html", article_html(a)) for n, a in enumerate(articles)])
    db = str(store.path)
    exported = tmp_path / "all.jsonl"
    result = CliRunner().invoke(app, ["export", "--db", db, "--format", "jsonl", "--output", str(exported)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["url"], r["title"], r["body"], r["published"]) for r in rows] == [
        (n + 1, a["url"], a["title"], a["body"], f"{a['date']}T09:30:00+01:00")
        for n, a in enumerate(articles)
    ]
    with Store(tmp_path / "copy.db") as copy:
        assert _run(copy, [exported])[0] == (3, 0, 0, 0)
        assert [
            tuple(r) for r in copy.conn.execute("SELECT url, title, body, published FROM article ORDER BY id")
        ] == [
            tuple(
                store.conn.execute(
                    "SELECT url, title, body, published FROM article WHERE id = ?", (n,)
                ).fetchone()
            )
            for n in (1, 2, 3)
        ]
    csv_out = CliRunner().invoke(app, ["export", "--db", db, "--format", "csv"])
    assert csv_out.stdout.splitlines()[0].startswith("id,url,title,outlet,outlet_latin,published")


def test_stats_and_failures_json(store: Store, write, articles, tmp_path: Path) -> None:
    _run(store, [write("a.html", article_html(articles[0])), tmp_path / "missing.txt"])
    db = str(store.path)
    stats = json.loads(CliRunner().invoke(app, ["stats", "--db", db, "--json"]).stdout)
    assert (stats["articles"], stats["failures"], stats["by_kind"]) == (1, 1, {"html": 1})
    assert stats["by_outlet"] == {"أخبار المثال": 1}
    failures = json.loads(CliRunner().invoke(app, ["failures", "--db", db, "--json"]).stdout)
    assert [(f["stage"], f["reason"], f["seen_count"]) for f in failures] == [
        ("read", "no such file or folder", 1)
    ]


def test_commands_on_a_missing_database_say_so(tmp_path: Path) -> None:
    for command in (["stats"], ["export"], ["failures"]):
        result = CliRunner().invoke(app, [*command, "--db", str(tmp_path / "none.db")])
        assert result.exit_code != 0
        assert "no database at" in result.output
        assert "Traceback" not in result.output


def test_progress_callback_and_bar(store: Store, write, articles, capsys) -> None:
    folder = write("site/a.html", article_html(articles[0])).parent
    write("site/b.html", article_html(articles[1]))
    seen: list[tuple[int, int | None]] = []
    ingest(
        [str(folder)],
        store,
        progress=lambda done, expected, _: seen.append((done, expected)),
        link=False,
        index=False,
    )
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    report = ingest([str(folder)], store, progress=True, link=False, index=False)
    assert report.unchanged == 2
    assert "ingest" in capsys.readouterr().err
