"""`marsad` subcommands for the arabic area: `marsad analyse TEXT` and `marsad date TEXT [--ref ISO]`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer

from marsad.arabic import analyse, parse_date


def _parse_ref(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise typer.BadParameter(f"not an ISO date or time: {value!r}") from error


def analyse_command(text: Annotated[str, typer.Argument(help="Arabic (or any) text.")]) -> None:
    """Print the index terms of TEXT (normalised, stop words dropped, stemmed), space-separated."""
    typer.echo(" ".join(analyse(text)))


def date_command(
    text: Annotated[str, typer.Argument(help="A date as written, e.g. 'امس الاربعاء' or '21 - 09 - 2017'.")],
    ref: Annotated[
        str | None,
        typer.Option("--ref", help="Reference time (ISO) for relative dates, e.g. the publication time."),
    ] = None,
) -> None:
    """Print the date TEXT states as JSON {"value": ..., "precision": ...}, or null."""
    parsed = parse_date(text, _parse_ref(ref))
    result = None if parsed is None else {"value": parsed.iso(), "precision": parsed.precision}
    typer.echo(json.dumps(result, ensure_ascii=False))


COMMANDS = {"analyse": analyse_command, "date": date_command}
