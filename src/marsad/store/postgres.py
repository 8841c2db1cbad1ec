"""The PostgreSQL connection: what the store modules use of sqlite3's, over psycopg 3.

`PgConnection.execute` takes SQLite's SQL (translated by marsad.store.dialect), returns a cursor whose rows
are addressable by index and by name like sqlite3.Row, and raises sqlite3's exception classes (with the
server's message) so that the store's callers handle both backends alike. Transactions: `BEGIN IMMEDIATE`
takes one transaction-scoped advisory lock, the same one for every writer, so that writers run one at a
time as under SQLite's write lock (a read-modify-write such as counting reports, claiming queued URLs or
linking never interleaves with another) while readers never wait.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Loader
from psycopg.conninfo import conninfo_to_dict
from psycopg.pq import ExecStatus, TransactionStatus

from marsad.store.dialect import Schema, Translated, to_postgres

SCHEME = ("postgresql://", "postgres://")
WRITE_LOCK = 0x6D61727361640001  # pg_advisory_xact_lock key of "the store's write lock"
MIGRATE_LOCK = 0x6D61727361640002

# SQLite's functions the store's SQL uses, on the server: times are ISO-8601 UTC text as SQLite writes them.
FUNCTIONS = r"""
-- An ISO-8601 text as SQLite reads it, as UTC, a day past the month's end carried over as SQLite does,
-- anything else NULL. The pattern is only tested (a match with capture groups costs ~35 us a row, the test
-- ~2 us); the fields are then read by position: the listings sort by this for every row they read.
CREATE OR REPLACE FUNCTION marsad_timestamp(value text) RETURNS timestamp LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
    has_time boolean;
    seconds text := '0';
    tail text;
    offset_minutes int := 0;
BEGIN
    IF value !~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?)?\s*([zZ]|[+-]\d{2}:?\d{2})?$'
       OR left(value, 4) = '0000' THEN
        RETURN NULL;
    END IF;
    -- after the date either [T ]HH:MM, or only blanks and an offset (never a digit at 12)
    has_time := substr(value, 11, 1) IN ('T', ' ') AND substr(value, 12, 1) IN ('0', '1', '2');
    IF has_time AND substr(value, 17, 1) = ':' THEN
        tail := substr(value, 18);
        seconds := left(tail, length(tail) - length(ltrim(tail, '0123456789.')));
    END IF;
    -- an offset ends the text; no date or time ends with a sign and four digits
    IF right(value, 6) ~ '^[+-]\d\d:\d\d$' OR right(value, 5) ~ '^[+-]\d{4}$' THEN
        tail := CASE WHEN substr(right(value, 6), 4, 1) = ':' THEN right(value, 6) ELSE right(value, 5) END;
        offset_minutes := substr(tail, 2, 2)::int * 60 + right(tail, 2)::int;
        IF left(tail, 1) = '-' THEN
            offset_minutes := -offset_minutes;
        END IF;
    END IF;
    RETURN make_timestamp(substr(value, 1, 4)::int, substr(value, 6, 2)::int, 1, 0, 0, 0)
        + make_interval(days => substr(value, 9, 2)::int - 1,
                        hours => CASE WHEN has_time THEN substr(value, 12, 2)::int ELSE 0 END,
                        mins => CASE WHEN has_time THEN substr(value, 15, 2)::int ELSE 0 END - offset_minutes,
                        secs => seconds::double precision);
END $f$;

CREATE OR REPLACE FUNCTION marsad_moment(value text) RETURNS timestamp LANGUAGE sql VOLATILE AS $f$
    SELECT CASE WHEN value = 'now' THEN clock_timestamp() AT TIME ZONE 'UTC' ELSE marsad_timestamp(value) END
$f$;

CREATE OR REPLACE FUNCTION marsad_strftime(fmt text, t timestamp) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
    out text := '';
    i int := 1;
    c text;
