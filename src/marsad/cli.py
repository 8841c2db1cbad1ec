"""`marsad`: the one command. Each stage's subcommands live in marsad/commands/<area>.py."""

from __future__ import annotations

import typer

from marsad.commands import arabic, crawl, extract, ingest, link, search, web

app = typer.Typer(
    name="marsad",
    help="Marsad (مرصد): collect, extract, link and search Arabic news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for area in (ingest, extract, arabic, link, search, web, crawl):
    area.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
