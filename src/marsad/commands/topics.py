"""`marsad topics`: the named things that recur in the archive, strongest first (marsad.link.topics mines
them; --refresh mines the whole archive again)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from marsad.commands.common import DbOption, open_store
from marsad.link import topics as mining
from marsad.store import topics
from marsad.store.topics import TopicItem

console = Console()


def topic_json(topic: TopicItem) -> dict:
    return {
        "id": topic.id,
        "name": topic.name,
        "key": topic.key,
        "variants": [{"form": form, "count": count} for form, count in topic.variants],
        "strength": topic.strength,
        "articles": topic.article_count,
        "stories": topic.story_count,
        "outlets": topic.outlet_count,
        "days": topic.day_count,
        "first_seen": topic.first_seen,
        "last_seen": topic.last_seen,
    }


def topics_command(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many topics, strongest first.", min=1)] = 50,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh", help="Mine the whole archive again first (keeps the ids of topics found again)."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per topic, one a line.")] = False,
) -> None:
    """Topics: organisations, initiatives, people, places and terms that recur across outlets and days."""
    if refresh:
        with open_store(db) as store:
            mined = mining.mine(store)
        if not as_json:
            console.print(
                f"mined {len(mined.topics)} topics from {mined.articles} articles"
                f" ({mined.candidates} candidates) in {mined.seconds:.1f} s"
            )
    with open_store(db, readonly=True) as store:
        found = topics.topics(store, limit)
        total = topics.count(store)
    if as_json:
        for topic in found:
            typer.echo(json.dumps(topic_json(topic), ensure_ascii=False))
        return
    if not total:
        console.print("no topics yet: `marsad topics --refresh` mines them from the archive")
        return
    console.print(
        "   id  strength  articles  stories  outlets  first seen .. last seen  topic", highlight=False
    )
    for t in found:
        seen = f"{(t.first_seen or '')[:10]:<10} .. {(t.last_seen or '')[:10]:<10}"
        console.print(
            f"{t.id:>5}  {t.strength:>8.2f}  {t.article_count:>8}  {t.story_count:>7}  {t.outlet_count:>7}"
            f"  {seen}  {escape(t.name)}",
            highlight=False,
            soft_wrap=True,
        )
    console.print(f"{len(found)} of {total} topics")


COMMANDS = {"topics": topics_command}
