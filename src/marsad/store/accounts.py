"""Accounts with a role, their scrypt password hashes and their session generations.

admin may do everything (the operator's pages, accounts, the API token), editor moderates (reports, hide
and restore), reader follows things of their own. A session cookie names the account and the generation
it was made in: a sign-out, a new password or disabling the account sets a new generation, which ends
every session of that account. The one moderator of older archives is the account named "admin".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from marsad.store.db import Store

ROLES = ("admin", "editor", "reader")
ADMIN = "admin"  # the account `marsad admin set-password` sets (and makes again if it is gone)
MIN_PASSWORD = 8
MAX_PASSWORD = 1000
# Letters (any script), digits and . _ @ -, at most 64: a name that reads the same everywhere it is shown.
NAME = re.compile(r"[\w.@-]{1,64}")
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 64}
# Checked against when a name is unknown, so that an unknown name takes as long as a wrong password.
_DUMMY_HASH = ""


class AccountError(ValueError):
    """A refused change; `code` says which: name, role, short, long, taken, last-admin, missing."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class NoSuchAccount(AccountError):
    def __init__(self, message: str):
        super().__init__("missing", message)


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_moderate(self) -> bool:
        return self.role in ("admin", "editor")


@dataclass(frozen=True)
class AccountRow:
    """An account as the admin sees it."""

    id: int
    name: str
    role: str
    created_at: str
    disabled: bool
    generation: str

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at,
            "disabled": self.disabled,
        }


