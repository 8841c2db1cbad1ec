"""`marsad watch add|list|remove|run`: watchlists made by the operator, and alerts delivered on demand."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.commands.common import (
    AllowNetwork,
    AllowPrivate,
    DbOption,
    OnlyAllowed,
    address_policy,
    group,
    open_store,
    setting,
)
from marsad.store import watchlists
from marsad.store.watchlists import Watchlist, WatchlistError
from marsad.watch import follow as following


def feed_url(watchlist: Watchlist, fmt: str = "atom") -> str:
    """The private feed's address: on the base_url setting, else on the host and port the reader listens on."""
    base = str(setting("base_url")).strip().rstrip("/")
    if not base:
        host = setting("host")
        base = f"http://{f'[{host}]' if ':' in host else host}:{setting('port')}"
    return base + following.feed_path(watchlist, fmt)


def add_command(
    name: Annotated[str, typer.Argument(help="What to call the watchlist.")],
    query: Annotated[
        str, typer.Argument(help="A search, in the search syntax (omit with --thread ...).")
    ] = "",
    webhook: Annotated[
        str | None, typer.Option(help="POST new matches here, signed (X-Marsad-Signature).")
    ] = None,
    email: Annotated[str | None, typer.Option(help="E-mail new matches to this address.")] = None,
    digest: Annotated[
        str | None, typer.Option(help="daily: one e-mail a day instead of one per batch.")
    ] = None,
    thread: Annotated[int | None, typer.Option(help="Follow this thread id instead of a search.")] = None,
    story: Annotated[int | None, typer.Option(help="Follow this story id.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Follow this outlet (key or name).")] = None,
    topic: Annotated[
        str | None, typer.Option(help="Follow this topic (a name, matched in title and text).")
    ] = None,
    from_outlet: Annotated[str | None, typer.Option(help="Search filter: only this outlet.")] = None,
    category: Annotated[str | None, typer.Option(help="Search filter: only this category.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Search filter: published from (2018-03-15, 2018-03, 2018).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Search filter: published up to, inclusive.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: id, name, feed_url, secret.")] = False,
    db: DbOption = None,
) -> None:
    """Follow a search, thread, story, outlet or topic: new articles that match are kept, in a private
    feed, and sent to the webhook and e-mail address given (`marsad watch run`, or `marsad run`)."""
    filters = {"outlet": from_outlet, "category": category, "since": since, "until": until}
    what = following.Follow(
        query, thread, story, outlet, topic, {k: v for k, v in filters.items() if v is not None}
    )
    with open_store(db) as store:
        try:
            w = following.create(store, name, what, webhook=webhook, email=email, digest=digest)
        except WatchlistError as error:
            raise typer.BadParameter(str(error)) from None
    if as_json:
        typer.echo(
            json.dumps(
                {"id": w.id, "name": w.name, "feed_url": feed_url(w), "secret": w.secret}, ensure_ascii=False
            )
        )
        return
    typer.echo(f"watchlist {w.id} ({w.name}): feed {feed_url(w)}")
    typer.echo(f"webhook signing secret: {w.secret}")


def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, one object per watchlist.")] = False,
    db: DbOption = None,
) -> None:
    """Every watchlist, with its feed and how many articles it matched."""
    with open_store(db) as store:
        found = watchlists.all_watchlists(store)
        counts = watchlists.match_counts(store)
    if as_json:
        rows = [
            {**w.as_json(private=True), "feed_url": feed_url(w), "matches": counts.get(w.id, 0)}
            for w in found
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "name", "kind", "follows", "matches", "alerts", "feed")
    for w in found:
        alerts = ", ".join(x for x in (w.webhook_url, w.email and f"{w.email} ({w.delivery})") if x)
        table.add_row(
            str(w.id),
            w.name,
            w.kind,
            w.query or w.target or "",
            str(counts.get(w.id, 0)),
            alerts,
            feed_url(w),
        )
    Console(soft_wrap=True).print(table)


def remove_command(
    watchlist: Annotated[str, typer.Argument(help="The watchlist's id or name.")],
    db: DbOption = None,
) -> None:
    """Remove a watchlist, its matches and its delivery log."""
    with open_store(db) as store:
        w = watchlists.find(store, watchlist)
        if w is None:
            raise typer.BadParameter(f"no watchlist {watchlist!r}")
        watchlists.remove(store, w.id)
    typer.echo(f"removed watchlist {w.id} ({w.name})")


def run_command(
    allow_private: AllowPrivate = None,
    allow: AllowNetwork = None,
    only_allowed: OnlyAllowed = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the pass's counts as JSON.")] = False,
    db: DbOption = None,
) -> None:
    """Deliver what is pending (new matches, failed alerts due for another try), then exit. Webhooks reach
    public addresses only, unless --allow or --allow-private open more."""
    from marsad.watch.deliver import Channels, deliver_pending

    channels = Channels.from_settings(address_policy(allow_private, allow, only_allowed))
    with open_store(db) as store:
        report = deliver_pending(store, channels)
    if as_json:
        typer.echo(json.dumps(report.__dict__, ensure_ascii=False))
    else:
        typer.echo(f"{report.made} alerts made up, {report.sent} sent, {report.failed} failed")
        for error in report.errors:
            typer.echo(f"  {error}", err=True)
    if report.failed:
        raise typer.Exit(1)


COMMANDS = {
    "watch": group(
        "Watchlists: follow a search, thread, story, outlet or topic, and deliver its alerts.",
        {"add": add_command, "list": list_command, "remove": remove_command, "run": run_command},
    )
}
