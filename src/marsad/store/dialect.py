"""SQLite's SQL as PostgreSQL runs it: the one place where the two dialects differ.

The store modules and the schema files are written for SQLite. `to_postgres` rewrites one statement for
PostgreSQL, token by token (string literals, quoted names and comments are never touched, except that `%`
is doubled for psycopg's placeholders):

- `?` placeholders become `%s`; `INDEXED BY name` and `NOT INDEXED` are dropped, and so is the unary `+`
  that keeps SQLite off an index;
- `INSERT OR IGNORE` becomes `ON CONFLICT DO NOTHING`, `INSERT OR REPLACE` an upsert on the table's
  primary key; `a IS b` (b not NULL) becomes `IS NOT DISTINCT FROM`; `x GLOB 'pattern'` a regular
  expression match; `LIKE` `ILIKE` (SQLite's LIKE ignores case); two-argument `max`/`min` become
  `greatest`/`least`, `ifnull` `coalesce`, `instr` `strpos`;
- in a schema statement, foreign keys are DEFERRABLE (see `_deferrable`), INTEGER is BIGINT (SQLite's integers are 64-bit), REAL DOUBLE PRECISION, BLOB
  BYTEA; `WITHOUT ROWID` and `AUTOINCREMENT` go; a table's `id INTEGER PRIMARY KEY` (or an AUTOINCREMENT
  key) takes its values from a sequence as SQLite's rowid does (a trigger: the next number when none is
  given, and the sequence moved past a number given explicitly).

SQLite functions without a PostgreSQL namesake (strftime, julianday, json_each, json_valid,
json_group_array, json_extract, printf's one use) are defined on the server by `FUNCTIONS`. What cannot be
translated (`rowid`, `sqlite_master`, PRAGMA, virtual tables, triggers, attached databases) raises
`Untranslatable` naming it, so a new statement that would behave differently fails loudly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


class Untranslatable(ValueError):
    """A SQLite statement that has no PostgreSQL translation here."""


def instant_of(column: str) -> str:
    """SQL for the UTC instant of an ISO `published` value, as text that sorts by time: a period at its
    start ("2018-05" -> 2018-05-01T00:00:00), no offset read as UTC, an unreadable value NULL. Written as
    schema/013_published_instant.sql indexes it (SQLite uses an index on an expression only for the same
    expression); on PostgreSQL it is the function marsad_instant, which 013's PostgreSQL file indexes."""
    return (
        f"(CASE WHEN {column} GLOB '[0-9][0-9][0-9][0-9]' THEN {column} || '-01-01T00:00:00'"
        f" WHEN {column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' THEN {column} || '-01T00:00:00'"
        f" WHEN {column} GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'"
        f" THEN printf('%s-%02d-01T00:00:00', substr({column}, 1, 4), 3 * substr({column}, 7, 1) - 2)"
        f" ELSE strftime('%Y-%m-%dT%H:%M:%S', {column}) END)"
    )


_INSTANT = re.compile(re.escape(instant_of("\0")).replace("\\\0", "\0").replace("\0", r"([A-Za-z_][\w.]*)"))

_TOKEN = re.compile(
    r"""(?P<string>'(?:[^']|'')*')
      | (?P<quoted>"(?:[^"]|"")*")
      | (?P<comment>--[^\n]*|/\*.*?\*/)
      | (?P<space>\s+)
      | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
      | (?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)
      | (?P<op>\|\||<>|!=|<=|>=|==|::|.)""",
    re.VERBOSE | re.DOTALL,
)

_DDL_TYPES = {"INTEGER": "BIGINT", "INT": "BIGINT", "REAL": "DOUBLE PRECISION", "BLOB": "BYTEA"}
_RENAMED = {"ifnull": "coalesce", "instr": "strpos"}
_FORBIDDEN = {
    "rowid": "rowid (name the table's id column)",
    "_rowid_": "rowid (name the table's id column)",
    "oid": "rowid (name the table's id column)",
    "sqlite_master": "sqlite_master (ask the Store for its tables)",
    "sqlite_schema": "sqlite_schema (ask the Store for its tables)",
    "pragma": "PRAGMA",
    "virtual": "virtual tables",
    "trigger": "triggers (write them per backend)",
    "attach": "ATTACH",
    "detach": "DETACH",
    "group_concat": "group_concat (aggregate in Python)",
}
_UNARY_BEFORE = {"(", ",", "=", "<", ">", "<=", ">=", "<>", "!=", "==", "and", "or", "not", "where", "on", "by",
                 "select", "when", "then", "else", "case", "set", "having", "is", "in", "-", "+", "*", "/"}  # fmt: skip


