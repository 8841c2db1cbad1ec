"""`marsad search` and `marsad reindex`."""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from marsad.commands.common import DbOption, open_store
from marsad.commands.ingest import pending_note
from marsad.search import IndexUnavailable, QueryError, index_path, reindex, search

_MARK = re.compile(r"(<mark>.*?</mark>)")


class SortOrder(StrEnum):
    relevance = "relevance"
    newest = "newest"


def marked_text(snippet_html: str) -> Text:
    """A snippet's HTML as terminal text: the <mark>ed words bold and highlighted, entities decoded."""
    text = Text()
    for part in _MARK.split(snippet_html):
        if part.startswith("<mark>") and part.endswith("</mark>"):
            text.append(html.unescape(part[6:-7]), style="bold black on yellow")
        else:
            text.append(html.unescape(part))
    return text


def result_json(result) -> dict:
    """The `--json` shape: total, facets, and hits with id, url, title, outlet, published, story_id, snippet."""
    hits = []
    for hit in result.hits:
        item = asdict(hit)
        item["snippet"] = item.pop("snippet_html")
        hits.append(item)
    return {"total": result.total, "facets": result.facets, "hits": hits, "relaxed": result.relaxed}


def search_command(
    query: Annotated[str, typer.Argument(help='Words, "exact phrases", OR, -exclusions.')],
    outlet: Annotated[
        list[str] | None, typer.Option("--outlet", help="Outlet name or key (repeatable).")
    ] = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date: 2018-03-15, 2018-03 or 2018.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date, inclusive.")] = None,
    story: Annotated[int | None, typer.Option(help="Only articles of this story id.")] = None,
    language: Annotated[str | None, typer.Option(help="Only this language code (ar, en, fr).")] = None,
    sort: Annotated[SortOrder, typer.Option(help="relevance or newest.")] = SortOrder.relevance,
    all_: Annotated[bool, typer.Option("--all", help="Every matching article, not one per story.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=200, help="Hits to show.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many hits (paging).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: total, facets, hits.")] = False,
    db: DbOption = None,
) -> None:
    """Search the archive: any inflection of a word, with or without harakat."""
    console = Console()
    store = open_store(db, readonly=True)
    try:
        result = search(
            store,
            query,
            outlet=outlet or None,
            category=category,
            since=since,
            until=until,
            story=story,
            language=language,
            sort=sort.value,
            collapse=not all_,
            limit=limit,
            offset=offset,
        )
    except (QueryError, IndexUnavailable) as error:
        if as_json:
            print(json.dumps({"error": str(error)}, ensure_ascii=False))
        else:
            console.print(f"[red]Cannot search:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
    else:
        note = None if as_json else pending_note(store, "index")  # not found until indexed
    finally:
        store.close()
    if note:
        Console(stderr=True).print(note, highlight=False)
    if as_json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
        return
    _print_result(console, result, collapse=not all_)


def reindex_command(db: DbOption = None) -> None:
    """Rebuild the search index from the database (SQLite stays the source of truth)."""
    console = Console()
    store = open_store(db)
    try:
        with Progress(
            TextColumn("indexing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            auto_refresh=False,  # no refresh thread: reindex forks its analysis workers
        ) as progress:
            task = progress.add_task("index", total=None)
            count = reindex(
                store,
                progress=lambda done, total: progress.update(task, completed=done, total=total, refresh=True),
            )
    except IndexUnavailable as error:
        console.print(f"[red]Cannot reindex:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None
    else:
        note = pending_note(store, "link")  # reindex does the indexing that was pending, not the linking
    finally:
        store.close()
    console.print(f"Indexed {count:,} articles into {index_path(store)}", highlight=False)
    if note:
        console.print(note, highlight=False)


def _print_result(console: Console, result, *, collapse: bool) -> None:
    unit = "stories" if collapse else "articles"
    if result.relaxed:
        console.print("No article has every word; these have most of them.", style="yellow")
    console.print(f"{result.total:,} matching articles; showing {len(result.hits)} {unit}", highlight=False)
    for hit in result.hits:
        console.print()
        head = Text(f"[{hit.id}] ", style="dim")
        head.append(hit.title, style="bold")
        console.print(head)
        meta = " · ".join(p for p in (hit.outlet, hit.published, hit.url) if p)
        if hit.folded:
            meta += f" · +{hit.folded} more in this story"
        console.print(Text(meta, style="dim"))
        console.print(marked_text(hit.snippet_html))
    outlets = ", ".join(f"{name} {count:,}" for name, count in result.facets.get("outlet", {}).items())
    if outlets:
        console.print()
        console.print(Text(f"By outlet: {outlets}", style="dim"))


COMMANDS = {"search": search_command, "reindex": reindex_command}
