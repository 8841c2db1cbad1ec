"""Options shared by every subcommand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from marsad.store.db import Store, default_db_path

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite database file (default: MARSAD_DB or the user's data folder)."),
]


def open_store(db: Path | None, *, readonly: bool = False) -> Store:
    path = db if db is not None else default_db_path()
    if readonly and not path.exists():
        raise typer.BadParameter(f"no database at {path}; run `marsad ingest` or `marsad demo` first")
    return Store(path, readonly=readonly)