@dataclass(eq=False)
class Schema:
    """What the translation needs to know of the PostgreSQL tables: primary keys (for INSERT OR REPLACE)
    and the serial column of each table that has one (for the id an INSERT gave)."""

    primary_keys: dict[str, list[str]] = field(default_factory=dict)
    serial: dict[str, str] = field(default_factory=dict)
    columns: dict[str, set[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Translated:  # noqa: D101
    sql: str
    returns_id: str | None = None  # the serial column appended as RETURNING (an INSERT without one)


class _Tokens:
    """Significant tokens (kind, text) with the whitespace and comments that preceded each kept as is."""

    def __init__(self, sql: str):
        self.items: list[list[str]] = []  # [kind, text, leading]
        leading = ""
        for m in _TOKEN.finditer(sql):
            kind = m.lastgroup or "op"
            if kind in ("space", "comment"):
                leading += m.group()
                continue
            self.items.append([kind, m.group(), leading])
            leading = ""
        self.trailing = leading

    def text(self) -> str:
        return "".join(lead + text for _, text, lead in self.items) + self.trailing

    def lower(self, i: int) -> str:
        return self.items[i][1].lower() if 0 <= i < len(self.items) else ""


def to_postgres(sql: str, schema: Schema | None = None) -> Translated:
    """One SQLite statement as PostgreSQL runs it (see the module's doc); cached by text and schema."""
    return _translate(sql, schema or _NO_SCHEMA)


@lru_cache(maxsize=8192)
def _translate(sql: str, schema: Schema) -> Translated:
    return _translate_uncached(sql, schema)


def _translate_uncached(sql: str, schema: Schema) -> Translated:
    sql = _INSTANT.sub(lambda m: f"marsad_instant({m[1]})", sql)
    tokens = _Tokens(sql)
    if not tokens.items:
        return Translated(sql)
    first = tokens.lower(0)
    ddl = first in ("create", "alter", "drop")
    _check(tokens)
    _drop_index_hints(tokens)
    _rewrite_words(tokens, ddl)
    if ddl:
        _deferrable(tokens)
    else:
        _alias_subqueries(tokens)
    returns_id = None
    if first in ("insert", "replace"):
        returns_id = _rewrite_insert(tokens, schema)
    out = tokens.text()
    return Translated(out, returns_id)


_NO_SCHEMA = Schema()

_SERIAL = re.compile(
    r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\(\s*(?:.*?[(,]\s*)?(?:(id)\s+INTEGER\s+PRIMARY\s+KEY"
    r"|(\w+)\s+INTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT)\b",
    re.IGNORECASE | re.DOTALL,
)


def serial_column(statement: str) -> tuple[str, str] | None:
    """(table, column) when a SQLite CREATE TABLE gives a rowid-like key: `id INTEGER PRIMARY KEY` or an
    AUTOINCREMENT one (the rowid's numbering is what code may rely on; other INTEGER keys are given)."""
    m = _SERIAL.match(re.sub(r"--[^\n]*", "", statement).strip())
    return (m[1].lower(), (m[2] or m[3]).lower()) if m else None


def serial_ddl(table: str, column: str) -> list[str]:
    """The sequence and trigger that number `table.column` as SQLite numbers a rowid: the next number when
    an INSERT gives none, and past any number an INSERT gives (ids copied, or chosen by a test)."""
    seq, fn = f"{table}_{column}_seq", f"{table}_{column}_next"
    return [
        f"CREATE SEQUENCE IF NOT EXISTS {seq}",
        f"""CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF NEW.{column} IS NULL THEN
        NEW.{column} := nextval('{seq}');
    ELSIF NEW.{column} >= (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM {seq}) THEN
        PERFORM setval('{seq}', NEW.{column});
    END IF;
    RETURN NEW;
END $fn$""",
        f"DROP TRIGGER IF EXISTS {fn} ON {table}",
        f"CREATE TRIGGER {fn} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {fn}()",
    ]


def _check(tokens: _Tokens) -> None:
    for i, (kind, text, _) in enumerate(tokens.items):
        word = text.lower()
        if kind == "word" and word in _FORBIDDEN:
            if word == "oid" or (word == "rowid" and tokens.lower(i - 1) == "without"):
                continue
            if word == "trigger" and tokens.lower(i - 1) not in ("create", "drop"):
                continue
            raise Untranslatable(
                f"no PostgreSQL translation for {_FORBIDDEN[word]}: {text!r} in {tokens.text()}"
            )


def _drop_index_hints(tokens: _Tokens) -> None:
    items, kept = tokens.items, []
    i = 0
    while i < len(items):
        word = items[i][1].lower()
        nxt = items[i + 1][1].lower() if i + 1 < len(items) else ""
        if word == "indexed" and nxt == "by" and items[i][0] == "word":
            i += 3
            continue
        if word == "not" and nxt == "indexed":
            i += 2
            continue
        kept.append(items[i])
        i += 1
    tokens.items = kept


def _rewrite_words(tokens: _Tokens, ddl: bool) -> None:
    items = tokens.items
    out: list[list[str]] = []
    carried = ""  # the whitespace before a token dropped, kept for the next one
    for i, item in enumerate(items):
        kind, text, lead = item
        lead, carried = carried + lead, ""
        item = [kind, text, lead]
        word = text.lower()
        prev = out[-1][1].lower() if out else ""
        if kind == "string":
            out.append([kind, text.replace("%", "%%"), lead])
        elif kind == "quoted":
            out.append(item)
        elif text == "?" and prev == "when":
            out.append(["op", "(%s) <> 0", lead])  # SQLite's truth of a number: PostgreSQL wants a boolean
        elif text == "?" and tokens.lower(i + 1) == "is" and not _is_value(tokens, i + 1):
            out.append(["op", "%s::text", lead])  # `? IS NULL`: PostgreSQL cannot tell the parameter's type
        elif text == "?":
            out.append(["op", "%s", lead])
        elif text == ":" and i + 1 < len(items) and items[i + 1][0] == "word" and prev != ":":
            typed = "::text" if tokens.lower(i + 2) == "is" and not _is_value(tokens, i + 2) else ""
            out.append(["op", f"%({items[i + 1][1]})s{typed}", lead])  # a named parameter
            items[i + 1] = ["space", "", ""]
        elif (
            kind == "word" and word == "cross" and tokens.lower(i + 1) == "join" and _joined_on(tokens, i + 2)
        ):
            carried = lead  # SQLite's CROSS JOIN ... ON (a join order hint): PostgreSQL's JOIN ... ON
        elif text == "%":
            out.append(["op", "%%", lead])
        elif text == "+" and (prev in _UNARY_BEFORE or not out):
            carried = lead  # unary plus: SQLite's "do not use an index on this column"
        elif kind == "word" and word == "glob":
            _glob(out, items, i, lead)
        elif kind == "word" and word == "like":
            out.append([kind, "ILIKE", lead])
        elif kind == "word" and word == "is" and _is_value(tokens, i):
            not_ = tokens.lower(i + 1) == "not"
            out.append([kind, "IS DISTINCT FROM" if not_ else "IS NOT DISTINCT FROM", lead])
            if not_:
                items[i + 1] = ["space", "", ""]
        elif (
            kind == "word"
            and word in ("max", "min")
            and tokens.lower(i + 1) == "("
            and _two_args(items, i + 1)
        ):
            out.append([kind, "greatest" if word == "max" else "least", lead])
        elif kind == "word" and word in _RENAMED and tokens.lower(i + 1) == "(":
            out.append([kind, _RENAMED[word], lead])
        elif kind == "word" and word.upper() in _DDL_TYPES and (ddl or prev == "as"):
            out.append([kind, _DDL_TYPES[word.upper()], lead])
        elif ddl and kind == "word" and word == "without" and tokens.lower(i + 1) == "rowid":
            items[i + 1] = ["space", "", ""]
        elif (ddl and kind == "word" and word == "autoincrement") or kind == "space":
            carried = lead
        else:
            out.append(item)
    tokens.items = out


def _joined_on(tokens: _Tokens, start: int) -> bool:
    """Whether the join starting at `start` has an ON clause (before the next join or clause)."""
    depth = 0
    for k in range(start, len(tokens.items)):
        word = tokens.lower(k)
        depth += word == "("
        depth -= word == ")"
        if depth < 0 or (depth == 0 and word in ("join", "where", "group", "order", "limit", "union", ",")):
            return False
        if depth == 0 and word == "on":
            return True
    return False


def _alias_subqueries(tokens: _Tokens) -> None:
    """`FROM (SELECT ...)` without a name: PostgreSQL wants one."""
    items, count = tokens.items, 0
    for k in range(len(items) - 2, -1, -1):
        if items[k][1].lower() not in ("from", "join") or items[k + 1][1] != "(":
            continue
        if items[k + 2][1].lower() not in ("select", "with", "values"):
            continue
        depth, end = 0, None
        for j in range(k + 1, len(items)):
            depth += items[j][1] == "("
            depth -= items[j][1] == ")"
            if depth == 0:
                end = j
                break
        if end is None:
            continue
        after = tokens.lower(end + 1)
        if after == "as" or (items[end + 1][0] == "word" if end + 1 < len(items) else False) and after not in (
            "where", "group", "order", "limit", "join", "left", "inner", "cross", "on", "union", "having",
            "offset", "natural", "right", "full", "except", "intersect", "window",
        ):  # fmt: skip
            continue
        count += 1
        items.insert(end + 1, ["word", f"AS _subquery{count}", " "])


def _glob(out: list[list[str]], items: list[list[str]], i: int, lead: str) -> None:
    negated = bool(out) and out[-1][1].lower() == "not"
    if negated:
        out.pop()
    if i + 1 >= len(items) or items[i + 1][0] != "string":
        raise Untranslatable("GLOB is translated only with a literal pattern")
    items[i + 1][1] = "'" + glob_regex(items[i + 1][1][1:-1].replace("''", "'")).replace("'", "''") + "'"
    out.append(["op", "!~" if negated else "~", lead])


_ACTIONS = {"cascade": 1, "restrict": 1, "no": 2, "set": 2}


def _deferrable(tokens: _Tokens) -> None:
    """Foreign keys DEFERRABLE (still checked at each statement unless a transaction defers them): `marsad
    copy` moves rows whose references point forward, as SQLite's defer_foreign_keys allows."""
    items, i = tokens.items, 0
    while i < len(items):
        if items[i][1].lower() != "references":
            i += 1
            continue
        j = i + 2  # past the table name
        if j < len(items) and items[j][1] == "(":
            while j < len(items) and items[j][1] != ")":
                j += 1
            j += 1
        while (
            j + 2 < len(items)
            and items[j][1].lower() == "on"
            and items[j + 1][1].lower() in ("delete", "update")
        ):
            j += 2 + _ACTIONS.get(items[j + 2][1].lower(), 1)
        items.insert(j, ["word", "DEFERRABLE", " "])
        i = j + 1


def glob_regex(pattern: str) -> str:
    """A SQLite GLOB pattern (whole-string, case-sensitive) as a PostgreSQL regular expression."""
    out, i = ["^"], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(r"\[")
            else:
                body = pattern[i + 1 : end]
                out.append("[" + ("^" + body[1:] if body.startswith("^") else body) + "]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out) + "$"


def _is_value(tokens: _Tokens, i: int) -> bool:
    """`IS` (or `IS NOT`) comparing with a value rather than NULL, TRUE or FALSE."""
    j = i + 2 if tokens.lower(i + 1) == "not" else i + 1
    return tokens.lower(j) not in ("null", "true", "false", "distinct", "unknown", "")


def _two_args(items: list[list[str]], open_at: int) -> bool:
    depth = 0
    for kind, text, _ in items[open_at:]:
        if kind != "op":
            continue
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
            if depth == 0:
                return False
        elif text == "," and depth == 1:
            return True
    return False


def _rewrite_insert(tokens: _Tokens, schema: Schema) -> str | None:
    """INSERT OR IGNORE / OR REPLACE / REPLACE INTO: the PostgreSQL upsert; RETURNING the serial column of
    a plain INSERT so that the cursor can tell the id it gave."""
    items = tokens.items
    mode = ""
    if tokens.lower(0) == "replace":
        mode, items[0] = "replace", ["word", "INSERT", items[0][2]]
    elif tokens.lower(1) == "or":
        mode = tokens.lower(2)
        if mode not in ("ignore", "replace"):
            raise Untranslatable(f"no PostgreSQL translation for INSERT OR {mode.upper()}")
        del items[1:3]
    if tokens.lower(1) != "into":
        return None
    table = items[2][1].strip('"').lower()
    columns = _column_list(items, 3)
    has_conflict = any(t[1].lower() == "conflict" for t in items)
    returning_at = next((k for k, t in enumerate(items) if t[1].lower() == "returning"), len(items))
    clause = ""
    if mode == "ignore" and not has_conflict:
        clause = " ON CONFLICT DO NOTHING"
    elif mode == "replace":
        key = schema.primary_keys.get(table)
        if not key:
            raise Untranslatable(f"INSERT OR REPLACE INTO {table}: the table's primary key is not known")
        if columns is None or not set(key) <= set(columns):
            raise Untranslatable(
                f"INSERT OR REPLACE INTO {table} must name its primary key ({', '.join(key)}) among its columns:"
                " on another unique key it would keep the old row's key (delete and insert instead)"
            )
        rest = [c for c in columns if c not in key]
        sets = ", ".join(f"{c} = excluded.{c}" for c in rest)
        clause = f" ON CONFLICT ({', '.join(key)}) " + (f"DO UPDATE SET {sets}" if sets else "DO NOTHING")
    returns_id = None
    serial = schema.serial.get(table)
    if serial and returning_at == len(items) and mode != "replace":
        returns_id = serial
    _qualify_update(items, table, schema.columns.get(table, set()))
    if items and items[-1][1] == ";":
        returning_at = min(returning_at, len(items) - 1)
    if clause:
        items.insert(returning_at, ["op", clause, ""])
    if returns_id:
        end = len(items) - 1 if items[-1][1] == ";" else len(items)
        items.insert(end, ["op", f" RETURNING {returns_id}", ""])
    return returns_id


def _qualify_update(items: list[list[str]], table: str, columns: set[str]) -> None:
    """In `ON CONFLICT ... DO UPDATE SET col = expr`, a bare column in `expr` is the row's current value to
    SQLite; PostgreSQL calls it ambiguous (the table's or `excluded`'s): name the table."""
    start = next(
        (
            k
            for k in range(len(items) - 2)
            if [t[1].lower() for t in items[k : k + 3]] == ["do", "update", "set"]
        ),
        None,
    )
    if start is None:
        return
    depth = 0
    for k in range(start + 3, len(items)):
        kind, text, lead = items[k]
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        if kind != "word" or text.lower() not in columns:
            continue
        before = items[k - 1][1].lower()
        after = items[k + 1][1] if k + 1 < len(items) else ""
        is_target = depth == 0 and before in ("set", ",") and after == "="
        if before != "." and not is_target and after != ".":
            items[k][1] = f"{table}.{text}"


def _column_list(items: list[list[str]], at: int) -> list[str] | None:
    if at >= len(items) or items[at][1] != "(":
        return None
    names: list[str] = []
    for kind, text, _ in items[at + 1 :]:
        if text == ")":
            return names
        if kind in ("word", "quoted"):
            names.append(text.strip('"').lower())
    return None
