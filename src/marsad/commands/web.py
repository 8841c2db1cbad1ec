"""`marsad serve` and `marsad admin set-password`."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console

from marsad.commands.common import (
    DbOption,
    Host,
    PasswordStdin,
    Port,
    group,
    listen,
    open_store,
    option,
    read_password,
    setting,
)
from marsad.settings import SettingError
from marsad.store.contents import holdings

console = Console(stderr=True, soft_wrap=True, highlight=False)


def reader_options(
    report_threshold: int | None,
    report_rate_limit: int | None,
    report_global_rate_limit: int | None,
    report_burst_items: int | None,
    trusted_proxy: list[str] | None,
    base_url: str | None,
    request_max_bytes: int | None,
) -> dict[str, Any]:
    """The reader's options as create_app takes them (`marsad serve`, `marsad run`); None: the setting's
    environment variable, the archive's own value or the default."""
    return {
        "report_threshold": report_threshold,
        "report_rate_limit": report_rate_limit,
        "report_global_rate_limit": report_global_rate_limit,
        "report_burst_items": report_burst_items,
        "trusted_proxies": trusted_proxy or None,
        "base_url": base_url,
        "request_max_bytes": request_max_bytes,
    }


def serve_command(
    db: DbOption = None,
    host: Host = None,
    port: Port = None,
    report_threshold: Annotated[int | None, option("report_threshold")] = None,
    report_rate_limit: Annotated[int | None, option("report_rate_limit")] = None,
    report_global_rate_limit: Annotated[int | None, option("report_global_rate_limit")] = None,
    report_burst_items: Annotated[int | None, option("report_burst_items")] = None,
    trusted_proxy: Annotated[list[str] | None, option("trusted_proxies")] = None,
    base_url: Annotated[str | None, option("base_url")] = None,
    request_max_bytes: Annotated[int | None, option("request_max_bytes")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes answering on the one port (uvicorn's), each with its own connections:"
            " for PostgreSQL, or SQLite with more readers than one process serves.",
        ),
    ] = 1,
) -> None:
    """Serve the reader (pages, API at /api/v1, feeds, moderation at /admin)."""
    from marsad.web import serve

    host, port = setting("host", host), setting("port", port)
    sock = listen(host, port)  # a busy port is said before anything else
    try:
        with open_store(db) as store:  # creates the database and applies migrations if needed
            path, empty = store.target, holdings(store)["articles"] == 0
    except BaseException:
        sock.close()
        raise
    console.print(
        f"[bold]Marsad[/] reading {store.location} on http://{host}:{port}/"
        + (f" with {workers} worker processes" if workers > 1 else "")
    )
    if empty:
        console.print(
            "it holds no articles yet: `marsad demo` fills it with the demo corpus,"
            " `marsad ingest` or `marsad crawl` with news"
        )
    try:
        serve(
            path,
            host,
            port,
            sock=sock,
            workers=workers,
            **reader_options(
                report_threshold,
                report_rate_limit,
                report_global_rate_limit,
                report_burst_items,
                trusted_proxy,
                base_url,
                request_max_bytes,
            ),
        )
    except SettingError as error:  # the report settings are read with the archive's own
        raise typer.BadParameter(str(error)) from None


def set_password(
    password: Annotated[
        str | None,
        typer.Option(
            help="At least 8 characters. Visible to other users of the machine: prefer the prompt"
            " or --password-stdin."
        ),
    ] = None,
    password_stdin: PasswordStdin = False,
    db: DbOption = None,
) -> None:
    """Set the password of the account "admin" (stored as a scrypt hash; the account is made if missing,
    and made an enabled admin again) and end its signed-in sessions. Without --password it is asked for at
    a terminal, or read from stdin's first line when stdin is not one."""
    from marsad.store import reports

    if password is None:
        password = read_password(password_stdin)
    with open_store(db) as store:
        try:
            reports.set_admin_password(store, password)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    console.print('Password of the account "admin" set (its sessions ended); sign in at /login.')


COMMANDS = {
    "serve": serve_command,
    "admin": group("The admin account.", {"set-password": set_password}),
}
