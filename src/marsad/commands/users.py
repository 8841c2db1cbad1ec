"""`marsad users`: the accounts that sign in to the reader, each with a role (admin, editor, reader)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console

from marsad.commands.common import DbOption, PasswordStdin, group, open_store, read_password
from marsad.store import accounts
from marsad.store.db import Store

console = Console(stderr=True, soft_wrap=True, highlight=False)

Name = Annotated[str, typer.Argument(help="The account's sign-in name (kept lower-cased).")]
Role = Annotated[str, typer.Option("--role", help="admin (everything), editor (moderation) or reader.")]
USAGE_ERRORS = ("name", "role", "short", "long")  # a bad argument; the others are refusals (exit 1)


def _run(db, change: Callable[[Store], accounts.AccountRow], said: str) -> None:
    """CHANGE on the archive; SAID (formatted with the account's name and role) on success."""
    with open_store(db) as store:
        try:
            row = change(store)
        except accounts.AccountError as error:
            if error.code in USAGE_ERRORS:
                raise typer.BadParameter(str(error)) from None
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(1) from None
    console.print(said.format(name=row.name, role=row.role))


def add(
    name: Name, role: Role = "reader", password_stdin: PasswordStdin = False, db: DbOption = None
) -> None:
    """Make an account with a role; its password is asked for at a terminal, or read from stdin."""
    if role not in accounts.ROLES:
        _bad_role(role)
    password = read_password(password_stdin)
    _run(db, lambda store: accounts.add(store, name, role, password), "Account {name} ({role}) made.")


def _bad_role(role: str) -> None:
    raise typer.BadParameter(f"the role must be one of {', '.join(accounts.ROLES)}, not {role!r}")


def list_accounts(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON: id, name, role, created_at, disabled.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Every account: name, role, whether it is disabled, when it was made."""
    with open_store(db) as store:
        rows = accounts.all_accounts(store)
    if as_json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        state = "disabled" if r.disabled else "enabled"
        print(f"{r.name}\t{r.role}\t{state}\t{r.created_at}")
    if not rows:
        console.print("no accounts yet: `marsad users add NAME --role admin` or `marsad admin set-password`")


def set_role(
    name: Name,
    role: Annotated[str, typer.Argument(help="admin, editor or reader.")],
    db: DbOption = None,
) -> None:
    """Give an account another role (refused for the last enabled admin)."""
    if role not in accounts.ROLES:
        _bad_role(role)
    _run(db, lambda s: accounts.set_role(s, accounts.require(s, name).id, role), "{name} is now {role}.")


def disable(name: Name, db: DbOption = None) -> None:
    """Disable an account: its sessions end and it cannot sign in (refused for the last enabled admin)."""
    _run(db, lambda s: accounts.set_disabled(s, accounts.require(s, name).id, True), "{name} disabled.")


def enable(name: Name, db: DbOption = None) -> None:
    """Enable a disabled account again."""
    _run(db, lambda s: accounts.set_disabled(s, accounts.require(s, name).id, False), "{name} enabled.")


def remove(name: Name, db: DbOption = None) -> None:
    """Delete an account (refused for the last enabled admin)."""
    _run(db, lambda s: accounts.remove(s, accounts.require(s, name).id), "{name} removed.")


def password(name: Name, password_stdin: PasswordStdin = False, db: DbOption = None) -> None:
    """Set an account's password (asked for at a terminal, or read from stdin); its sessions end."""
    new = read_password(password_stdin)
    _run(
        db,
        lambda s: accounts.set_password(s, accounts.require(s, name).id, new),
        "Password of {name} set (its sessions ended).",
    )


COMMANDS = {
    "users": group(
        "Accounts that sign in to the reader: admin, editor or reader.",
        {
            "add": add,
            "list": list_accounts,
            "set-role": set_role,
            "disable": disable,
            "enable": enable,
            "remove": remove,
            "password": password,
        },
    )
}
