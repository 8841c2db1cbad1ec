"""`marsad extract PATH|URL ...`: pull the article out of pages and print it (no database involved)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from marsad.commands.common import AllowNetwork, AllowPrivate, address_policy
from marsad.models import Article, ExtractionError, Page


def published_iso(article: Article) -> str | None:
    """The publication date written to its precision: "2017-09-21" for a day, a full timestamp for a minute."""
    value = article.published
    if value is None:
        return None
    if article.precision == "day":
        return value.date().isoformat()
    if article.precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if article.precision == "year":
        return f"{value.year:04d}"
    return value.isoformat()


def article_record(origin: str, article: Article) -> dict:
    """The JSON line for one page (`--json`)."""
    return {
        "path": origin,
        "url": article.url,
        "title": article.title,
        "published": published_iso(article),
        "precision": article.precision,
        "author": article.author,
        "outlet": article.outlet,
        "original_outlet": article.original_outlet,
        "original_url": article.original_url,
        "language": article.language,
        "canonical_url": article.canonical_url,
        "body": article.body,
        "ticker": article.ticker,
        "previous_title": article.previous_title,
        "next_title": article.next_title,
    }


def _print_article(console: Console, origin: str, article: Article) -> None:
    console.rule(origin)
    console.print(f"[bold]{article.title}[/bold]")
    when = published_iso(article) or "unknown"
    facts = [f"published: {when} ({article.precision or '-'})"]
    for label, value in (
        ("author", article.author),
        ("outlet", article.outlet),
        ("original outlet", article.original_outlet),
        ("original URL", article.original_url),
        ("language", article.language),
    ):
        if value:
            facts.append(f"{label}: {value}")
    console.print(" | ".join(facts), markup=False)
    for paragraph in article.body:
        console.print(paragraph, markup=False)
    if article.ticker:
        console.print(f"ticker: {len(article.ticker)} headlines", markup=False)
    if article.previous_title or article.next_title:
        console.print(
            f"previous: {article.previous_title or '-'} | next: {article.next_title or '-'}", markup=False
        )


def extract_command(
    targets: Annotated[list[str], typer.Argument(help="Pages: files, folders (every page inside) or URLs.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per page, one per line.")] = False,
    allow_private: AllowPrivate = None,
    allow: AllowNetwork = None,
) -> None:
    """Extract the article from each page: title, date, author, outlet, repost origin, body, ticker."""
    from marsad.extract import extract
    from marsad.models import SourceFailure
    from marsad.sources import iter_targets

    console = Console(soft_wrap=True)
    errors = Console(stderr=True)
    done = failed = 0
    for item in iter_targets(targets, policy=address_policy(allow_private, allow)):
        if isinstance(item, SourceFailure):
            failed += 1
            _report_failure(as_json, errors, item.origin, item.reason)
            continue
        if not isinstance(item, Page):
            continue
        origin = item.origin or item.url
        try:
            article = extract(item)
        except ExtractionError as error:
            failed += 1
            _report_failure(as_json, errors, origin, str(error))
            continue
        done += 1
        if as_json:
            typer.echo(json.dumps(article_record(origin, article), ensure_ascii=False))
        else:
            _print_article(console, origin, article)
    if not as_json:
        errors.print(f"{done} pages extracted, {failed} failed")
    if failed and not done:
        raise typer.Exit(1)


COMMANDS = {"extract": extract_command}


def _report_failure(as_json: bool, errors: Console, origin: str, reason: str) -> None:
    if as_json:
        typer.echo(json.dumps({"path": origin, "error": reason}, ensure_ascii=False))
    else:
        errors.print(f"[red]failed[/red] {origin}: {reason}")
