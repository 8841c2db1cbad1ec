"""One pool of PostgreSQL connections per process and database, for the web reader's many threads.

Each reader thread keeps its own Store (as with SQLite); on PostgreSQL those Stores share the process's
`Pool` (psycopg_pool, up to `pg_pool_size` connections) through a `PooledConnection`, which has
PgConnection's methods: a statement runs on a connection borrowed for it alone (its rows are read into
the cursor before the connection goes back), and a transaction, BEGIN to COMMIT or ROLLBACK, on one
connection held until it ends. So forty threads need as many connections as run a statement at once, not forty, and several worker
processes stay within the server's max_connections.

A connection goes back clean. The pool rolls back a transaction left open or failed (psycopg_pool does,
before anything else). A statement that can leave state in the session (anything but a query, a data
change or transaction control, or a call of set_config or a session advisory lock) marks its connection,
and a marked one is reset before another borrower sees it: settings back to the connection's start
(UTC, read-only mode), cursors closed, listening stopped, advisory locks released, temporary tables and
sequence caches dropped. The prepared statements psycopg made stay: they are the same SQL for every
borrower, and keeping them saves the server a plan per statement.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from marsad.settings import resolve
from marsad.store.dialect import Schema, Translated, to_postgres
from marsad.store.postgres import PgConnection, PgCursor, Row, configure, connect_options, describe

WAIT_SECONDS = 30.0  # a borrower waits this long for a free connection, then the statement fails
IDLE_SECONDS = 300.0  # a connection beyond the first unused this long is closed
SESSION_RESET = (
    "RESET ALL; CLOSE ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES"
)
_DATA_WORDS = {"select", "insert", "update", "delete", "with", "values", "table", "begin", "start", "commit",
               "end", "rollback", "savepoint", "release", "analyze", "explain"}  # fmt: skip
_SESSION_CALLS = re.compile(
    r"\b(set_config|pg_advisory_lock(_shared)?|pg_try_advisory_lock(_shared)?)\s*\(", re.I
)

_INTO = re.compile(r"\binto\b", re.I)

_pools: dict[tuple[str, bool], Pool] = {}
_pools_lock = threading.Lock()


@lru_cache(maxsize=4096)
def changes_session(sql: str) -> bool:
    """Whether a statement (as sent to the server) may leave state in the session beyond its transaction."""
    words = sql.split(None, 2)
    if not words or words[0].lower() not in _DATA_WORDS:
        return True
    if words[0].lower() in ("select", "with") and _INTO.search(sql):  # SELECT ... INTO makes a table
        return True
    return bool(_SESSION_CALLS.search(sql))


def _first_word(sql: str) -> str:
    words = sql.split(None, 2)
    return words[0].lower() if words else ""


class Pool:
    """Up to `size` connections to one database: one opened at once, more as borrowers wait for one (and
    closed again after IDLE_SECONDS unused); see the module's doc."""

    def __init__(self, url: str, size: int, *, readonly: bool = False):
        self.url = url
        self.size = size
        self.schema = Schema()  # read below, once connected
        self._marked: weakref.WeakSet[psycopg.Connection] = weakref.WeakSet()
        self._marked_lock = threading.Lock()
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=size,
            max_idle=IDLE_SECONDS,
            kwargs=connect_options(url, readonly=readonly),
            configure=configure,
            reset=self._reset,
            timeout=WAIT_SECONDS,
            name=f"marsad {describe(url)}",
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=15)
        except PoolTimeout as error:
            self._pool.close()
            raise sqlite3.OperationalError(f"cannot connect to {describe(url)}: {error}") from error
        lease = self.lend()
        try:
            lease.load_schema()
        finally:
            self.give_back(lease)
        self.schema = lease.schema

    def lend(self) -> PgConnection:
        """A connection of the pool, as a PgConnection, until `give_back`."""
        try:
            raw = self._pool.getconn()
        except PoolTimeout as error:
            raise sqlite3.OperationalError(
                f"no connection to {describe(self.url)} free within {WAIT_SECONDS:g} s"
                f" (pg_pool_size is {self.size}): {error}"
            ) from error
        return PgConnection(raw=raw, schema=self.schema)

    def give_back(self, lease: PgConnection) -> None:
        self._pool.putconn(lease.raw)

    def mark(self, lease: PgConnection) -> None:
        """The lease's connection ran something that may have left session state: reset it when returned."""
        with self._marked_lock:
            self._marked.add(lease.raw)

    def _reset(self, raw: psycopg.Connection) -> None:
        with self._marked_lock:
            marked = raw in self._marked
            self._marked.discard(raw)
        if marked:
            raw.execute(SESSION_RESET)

    @property
    def stats(self) -> dict[str, int]:
        return dict(self._pool.get_stats())

    def close(self) -> None:
        self._pool.close()


