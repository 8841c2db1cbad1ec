"""Small SQL helpers the store's entity modules share: host-parameter lists cut into pieces, multi-row
INSERTs, JSON text of stored state."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from itertools import chain
from typing import Any

import orjson

from marsad.store.db import Store

CHUNK = 500  # SQLite host-parameter lists are cut into pieces this long


def to_json(value: Any) -> str:
    """JSON text of link state (orjson: a tenth of json.dumps's time, which was 7 % of linking)."""
    return orjson.dumps(value).decode()


def chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def marks(n: int) -> str:
    return ",".join("?" * n)


ROWS_PER_INSERT = 64


def insert_rows(store: Store, head: str, rows: list[tuple], tail: str = "") -> None:
    """`head` VALUES (...), (...) ... `tail` for every row, ROWS_PER_INSERT rows a statement: executemany
    costs about a microsecond a row in the sqlite3 module, more than SQLite's own work on a small row."""
    if not rows:
        return
    width = len(rows[0])
    group = "(" + marks(width) + ")"

    def statement(n: int) -> str:
        return f"{head} VALUES {','.join([group] * n)} {tail}"

    full = len(rows) - len(rows) % ROWS_PER_INSERT
    if full:
        store.conn.executemany(
            statement(ROWS_PER_INSERT),
            [
                tuple(chain.from_iterable(rows[i : i + ROWS_PER_INSERT]))
                for i in range(0, full, ROWS_PER_INSERT)
            ],
        )
    if full < len(rows):
        store.conn.execute(statement(len(rows) - full), list(chain.from_iterable(rows[full:])))


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid an INSERT just gave (SQLite always gives one to a row it inserted)."""
    if cursor.lastrowid is None:
        raise sqlite3.DatabaseError("the INSERT gave no row id")
    return cursor.lastrowid


def decode_json(text: str | None, empty: Any) -> Any:
    """A JSON column's value, `empty` when it is NULL, blank or unreadable."""
    if not text:
        return empty
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return empty
