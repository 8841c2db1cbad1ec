"""What every area's commands share: registration, options read from the settings declaration, the store.

An area module lists its commands in a module-level `COMMANDS` dict, name -> command: a function is one
command, a `typer.Typer` (made with `group`) a group of them (`marsad sources add`). `cli.py` adds every
area's COMMANDS to the main app with `add_commands`.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from marsad.settings import SETTING, SettingError, Settings, resolve
from marsad.sources.http.safety import AddressPolicy
from marsad.store.db import Store
from marsad.store.postgres import is_url

Command = Callable[..., Any] | typer.Typer


def add_commands(app: typer.Typer, commands: Mapping[str, Command]) -> typer.Typer:
    """Register COMMANDS on APP: a function as a command, a Typer as a group of commands."""
    for name, command in commands.items():
        if isinstance(command, typer.Typer):
            app.add_typer(command, name=name)
        else:
            app.command(name)(command)
    return app


def group(help: str, commands: Mapping[str, Command]) -> typer.Typer:
    """A group of commands (`marsad NAME COMMAND ...`)."""
    return add_commands(typer.Typer(help=help, no_args_is_help=True), commands)


def option(name: str) -> Any:
    """The option that sets setting NAME, with the declaration's flag and help. Its Python default is
    None, "not given", so that the environment, the archive and the declared default can speak after it."""
    setting = SETTING[name]
    assert setting.flag, name
    return typer.Option(
        setting.flag,
        help=f"{setting.help} Default: {setting.shown_plain}; environment: {setting.env}.",
        show_default=False,
    )


def setting(name: str, given: Any = None) -> Any:
    """One setting's value (`marsad.settings.resolve`); a bad one is a usage error saying where it is."""
    try:
        return resolve(name, given)
    except SettingError as error:
        raise typer.BadParameter(str(error)) from None


def load_settings(**given: Any) -> Settings:
    """Every setting (`Settings.load`); a bad one is a usage error saying where it is."""
    try:
        return Settings.load(**given)
    except SettingError as error:
        raise typer.BadParameter(str(error)) from None


DbOption = Annotated[Path | None, option("db")]


def open_store(db: Path | None, *, readonly: bool = False) -> Store:
    path = setting("db", db)
    if readonly and not is_url(path) and not path.exists():
        raise typer.BadParameter(f"no database at {path}; run `marsad ingest` or `marsad demo` first")
    return Store(path, readonly=readonly)


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]


def read_password(password_stdin: bool) -> str:
    """A password: stdin's first line with --password-stdin or when stdin is not a terminal, else asked
    twice at the terminal (never shown)."""
    import sys

    if password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


Host = Annotated[str | None, option("host")]
Port = Annotated[int | None, option("port")]
AllowPrivate = Annotated[bool | None, option("allow_private")]
AllowNetwork = Annotated[list[str] | None, option("allow")]
OnlyAllowed = Annotated[bool | None, option("only_allowed")]


def listen(host: str, port: int) -> socket.socket:
    """The reader's socket bound to HOST:PORT (`marsad.web.listen`), taken before any other work; a busy
    port or another refusal is one line on stderr naming the option to change, and exit status 1."""
    from marsad.web.listen import ListenError, listen_socket

    try:
        return listen_socket(host, port)
    except ListenError as error:
        Console(stderr=True, soft_wrap=True).print(f"[red]error:[/] {error}", highlight=False)
        raise typer.Exit(1) from None


def address_policy(
    allow_private: bool | None, allow: list[str] | None, only_allowed: bool | None = None
) -> AddressPolicy:
    """Which addresses fetching may contact: public ones, plus the allowed networks (or every one)."""
    private, networks, only = (
        setting("allow_private", allow_private),
        setting("allow", allow),
        setting("only_allowed", only_allowed),
    )
    if only and not networks:
        raise typer.BadParameter("--only-allowed needs at least one --allow network")
    try:
        if private:
            return AddressPolicy.allow_private()
        return AddressPolicy.from_strings(list(networks), public=not only)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
