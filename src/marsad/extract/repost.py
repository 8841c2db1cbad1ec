"""Reposts: the outlet (and date) an aggregator names as its source, e.g. "نشر في دوزيم يوم 21 - 09 - 2017"."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from marsad.arabic import Attribution, attribution

log = logging.getLogger(__name__)

# Where an outlet's name ends on an attribution line: before the date clause, a separator or the line end.
_NAME_END = re.compile(
    r"\s+(?:يوم|بتاريخ|في تاريخ|تاريخ|on)(?:\s|$)|\s+[0-9٠-٩]|\s*[|،,؛(]|\s[-–—]\s|\.\s|\.$"
)


def _full_outlet(line: str, outlet: str) -> str:
    """The outlet's whole name as the line writes it: marsad.arabic.attribution cuts names at a dot or at
    "إن" ("العربية.نت" -> "العربية", "سي إن إن بالعربية" -> "سي"); extend it up to the date clause."""
    start = line.find(outlet)
    if start < 0:
        return outlet
    rest = line[start:]
    end = _NAME_END.search(rest, len(outlet) - 1 if len(outlet) > 1 else 0)
    name = (rest[: end.start()] if end else rest).strip()
    if len(name) < len(outlet) or len(name.split()) > 6:
        return outlet
    return name


def find_attribution(lines: list[str]) -> Attribution | None:
    """The first attribution line among `lines`, or None."""
    for line in lines:
        if len(line) > 200:
            continue
        try:
            found = attribution(line)
        except Exception:  # a parser bug must not lose the page: logged, and the line is not a credit
            log.exception("attribution parser failed on %r", line)
            found = None
        if found is not None and found.outlet:
            return replace(found, outlet=_full_outlet(line, found.outlet))
    return None
