"""Shared test set-up: where ../shared is, and the `realdata` rule.

Tests that read ../shared/data take the `shared` fixture (or one built on it) and carry the `realdata`
marker. When ../shared is absent they skip with the reason, except under CI=true, where a missing
folder is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared")).resolve()


def require_shared(*parts: str) -> Path:
    """The path under ../shared, or skip (fail under CI=true) when it is missing."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing: the realdata tests read ../shared beside the checkout"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return require_shared("data", "seeds")


@pytest.fixture(scope="session")
def ant_path() -> Path:
    return require_shared("data", "ant_multisource_v2.1.jsonl.gz")


@pytest.fixture(scope="session")
def ant_db(ant_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database holding the whole ANT corpus as marsad's ingest pipeline stores it (built once).

    30,337 articles (the 31,525 lines merged by URL) and 2 failure rows (the two empty-text lines). Linking
    and indexing are not run here: a test that needs them calls marsad.link.relink / marsad.search.reindex
    on its own copy. Treat the file as read-only; copy it before writing.
    """
    from marsad.ingest import ingest
    from marsad.store.db import Store

    path = tmp_path_factory.mktemp("ant") / "ant.db"
    with Store(path) as store:
        ingest([str(ant_path)], store, progress=False, link=False, index=False)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path
