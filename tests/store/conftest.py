"""Fixtures for the store tests."""

from __future__ import annotations

import psycopg
import pytest


@pytest.fixture(autouse=True)
def _on_both_backends(both_backends: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (tests/conftest.py `backend`)."""
    return both_backends


@pytest.fixture
def pg_database(request: pytest.FixtureRequest, backend: str):
    """A new database on the test server (its URL), dropped afterwards; on the PostgreSQL pass only."""
    if backend != "postgresql":
        pytest.skip("a PostgreSQL test: it runs on the PostgreSQL pass")
    server = request.getfixturevalue("pg_server")
    name = "t_" + request.node.name.split("[")[0][-40:].lower()
    admin = psycopg.connect(server, autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {name}")
    yield server.rsplit("/", 1)[0] + "/" + name
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()
