"""The ANT corpus read once per session for the realdata tests of this folder."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def ant_records(ant_path: Path) -> list[dict]:
    with gzip.open(ant_path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]
