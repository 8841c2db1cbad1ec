"""What every benchmark prints about the machine it ran on: figures mean little without it.

The benchmarks run as scripts (`python benchmarks/x.py`), so this module is imported as `machine`.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> float | None:
    try:
        return int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    except (OSError, ValueError, IndexError):
        return None


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work sharing the machine slows wall-clock figures."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def describe() -> str:
    memory = memory_gib()
    ram = f", {memory:.0f} GiB RAM" if memory else ""
    return (
        f"{cpu_model()}, {os.cpu_count()} cores{ram}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; load average {load_average()}"
    )
