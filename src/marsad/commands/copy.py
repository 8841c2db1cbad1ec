"""`marsad copy`: move an archive between SQLite and PostgreSQL (marsad.store.transfer), then build the
target's search index from what was copied."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from marsad.search import IndexUnavailable, index_path, reindex
from marsad.store.db import Store
from marsad.store.postgres import is_url, server_url
from marsad.store.transfer import CopyError, copy_archive

console = Console(stderr=True, soft_wrap=True)


def _target(value: str) -> str | Path:
    return server_url(value) or Path(value).expanduser()


def copy_command(
    source: Annotated[
        str, typer.Option("--from", help="The archive to copy: a SQLite file or a postgresql:// URL.")
    ],
    target: Annotated[
        str, typer.Option("--to", help="An empty (or new) database: a SQLite file or a postgresql:// URL.")
    ],
    index: Annotated[
        bool, typer.Option("--index/--no-index", help="Build the target's search index.")
    ] = True,
) -> None:
    """Copy every table of an archive, ids kept, into an empty database: all of it or, on an error, nothing."""
    origin, destination = _target(source), _target(target)
    if not is_url(origin) and not Path(origin).is_file():
        raise typer.BadParameter(f"no database at {origin}", param_hint="--from")
    if not is_url(destination) and Path(destination).exists() and Path(destination).stat().st_size:
        raise typer.BadParameter(f"{destination} exists: copy into a new file", param_hint="--to")
    try:
        with Store(origin) as store_from, Store(destination) as store_to:
            copied = copy_archive(store_from, store_to)
            console.print(
                f"Copied {copied.rows:,} rows of {len(copied.tables)} tables from {store_from.location}"
                f" to {store_to.location}",
                highlight=False,
            )
            if index:
                count = reindex(store_to)
                console.print(f"Indexed {count:,} articles into {index_path(store_to)}", highlight=False)
    except (CopyError, sqlite3.Error, IndexUnavailable) as error:
        console.print(f"[red]Copy failed, nothing was copied:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None


COMMANDS = {"copy": copy_command}
