"""Every setting an operator tunes, declared once: its name, type, default, environment variable and help.

`Settings` below is the declaration: each field is one setting, and `SETTINGS` (a tuple of `Setting`) is
read from it. The command line takes its options' help and shown defaults from here, the web reader its
report threshold and rate limit, the crawler its politeness knobs, and this module is the only one that
reads the `MARSAD_*` environment variables.

A value is taken from, in order: the value given (a command-line option, a Python argument); the
environment variable (an empty one counts as unset); for a setting marked `stored`, the archive's own
`setting` table; the default. A value that cannot be read, or is out of range, is a `SettingError` that
names where it came from ("MARSAD_REPORT_THRESHOLD=abc: not a whole number").

Algorithm constants (linking thresholds, search weights, extraction work caps) are not settings: they stay
module constants beside the code they tune, with the measurements that chose them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import timedelta
from pathlib import Path
from typing import Any, get_type_hints

from marsad import __version__

# What an archive keeps for a setting (its `setting` table, see marsad.store.reports.stored_settings), by name.
StoredValue = Callable[[str], str | None]

PROJECT_URL = "https://github.com/marsad-news/marsad"


class SettingError(ValueError):
    """A setting's value cannot be used; the message names the option, variable or table it came from."""


_INTERVAL = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> timedelta:
    """ "10m", "90s", "2h", "1d" or plain seconds."""
    match = _INTERVAL.fullmatch(text)
    if not match:
        raise ValueError(f"not an interval: {text!r} (use 90s, 10m, 2h or 1d)")
    value, unit = float(match.group(1)), match.group(2) or "s"
    return timedelta(seconds=value * _UNIT_SECONDS[unit])


def _interval_text(value: timedelta) -> str:
    seconds = value.total_seconds()
    for unit in ("d", "h", "m"):
        if seconds and seconds % _UNIT_SECONDS[unit] == 0:
            return f"{seconds / _UNIT_SECONDS[unit]:g}{unit}"
    return f"{seconds:g}s"


@dataclass(frozen=True)
class Setting:
    """One setting as declared (see `Settings`)."""

    name: str
    type: Any  # Path, str, int, float, bool, timedelta or tuple[str, ...]
    default: Any
    env: str
    help: str
    flag: str | None = None  # the command-line option that sets it
    stored: bool = False  # an archive may keep its own value in its `setting` table
    minimum: float | None = None
    maximum: float | None = None
    shown: str = ""  # the default as the README shows it (Markdown)

    def parse(self, text: str) -> Any:
        """The value of TEXT (an environment variable or a stored value); ValueError saying why not."""
        kind = self.type
        text = text.strip()
        if kind is bool:
            lowered = text.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError("not true or false (use 1/0, true/false, yes/no or on/off)")
        if kind is int:
            try:
                return int(text.replace("_", ""))
            except ValueError:
                raise ValueError("not a whole number") from None
        if kind is float:
            try:
                return float(text)
            except ValueError:
                raise ValueError("not a number") from None
        if kind is timedelta:
            return parse_interval(text)
        if kind is Path:
            return Path(text).expanduser()
        if kind is str:
            return text
        return tuple(part for part in re.split(r"[\s,]+", text) if part)  # tuple[str, ...]

    def check(self, value: Any) -> Any:
        """VALUE if it is within bounds; ValueError saying why not."""
        amount = value.total_seconds() if isinstance(value, timedelta) else value
        if self.minimum is not None and amount < self.minimum:
            raise ValueError(f"must be at least {self.minimum:g}")
        if self.maximum is not None and amount > self.maximum:
            raise ValueError(f"must be at most {self.maximum:g}")
        return value

    @property
    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default

    @property
    def shown_plain(self) -> str:
        """The default as the command line's help shows it."""
        return self.shown.replace("`", "")


def _user_data_db() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("marsad", appauthor=False)) / "marsad.db"


