"""Reposts: the outlet (and date) an aggregator names as its source, e.g. "نشر في دوزيم يوم 21 - 09 - 2017"."""

from __future__ import annotations

from typing import Any


def find_attribution(lines: list[str]) -> Any | None:
    """The first attribution line among `lines` (marsad.arabic.Attribution), or None."""
    try:
        from marsad.arabic import attribution
    except ImportError:
        return None
    for line in lines:
        if len(line) > 200:
            continue
        try:
            found = attribution(line)
        except Exception:  # a parser bug must not lose the page
            found = None
        if found is not None and found.outlet:
            return found
    return None
