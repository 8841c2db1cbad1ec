"""The settings declaration (marsad.settings): README table, precedence, bad values, the CLI's options."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from marsad import __version__
from marsad.cli import app
from marsad.settings import SETTING, SETTINGS, SettingError, Settings, explain, markdown_table, resolve
from marsad.store import reports
from marsad.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "marsad"


def readme_configuration() -> str:
    """The README's `## Configuration` section, up to the next heading of its level."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Configuration\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, "README.md has no `## Configuration` section"
    return match.group(1)


def readme_rows() -> dict[str, tuple[str, str]]:
    """setting name -> (environment variable, default) as the README's table gives them."""
    rows = {}
    for line in readme_configuration().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            rows[cells[0].split("`")[1]] = (cells[1].strip("`"), cells[2])
    return rows


def test_readme_table_lists_every_setting_with_its_variable_and_default():
    rows = readme_rows()
    assert sorted(rows) == sorted(s.name for s in SETTINGS), "README's table and SETTINGS list other settings"
    for s in SETTINGS:
        assert rows[s.name] == (s.env, s.shown), s.name
    assert markdown_table() in readme_configuration(), "regenerate it with `marsad settings --markdown`"


def test_settings_markdown_prints_the_table():
    result = CliRunner().invoke(app, ["settings", "--markdown"])
    assert result.exit_code == 0, result.output
    assert result.output == markdown_table()


def test_declaration():
    assert [s.name for s in SETTINGS] == [
        "db", "host", "port", "report_threshold", "report_rate_limit", "report_global_rate_limit",
        "report_burst_items", "trusted_proxies", "base_url", "request_max_bytes", "article_view_chars", "crawl_delay",
        "crawl_per_host", "crawl_timeout", "crawl_max_bytes", "user_agent", "feed_interval", "crawl_batch_size", "allow",
        "allow_private", "only_allowed", "crawl_interval", "health_crawl_age", "watch_interval", "smtp_host",
        "smtp_port", "smtp_user", "smtp_password", "smtp_from", "smtp_starttls", "pg_pool_size",
    ]  # fmt: skip
    assert all(s.env == f"MARSAD_{s.name.upper()}" or s.name.startswith("crawl_") for s in SETTINGS)
    assert [s.name for s in SETTINGS if s.stored] == [
        "report_threshold", "report_rate_limit", "report_global_rate_limit", "report_burst_items",
    ]  # fmt: skip
    defaults = Settings.load(environ={})
    assert (defaults.host, defaults.port, defaults.report_threshold, defaults.report_rate_limit) == (
        "127.0.0.1", 8000, 3, 20,
    )  # fmt: skip
    assert (defaults.crawl_delay, defaults.crawl_per_host, defaults.crawl_timeout) == (2.0, 1, 60.0)
    assert defaults.feed_interval == timedelta(minutes=10) and defaults.crawl_batch_size == 50
    assert defaults.allow == () and defaults.allow_private is False and defaults.only_allowed is False
    assert (
        defaults.user_agent
        == f"Marsad/{__version__} (+https://github.com/marsad-news/marsad; Arabic news observatory)"
    )
    assert defaults.db.name == "marsad.db"
    assert (defaults.watch_interval, defaults.smtp_host, defaults.smtp_port, defaults.smtp_starttls) == (
        timedelta(minutes=1), "", 587, True,
    )  # fmt: skip