def _declare(
    env: str,
    default: Any,
    help: str,
    *,
    flag: str | None = None,
    stored: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    shown: str | None = None,
) -> Any:
    """One setting, as a field of `Settings` (a callable default is computed when the settings load)."""
    meta = {
        "env": env,
        "help": help,
        "flag": flag,
        "stored": stored,
        "minimum": minimum,
        "maximum": maximum,
        "shown": shown if shown is not None else f"`{show_value(default)}`",
        "default": default,
    }
    if callable(default):
        return field(default_factory=default, metadata=meta)
    return field(default=default, metadata=meta)


def show_value(value: Any) -> str:
    """A setting's value as written in a variable or shown to the operator."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, timedelta):
        return _interval_text(value)
    if isinstance(value, tuple):
        return ", ".join(value) or "none"
    return str(value)


@dataclass(frozen=True)
class Settings:
    """The settings in effect: `Settings.load(...)` reads them; each field below is the declaration."""

    db: Path = _declare(
        "MARSAD_DB",
        _user_data_db,
        "SQLite database file (the search index lives beside it, FILE.index/), or a PostgreSQL database as"
        " postgresql://user@host:port/name (its index: in the user's data folder).",
        flag="--db",
        shown="`marsad.db` in the user's data folder",
    )
    host: str = _declare(
        "MARSAD_HOST",
        "127.0.0.1",
        "Address the reader (`marsad serve`, `marsad run`) listens on.",
        flag="--host",
    )
    port: int = _declare(
        "MARSAD_PORT",
        8000,
        "Port the reader (`marsad serve`, `marsad run`) listens on.",
        flag="--port",
        minimum=1,
        maximum=65535,
    )
    report_threshold: int = _declare(
        "MARSAD_REPORT_THRESHOLD",
        3,
        "Reports from distinct readers that hide an article or image until a moderator decides.",
        flag="--report-threshold",
        stored=True,
        minimum=1,
    )
    report_rate_limit: int = _declare(
        "MARSAD_REPORT_RATE_LIMIT",
        20,
        "Reports one reader may send in an hour; more are refused.",
        flag="--report-rate-limit",
        stored=True,
        minimum=1,
    )
    report_global_rate_limit: int = _declare(
        "MARSAD_REPORT_GLOBAL_RATE_LIMIT",
        300,
        "Reports the reader accepts in an hour from everyone together; more are refused.",
        flag="--report-global-rate-limit",
        stored=True,
        minimum=1,
    )
    report_burst_items: int = _declare(
        "MARSAD_REPORT_BURST_ITEMS",
        5,
        "Distinct items one reader may report in an hour; reports on more are held for a moderator and hide"
        " nothing.",
        flag="--report-burst-items",
        stored=True,
        minimum=1,
    )
    trusted_proxies: tuple[str, ...] = _declare(
        "MARSAD_TRUSTED_PROXIES",
        (),
        "Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, as networks, e.g."
        " 127.0.0.1/32 (repeat the option; commas in the variable).",
        flag="--trusted-proxy",
        shown="none",
    )
    base_url: str = _declare(
        "MARSAD_BASE_URL",
        "",
        "The reader's public address (https://news.example) for feed ids and links; else the request's own,"
        " checked.",
        flag="--base-url",
        shown="none",
    )
    request_max_bytes: int = _declare(
        "MARSAD_REQUEST_MAX_BYTES",
        100_000,
        "Largest request body the reader reads (reports, sign-in); a larger one is refused with 413.",
        flag="--request-max-bytes",
        minimum=1024,
    )
    article_view_chars: int = _declare(
        "MARSAD_ARTICLE_VIEW_CHARS",
        200_000,
        "Most characters of an article's text the reader's page and API send (whole paragraphs, saying it was"
        " cut); the store keeps the text whole.",
        minimum=1000,
    )
    crawl_delay: float = _declare(
        "MARSAD_CRAWL_DELAY",
        2.0,
        "Seconds between requests to one host (a longer robots.txt Crawl-delay wins).",
        flag="--delay",
        minimum=0,
    )
    crawl_per_host: int = _declare(
        "MARSAD_CRAWL_PER_HOST", 1, "Requests in flight per host.", flag="--per-host", minimum=1
    )
    crawl_timeout: float = _declare(
        "MARSAD_CRAWL_TIMEOUT",
        60.0,
        "Seconds allowed for one whole request, body included.",
        flag="--timeout",
        minimum=0.1,
    )
    crawl_max_bytes: int = _declare(
        "MARSAD_CRAWL_MAX_BYTES",
        10_000_000,
        "Largest response the crawler reads, in bytes on the wire.",
        flag="--max-bytes",
        minimum=1,
    )
    user_agent: str = _declare(
        "MARSAD_USER_AGENT",
        f"Marsad/{__version__} (+{PROJECT_URL}; Arabic news observatory)",
        "User-Agent the crawler sends (say how to reach you).",
        flag="--user-agent",
        shown=f"`Marsad/VERSION (+{PROJECT_URL}; Arabic news observatory)`",
    )
    feed_interval: timedelta = _declare(
        "MARSAD_FEED_INTERVAL",
        timedelta(minutes=10),
        "How often each feed is checked (90s, 10m, 2h, 1d).",
        flag="--feed-interval",
        minimum=0,
    )
    crawl_batch_size: int = _declare(
        "MARSAD_CRAWL_BATCH_SIZE", 50, "Crawled pages per ingest batch.", flag="--batch-size", minimum=1
    )
    allow: tuple[str, ...] = _declare(
        "MARSAD_ALLOW",
        (),
        "Networks to contact although not public, e.g. 127.0.0.0/8 (repeat the option; commas in the"
        " variable).",
        flag="--allow",
        shown="none",
    )
    allow_private: bool = _declare(
        "MARSAD_ALLOW_PRIVATE",
        False,
        "Also contact loopback, private, link-local and reserved addresses (an intranet).",
        flag="--allow-private",
    )
    only_allowed: bool = _declare(
        "MARSAD_ONLY_ALLOWED",
        False,
        "Contact nothing but the allowed networks (no public addresses).",
        flag="--only-allowed",
    )
    crawl_interval: timedelta = _declare(
        "MARSAD_CRAWL_INTERVAL",
        timedelta(minutes=10),
        "How often `marsad run` starts a crawl round, start to start (90s, 10m, 2h, 1d); housekeeping runs"
        " before each.",
        flag="--crawl-interval",
        minimum=1,
    )
    health_crawl_age: timedelta = _declare(
        "MARSAD_HEALTH_CRAWL_AGE",
        timedelta(hours=1),
        "/healthz answers 503 when outlets are crawled and no crawl round has finished for this long (keep it"
        " above the crawl interval).",
        flag="--health-crawl-age",
        minimum=1,
    )
    watch_interval: timedelta = _declare(
        "MARSAD_WATCH_INTERVAL",
        timedelta(minutes=1),
        "How often `marsad run` delivers the watchlists' pending alerts (webhooks, e-mail) and retries failed"
        " ones (90s, 10m, 2h, 1d).",
        flag="--watch-interval",
        minimum=1,
    )
    smtp_host: str = _declare(
        "MARSAD_SMTP_HOST",
        "",
        "SMTP server that sends watchlist e-mail alerts; none: e-mail alerts wait, retried, until one is set.",
        shown="none",
    )
    smtp_port: int = _declare("MARSAD_SMTP_PORT", 587, "Port of the SMTP server.", minimum=1, maximum=65535)
    smtp_user: str = _declare(
        "MARSAD_SMTP_USER", "", "User name to sign in to the SMTP server; none: no sign-in.", shown="none"
    )
    smtp_password: str = _declare(
        "MARSAD_SMTP_PASSWORD", "", "Password to sign in to the SMTP server.", shown="none"
    )
    smtp_from: str = _declare(
        "MARSAD_SMTP_FROM",
        "marsad@localhost",
        "Sender address of watchlist e-mail alerts.",
    )
    smtp_starttls: bool = _declare(
        "MARSAD_SMTP_STARTTLS",
        True,
        "Switch the SMTP connection to TLS (STARTTLS) before signing in and sending.",
    )
    pg_pool_size: int = _declare(
        "MARSAD_PG_POOL_SIZE",
        8,
        "Connections each reader process (`marsad serve`, `marsad run`, each of their workers) keeps open to"
        " a PostgreSQL database, shared by its threads: a statement borrows one, a transaction holds one"
        " until it ends. Workers times this must stay below the server's max_connections.",
        minimum=1,
        maximum=1000,
    )

    @classmethod
    def load(
        cls, *, stored: StoredValue | None = None, environ: Mapping[str, str] | None = None, **given: Any
    ) -> Settings:
        """Every setting: GIVEN (name=value, None = not given), else the environment, else the archive's
        `setting` table (read by STORED) for a stored setting, else the default."""
        unknown = set(given) - SETTING.keys()
        if unknown:
            raise TypeError(f"no such setting: {', '.join(sorted(unknown))}")
        return cls(
            **{s.name: resolve(s.name, given.get(s.name), stored=stored, environ=environ) for s in SETTINGS}
        )


def _settings(declaration: type) -> tuple[Setting, ...]:
    types = get_type_hints(declaration)
    found = []
    for f in fields(declaration):
        meta = dict(f.metadata)
        assert meta and (f.default is not MISSING or f.default_factory is not MISSING), f.name
        found.append(Setting(name=f.name, type=types[f.name], **meta))
    return tuple(found)


SETTINGS: tuple[Setting, ...] = _settings(Settings)
SETTING: dict[str, Setting] = {s.name: s for s in SETTINGS}


def resolve(
    name: str,
    given: Any = None,
    *,
    stored: StoredValue | None = None,
    environ: Mapping[str, str] | None = None,
) -> Any:
    """One setting's value (see `Settings.load`)."""
    return _resolve(SETTING[name], given, stored, environ)[0]


