"""`marsad serve --workers N`: N uvicorn worker processes answer on the one port, each reading the archive
(on the PostgreSQL pass, the server's database through its own pool), and SIGTERM stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from marsad.store.db import Store

from .conftest import build_archive, free_port


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _is_worker(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False


def test_serve_with_two_workers_answers_from_two_processes(tmp_path: Path) -> None:
    archive = build_archive(tmp_path / "reader.db")
    with Store(archive) as store:
        target = str(store.target)  # the file, or on the PostgreSQL pass the database's URL
        expected = sorted(r[0] for r in store.conn.execute("SELECT id FROM article WHERE hidden = 0"))
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "MARSAD_DB": str(tmp_path / "unused.db")}
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "marsad.cli",
                "serve",
                "--db",
                target,
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while len([p for p in _children(server.pid) if _is_worker(p)]) < 2 or not _answers(base):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        workers = [p for p in _children(server.pid) if _is_worker(p)]
        assert len(workers) == 2
        for _ in range(20):  # both processes accept on the socket: every answer is the archive's
            listed = httpx.get(base + "/api/v1/articles", params={"limit": 100}, timeout=10)
            assert listed.status_code == 200
            assert sorted(a["id"] for a in listed.json()) == expected
        home = httpx.get(base + "/", timeout=10)
        assert home.status_code == 200 and 'dir="rtl"' in home.text
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    text = log.read_text()
    assert f"on http://127.0.0.1:{port}/ with 2 worker processes" in text
    assert text.count("Application startup complete.") == 2
    assert text.count("Application shutdown complete.") == 2
    assert not any(_is_worker(p) for p in workers)


def _answers(base: str) -> bool:
    try:
        return httpx.get(base + "/api/v1/outlets", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
