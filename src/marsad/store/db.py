"""The SQLite connection: WAL mode, foreign keys, and schema migrations.

Each area of the schema is one numbered SQL file in `schema/` (001_core.sql, 002_link.sql, ...). A file is
applied once, in order, inside a transaction, and its number is recorded in `schema_version`; a database
made by an older Marsad is brought up to date when it is opened.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from marsad.settings import resolve

SCHEMA_PACKAGE = "marsad.store.schema"


def default_db_path() -> Path:
    """The `db` setting: `MARSAD_DB` if set, else marsad.db in the user's data folder."""
    return resolve("db")


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) for every schema file, in order."""
    found = []
    for entry in resources.files(SCHEMA_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def is_read_only(path: str | os.PathLike) -> bool:
    """Whether an existing database file is to be opened read-only: no write permission bit is set, or the
    process may not write it. (Root may write any file: the permission bits are what the operator said.)"""
    target = Path(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK)


class Store:
    """One SQLite database. Every SQL statement in Marsad goes through a Store (see the area modules)."""

    def __init__(self, path: str | os.PathLike | None = None, *, readonly: bool = False):
        self.path = Path(path) if path is not None else default_db_path()
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        uri = f"file:{self.path}?mode=ro" if readonly else f"file:{self.path}"
        self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.missing_indexes: set[str] = set()  # indexes a query named that this database lacks
        self.body_lengths: dict[tuple[int, str, int], int] = {}  # see articles.article_view
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA busy_timeout = 30000")
        if not readonly:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.migrate()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return row[0] or 0

    def migrate(self) -> list[str]:
        """Apply every schema file the database has not recorded; returns the names applied. Gaps count: a
        file numbered below the newest applied one (two lines of work that each took a number) still runs."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
        )
        done = {version for (version,) in self.conn.execute("SELECT version FROM schema_version")}
        applied = []
        for number, name, sql in migrations():
            if number in done:
                continue
            with self.transaction() as conn:
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version(version, name) VALUES (?, ?)", (number, name))
            applied.append(name)
        return applied


def _statements(sql: str) -> list[str]:
    """Split a schema file into statements (executescript would commit our transaction)."""
    out, buf = [], []
    for line in sql.splitlines():
        buf.append(line)
        candidate = "\n".join(buf)
        if sqlite3.complete_statement(candidate):
            if candidate.strip():
                out.append(candidate)
            buf = []
    rest = "\n".join(buf).strip()
    if rest and not all(ln.strip().startswith("--") or not ln.strip() for ln in buf):
        out.append(rest)
    return out


def execute_indexed(
    store: Store, sql: str, index: str, params: tuple | list = (), cursor: sqlite3.Cursor | None = None
) -> sqlite3.Cursor:
    """Run `sql` with its "{indexed}" naming `index` (INDEXED BY: without ANALYZE statistics SQLite may
    choose another index and read the article rows). A database opened read-only before the migration that
    made the index lacks it: such a store (remembered) runs `sql` without it."""
    run = (cursor or store.conn).execute
    if index not in store.missing_indexes:
        try:
            return run(sql.format(indexed=f"INDEXED BY {index}"), params)
        except sqlite3.OperationalError as error:
            if index not in str(error):
                raise
            store.missing_indexes.add(index)
    return run(sql.format(indexed=""), params)