def as_environment(given: Mapping[str, Any]) -> dict[str, str]:
    """The variables that give a child process these values (name -> value; None: not given)."""
    return {
        SETTING[name].env: show_value(tuple(value) if isinstance(value, list) else value)
        for name, value in given.items()
        if value is not None
    }


def explain(
    *, stored: StoredValue | None = None, environ: Mapping[str, str] | None = None, **given: Any
) -> list[tuple[Setting, Any, str]]:
    """(setting, value, where it came from) for every setting: "given", "environment", "database" or
    "default"."""
    return [(s, *_resolve(s, given.get(s.name), stored, environ)) for s in SETTINGS]


def _resolve(
    setting: Setting, given: Any, stored: StoredValue | None, environ: Mapping[str, str] | None
) -> tuple[Any, str]:
    if given is not None:
        value = tuple(given) if isinstance(given, list) else given
        return _checked(setting, value, setting.flag or setting.name), "given"
    text = (os.environ if environ is None else environ).get(setting.env, "")
    if text.strip():
        return _read(setting, text, f"{setting.env}={text}"), "environment"
    if setting.stored and stored is not None:
        kept = stored(setting.name)
        if kept is not None and kept.strip():
            return _read(setting, kept, f"{setting.name}={kept} in the database's setting table"), "database"
    return setting.default_value, "default"


def _read(setting: Setting, text: str, where: str) -> Any:
    try:
        value = setting.parse(text)
    except ValueError as error:
        raise SettingError(f"{where}: {error}") from None
    return _checked(setting, value, where)


def _checked(setting: Setting, value: Any, where: str) -> Any:
    try:
        return setting.check(value)
    except ValueError as error:
        raise SettingError(f"{where}: {error}") from None


def markdown_table(settings: Iterable[Setting] = SETTINGS) -> str:
    """The README's configuration table."""
    lines = ["| setting | environment variable | default | meaning |", "| --- | --- | --- | --- |"]
    for s in settings:
        name = f"`{s.name}` (`{s.flag}`)" if s.flag else f"`{s.name}`"
        meaning = s.help.replace("|", "\\|")
        lines.append(f"| {name} | `{s.env}` | {s.shown} | {meaning} |")
    return "\n".join(lines) + "\n"


__all__ = [
    "SETTING",
    "SETTINGS",
    "Setting",
    "SettingError",
    "Settings",
    "explain",
    "markdown_table",
    "parse_interval",
    "resolve",
    "show_value",
]
