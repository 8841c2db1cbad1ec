"""`marsad` subcommands for the link area: stories, story, thread, relink."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.commands.common import DbOption, open_store

console = Console()


def _print_json(value) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False))


def _article_json(article: dict) -> dict:
    return {
        "id": article["id"],
        "url": article["url"],
        "title": article["title"],
        "outlet": article["outlet"],
        "published": article["published"],
        "duplicate_of": article["duplicate_of"],
    }


def _story_json(story: dict) -> dict:
    out = {k: story[k] for k in ("id", "thread_id", "title", "first_seen", "last_seen", "outlets")}
    out["articles"] = [_article_json(a) for a in story.get("articles", [])]
    return out


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""

    @app.command("stories")
    def stories(
        db: DbOption = None,
        since: Annotated[
            str | None, typer.Option(help="Only stories last seen on or after this date.")
        ] = None,
        limit: Annotated[int, typer.Option(help="How many stories, newest first.")] = 50,
        min_outlets: Annotated[int, typer.Option(help="Only stories covered by this many outlets.")] = 0,
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON object per story, one a line.")
        ] = False,
    ) -> None:
        """Stories (one event, several outlets), newest first."""
        from marsad.store.stories import list_stories

        with open_store(db, readonly=True) as store:
            found = list_stories(store, since=since, limit=limit, min_outlets=min_outlets)
        if as_json:
            for story in found:
                _print_json(_story_json(story))
            return
        table = Table("id", "thread", "first seen", "last seen", "articles", "outlets")
        table.add_column("title", min_width=30, ratio=1)
        for s in found:
            table.add_row(
                str(s["id"]),
                str(s["thread_id"]),
                (s["first_seen"] or "")[:10],
                (s["last_seen"] or "")[:10],
                str(s["article_count"]),
                str(s["outlet_count"]),
                s["title"],
            )
        console.print(table)
        console.print(f"{len(found)} stories")

    @app.command("story")
    def story(
        story_id: Annotated[int, typer.Argument(help="Story id.")],
        db: DbOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """One story: its headline, dates, outlets and every article (reposts marked)."""
        from marsad.store.stories import get_story

        with open_store(db, readonly=True) as store:
            found = get_story(store, story_id)
        if found is None:
            raise typer.BadParameter(f"no story {story_id}")
        if as_json:
            _print_json(_story_json(found))
            return
        console.print(f"[bold]{found['title']}[/bold]")
        console.print(
            f"story {found['id']} · thread {found['thread_id']} · {found['first_seen']} .. {found['last_seen']}"
            f" · {', '.join(found['outlets'])}"
        )
        for a in found["articles"]:
            mark = f"  [dim](copy of {a['duplicate_of']})[/dim]" if a["duplicate_of"] else ""
            console.print(
                f"  {a['id']:>6}  {(a['published'] or '')[:16]:<16}  {a['outlet']}: {a['title']}{mark}"
            )

    @app.command("thread")
    def thread(
        thread_id: Annotated[int, typer.Argument(help="Thread id.")],
        db: DbOption = None,
        timeline: Annotated[bool, typer.Option("--timeline", help="Show its dated events.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """One thread: its stories over weeks and months, or (--timeline) its dated events."""
        from marsad.link.linker import take_events
        from marsad.store.stories import get_thread, thread_events

        with open_store(db) as store:
            found = get_thread(store, thread_id)
            if found is None:
                raise typer.BadParameter(f"no thread {thread_id}")
            events = []
            if timeline:
                with store.transaction():
                    take_events(store, thread_id=thread_id)  # a one-story thread's events are taken on demand
                events = thread_events(store, thread_id)
        if as_json:
            _print_json(events if timeline else found)
            return
        console.print(f"[bold]{found['title']}[/bold]  ({found['first_seen']} .. {found['last_seen']})")
        console.print("terms: " + "، ".join(found["terms"]))
        if timeline:
            for e in events:
                console.print(f"  {e['date']:<10} {e['article']['outlet']}: {e['text']}")
            return
        for s in found["stories"]:
            console.print(
                f"  {s['id']:>6}  {(s['first_seen'] or '')[:10]}  {s['article_count']:>3}  {s['title']}"
            )

    @app.command("relink")
    def relink_command(db: DbOption = None) -> None:
        """Forget every link and link the whole archive again, in publication order."""
        from rich.progress import Progress

        from marsad.link import relink
        from marsad.store.stories import count_stories

        with open_store(db) as store, Progress(console=console) as progress:
            task = progress.add_task("linking", total=None)
            report = relink(
                store, progress=lambda done, total: progress.update(task, completed=done, total=total)
            )
            stories = count_stories(store)
        console.print(
            f"linked {report.linked} articles: {report.duplicates} reposts, {stories} stories,"
            f" {len(report.errors)} errors"
        )
        for article_id, reason in report.errors[:20]:
            console.print(f"  article {article_id}: {reason}")
