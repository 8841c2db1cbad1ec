"""`marsad serve` and `marsad admin set-password`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from marsad.commands.common import DbOption, Host, Port, group, open_store, option, setting
from marsad.settings import SettingError

console = Console(stderr=True)


def serve_command(
    db: DbOption = None,
    host: Host = None,
    port: Port = None,
    report_threshold: Annotated[int | None, option("report_threshold")] = None,
    report_rate_limit: Annotated[int | None, option("report_rate_limit")] = None,
) -> None:
    """Serve the reader (pages, API at /api/v1, feeds, moderation at /admin)."""
    from marsad.web import serve

    host, port = setting("host", host), setting("port", port)
    store = open_store(db)  # creates the database and applies migrations if needed
    path = store.path
    store.close()
    console.print(f"[bold]Marsad[/] reading {path} on http://{host}:{port}/")
    try:
        serve(path, host, port, report_threshold=report_threshold, report_rate_limit=report_rate_limit)
    except SettingError as error:  # the report settings are read with the archive's own
        raise typer.BadParameter(str(error)) from None


def set_password(
    password: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8 characters."),
    ],
    db: DbOption = None,
) -> None:
    """Set the moderator's password (stored as a scrypt hash)."""
    from marsad.store import reports

    with open_store(db) as store:
        try:
            reports.set_admin_password(store, password)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    console.print("Moderator password set; sign in at /admin.")


COMMANDS = {
    "serve": serve_command,
    "admin": group("Moderator settings.", {"set-password": set_password}),
}
