"""`marsad run`: the reader, the crawler on schedule and the housekeeping, in one process."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from marsad.commands.common import (
    AllowNetwork,
    AllowPrivate,
    DbOption,
    Host,
    OnlyAllowed,
    Port,
    address_policy,
    option,
)
from marsad.commands.crawl import Delay, MaxBytes, PerHost, Timeout, UserAgent, crawl_settings, parse_interval
from marsad.commands.web import reader_options
from marsad.settings import SettingError


def _interval(text: str | None) -> timedelta | None:
    return None if text is None else parse_interval(text)


def run_command(
    db: DbOption = None,
    host: Host = None,
    port: Port = None,
    crawl_interval: Annotated[str | None, option("crawl_interval")] = None,
    health_crawl_age: Annotated[str | None, option("health_crawl_age")] = None,
    watch_interval: Annotated[str | None, option("watch_interval")] = None,
    allow_private: AllowPrivate = None,
    allow: AllowNetwork = None,
    only_allowed: OnlyAllowed = None,
    delay: Delay = None,
    per_host: PerHost = None,
    timeout: Timeout = None,
    max_bytes: MaxBytes = None,
    user_agent: UserAgent = None,
    feed_interval: Annotated[str | None, option("feed_interval")] = None,
    batch_size: Annotated[int | None, option("crawl_batch_size")] = None,
    report_threshold: Annotated[int | None, option("report_threshold")] = None,
    report_rate_limit: Annotated[int | None, option("report_rate_limit")] = None,
    report_global_rate_limit: Annotated[int | None, option("report_global_rate_limit")] = None,
    report_burst_items: Annotated[int | None, option("report_burst_items")] = None,
    trusted_proxy: Annotated[list[str] | None, option("trusted_proxies")] = None,
    base_url: Annotated[str | None, option("base_url")] = None,
    request_max_bytes: Annotated[int | None, option("request_max_bytes")] = None,
) -> None:
    """Serve the reader, crawl the outlets every --crawl-interval, deliver watchlist alerts every
    --watch-interval and keep the archive tidy, until SIGTERM
    or Ctrl-C (the crawl round stops at a safe point). Logs are JSON lines on stderr; /healthz and
    /metrics are served beside the reader."""
    from marsad.service import logs
    from marsad.service.runner import ServiceSettings, run
    from marsad.web.listen import ListenError

    crawl, values = crawl_settings(
        address_policy(allow_private, allow, only_allowed),
        delay=delay,
        per_host=per_host,
        timeout=timeout,
        max_bytes=max_bytes,
        user_agent=user_agent,
        feed_interval=feed_interval,
        batch_size=batch_size,
        db=db,
        host=host,
        port=port,
        crawl_interval=_interval(crawl_interval),
        health_crawl_age=_interval(health_crawl_age),
        watch_interval=_interval(watch_interval),
    )
    settings = ServiceSettings(
        db=values.db,
        host=values.host,
        port=values.port,
        crawl=crawl,
        crawl_interval=values.crawl_interval,
        health_crawl_age=values.health_crawl_age,
        watch_interval=values.watch_interval,
        web=reader_options(
            report_threshold,
            report_rate_limit,
            report_global_rate_limit,
            report_burst_items,
            trusted_proxy,
            base_url,
            request_max_bytes,
        ),
    )
    logs.setup()
    try:
        code = run(settings)
    except ListenError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    except SettingError as error:  # the report settings are read with the archive's own
        raise typer.BadParameter(str(error)) from None
    raise typer.Exit(code)


COMMANDS = {"run": run_command}
