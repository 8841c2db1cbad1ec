"""The demo-corpus generator lives outside the package, in tools/democorpus: make it importable."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))  # democorpus
