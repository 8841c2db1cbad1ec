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


@pytest.fixture(autouse=True)
def _on_both_backends(both_backends: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (tests/conftest.py `backend`)."""
    return both_backends
