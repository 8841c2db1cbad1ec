"""`marsad demo`: the bundled corpus into a fresh database, then the reader (serve is replaced here)."""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import marsad.demo
import marsad.web
from marsad.cli import app

pytestmark = pytest.mark.sqlite_only("the demo replaces its database file")


def test_demo_ingests_into_a_fresh_database_and_serves(tmp_path: Path, monkeypatch) -> None:
    served: list[tuple] = []

    def serve(path, host, port, sock):
        served.append((Path(path), host, port, sock.getsockname()))
        sock.close()

    monkeypatch.setattr(marsad.web, "serve", serve)
    db = tmp_path / "demo.db"
    pages = len(marsad.demo.expected())
    port = free_port()
    for _ in range(2):  # the second run starts again from an empty database
        result = CliRunner().invoke(app, ["demo", "--db", str(db), "--port", str(port)])
        assert result.exit_code == 0, result.output
        conn = sqlite3.connect(db)
        kinds = dict(conn.execute("SELECT kind, count(*) FROM article GROUP BY kind").fetchall())
        assert kinds == {"html": pages}  # the HTML pages only: the text dumps are the same pages again
        assert conn.execute("SELECT count(*) FROM failure").fetchone()[0] == 0
        conn.close()
    # the port was bound before the ingest, and that socket handed to the server
    assert served == [(db, "127.0.0.1", port, ("127.0.0.1", port))] * 2
    stats = json.loads(CliRunner().invoke(app, ["stats", "--db", str(db), "--json"]).stdout)
    assert stats["articles"] == pages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_demo_without_corpus_fails_clearly(tmp_path: Path, monkeypatch) -> None:
    def missing():
        raise FileNotFoundError("the demo corpus is missing from /nowhere")

    monkeypatch.setattr(marsad.demo, "ingest_targets", missing)
    result = CliRunner().invoke(app, ["demo", "--db", str(tmp_path / "d.db"), "--no-serve"])
    assert result.exit_code == 1
    assert "the demo corpus is not available: the demo corpus is missing from /nowhere" in result.output
    assert "Traceback" not in result.output
