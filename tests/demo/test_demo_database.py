"""`marsad demo` rebuilds the database every command reads, so it replaces only a database that is missing,
empty or still just the demo's: anything else is kept, with one line saying why, unless `--force`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import marsad.demo
from marsad.cli import app
from marsad.store import accounts, reports
from marsad.store import crawl as crawl_store
from marsad.store.contents import BUILDING, DEMO_MARKER, holdings
from marsad.store.db import Store


def demo(db: Path, *options: str):
    return CliRunner().invoke(app, ["demo", "--db", str(db), "--no-serve", *options])


def articles(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM article").fetchone()[0])


def refusal(db: Path, what: str) -> str:
    return (
        f"error: {db} {what}; the demo replaces only its own database: give it another with --db FILE,"
        " or --force to replace this one\n"
    )


@pytest.fixture()
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "marsad.db"
    result = demo(db)
    assert result.exit_code == 0, result.output
    return db


def test_the_demo_runs_again_over_its_own_database(demo_db: Path) -> None:
    with Store(demo_db) as store:
        reports.set_admin_password(store, "the moderator's password")
        accounts.add(store, "salma", "reader", "a reader's password")
    result = demo(demo_db)
    assert result.exit_code == 0, result.output
    assert f"demo database: {demo_db} (every marsad command reads it unless given --db)" in result.output
    assert articles(demo_db) == 43
    with Store(demo_db) as store:  # made afresh, with its accounts kept
        assert reports.check_admin_password(store, "the moderator's password")
        assert accounts.authenticate(store, "salma", "a reader's password") == accounts.Account(
            2, "salma", "reader"
        )


def test_the_demo_refuses_a_database_that_holds_more_than_the_demo_and_force_replaces_it(
    demo_db: Path,
) -> None:
    # one more article, from a file the demo does not ingest: the archive is no longer just the demo's
    extra = CliRunner().invoke(app, ["ingest", "--db", str(demo_db), str(marsad.demo.text_files()[0])])
    assert extra.exit_code == 0, extra.output
    refused = demo(demo_db)
    assert (refused.exit_code, refused.output) == (
        1,
        refusal(demo_db, "holds more than the demo (44 articles)"),
    )
    assert articles(demo_db) == 44  # untouched
    forced = demo(demo_db, "--force")
    assert forced.exit_code == 0, forced.output
    assert articles(demo_db) == 43


def test_the_demo_refuses_an_archive_it_did_not_make(tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    with Store(db) as store:  # an operator's archive: one outlet to crawl, nothing fetched yet
        crawl_store.add_outlet(
            store, "news.example", "أخبار", "https://news.example/", [("https://news.example/rss", "feed")]
        )
    refused = demo(db)
    assert (refused.exit_code, refused.output) == (1, refusal(db, "holds more than the demo (1 feed)"))
    with Store(db) as store:
        assert holdings(store)["feeds"] == 1


def test_the_demo_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("not a database", encoding="utf-8")
    refused = demo(db)
    expected = refusal(db, "is not a Marsad database (file is not a database)")
    assert (refused.exit_code, refused.output) == (1, expected)
    assert db.read_text(encoding="utf-8") == "not a database"


def test_the_demo_takes_an_empty_database_and_one_a_stopped_demo_left(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    Store(empty).close()  # what `marsad serve` makes on a first start
    assert demo(empty).exit_code == 0 and articles(empty) == 43

    halfway = tmp_path / "halfway.db"
    with Store(halfway) as store:  # a demo stopped halfway: its marker says so, some articles are in
        reports.set_setting(store, DEMO_MARKER, BUILDING)
    CliRunner().invoke(app, ["ingest", "--db", str(halfway), *map(str, marsad.demo.html_files()[:5])])
    assert articles(halfway) == 5
    assert demo(halfway).exit_code == 0 and articles(halfway) == 43


OWN_PAGE = """<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>تقرير البلدية السنوي</title>
<link rel="canonical" href="https://own.example/news/1"></head><body><article><h1>تقرير البلدية السنوي</h1>
<p>نشرت البلدية تقريرها السنوي عن المشاريع التي أنجزت خلال العام الماضي في أحياء المدينة كلها.</p>
<p>ويعرض التقرير كلفة كل مشروع ومدة إنجازه وعدد السكان الذين استفادوا منه في كل حي.</p>
</article></body></html>"""


def test_a_stopped_demo_that_was_ingested_into_since_is_kept(tmp_path: Path) -> None:
    halfway = tmp_path / "halfway.db"
    with Store(halfway) as store:  # a demo stopped halfway, then the operator's own page ingested into it
        reports.set_setting(store, DEMO_MARKER, BUILDING)
    CliRunner().invoke(app, ["ingest", "--db", str(halfway), *map(str, marsad.demo.html_files()[:5])])
    own = tmp_path / "own.html"
    own.write_text(OWN_PAGE, encoding="utf-8")
    CliRunner().invoke(app, ["ingest", "--db", str(halfway), str(own)])
    assert articles(halfway) == 6
    refused = demo(halfway)
    assert (refused.exit_code, refused.output) == (
        1,
        refusal(halfway, "holds more than the demo (6 articles)"),
    )
    assert articles(halfway) == 6
