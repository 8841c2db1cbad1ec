"""The reader's pool of PostgreSQL connections (marsad.store.pgpool): threads reading through it get their
own results, a failed or abandoned transaction does not reach the next borrower, and a connection goes
back with no session state left (settings, temporary tables, advisory locks)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import psycopg
import pytest

from marsad.store import pgpool
from marsad.store.db import Store


@pytest.fixture
def pooled_db(pg_database: str) -> Iterator[str]:
    """A migrated database of its own on the test server (its URL); the process's pools closed after."""
    Store(pg_database).close()  # migrated, as the reader's first Store does before any pooled one
    yield pg_database
    pgpool.close_pools()


def _pool_of(size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSAD_PG_POOL_SIZE", str(size))
    pgpool.close_pools()


def test_threads_reading_through_the_pool_get_their_own_results(
    pooled_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight threads, each with its own Store on a pool of three connections, write their own rows in
    transactions and read them back 150 times: every read answers its own thread's question, and the
    pool never opened more than three connections."""
    _pool_of(3, monkeypatch)
    errors: list[str] = []
    seen: dict[int, list[tuple[str, str]]] = {}

    def work(n: int) -> None:
        store = Store(pooled_db, pooled=True)
        try:
            with store.transaction() as conn:
                for k in range(5):
                    conn.execute(
                        "INSERT INTO setting(key, value) VALUES (?, ?)", (f"t{n}.{k}", f"v{n * 10 + k}")
                    )
                inside = conn.execute(
                    "SELECT count(*) FROM setting WHERE key LIKE ?", (f"t{n}.%",)
                ).fetchone()
                if inside[0] != 5:  # its own uncommitted rows, read on the transaction's connection
                    errors.append(f"thread {n} saw {inside[0]} of its rows inside its transaction")
            for i in range(150):
                k = i % 5
                row = store.conn.execute(
                    "SELECT key, value FROM setting WHERE key = ?", (f"t{n}.{k}",)
                ).fetchone()
                if tuple(row) != (f"t{n}.{k}", f"v{n * 10 + k}"):
                    errors.append(f"thread {n} read {tuple(row)} for t{n}.{k}")
            seen[n] = [
                tuple(r)
                for r in store.conn.execute(
                    "SELECT key, value FROM setting WHERE key LIKE ? ORDER BY key", (f"t{n}.%",)
                )
            ]
        except Exception as error:  # noqa: BLE001 (reported below, with the thread's number)
            errors.append(f"thread {n}: {error!r}")
        finally:
            store.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert seen == {n: [(f"t{n}.{k}", f"v{n * 10 + k}") for k in range(5)] for n in range(8)}
    stats = pgpool.shared_pool(pooled_db).stats
    assert stats["pool_max"] == 3
    assert 1 <= stats["connections_num"] <= 3


def _backend_pid(store: Store) -> int:
    return store.conn.execute("SELECT pg_backend_pid()").fetchone()[0]


def test_a_failed_transaction_does_not_poison_the_next_borrower(
    pooled_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a pool of one connection: a transaction that fails (and is rolled back by Store.transaction), and
    one abandoned in its failed state with the write lock taken (its Store closed without a ROLLBACK),
    leave the connection idle, without their rows and without the lock, for the next borrower."""
    _pool_of(1, monkeypatch)
    first, second = Store(pooled_db, pooled=True), Store(pooled_db, pooled=True)
    first.conn.execute("INSERT INTO setting(key, value) VALUES ('kept', '1')")
    with pytest.raises(sqlite3.IntegrityError), first.transaction() as conn:
        conn.execute("INSERT INTO setting(key, value) VALUES ('lost', '1')")
        conn.execute("INSERT INTO setting(key, value) VALUES ('kept', '2')")  # the key exists: fails
    assert not first.conn.in_transaction
    assert [tuple(r) for r in second.conn.execute("SELECT key, value FROM setting")] == [("kept", "1")]

    first.conn.execute("BEGIN IMMEDIATE")  # the store's write lock, held by this transaction
    pid = _backend_pid(first)  # the transaction's connection
    first.conn.execute("INSERT INTO setting(key, value) VALUES ('abandoned', '1')")
    with pytest.raises(sqlite3.OperationalError):
        first.conn.execute("SELECT no_such_column FROM setting")
    assert first.conn.in_transaction  # failed, held until its ROLLBACK
    first.close()  # gone without a ROLLBACK: the pool rolls it back
    assert _backend_pid(second) == pid  # the same connection, lent again
    assert [tuple(r) for r in second.conn.execute("SELECT key, value FROM setting")] == [("kept", "1")]
    with second.transaction() as conn:  # takes the write lock at once: the abandoned one released it
        conn.execute("INSERT INTO setting(key, value) VALUES ('after', '1')")
    assert second.conn.execute("SELECT count(*) FROM setting").fetchone()[0] == 2
    second.close()


def test_a_connection_goes_back_without_session_state(
    pooled_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A borrower's SET, temporary table, session advisory lock and changed time zone are gone when the
    same connection is lent next; a statement that only reads costs no reset."""
    _pool_of(1, monkeypatch)
    first, second = Store(pooled_db, pooled=True), Store(pooled_db, pooled=True)
    pid = _backend_pid(first)
    first.conn.execute("SET statement_timeout = 1234")
    first.conn.execute("SET TIME ZONE 'Asia/Riyadh'")
    first.conn.execute("CREATE TEMP TABLE scratch(x INTEGER)")
    first.conn.execute("SELECT pg_advisory_lock(4242)")
    assert _backend_pid(second) == pid
    state = second.conn.execute(
        "SELECT current_setting('statement_timeout'), current_setting('TimeZone'),"
        " (SELECT count(*) FROM pg_class WHERE relname = 'scratch' AND relpersistence = 't')"
    ).fetchone()
    assert tuple(state) == ("0", "UTC", 0)
    with psycopg.connect(pooled_db, autocommit=True) as other:  # the lock is free for another session
        assert other.execute("SELECT pg_try_advisory_lock(4242)").fetchone()[0] is True
    first.close()
    second.close()


def test_a_read_only_pool_stays_read_only(pooled_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read-only mode is a startup option of the pool's connections: a borrower that turns it off does
    not write through the next borrower."""
    _pool_of(1, monkeypatch)
    first = Store(pooled_db, readonly=True, pooled=True)
    first.conn.execute("SET default_transaction_read_only = off")
    second = Store(pooled_db, readonly=True, pooled=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        second.conn.execute("INSERT INTO setting(key, value) VALUES ('x', '1')")
    assert second.conn.execute("SELECT count(*) FROM setting").fetchone()[0] == 0
    first.close()
    second.close()


def test_which_statements_may_leave_session_state() -> None:
    assert [
        pgpool.changes_session(sql)
        for sql in (
            "SELECT a.id FROM article a WHERE a.id = %s",
            "INSERT INTO setting(key, value) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "BEGIN",
            "COMMIT",
            "ROLLBACK TO SAVEPOINT s",
            "ANALYZE",
            "SET statement_timeout = 5",
            "CREATE TEMP TABLE t(x BIGINT)",
            "SELECT set_config('search_path', 'x', false)",
            "SELECT pg_advisory_lock(1)",
            "SELECT pg_advisory_xact_lock(1)",
            "SELECT * INTO t FROM article",
            "LISTEN news",
        )
    ] == [False, False, False, False, False, False, False, True, True, True, True, False, True, True]
