"""Fixtures for the link tests: ANT samples (with planted reposts) and the seeds and demo corpora in stores."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # antload, planted

from antload import read_ant  # noqa: E402


@pytest.fixture(scope="session")
def ant_rows(ant_path) -> list[dict]:
    return list(read_ant(ant_path))


@pytest.fixture(scope="session")
def ant_sample(ant_rows) -> list[dict]:
    """400 ANT articles chosen at random (fixed seed)."""
    return random.Random(11).sample(ant_rows, 400)


@pytest.fixture
def rewinds(monkeypatch) -> list[int]:
    """How many linked articles each rewind undid (marsad.link.rewind); a late article that made the whole
    archive be linked again fails the test."""
    import marsad.link as linking

    undone: list[int] = []
    rewind = linking._rewind

    def counted(*args, **kwargs):
        report = rewind(*args, **kwargs)
        undone.append(report.undone)
        return report

    def refused(*args, **kwargs):
        raise AssertionError("a late article made the whole archive be linked again")

    monkeypatch.setattr(linking, "_rewind", counted)
    monkeypatch.setattr(linking, "_relink_for_late", refused)
    return undone


@pytest.fixture(autouse=True)
def _on_both_backends(both_backends: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (tests/conftest.py `backend`)."""
    return both_backends