# --- passwords ------------------------------------------------------------------------------------------


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def password_matches(stored: str, password: str) -> bool:
    if not stored.startswith("scrypt$") or stored.count("$") != 2:
        return False
    _, salt_b64, digest_b64 = stored.split("$")
    given = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt_b64), **SCRYPT)
    return hmac.compare_digest(given, base64.b64decode(digest_b64))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("short", f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError("long", f"the password must have at most {MAX_PASSWORD} characters")


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if not _DUMMY_HASH:
        _DUMMY_HASH = hash_password(secrets.token_hex(16))
    return _DUMMY_HASH


# --- names and roles ------------------------------------------------------------------------------------


def normal_name(name: str) -> str:
    """The sign-in name as kept: stripped and lower-cased; AccountError when it is not one."""
    name = name.strip().lower()
    if not NAME.fullmatch(name):
        raise AccountError("name", "a name is 1 to 64 letters, digits or . _ @ - (no spaces)")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError("role", f"the role must be one of {', '.join(ROLES)}")
    return role


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _new_generation() -> str:
    return secrets.token_hex(8)


# --- reading --------------------------------------------------------------------------------------------

_COLUMNS = "id, name, role, created_at, disabled, generation"


def _row(r: sqlite3.Row) -> AccountRow:
    return AccountRow(r["id"], r["name"], r["role"], r["created_at"], bool(r["disabled"]), r["generation"])


def all_accounts(store: Store) -> list[AccountRow]:
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM account ORDER BY name").fetchall()
    return [_row(r) for r in rows]


def get(store: Store, account_id: int) -> AccountRow | None:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM account WHERE id = ?", (account_id,)).fetchone()
    return _row(row) if row else None


def by_name(store: Store, name: str) -> AccountRow | None:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM account WHERE name = ?", (name,)).fetchone()
    return _row(row) if row else None


def any_account(store: Store) -> bool:
    """Whether anyone can sign in at all (an archive made before accounts: its moderator's password)."""
    try:
        return store.conn.execute("SELECT 1 FROM account LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:  # a read-only archive made before accounts
        return _legacy_hash(store) is not None


def _legacy_hash(store: Store) -> str | None:
    row = store.conn.execute("SELECT value FROM setting WHERE key = 'admin_password'").fetchone()
    return row[0] if row else None


def authenticate(store: Store, name: str, password: str) -> Account | None:
    """The account NAME signs in as with PASSWORD, or None (unknown, disabled or a wrong password: the same
    scrypt work is done whichever it is)."""
    try:
        name = normal_name(name)
    except AccountError:
        password_matches(_dummy_hash(), password)
        return None
    try:
        row = store.conn.execute(
            "SELECT id, name, role, password, disabled FROM account WHERE name = ?", (name,)
        ).fetchone()
    except sqlite3.OperationalError:  # a read-only archive made before accounts: its one moderator
        legacy = _legacy_hash(store) if name == ADMIN else None
        return Account(0, ADMIN, "admin") if legacy and password_matches(legacy, password) else None
    if row is None:
        password_matches(_dummy_hash(), password)
        return None
    if not password_matches(row["password"], password) or row["disabled"]:
        return None
    return Account(row["id"], row["name"], row["role"])


def session_account(store: Store, account_id: int, generation: str) -> Account | None:
    """The account a session cookie names, while it is enabled and the cookie's generation is its own."""
    try:
        row = store.conn.execute(
            "SELECT id, name, role, disabled, generation FROM account WHERE id = ?", (account_id,)
        ).fetchone()
    except sqlite3.OperationalError:
        return Account(0, ADMIN, "admin") if account_id == 0 and _legacy_hash(store) else None
    if row is None or row["disabled"] or not secrets.compare_digest(row["generation"], generation):
        return None
    return Account(row["id"], row["name"], row["role"])


def generation(store: Store, account_id: int) -> str:
    row = store.conn.execute("SELECT generation FROM account WHERE id = ?", (account_id,)).fetchone()
    return row[0] if row else "0"


# --- writing --------------------------------------------------------------------------------------------


def add(store: Store, name: str, role: str, password: str) -> AccountRow:
    name, role = normal_name(name), check_role(role)
    check_password_rules(password)
    with store.transaction() as conn:
        row = conn.execute(
            "INSERT INTO account(name, role, password, created_at, generation) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO NOTHING RETURNING id",
            (name, role, hash_password(password), _now(), _new_generation()),
        ).fetchone()
    if row is None:
        raise AccountError("taken", f"an account named {name!r} exists already")
    found = get(store, row[0])
    assert found is not None
    return found


def _other_enabled_admins(store: Store, account_id: int) -> int:
    row = store.conn.execute(
        "SELECT count(*) FROM account WHERE role = 'admin' AND disabled = 0 AND id != ?", (account_id,)
    ).fetchone()
    return int(row[0])


def _keep_an_admin(store: Store, account: AccountRow) -> None:
    """Refuse to demote, disable or remove the last enabled admin: nobody could manage accounts then."""
    if account.role == "admin" and not account.disabled and not _other_enabled_admins(store, account.id):
        raise AccountError("last-admin", f"{account.name!r} is the last enabled admin")


def set_role(store: Store, account_id: int, role: str) -> AccountRow:
    check_role(role)
    with store.transaction() as conn:
        account = _existing(store, account_id)
        if role != "admin":
            _keep_an_admin(store, account)
        conn.execute("UPDATE account SET role = ? WHERE id = ?", (role, account_id))
    return _existing(store, account_id)


def set_password(store: Store, account_id: int, password: str) -> AccountRow:
    """A new password; every session of the account ends."""
    check_password_rules(password)
    with store.transaction() as conn:
        _existing(store, account_id)
        conn.execute(
            "UPDATE account SET password = ?, generation = ? WHERE id = ?",
            (hash_password(password), _new_generation(), account_id),
        )
    return _existing(store, account_id)


def set_disabled(store: Store, account_id: int, disabled: bool) -> AccountRow:
    """Disable (every session ends, sign-in refused) or enable an account."""
    with store.transaction() as conn:
        account = _existing(store, account_id)
        if disabled:
            _keep_an_admin(store, account)
        conn.execute(
            "UPDATE account SET disabled = ?, generation = ? WHERE id = ?",
            (int(disabled), _new_generation(), account_id),
        )
    return _existing(store, account_id)


def remove(store: Store, account_id: int) -> AccountRow:
    with store.transaction() as conn:
        account = _existing(store, account_id)
        _keep_an_admin(store, account)
        conn.execute("DELETE FROM account WHERE id = ?", (account_id,))
    return account


KeptAccount = tuple[str, str, str, str, int]  # name, role, password hash, created_at, disabled


def kept_accounts(store: Store) -> list[KeptAccount]:
    """Every account as a rebuilt archive takes it over (the demo rebuilt over its own database); an archive
    made before accounts gives its moderator's password as the account "admin"."""
    try:
        rows = store.conn.execute(
            "SELECT name, role, password, created_at, disabled FROM account ORDER BY id"
        ).fetchall()
    except sqlite3.OperationalError:  # a read-only archive made before accounts
        legacy = _legacy_hash(store)
        return [(ADMIN, "admin", legacy, _now(), 0)] if legacy else []
    return [(r[0], r[1], r[2], r[3], int(r[4])) for r in rows]


def take_over(store: Store, kept: list[KeptAccount]) -> None:
    """Add the `kept_accounts` of another archive (their sessions there do not carry over)."""
    with store.transaction() as conn:
        for name, role, password, created_at, disabled in kept:
            conn.execute(
                "INSERT INTO account(name, role, password, created_at, disabled, generation)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                (name, role, password, created_at, disabled, _new_generation()),
            )


def end_sessions(store: Store, account_id: int) -> None:
    """Every session of the account ends (a sign-out ends the account's sessions on every device)."""
    store.conn.execute("UPDATE account SET generation = ? WHERE id = ?", (_new_generation(), account_id))


def set_admin_password(store: Store, password: str) -> AccountRow:
    """`marsad admin set-password`: the account "admin" gets PASSWORD and is an enabled admin again (made if
    it is missing): the operator's way back in whatever was done to the accounts on the web."""
    check_password_rules(password)
    found = by_name(store, ADMIN)
    if found is None:
        return add(store, ADMIN, "admin", password)
    with store.transaction() as conn:
        conn.execute(
            "UPDATE account SET password = ?, role = 'admin', disabled = 0, generation = ? WHERE id = ?",
            (hash_password(password), _new_generation(), found.id),
        )
    return _existing(store, found.id)


def _existing(store: Store, account_id: int) -> AccountRow:
    found = get(store, account_id)
    if found is None:
        raise NoSuchAccount(f"no account {account_id}")
    return found


def require(store: Store, name: str) -> AccountRow:
    """The account named NAME; NoSuchAccount when there is none."""
    found = by_name(store, normal_name(name))
    if found is None:
        raise NoSuchAccount(f"no account named {name!r}")
    return found
