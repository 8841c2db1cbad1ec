"""PostgreSQL as the store: the translated migrations give SQLite's schema, two writer processes at once
lose nothing, and `marsad copy` moves an archive there and back unchanged."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.ingest import ingest
from marsad.store import dialect
from marsad.store.db import Store, migrations, postgres_statements

HERE = Path(__file__).parent


def _pages(folder: Path, count: int) -> Path:
    """COUNT article pages of one outlet, each its own story (distinct words), in FOLDER."""
    folder.mkdir(parents=True, exist_ok=True)
    places = ["طنجة", "فاس", "مراكش", "أكادير", "وجدة", "تطوان", "الرباط", "مكناس", "القنيطرة", "الجديدة"]
    for i in range(count):
        place = places[i % len(places)]
        title = f"افتتاح المعرض رقم {i} في مدينة {place}"
        body = "".join(
            f"<p>أعلنت السلطات في مدينة {place} عن افتتاح المعرض رقم {i} للكتاب والفنون بحضور {i + k} من الزوار"
            f" القادمين من جهات مختلفة، وقال المنظمون إن الدورة {k} تعرف مشاركة واسعة.</p>"
            for k in range(3)
        )
        html = (
            f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2019-01-{1 + i % 28:02d}T10:00:00+01:00">'
            f'<link rel="canonical" href="https://akhbar.example.ma/{i}"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>"
        )
        (folder / f"{i:04d}.html").write_text(html, encoding="utf-8")
    return folder


def _columns(store: Store) -> dict[str, list[str]]:
    return {
        t: [d[0] for d in store.conn.execute(f"SELECT * FROM {t} LIMIT 0").description]
        for t in store.tables()
    }


def _contents(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table but the migrations' record, in a fixed order."""
    out = {}
    for table, columns in _columns(store).items():
        if table in ("schema_version", "sqlite_sequence"):
            continue
        rows = store.conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        out[table] = sorted((tuple(r) for r in rows), key=repr)
    return out


def test_every_sqlite_migration_translates() -> None:
    """A schema file the translation cannot take fails here, naming the statement."""
    for _, name, sql in migrations():
        assert postgres_statements(name, sql), name


def test_untranslatable_sql_fails_loudly() -> None:
    for sql in ("PRAGMA user_version", "SELECT rowid FROM article", "SELECT name FROM sqlite_master",
                "CREATE VIRTUAL TABLE f USING fts5(body)", "SELECT group_concat(title) FROM article"):  # fmt: skip
        with pytest.raises(dialect.Untranslatable):
            dialect.to_postgres(sql)
    schema = dialect.Schema({"pending_work": ["seq"]}, {"pending_work": "seq"})
    with pytest.raises(dialect.Untranslatable, match="primary key"):
        dialect.to_postgres("INSERT OR REPLACE INTO pending_work(article_id, kind) VALUES (?, ?)", schema)


def test_translation_of_sqlite_idioms() -> None:
    schema = dialect.Schema(
        {"link_doc": ["article_id"]}, {"article": "id"}, {"link_doc": {"article_id", "seq"}}
    )
    assert (
        dialect.to_postgres(
            "SELECT id FROM article a INDEXED BY article_published WHERE +a.duplicate_of IS ? AND a.url LIKE '50%'",
            schema,
        ).sql
        == "SELECT id FROM article a WHERE a.duplicate_of IS NOT DISTINCT FROM %s AND a.url ILIKE '50%%'"
    )
    assert dialect.to_postgres("INSERT INTO article(url) VALUES (?)", schema) == dialect.Translated(
        "INSERT INTO article(url) VALUES (%s) RETURNING id", "id"
    )
    assert dialect.to_postgres(
        "INSERT OR REPLACE INTO link_doc(article_id, seq) VALUES (?, ?)", schema
    ).sql == (
        "INSERT INTO link_doc(article_id, seq) VALUES (%s, %s) ON CONFLICT (article_id) DO UPDATE SET seq = excluded.seq"
    )
    assert dialect.to_postgres("INSERT INTO link_doc(article_id, seq) VALUES (?, 1) ON CONFLICT(article_id)"
                               " DO UPDATE SET seq = seq + 1", schema).sql.endswith("SET seq = link_doc.seq + 1")  # fmt: skip
    assert dialect.glob_regex("[0-9][0-9]-Q[1-4]*") == "^[0-9][0-9]\\-Q[1-4].*$"


# published as stated -> its UTC instant, as the listings sort by it (store.articles.instant_of)
INSTANTS = {
    "2018-11-15T21:00:00+03:00": "2018-11-15T18:00:00",
    "2018-11-15T19:10:00+01:00": "2018-11-15T18:10:00",
    "2019-01-01T01:30:00+03:00": "2018-12-31T22:30:00",
    "2018-11-15T19:10:05.75Z": "2018-11-15T19:10:05",
    "2018-11-15T19:10:05-04:30": "2018-11-15T23:40:05",
    "2018-11-15 19:10": "2018-11-15T19:10:00",
    "2018-11-15": "2018-11-15T00:00:00",
    "2018-02-30T10:00:00+01:00": "2018-03-02T09:00:00",
    "2018": "2018-01-01T00:00:00",
    "2018-05": "2018-05-01T00:00:00",
    "2018-Q4": "2018-10-01T00:00:00",
    "2018-13-01": None,
    "2018-11-15T25:00:00": None,
    "الأربعاء": None,
    "": None,
}


