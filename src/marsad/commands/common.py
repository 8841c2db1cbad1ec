"""Options shared by every subcommand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from marsad.sources.http.safety import AddressPolicy
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


AllowPrivate = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Also contact loopback, private, link-local and reserved addresses (an intranet).",
    ),
]
AllowNetwork = Annotated[
    list[str] | None,
    typer.Option(
        "--allow", help="A network to allow although it is not public, e.g. 127.0.0.0/8 (repeatable)."
    ),
]


def address_policy(allow_private: bool, allow: list[str] | None, only_allowed: bool = False) -> AddressPolicy:
    """Which addresses fetching may contact: public ones, plus the --allow networks (or every one)."""
    try:
        if allow_private:
            return AddressPolicy.allow_private()
        return AddressPolicy.from_strings(allow or [], public=not only_allowed)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