BEGIN
    IF t IS NULL THEN RETURN NULL; END IF;
    WHILE i <= length(fmt) LOOP
        c := substr(fmt, i, 1);
        IF c = '%' AND i < length(fmt) THEN
            i := i + 1;
            c := substr(fmt, i, 1);
            out := out || CASE c
                WHEN 'Y' THEN to_char(t, 'YYYY') WHEN 'm' THEN to_char(t, 'MM') WHEN 'd' THEN to_char(t, 'DD')
                WHEN 'H' THEN to_char(t, 'HH24') WHEN 'M' THEN to_char(t, 'MI') WHEN 'S' THEN to_char(t, 'SS')
                WHEN 'f' THEN to_char(t, 'SS.MS') WHEN 'j' THEN to_char(t, 'DDD')
                WHEN 's' THEN floor(extract(epoch FROM t))::bigint::text
                WHEN 'w' THEN extract(dow FROM t)::int::text
                WHEN '%' THEN '%' END;
        ELSE
            out := out || c;
        END IF;
        i := i + 1;
    END LOOP;
    RETURN out;
END $f$;

CREATE OR REPLACE FUNCTION strftime(fmt text, value text) RETURNS text LANGUAGE sql VOLATILE AS $f$
    SELECT marsad_strftime(fmt, marsad_moment(value))
$f$;

CREATE OR REPLACE FUNCTION datetime(value text, VARIADIC modifiers text[] DEFAULT '{}') RETURNS text
LANGUAGE plpgsql VOLATILE AS $f$
DECLARE
    t timestamp := marsad_moment(value);
    m text;
BEGIN
    FOREACH m IN ARRAY modifiers LOOP
        IF m !~* '^\s*[+-]?\d+(\.\d+)?\s+(second|minute|hour|day|month|year)s?\s*$' THEN
            RETURN NULL;
        END IF;
        t := t + m::interval;
    END LOOP;
    RETURN to_char(t, 'YYYY-MM-DD HH24:MI:SS');
END $f$;

CREATE OR REPLACE FUNCTION julianday(value text) RETURNS double precision LANGUAGE sql VOLATILE AS $f$
    SELECT extract(epoch FROM marsad_moment(value))::double precision / 86400.0 + 2440587.5
$f$;

-- PL/pgSQL, not SQL: to_char is not immutable, so a SQL function would not be inlined but run as a query
-- of its own for every row (100 us where this takes 10).
CREATE OR REPLACE FUNCTION marsad_instant(p text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
BEGIN
    RETURN CASE
        WHEN p ~ '^[0-9]{4}$' THEN p || '-01-01T00:00:00'
        WHEN p ~ '^[0-9]{4}-[0-9]{2}$' THEN p || '-01T00:00:00'
        WHEN p ~ '^[0-9]{4}-Q[1-4]$'
        THEN substr(p, 1, 4) || '-' || lpad((3 * substr(p, 7, 1)::int - 2)::text, 2, '0') || '-01T00:00:00'
        ELSE to_char(marsad_timestamp(p), 'YYYY-MM-DD"T"HH24:MI:SS') END;
END $f$;

CREATE OR REPLACE FUNCTION json_valid(doc text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $f$
BEGIN
    PERFORM doc::json;
    RETURN doc IS NOT NULL;
EXCEPTION WHEN others THEN
    RETURN false;
END $f$;

CREATE OR REPLACE FUNCTION json_each(doc text) RETURNS TABLE(value text) LANGUAGE sql IMMUTABLE AS $f$
    SELECT v FROM json_array_elements_text(CASE WHEN json_typeof(doc::json) = 'array' THEN doc::json
        ELSE '[]'::json END) v
$f$;

CREATE OR REPLACE FUNCTION json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT doc::jsonb #>> regexp_split_to_array(
        trim(BOTH '.' FROM regexp_replace(regexp_replace(path, '^\$', ''), '\[(\d+)\]', '.\1', 'g')), '\.')
$f$;

-- sum() of comparisons: SQLite's are numbers (NULL over no rows, as sum of numbers)
CREATE OR REPLACE FUNCTION marsad_sum_bool(total bigint, value boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN value IS NULL THEN total ELSE coalesce(total, 0) + value::int END
$f$;

CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = marsad_sum_bool, STYPE = bigint);

CREATE OR REPLACE FUNCTION marsad_json_array(items anycompatiblearray) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT coalesce(array_to_json(items)::text, '[]')
$f$;

CREATE OR REPLACE AGGREGATE json_group_array(anycompatible) (
    SFUNC = array_append, STYPE = anycompatiblearray, FINALFUNC = marsad_json_array, INITCOND = '{}'
);
"""


def is_url(target: object) -> bool:
    return str(target).startswith(SCHEME) or str(target).startswith(("postgresql:/", "postgres:/"))


def server_url(target: object) -> str | None:
    """The PostgreSQL URL `target` names (a setting read as a path loses one slash: put it back), or None."""
    text = str(target)
    for scheme in ("postgresql:", "postgres:"):
        if text.startswith(scheme):
            rest = text[len(scheme) :].lstrip("/")
            return f"postgresql://{rest}"
    return None


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"postgresql://{parts.username + '@' if parts.username else ''}{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"


class _NumericLoader(Loader):
    """numeric (sum() and avg() of integers) as SQLite gives it: int when whole, else float."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


class _BoolLoader(Loader):
    """A comparison's result as SQLite gives it: 1 or 0."""

    def load(self, data: Any) -> int:
        return int(bytes(data) == b"t")


class Row(tuple):
    """A result row addressable by index and by column name, as sqlite3.Row is."""

    __slots__ = ()
    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}  # noqa: RUF012 (set per class by _row_class)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key])
            except KeyError:
                lowered = {k.lower(): v for k, v in self._index.items()}
                if key.lower() in lowered:
                    return tuple.__getitem__(self, lowered[key.lower()])
                raise IndexError(f"No item with that key: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type(
        "Row", (Row,), {"__slots__": (), "_names": names, "_index": {n: i for i, n in enumerate(names)}}
    )