def test_precedence_given_then_environment_then_database_then_default(tmp_path):
    with Store(tmp_path / "m.db") as store:
        assert resolve("report_threshold", stored=reports.stored_settings(store), environ={}) == 3
        reports.set_setting(store, "report_threshold", "5")
        assert resolve("report_threshold", stored=reports.stored_settings(store), environ={}) == 5
        environ = {"MARSAD_REPORT_THRESHOLD": "4"}
        assert resolve("report_threshold", stored=reports.stored_settings(store), environ=environ) == 4
        assert resolve("report_threshold", 2, stored=reports.stored_settings(store), environ=environ) == 2
        assert (
            resolve(
                "report_threshold",
                stored=reports.stored_settings(store),
                environ={"MARSAD_REPORT_THRESHOLD": " "},
            )
            == 5
        )
        loaded = Settings.load(
            stored=reports.stored_settings(store), environ={"MARSAD_CRAWL_DELAY": "0.5"}, crawl_per_host=3
        )
        assert (loaded.report_threshold, loaded.crawl_delay, loaded.crawl_per_host) == (5, 0.5, 3)
        sources = {
            s.name: source
            for s, _, source in explain(stored=reports.stored_settings(store), environ=environ, port=9000)
        }
        assert (sources["port"], sources["report_threshold"], sources["host"]) == (
            "given",
            "environment",
            "default",
        )
        reports.set_setting(store, "crawl_delay", "9")  # not a stored setting: the table is not read
        assert resolve("crawl_delay", stored=reports.stored_settings(store), environ={}) == 2.0


def test_values_as_written_in_variables():
    environ = {
        "MARSAD_DB": "~/news/m.db",
        "MARSAD_ALLOW": "127.0.0.0/8, 10.0.0.0/8 ::1/128",
        "MARSAD_ALLOW_PRIVATE": "yes",
        "MARSAD_FEED_INTERVAL": "2h",
        "MARSAD_CRAWL_MAX_BYTES": "20_000_000",
    }
    loaded = Settings.load(environ=environ)
    assert loaded.db == Path("~/news/m.db").expanduser()
    assert loaded.allow == ("127.0.0.0/8", "10.0.0.0/8", "::1/128")
    assert loaded.allow_private is True and loaded.feed_interval == timedelta(hours=2)
    assert loaded.crawl_max_bytes == 20_000_000


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"MARSAD_REPORT_THRESHOLD": "abc"}, "MARSAD_REPORT_THRESHOLD=abc: not a whole number"),
        ({"MARSAD_REPORT_THRESHOLD": "0"}, "MARSAD_REPORT_THRESHOLD=0: must be at least 1"),
        ({"MARSAD_PORT": "70000"}, "MARSAD_PORT=70000: must be at most 65535"),
        ({"MARSAD_CRAWL_DELAY": "soon"}, "MARSAD_CRAWL_DELAY=soon: not a number"),
        (
            {"MARSAD_ALLOW_PRIVATE": "maybe"},
            "MARSAD_ALLOW_PRIVATE=maybe: not true or false (use 1/0, true/false, yes/no or on/off)",
        ),
        (
            {"MARSAD_FEED_INTERVAL": "often"},
            "MARSAD_FEED_INTERVAL=often: not an interval: 'often' (use 90s, 10m, 2h or 1d)",
        ),
    ],
)
def test_a_bad_environment_value_names_the_variable(environ, message):
    with pytest.raises(SettingError) as error:
        Settings.load(environ=environ)
    assert str(error.value) == message


def test_bad_given_and_stored_values_say_where_they_are(tmp_path):
    with pytest.raises(SettingError) as error:
        resolve("crawl_delay", -1.0, environ={})
    assert str(error.value) == "--delay: must be at least 0"
    with Store(tmp_path / "m.db") as store:
        reports.set_setting(store, "report_threshold", "three")
        with pytest.raises(SettingError) as error:
            resolve("report_threshold", stored=reports.stored_settings(store), environ={})
    assert str(error.value) == "report_threshold=three in the database's setting table: not a whole number"
    with pytest.raises(TypeError):
        Settings.load(environ={}, no_such_setting=1)


def test_a_bad_variable_stops_the_command_with_its_name(tmp_path):
    result = CliRunner().invoke(
        app, ["crawl", "--db", str(tmp_path / "m.db")], env={"MARSAD_CRAWL_DELAY": "soon"}
    )
    assert result.exit_code == 2
    assert "MARSAD_CRAWL_DELAY=soon: not a number" in " ".join(result.output.replace("│", " ").split())
    result = CliRunner().invoke(app, ["stats"], env={"MARSAD_DB": str(tmp_path / "none.db")})
    assert result.exit_code == 2 and "none.db" in result.output