def shared_pool(url: str, *, readonly: bool = False) -> Pool:
    """This process's pool for `url` (made on first use, up to `pg_pool_size` connections)."""
    key = (url, readonly)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = Pool(url, resolve("pg_pool_size"), readonly=readonly)
        return pool


def close_pools() -> None:
    """Close every pool of this process (a server shutting down, a test ending)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


class PooledCursor:
    """PgCursor's interface; each execute runs on the owner's transaction connection or a borrowed one."""

    def __init__(self, owner: PooledConnection):
        self._owner = owner
        self._inner: PgCursor | None = None
        self.lastrowid: int | None = None
        self.rowcount = -1
        self.row_factory: Any = Row

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PooledCursor:
        return self._run(sql, lambda cursor: cursor.execute(sql, params))

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PooledCursor:
        return self._run(sql, lambda cursor: cursor.executemany(sql, seq))

    def _run(self, sql: str, call: Any) -> PooledCursor:
        owner = self._owner
        lease = owner.lease_for(_first_word(sql))
        try:
            if changes_session(lease.translate(sql).sql):
                owner.pool.mark(lease)
            cursor = PgCursor(lease)
            cursor.row_factory = self.row_factory
            before = lease.total_changes
            try:
                call(cursor)
            finally:
                owner.total_changes += lease.total_changes - before
        finally:
            owner.done_with(lease)
        self._inner = cursor
        self.lastrowid, self.rowcount = cursor.lastrowid, cursor.rowcount
        return self

    def fetchone(self) -> Any:
        return self._inner.fetchone() if self._inner else None

    def fetchall(self) -> list[Any]:
        return self._inner.fetchall() if self._inner else []

    def fetchmany(self, size: int = 1) -> list[Any]:
        return self._inner.fetchmany(size) if self._inner else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self._inner) if self._inner else iter(())

    @property
    def description(self) -> Any:
        return self._inner.description if self._inner else None

    def close(self) -> None:
        self._inner = None


class PooledConnection:
    """PgConnection's interface over a Pool, for one Store (one thread): see the module's doc."""

    def __init__(self, pool: Pool):
        self.pool = pool
        self.row_factory: Any = Row
        self.total_changes = 0
        self._held: PgConnection | None = None  # the connection of the transaction in progress

    @property
    def schema(self) -> Schema:
        return self.pool.schema

    def translate(self, sql: str) -> Translated:
        return to_postgres(sql, self.pool.schema)

    def lease_for(self, word: str) -> PgConnection:
        """The connection a statement starting with `word` runs on: the transaction's, else a borrowed one
        (held from a BEGIN until its transaction ends)."""
        if self._held is not None:
            return self._held
        lease = self.pool.lend()
        if word == "begin":
            self._held = lease
        return lease

    def done_with(self, lease: PgConnection) -> None:
        """After a statement: give its connection back unless a transaction on it goes on."""
        if lease is self._held:
            if lease.in_transaction:  # going on (a failed statement's too, until its ROLLBACK)
                return
            self._held = None
        self.pool.give_back(lease)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PooledCursor:
        return PooledCursor(self).execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PooledCursor:
        return PooledCursor(self).executemany(sql, seq)

    def cursor(self) -> PooledCursor:
        return PooledCursor(self)

    @property
    def in_transaction(self) -> bool:
        return self._held is not None and self._held.in_transaction

    def commit(self) -> None:
        if self._held is not None:
            self.execute("COMMIT")

    def rollback(self) -> None:
        if self._held is not None:
            self.execute("ROLLBACK")

    def tables(self) -> set[str]:
        lease = self.pool.lend()
        try:
            return lease.tables()
        finally:
            self.pool.give_back(lease)

    def load_schema(self) -> None:
        """The pool's schema is read when it opens; a Store on a pool never migrates."""

    def blobopen(self, *args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("incremental blob I/O is SQLite's: read the value")

    def close(self) -> None:
        """Give back a transaction's connection left open (the pool rolls it back); the pool stays open."""
        held, self._held = self._held, None
        if held is not None:
            self.pool.give_back(held)
