"""`marsad extract PATH|URL ...`: pull the article out of pages and print it (no database involved), and
`marsad reextract`: extract the archive's kept pages again with each outlet's current profile."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from marsad.commands.common import AllowNetwork, AllowPrivate, DbOption, address_policy, setting
from marsad.models import Article, ExtractionError, Page
from marsad.store.postgres import is_url


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
        "byline_place": article.byline_place,
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
        ("byline place", article.byline_place),
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


def reextract_command(
    outlet: Annotated[
        str | None, typer.Option("--outlet", help="Only this outlet: its host, name or Latin name.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as one JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """Extract stored pages again with each outlet's current profile (the lines it repeats on its pages),
    record what changed, and link and index the changed articles."""
    from marsad.archive import Archive
    from marsad.ingest.reextract import UnknownOutlet

    path = setting("db", db)
    if not is_url(path) and not path.exists():
        raise typer.BadParameter(f"no database at {path}; run `marsad ingest` first")
    with Archive(path) as archive:
        try:
            report = archive.reextract(outlet)
        except UnknownOutlet as error:
            raise typer.BadParameter(str(error)) from None
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    console = Console(soft_wrap=True)
    for done in report.outlets:
        console.print(
            f"{done.outlet}: profile from {done.pages} pages, {len(done.chrome)} chrome lines;"
            f" {done.changed} of {done.articles} articles changed",
            markup=False,
        )
    console.print(
        f"{report.checked} articles re-extracted ({report.from_pages} from their kept page,"
        f" {report.from_stored} from their stored paragraphs), {report.changed} changed,"
        f" {len(report.failures)} failed",
        markup=False,
    )
    for change in report.changes[:20]:
        console.print(
            f"  article {change.article_id}: {len(change.dropped)} paragraphs dropped,"
            f" {len(change.added)} added ({change.source}) {change.url}",
            markup=False,
        )
    for url, reason in report.failures[:20]:
        console.print(f"  failed {url}: {reason}", markup=False)


COMMANDS = {"extract": extract_command, "reextract": reextract_command}


def _report_failure(as_json: bool, errors: Console, origin: str, reason: str) -> None:
    if as_json:
        typer.echo(json.dumps({"path": origin, "error": reason}, ensure_ascii=False))
    else:
        errors.print(f"[red]failed[/red] {origin}: {reason}")
