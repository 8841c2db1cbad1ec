"""`marsad demo`: the bundled demo corpus ingested into the database every command reads, then served.

The demo rebuilds that database on every run, so it must never take one that holds anything else: it
replaces a database only when it is missing, empty or still just the demo's (marsad.store.contents), unless
told `--force`. The reader's port is bound before anything is ingested, so a demo already serving there
stops the second one at once, with nothing touched.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from marsad.commands.common import DbOption, Host, Port, listen, setting
from marsad.store.db import Store

console = Console(stderr=True, soft_wrap=True)


def demo_command(
    db: DbOption = None,
    host: Host = None,
    port: Port = None,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the reader afterwards.")] = True,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace the database even when it holds more than the demo."),
    ] = False,
) -> None:
    """Ingest the bundled demo corpus into a fresh database (the one every command reads, unless --db),
    then serve the reader on it. A database holding anything but the demo is kept unless --force."""
    from marsad.commands.ingest import clear_errors  # (ingest's module lists this command)

    with clear_errors():
        path = setting("db", db)
        targets = _demo_targets()
        sock = listen(*_address(host, port)) if serve else None  # a busy port stops us before any work
        try:
            _refuse_unless_replaceable(path, force, targets)
            _build(path, targets)
        except BaseException:
            if sock is not None:
                sock.close()
            raise
    if sock is None:
        return
    from marsad.web import serve as serve_web

    host, port = _address(host, port)
    console.print(f"[bold]Marsad demo[/] on http://{host}:{port}/", highlight=False)
    serve_web(path, host, port, sock=sock)


def _address(host: str | None, port: int | None) -> tuple[str, int]:
    return setting("host", host), setting("port", port)


def _build(path: Path, targets: list[str]) -> None:
    """Replace PATH by a database holding the demo corpus and the demo's marker (the old one's accounts are
    kept: re-running the demo does not lock its moderators and readers out)."""
    from marsad.commands.ingest import print_report, run_ingest
    from marsad.link import topics
    from marsad.store import accounts
    from marsad.store.contents import mark_demo

    kept = _old_accounts(path)
    remove_database(path)
    with Store(path) as store:
        mark_demo(store, building=True)
        report = run_ingest(targets, store, link=True, index=True, progress=sys.stderr.isatty())
        topics.mine(store)  # the reader's /topics pages have something to show at once
        mark_demo(store)
        accounts.take_over(store, kept)
    print_report(report)
    console.print(f"demo database: {path} (every marsad command reads it unless given --db)", highlight=False)


def _refuse_unless_replaceable(path: Path, force: bool, targets: list[str]) -> None:
    """Exit with one line unless PATH is missing, empty or the demo's own database (or `force`); `targets`:
    the demo's pages, what a demo stopped halfway may have stored."""
    from marsad.store.contents import holdings, is_demo, is_empty

    if force or not path.exists():
        return
    try:
        with Store(path, readonly=True) as store:
            counts = holdings(store)
            if is_empty(counts) or is_demo(store, targets):
                return
    except sqlite3.DatabaseError as error:
        what = f"is not a Marsad database ({error})"
    else:
        held = [
            f"{counts[key]:,} {noun}{'' if counts[key] == 1 else 's'}"
            for key, noun in (("articles", "article"), ("failures", "failure"), ("feeds", "feed"))
            if counts[key]
        ] or [f"{counts['queued']:,} queued URLs"]
        what = f"holds more than the demo ({', '.join(held)})"
    console.print(
        f"[red]error:[/] {path} {what}; the demo replaces only its own database: give it another with"
        " --db FILE, or --force to replace this one",
        highlight=False,
    )
    raise typer.Exit(1)


def _old_accounts(path: Path) -> list:
    """The accounts of the database at PATH ([] when there is no file or it is no Marsad database)."""
    from marsad.store.accounts import kept_accounts

    if not path.exists():
        return []
    try:
        with Store(path, readonly=True) as store:
            return kept_accounts(store)
    except sqlite3.DatabaseError:
        return []


def _demo_targets() -> list[str]:
    """The demo's HTML pages (its text dumps are the same pages again, kept for extraction tests)."""
    try:
        from marsad.demo import ingest_targets

        return ingest_targets()
    except (ImportError, FileNotFoundError) as error:
        console.print(f"[red]error:[/] the demo corpus is not available: {error}")
        raise typer.Exit(1) from None


def remove_database(path: Path) -> None:
    """Delete a database with its WAL files and search index (the demo starts fresh every run)."""
    import shutil

    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    index = Path(f"{path}.index")
    if index.is_dir():
        shutil.rmtree(index)
