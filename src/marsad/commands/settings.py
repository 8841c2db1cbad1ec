"""`marsad settings`: each setting's value in effect and where it comes from, or the README's table."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.commands.common import DbOption, setting
from marsad.settings import SettingError, explain, markdown_table, show_value
from marsad.store import reports
from marsad.store.db import Store
from marsad.store.postgres import is_url


def settings_command(
    db: DbOption = None,
    markdown: Annotated[
        bool,
        typer.Option("--markdown", help="Print the declaration as the README's configuration table instead."),
    ] = False,
) -> None:
    """Every setting's value in effect and where it comes from: given, environment, database or default."""
    if markdown:
        typer.echo(markdown_table(), nl=False)
        return
    path = setting("db", db)
    store = (
        Store(path, readonly=True) if is_url(path) or path.exists() else None
    )  # its own report threshold and limit
    try:
        rows = explain(stored=reports.stored_settings(store) if store else None, db=db)
    except SettingError as error:
        raise typer.BadParameter(str(error)) from None
    finally:
        if store is not None:
            store.close()
    table = Table(title="Settings")
    for column in ("setting", "value", "from"):
        table.add_column(column)
    for declared, value, source in rows:
        table.add_row(declared.name, show_value(value), source)
    Console().print(table)


COMMANDS = {"settings": settings_command}
