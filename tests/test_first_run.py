"""A newcomer's first run, replayed in a fresh home folder with the real command line: the demo, then
`stats`, `stories`, `serve`, `admin set-password` and signing in at /admin, all on the one database every
command reads. Then what used to go wrong: the demo run again while the first one serves, and a busy port."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

import marsad
from marsad.cli import app
from marsad.store import stories
from marsad.store.db import Store

SOURCE = Path(marsad.__file__).resolve().parents[1]  # this checkout's src/
PASSWORD = "a moderator's password"


def fresh_home(tmp_path: Path) -> dict[str, str]:
    """The environment of a user who never ran Marsad: an empty home, no MARSAD_* variable."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share"), "PYTHONPATH": str(SOURCE)}
    return env


def marsad_cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "marsad.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """`marsad serve --port PORT` in its own process until the block ends; yields its base URL."""
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "marsad.cli", "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/v1/outlets", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"marsad serve did not start: {log.read_text()}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        # uvicorn shuts down, then ends by the signal it caught, as a process stopped by it does
        assert server.wait(timeout=30) == -signal.SIGTERM, log.read_text()
        assert "Application shutdown complete." in log.read_text()


def test_the_newcomer_path_reads_one_database_from_demo_to_sign_in(tmp_path: Path) -> None:
    env = fresh_home(tmp_path)
    database = Path(env["XDG_DATA_HOME"]) / "marsad" / "marsad.db"

    demo = marsad_cli(env, "demo", "--no-serve")
    assert demo.returncode == 0, demo.stderr
    assert f"demo database: {database} (every marsad command reads it unless given --db)" in demo.stderr
    assert database.is_file()

    stats = marsad_cli(env, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert (json.loads(stats.stdout)["articles"], json.loads(stats.stdout)["failures"]) == (43, 0)

    listed = marsad_cli(env, "stories", "--json")
    assert listed.returncode == 0, listed.stderr
    with Store(database, readonly=True) as store:
        expected_stories = [s.id for s in stories.stories(store, 50)]
    # (one JSON object a line: split on "\n" only, as the texts may hold other line separators)
    assert [json.loads(line)["id"] for line in listed.stdout.rstrip("\n").split("\n")] == expected_stories
    assert len(expected_stories) > 0

    port = free_port()
    with serving(env, port, tmp_path / "serve.log") as base:
        latest = httpx.get(base + "/api/v1/articles", params={"limit": 100}).json()
        with Store(database, readonly=True) as store:
            ids = [row[0] for row in store.conn.execute("SELECT id FROM article")]
        assert sorted(a["id"] for a in latest) == sorted(ids) and len(ids) == 43
        home = httpx.get(base + "/")  # the reader's home page lists the newest demo article
        assert home.status_code == 200 and f'href="/articles/{latest[0]["id"]}"' in home.text

        # scripts/demo.sh run again while this demo serves: stopped by the port, before any ingest
        before = database.stat().st_mtime_ns
        again = marsad_cli(env, "demo", "--port", str(port))
        assert again.returncode == 1
        assert again.stderr == (
            f"error: port {port} is already in use on 127.0.0.1 (is Marsad already serving there?); choose"
            f" another with --port, e.g. --port {port + 1}\n"
        )
        assert database.stat().st_mtime_ns == before

        # the login page tells the moderator to run set-password: it sets this database's password
        assert "marsad admin set-password" in httpx.get(base + "/admin/login").text
        password = marsad_cli(env, "admin", "set-password", "--password-stdin", stdin=PASSWORD + "\n")
        assert password.returncode == 0, password.stderr

        with httpx.Client(base_url=base) as browser:
            form = browser.get("/admin/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            signed_in = browser.post("/admin/login", data={"csrf": csrf, "password": PASSWORD})
            assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/admin")
            admin = browser.get("/admin")
            assert admin.status_code == 200 and 'name="password"' not in admin.text


def test_a_busy_port_is_one_line_naming_the_option_and_the_demo_ingests_nothing(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = (
            f"error: port {port} is already in use on 127.0.0.1 (is Marsad already serving there?); choose"
            f" another with --port, e.g. --port {port + 1}\n"
        )
        runner = CliRunner()
        serve = runner.invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--port", str(port)])
        assert (serve.exit_code, serve.output) == (1, line)
        demo = runner.invoke(app, ["demo", "--db", str(tmp_path / "d.db"), "--port", str(port)])
        assert (demo.exit_code, demo.output) == (1, line)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # neither made a database


def test_serve_without_a_command_line_refuses_a_busy_port_too(tmp_path: Path) -> None:
    from marsad.web import serve
    from marsad.web.listen import PortInUse

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUse, match=f"^port {port} is already in use on 127.0.0.1 "):
            serve(tmp_path / "m.db", "127.0.0.1", port)
    assert not (tmp_path / "m.db").exists()