def test_settings_command_shows_values_and_sources(tmp_path):
    db = tmp_path / "m.db"
    with Store(db) as store:
        reports.set_setting(store, "report_threshold", "7")
    result = CliRunner().invoke(app, ["settings", "--db", str(db)], env={"MARSAD_CRAWL_DELAY": "3"})
    assert result.exit_code == 0, result.output
    rows = {cells[0]: cells[1:] for cells in _table_rows(result.output)}
    assert rows["crawl_delay"] == ["3.0", "environment"]
    assert rows["report_threshold"] == ["7", "database"]
    assert rows["port"] == ["8000", "default"]
    assert rows["db"][1] == "given"


def _table_rows(output: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.split("│")[1:-1]] for line in output.splitlines() if line.startswith("│")
    ]


def _options(command, path: str = "marsad"):
    """(command path, option) for every option of every command (typer's own click underneath)."""
    for param in command.params:
        yield path, param
    for name, sub in getattr(command, "commands", {}).items():
        yield from _options(sub, f"{path} {name}")


def test_cli_options_take_flag_and_help_from_the_declaration():
    seen = set()
    for path, param in _options(get_command(app)):
        for s in SETTINGS:
            if s.flag in param.opts:
                seen.add(s.name)
                assert param.help == f"{s.help} Default: {s.shown_plain}; environment: {s.env}.", path
                assert param.default is None, f"{path} {s.flag}: None lets the environment speak"
    assert seen == {s.name for s in SETTINGS if s.flag}, "a setting no command sets"
    # read by the reader from its variable only, until create_app and `marsad serve` take it; the SMTP
    # account from the environment only (a password on the command line shows in `ps`); the PostgreSQL
    # pool's size from its variable (every reader process, whatever started it, reads it)
    assert [s.name for s in SETTINGS if not s.flag] == [
        "article_view_chars",
        "smtp_host",
        "smtp_port",
        "smtp_user",
        "smtp_password",
        "smtp_from",
        "smtp_starttls",
        "pg_pool_size",
    ]


def test_only_settings_reads_marsad_variables():
    readers = [
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if re.search(r"(environ|getenv)\W[^\n]*MARSAD_", path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_crawler_and_report_defaults_agree_with_the_declaration():
    """The crawler's and the reports store's own defaults (for callers of the Python API) are the declared."""
    from marsad.crawl.rounds import CrawlSettings
    from marsad.sources.http.fetcher import FetchConfig

    fetch, crawl = FetchConfig(), CrawlSettings()
    assert (fetch.delay, fetch.per_host, fetch.total_timeout, fetch.max_bytes, fetch.user_agent) == tuple(
        SETTING[name].default
        for name in ("crawl_delay", "crawl_per_host", "crawl_timeout", "crawl_max_bytes", "user_agent")
    )
    assert (crawl.feed_interval, crawl.batch_size) == (
        SETTING["feed_interval"].default,
        SETTING["crawl_batch_size"].default,
    )
    assert (
        SETTING["report_threshold"].default,
        SETTING["report_rate_limit"].default,
    ) == (reports.DEFAULT_THRESHOLD, reports.RATE_LIMIT)


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"marsad {__version__}\n"


def test_areas_register_from_a_commands_dict_or_a_register_function():
    from types import SimpleNamespace

    from marsad.cli import add_area
    from marsad.commands.common import group

    def hello() -> None:
        """Say hello."""
        typer.echo("hello")

    converted = SimpleNamespace(COMMANDS={"hello": hello, "more": group("More.", {"again": hello})})
    legacy = SimpleNamespace(register=lambda target: target.command("legacy")(hello))
    target = typer.Typer()
    add_area(target, converted)
    add_area(target, legacy)
    for args in (["hello"], ["more", "again"], ["legacy"]):
        assert CliRunner().invoke(target, args).output == "hello\n", args