def _row_factory(cursor: Any) -> Any:
    """Rows named by the result's columns, read from the result itself: `cursor.description` builds a
    Column object per column on every call (60 us for a listing's 17 columns, half a loopback round trip)."""
    result = cursor.pgresult
    if result is None or result.status != ExecStatus.TUPLES_OK:
        return tuple
    return _row_class(tuple(result.fname(i).decode() for i in range(result.nfields)))


def _sqlite_error(error: psycopg.Error) -> sqlite3.Error:
    """The sqlite3 exception the store's callers catch for this server error."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, psycopg.IntegrityError):
        return sqlite3.IntegrityError(message)
    if isinstance(error, pg_errors.InsufficientPrivilege | pg_errors.ReadOnlySqlTransaction):
        return sqlite3.OperationalError(f"attempt to write a readonly database: {message}")
    if isinstance(error, psycopg.OperationalError | psycopg.ProgrammingError):
        return sqlite3.OperationalError(message)
    if isinstance(error, psycopg.DataError):
        return sqlite3.DataError(message)
    return sqlite3.DatabaseError(message)


def _params(params: Any) -> Any:
    """Parameters as psycopg takes them: Python's bools as SQLite stores them (0/1)."""
    if not params:
        return ()
    if isinstance(params, dict):
        return {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    return tuple(int(p) if isinstance(p, bool) else p for p in params)


class PgCursor:
    """The part of sqlite3.Cursor the store uses."""

    def __init__(self, owner: PgConnection):
        self._owner = owner
        self._cursor = owner.raw.cursor(row_factory=_row_factory)
        self.lastrowid: int | None = None
        self.rowcount = -1
        self.row_factory: Any = Row  # None: plain tuples (searchfeed's candidate lookups)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        translated = self._owner.translate(sql)
        self._run(translated, lambda: self._cursor.execute(translated.sql, _params(params)))
        self.lastrowid = None
        if translated.returns_id:
            row = self._cursor.fetchone()
            self.lastrowid = row[0] if row else None
        return self

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        translated = self._owner.translate(sql)
        if translated.returns_id:  # executemany gives no id: run the INSERT without RETURNING
            translated = Translated(translated.sql.rsplit(" RETURNING ", 1)[0])
        rows = [_params(p) for p in seq]
        self._run(translated, lambda: self._cursor.executemany(translated.sql, rows))
        return self

    def _run(self, translated: Translated, call: Any) -> None:
        if self._owner.begin(translated.sql):
            self.rowcount = -1
            return
        try:
            call()
        except psycopg.Error as error:
            raise _sqlite_error(error) from error
        self.rowcount = self._cursor.rowcount
        if self.rowcount > 0 and translated.sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self._owner.total_changes += self.rowcount

    def _has_rows(self) -> bool:
        result = self._cursor.pgresult
        return result is not None and result.status == ExecStatus.TUPLES_OK

    def fetchone(self) -> Any:
        return self._convert(self._cursor.fetchone()) if self._has_rows() else None

    def fetchall(self) -> list[Any]:
        if not self._has_rows():
            return []
        rows = self._cursor.fetchall()
        return rows if self.row_factory is not None else [tuple(r) for r in rows]

    def fetchmany(self, size: int = 1) -> list[Any]:
        if not self._has_rows():
            return []
        rows = self._cursor.fetchmany(size)
        return rows if self.row_factory is not None else [tuple(r) for r in rows]

    def _convert(self, row: Any) -> Any:
        return tuple(row) if row is not None and self.row_factory is None else row

    def __iter__(self) -> Iterator[Any]:
        while True:
            rows = self.fetchmany(500)
            if not rows:
                return
            yield from rows

    @property
    def description(self) -> Any:
        return self._cursor.description

    def close(self) -> None:
        self._cursor.close()


def connect_options(url: str, *, readonly: bool = False) -> dict[str, Any]:
    """psycopg.connect's keywords: autocommit (the store opens its transactions itself, as with SQLite's
    isolation_level=None), and the session's UTC (and read-only mode when asked) as startup options, so
    that `RESET ALL` returns a connection to them (marsad.store.pgpool cleans connections with it)."""
    given = conninfo_to_dict(url).get("options") or ""
    ours = "-c TimeZone=UTC" + (" -c default_transaction_read_only=on" if readonly else "")
    return {"autocommit": True, "connect_timeout": 10, "options": f"{given} {ours}".strip()}


def configure(raw: psycopg.Connection) -> None:
    """What every connection the store uses reads values with (numbers and booleans as SQLite gives them)."""
    raw.adapters.register_loader("numeric", _NumericLoader)
    raw.adapters.register_loader("bool", _BoolLoader)


def connect(url: str, *, readonly: bool = False) -> psycopg.Connection:
    try:
        raw = psycopg.connect(url, **connect_options(url, readonly=readonly))
    except psycopg.Error as error:
        raise sqlite3.OperationalError(f"cannot connect to {describe(url)}: {error}") from error
    configure(raw)
    return raw


class PgConnection:
    """The part of sqlite3.Connection the store uses, on one psycopg connection in autocommit mode: its own
    (`url`), or one lent by a pool (`raw`, with the pool's `schema`)."""

    def __init__(
        self,
        url: str | None = None,
        *,
        readonly: bool = False,
        raw: psycopg.Connection | None = None,
        schema: Schema | None = None,
    ):
        if raw is None:
            if url is None:
                raise ValueError("PgConnection needs a URL or a connection")
            raw = connect(url, readonly=readonly)
        self.raw = raw
        self.row_factory: Any = Row
        self.total_changes = 0
        self.schema = schema or Schema()

    def translate(self, sql: str) -> Translated:
        return to_postgres(sql, self.schema)

    def begin(self, sql: str) -> bool:
        """Run a BEGIN here (SQLite's IMMEDIATE: take the write lock); False for any other statement."""
        words = sql.split()
        if not words or words[0].upper() != "BEGIN":
            return False
        try:
            self.raw.execute("BEGIN")
            if len(words) > 1 and words[1].upper() in ("IMMEDIATE", "EXCLUSIVE"):
                self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        except psycopg.Error as error:
            raise _sqlite_error(error) from error
        return True

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        return PgCursor(self).execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        return PgCursor(self).executemany(sql, seq)

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def blobopen(self, *args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("incremental blob I/O is SQLite's: read the value")

    def close(self) -> None:
        self.raw.close()

    def load_schema(self) -> None:
        """Learn the tables' primary keys and serial columns (after migrations changed them)."""
        keys: dict[str, list[str]] = {}
        for table, column in self.raw.execute(
            "SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
            " JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) ON true"
            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
            " WHERE i.indisprimary ORDER BY c.relname, k.ord"
        ):
            keys.setdefault(table, []).append(column)
        columns: dict[str, set[str]] = {}
        for table, column in self.raw.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        ):
            columns.setdefault(table, set()).add(column)
        serial = {}
        for (name,) in self.raw.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
        ):
            for table in keys:
                if name.startswith(f"{table}_") and name.endswith("_seq"):
                    column = name[len(table) + 1 : -4]
                    if column in keys[table]:
                        serial[table] = column
        self.schema = Schema(keys, serial, columns)

    def tables(self) -> set[str]:
        return {
            name
            for (name,) in self.raw.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        }
