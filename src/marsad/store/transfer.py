"""Moving an archive between databases (`marsad copy`): SQLite to PostgreSQL and back, or between two of
either.

Every table the two schemas share is copied row for row with its ids (PostgreSQL's sequences move past
them, see marsad.store.dialect.serial_ddl), in one transaction on the target with foreign keys checked at
its commit: the copy is whole or, on any error, nothing. The target must be empty (as a fresh database
is): a copy never merges into an archive. The search index is the caller's to rebuild.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from marsad.store.contents import holdings
from marsad.store.db import Store

BATCH = 2000
# Rows a fresh database already holds: the schema's record, and what migrations put in.
SKIPPED = {"schema_version", "sqlite_sequence"}


class CopyError(RuntimeError):
    """A copy that cannot start, or that failed (nothing was written)."""


@dataclass
class Copied:
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows copied

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def copy_archive(source: Store, target: Store, progress: Callable[[str, int], None] | None = None) -> Copied:
    """Copy every row of `source` into the empty `target` (both at the same schema version)."""
    if source.schema_version() != target.schema_version():
        raise CopyError(
            f"{source.location} is at schema {source.schema_version()}, {target.location} at"
            f" {target.schema_version()}: open both with this Marsad first"
        )
    tables = sorted((source.tables() & target.tables()) - SKIPPED)
    busy = [t for t in tables if target.conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
    if busy:
        raise CopyError(
            f"{target.location} is not empty ({', '.join(busy)} hold rows): copy into a new database"
        )
    copied = Copied()
    with target.transaction() as conn:
        _defer_foreign_keys(target)
        for table in tables:
            copied.tables[table] = _copy_table(source, conn, table, progress)
    if not target.is_sqlite:
        target.conn.execute("ANALYZE")  # the planner's statistics of the new rows (autovacuum's is later)
    return copied


def _defer_foreign_keys(target: Store) -> None:
    if target.is_sqlite:
        target.conn.execute("PRAGMA defer_foreign_keys = ON")
    else:
        target.conn.execute("SET CONSTRAINTS ALL DEFERRED")


def _columns(store: Store, table: str) -> list[str]:
    cursor = store.conn.execute(f"SELECT * FROM {table} LIMIT 0")
    return [d[0] for d in cursor.description]


def _copy_table(source: Store, conn, table: str, progress: Callable[[str, int], None] | None) -> int:
    columns = [c for c in _columns(source, table) if c in set(_columns_of_target(conn, table))]
    names = ", ".join(columns)
    insert = f"INSERT INTO {table}({names}) VALUES ({', '.join('?' * len(columns))})"
    done = 0
    cursor = source.conn.execute(f"SELECT {names} FROM {table} ORDER BY {columns[0]}")
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            break
        conn.executemany(insert, [tuple(r) for r in rows])
        done += len(rows)
        if progress:
            progress(table, done)
    return done


def _columns_of_target(conn, table: str) -> list[str]:
    return [d[0] for d in conn.execute(f"SELECT * FROM {table} LIMIT 0").description]


def summary(store: Store) -> dict[str, int]:
    """What an operator checks after a copy: the archive's counts (marsad.store.contents)."""
    return holdings(store)
