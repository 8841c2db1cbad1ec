"""Fixtures for the store tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _on_both_backends(both_backends: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (tests/conftest.py `backend`)."""
    return both_backends
