"""The database connection: SQLite (WAL mode, foreign keys) for a path, PostgreSQL for a
`postgresql://` URL, and schema migrations.

Each area of the schema is one numbered SQL file in `schema/` (001_core.sql, 002_link.sql, ...). A file is
applied once, in order, inside a transaction, and its number is recorded in `schema_version`; a database
made by an older Marsad is brought up to date when it is opened. On PostgreSQL the same files run,
translated by marsad.store.dialect, except where a hand-written `NNN_name.postgresql.sql` stands beside one.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from marsad.settings import resolve
from marsad.store import dialect, pgpool, postgres

SCHEMA_PACKAGE = "marsad.store.schema"
PG_SUFFIX = ".postgresql.sql"


def default_db_path() -> Path:
    """The `db` setting: `MARSAD_DB` if set, else marsad.db in the user's data folder."""
    return resolve("db")


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) for every schema file, in order."""
    found = []
    for entry in resources.files(SCHEMA_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and not name.endswith(PG_SUFFIX) and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def postgres_statements(name: str, sql: str) -> list[tuple[str, tuple | None]]:
    """A migration's statements for PostgreSQL: its hand-written file when there is one, else the SQLite
    file translated (Untranslatable when a statement cannot be), with the sequence of each rowid-like key;
    each with the parameters to run it with (None: as written)."""
    own = resources.files(SCHEMA_PACKAGE).joinpath(name.removesuffix(".sql") + PG_SUFFIX)
    if own.is_file():
        return [(s, None) for s in _statements(own.read_text(encoding="utf-8"), dollar_quoted=True)]
    out: list[tuple[str, tuple | None]] = []
    for statement in _statements(sql):
        out.append((dialect.to_postgres(statement).sql, ()))  # () : psycopg reads its "%%" as "%"
        serial = dialect.serial_column(statement)
        if serial:
            out.extend((s, None) for s in dialect.serial_ddl(*serial))
    return out


def is_read_only(path: str | os.PathLike) -> bool:
    """Whether a PostgreSQL database is never (the server's grants decide); else whether an existing database file is to be opened read-only: no write permission bit is set, or the
    process may not write it. (Root may write any file: the permission bits are what the operator said.)"""
    if postgres.is_url(path):
        return False
    target = Path(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK)


def local_path(target: str | os.PathLike) -> Path:
    """Where the archive's own files live: the SQLite file, or for a PostgreSQL database a name in the
    user's data folder (its search index is `<that>.index`, as beside a SQLite file)."""
    url = postgres.server_url(target)
    if url is None:
        return Path(target)
    parts = urlsplit(url)
    name = (
        f"postgresql-{parts.hostname or 'local'}-{parts.port or 5432}-{parts.path.strip('/') or 'postgres'}"
    )
    return Path(resolve("db")).parent / name if not postgres.is_url(resolve("db")) else _data_dir() / name


def _data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("marsad", appauthor=False))


class Store:
    """One database, SQLite or PostgreSQL. Every SQL statement in Marsad goes through a Store (see the
    area modules), written in SQLite's SQL; on PostgreSQL `conn` translates it (marsad.store.postgres)."""

    conn: Any  # sqlite3.Connection, or postgres.PgConnection with the same methods

    def __init__(
        self, path: str | os.PathLike | None = None, *, readonly: bool = False, pooled: bool = False
    ):
        """`pooled`: on PostgreSQL, borrow connections from this process's pool (marsad.store.pgpool) rather
        than open one; the database must be migrated already (by a Store opened without it)."""
        target = path if path is not None else default_db_path()
        self.url = postgres.server_url(target)
        self.backend = "postgresql" if self.url else "sqlite"
        self.path = local_path(target)
        self.missing_indexes: set[str] = set()  # indexes a query named that this database lacks
        self.body_lengths: dict[tuple[int, str, int], int] = {}  # see articles.article_view
        if self.url and pooled:
            self.conn = pgpool.PooledConnection(pgpool.shared_pool(self.url, readonly=readonly))
            return
        if self.url:
            self.conn = postgres.PgConnection(self.url, readonly=readonly)
            if not readonly:
                self.migrate()
            self.conn.load_schema()
            return
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        uri = f"file:{self.path}?mode=ro" if readonly else f"file:{self.path}"
        self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA busy_timeout = 30000")
        if not readonly:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.migrate()

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    @property
    def target(self) -> str | Path:
        """What opens this database again (another Store, a web worker): its URL, or its file's path."""
        return self.url or self.path

    @property
    def location(self) -> str:
        """The database as named to the user: the file's path, or the URL without its password."""
        return postgres.describe(self.url) if self.url else str(self.path)

    def tables(self) -> set[str]:
        if self.url:
            return set(self.conn.tables())
        return {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception. On PostgreSQL BEGIN IMMEDIATE takes the
        store's write lock (marsad.store.postgres), so writers still run one at a time."""
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
        if self.url:
            return self._migrate_postgres()
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

    def _migrate_postgres(self) -> list[str]:
        """The same, in one transaction under an advisory lock (several processes may open the database at
        once), after (re)defining the SQLite functions the store's SQL calls."""
        raw = self.conn.raw
        applied = []
        with raw.transaction():
            raw.execute("SELECT pg_advisory_xact_lock(%s)", (postgres.MIGRATE_LOCK,))
            raw.execute(postgres.FUNCTIONS)
            raw.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
            )
            done = {version for (version,) in raw.execute("SELECT version FROM schema_version")}
            for number, name, sql in migrations():
                if number in done:
                    continue
                for statement, params in postgres_statements(name, sql):
                    try:
                        raw.execute(statement, params)
                    except Exception as error:
                        raise sqlite3.OperationalError(
                            f"migration {name} failed on PostgreSQL: {error}"
                        ) from error
                raw.execute("INSERT INTO schema_version(version, name) VALUES (%s, %s)", (number, name))
                applied.append(name)
        return applied


def _statements(sql: str, *, dollar_quoted: bool = False) -> list[str]:
    """Split a schema file into statements (executescript would commit our transaction). With
    `dollar_quoted` (a PostgreSQL file), a `$$`-quoted body is not cut at its semicolons."""
    out, buf = [], []
    for line in sql.splitlines():
        buf.append(line)
        candidate = "\n".join(buf)
        if dollar_quoted and candidate.count("$$") % 2:
            continue
        if sqlite3.complete_statement(candidate):
            if candidate.strip():
                out.append(candidate)
            buf = []
    rest = "\n".join(buf).strip()
    if rest and not all(ln.strip().startswith("--") or not ln.strip() for ln in buf):
        out.append(rest)
    return out


def execute_indexed(store: Store, sql: str, index: str, params: tuple | list = (), cursor: Any = None) -> Any:
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
