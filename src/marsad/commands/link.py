"""`marsad` subcommands for the link area: stories, story, thread, relink.

They read what the web reader and the API read (marsad.store.stories and .threads): the same stories, the
same counts of visible articles, the same timeline.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from marsad.commands.common import DbOption, open_store
from marsad.commands.ingest import pending_note
from marsad.link import relink
from marsad.store import linkstate, stories, threads
from marsad.store.articles import ArticleItem
from marsad.store.stories import StoryItem
from marsad.store.timeline import TimelineEntry, TimelineSource

console = Console()


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False))


def _article_json(article: ArticleItem) -> dict:
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "duplicate_of": article.duplicate_of,
    }


def _story_json(story: StoryItem, articles: list[ArticleItem] | None = None) -> dict:
    """A story as JSON: its visible articles counted, and listed when given."""
    out: dict[str, Any] = {
        "id": story.id,
        "thread_id": story.thread_id,
        "title": story.title,
        "first_seen": story.first_seen,
        "last_seen": story.last_seen,
        "article_count": story.article_count,
        "outlet_count": story.outlet_count,
        "outlets": story.outlets,
    }
    if articles is not None:
        out["articles"] = [_article_json(a) for a in articles]
    return out


def _source_json(source: TimelineSource) -> dict:
    return {
        "text": source.text,
        "story_id": source.story_id,
        "span": list(source.span),
        "repost": source.repost,
        "article": {
            "id": source.article_id,
            "url": source.article_url,
            "title": source.article_title,
            "outlet": source.outlet,
            "published": source.published,
        },
    }


def entry_json(entry: TimelineEntry) -> dict:
    """A timeline entry: its date and the sentence shown (its first source's), and every source."""
    first = _source_json(entry.first)
    return {
        "date": entry.date,
        "precision": entry.precision,
        "background": entry.background,
        "text": entry.text,
        "story_id": entry.story_id,
        "article": first["article"],
        "sources": [_source_json(s) for s in entry.sources],
    }


def _print_entries(entries: list[TimelineEntry]) -> None:
    for e in entries:
        others = ", ".join(dict.fromkeys(s.outlet or "?" for s in e.sources[1:]))
        more = f"  [dim](+{len(e.sources) - 1}: {escape(others)})[/dim]" if others else ""
        console.print(f"  {e.date:<10} {escape(e.outlet or '')}: {escape(e.text)}{more}", highlight=False)


def stories_command(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="Only stories last seen on or after this date.")] = None,
    limit: Annotated[int, typer.Option(help="How many stories, newest first.")] = 50,
    min_outlets: Annotated[int, typer.Option(help="Only stories covered by this many outlets.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per story, one a line.")] = False,
) -> None:
    """Stories (one event, several outlets), newest first."""
    with open_store(db, readonly=True) as store:
        found = stories.stories(store, limit, since=since, min_outlets=min_outlets)
        if as_json:
            for story in found:
                page = stories.story(store, story.id)
                _print_json(_story_json(story, page.articles if page else []))
            return
    table = Table("id", "thread", "first seen", "last seen", "articles", "outlets")
    table.add_column("title", min_width=30, ratio=1)
    for s in found:
        table.add_row(
            str(s.id),
            str(s.thread_id),
            (s.first_seen or "")[:10],
            (s.last_seen or "")[:10],
            str(s.article_count),
            str(s.outlet_count),
            s.title,
        )
    console.print(table)
    console.print(f"{len(found)} stories")


def story_command(
    story_id: Annotated[int, typer.Argument(help="Story id.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One story: its headline, dates, outlets and every article (reposts marked)."""
    with open_store(db, readonly=True) as store:
        found = stories.story(store, story_id)
    if found is None or not found.articles:
        raise typer.BadParameter(f"no story {story_id}")
    if as_json:
        _print_json(_story_json(found, found.articles))
        return
    console.print(f"[bold]{found.title}[/bold]")
    console.print(
        f"story {found.id} · thread {found.thread_id} · {found.first_seen} .. {found.last_seen}"
        f" · {', '.join(found.outlets)}"
    )
    for a in found.articles:
        mark = f"  [dim](copy of {a.duplicate_of})[/dim]" if a.duplicate_of else ""
        console.print(f"  {a.id:>6}  {(a.published or '')[:16]:<16}  {a.outlet}: {a.title}{mark}")


def thread_command(
    thread_id: Annotated[int, typer.Argument(help="Thread id.")],
    db: DbOption = None,
    timeline: Annotated[
        bool,
        typer.Option("--timeline", help="Show its timeline: one entry per dated fact, background apart."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One thread: its stories over weeks and months, or (--timeline) its dated facts in time order, each
    with every article stating it, and apart the background its articles recall from before it began."""
    with open_store(db, readonly=True) as store:
        found = threads.thread(store, thread_id, with_stories=not timeline)
    if found is None:
        raise typer.BadParameter(f"no thread {thread_id}")
    if as_json:
        if timeline:
            _print_json(
                {
                    "thread_id": found.id,
                    "background": [entry_json(e) for e in found.background],
                    "events": [entry_json(e) for e in found.events],
                }
            )
        else:
            _print_json(
                {
                    "id": found.id,
                    "title": found.title,
                    "first_seen": found.first_seen,
                    "last_seen": found.last_seen,
                    "story_count": found.story_count,
                    "terms": found.terms,
                    "stories": [
                        _story_json(s, []) | {"article_count": s.article_count} for s in found.stories
                    ],
                }
            )
        return
    console.print(f"[bold]{found.title}[/bold]  ({found.first_seen} .. {found.last_seen})")
    console.print("terms: " + "، ".join(found.terms))
    if timeline:
        if found.background:
            console.print("[bold]background[/bold]")
            _print_entries(found.background)
            console.print("[bold]timeline[/bold]")
        _print_entries(found.events)
        return
    for s in found.stories:
        console.print(f"  {s.id:>6}  {(s.first_seen or '')[:10]}  {s.article_count:>3}  {s.title}")


def relink_command(db: DbOption = None) -> None:
    """Forget every link and link the whole archive again, in publication order."""
    with open_store(db) as store, Progress(console=console) as progress:
        task = progress.add_task("linking", total=None)
        report = relink(
            store, progress=lambda done, total: progress.update(task, completed=done, total=total)
        )
        counts = linkstate.link_counts(store)
        note = pending_note(store, "index")  # relink does the linking that was pending, not the indexing
    console.print(
        f"linked {report.linked} articles: {report.duplicates} reposts, {counts['stories']} stories,"
        f" {len(report.errors)} errors"
    )
    for article_id, reason in report.errors[:20]:
        console.print(f"  article {article_id}: {reason}")
    if note:
        console.print(note)


COMMANDS = {
    "stories": stories_command,
    "story": story_command,
    "thread": thread_command,
    "relink": relink_command,
}
