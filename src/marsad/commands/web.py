"""`marsad serve` and `marsad admin set-password`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from marsad.commands.common import DbOption, open_store

console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""

    @app.command("serve")
    def serve_command(
        db: DbOption = None,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    ) -> None:
        """Serve the reader (pages, API at /api/v1, feeds, moderation at /admin)."""
        from marsad.web import serve

        store = open_store(db)  # creates the database and applies migrations if needed
        path = store.path
        store.close()
        console.print(f"[bold]Marsad[/] reading {path} on http://{host}:{port}/")
        serve(path, host, port)

    admin = typer.Typer(help="Moderator settings.", no_args_is_help=True)

    @admin.command("set-password")
    def set_password(
        db: DbOption = None,
        password: Annotated[
            str,
            typer.Option(
                prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8 characters."
            ),
        ] = ...,
    ) -> None:
        """Set the moderator's password (stored as a scrypt hash)."""
        from marsad.store import reports

        with open_store(db) as store:
            try:
                reports.set_admin_password(store, password)
            except ValueError as exc:
                raise typer.BadParameter(str(exc)) from exc
        console.print("Moderator password set; sign in at /admin.")

    app.add_typer(admin, name="admin")
