"""`marsad`: the one command. Each area's commands live in marsad/commands/<area>.py, as module-level
functions listed in the module's `COMMANDS` dict (see marsad/commands/common.py)."""

from __future__ import annotations

from types import ModuleType
from typing import Annotated

import typer

from marsad import __version__
from marsad.commands import (
    arabic,
    copy,
    crawl,
    extract,
    ingest,
    link,
    run,
    search,
    settings,
    topics,
    users,
    watch,
    web,
)
from marsad.commands.common import add_commands

app = typer.Typer(
    name="marsad",
    help="Marsad (مرصد): collect, extract, link and search Arabic news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"marsad {__version__}")
        raise typer.Exit()


@app.callback()
def marsad(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Marsad (مرصد): collect, extract, link and search Arabic news."""


def add_area(target: typer.Typer, area: ModuleType) -> None:
    """Add an area's COMMANDS to TARGET (or let a module not converted yet call its own `register`)."""
    if hasattr(area, "COMMANDS"):
        add_commands(target, area.COMMANDS)
    else:
        area.register(target)


for area in (ingest, extract, arabic, link, topics, search, web, users, crawl, run, settings, watch, copy):
    add_area(app, area)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