def test_the_instant_of_published_is_sqlites(pg_database: str) -> None:
    """PostgreSQL's marsad_instant (what its article_instant index holds) gives SQLite's instant_of."""
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE a(published TEXT)")
    lite.executemany("INSERT INTO a VALUES (?)", [(value,) for value in INSTANTS])
    assert dict(lite.execute(f"SELECT published, {dialect.instant_of('published')} FROM a")) == INSTANTS
    with Store(pg_database) as pg:
        sql = f"SELECT {dialect.instant_of('v.p')} FROM (SELECT ? AS p) v"
        found = {value: pg.conn.execute(sql, (value,)).fetchone()[0] for value in INSTANTS}
    assert found == INSTANTS


def test_migrated_postgresql_schema_is_sqlites(pg_database: str, tmp_path: Path, as_sqlite) -> None:
    with as_sqlite(), Store(tmp_path / "s.db") as lite, Store(pg_database) as pg:
        assert pg.schema_version() == lite.schema_version() == migrations()[-1][0]
        assert _columns(pg) | {"sqlite_sequence": []} == _columns(lite) | {"sqlite_sequence": []}


def test_two_writer_processes_lose_nothing(pg_database: str, tmp_path: Path) -> None:
    """A crawl storing and linking 120 articles in 12 ingests while a reader process files 300 reports on
    them: every article and every report is there, and each item's flag agrees with its reports."""
    folder = _pages(tmp_path / "pages", 120)
    Store(pg_database).close()  # migrated once, before both start
    script = str(HERE / "pg_writers.py")
    writers = [
        subprocess.Popen(
            [sys.executable, script, "ingest", pg_database, str(folder), "12"], stdout=subprocess.PIPE
        ),
        subprocess.Popen([sys.executable, script, "report", pg_database, "300"], stdout=subprocess.PIPE),
    ]
    results = []
    for writer in writers:
        out, _ = writer.communicate(timeout=600)
        assert writer.returncode == 0
        results.append(json.loads(out))
    assert results[0] == {"new": 120}
    assert sum(results[1].values()) == 300 and set(results[1]) <= {"counted"}
    with Store(pg_database) as store:
        one = lambda sql: store.conn.execute(sql).fetchone()[0]  # noqa: E731
        assert one("SELECT count(*) FROM article") == 120
        assert one("SELECT count(*) FROM report") == 300
        assert one("SELECT count(DISTINCT client) FROM report") == 300
        assert one("SELECT count(*) FROM report_attempt") == 300
        assert one("SELECT count(*) FROM link_doc") == 120
        per_item = dict(
            store.conn.execute("SELECT article_id, count(*) FROM report GROUP BY article_id").fetchall()
        )
        hidden = {r[0] for r in store.conn.execute("SELECT article_id FROM flag WHERE state = 'hidden'")}
        assert hidden == {a for a, n in per_item.items() if n >= 3}
        assert one("SELECT count(*) FROM moderation") == len(hidden)


def test_copy_there_and_back_is_identical(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, as_sqlite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`marsad copy` SQLite -> PostgreSQL -> SQLite (on the SQLite pass: SQLite -> SQLite -> SQLite) keeps
    every row of every table, ids included, and the search index finds the same articles."""
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "default.db"))  # a database URL's index: beside it
    via = request.getfixturevalue("pg_database") if backend == "postgresql" else str(tmp_path / "via.db")
    with as_sqlite():
        source, back = tmp_path / "a.db", tmp_path / "back.db"
        with Store(source) as store:
            ingest(
                [str(p) for p in sorted(_pages(tmp_path / "pages", 40).glob("*.html"))], store, progress=False
            )
        runner = CliRunner()
        for args in (["--from", str(source), "--to", via], ["--from", via, "--to", str(back)]):
            result = runner.invoke(app, ["copy", *args])
            assert result.exit_code == 0, result.output
        again = runner.invoke(app, ["copy", "--from", str(source), "--to", via])
        refusal = "not empty" if backend == "postgresql" else "exists: copy into a new file"
        assert again.exit_code != 0 and refusal in " ".join(again.output.split())  # nothing merged
        with Store(source) as first, Store(back) as last:
            expected = _contents(first)
            assert expected["article"] and len(expected["article"]) == 40
            assert _contents(last) == expected
        found = [
            json.loads(runner.invoke(app, ["search", "المعرض رقم 7", "--db", str(db), "--json"]).stdout)[
                "total"
            ]
            for db in (source, back)
        ]
        assert found[0] == found[1] > 0
