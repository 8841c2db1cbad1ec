"""Text dumps (first version): ticker lines with runs of spaces, the title before the first long line."""

from __future__ import annotations

import re

from marsad.models import Article, ExtractionError, Page

_RUN = re.compile(r"\s{3,}")


def extract_text(text: str, page: Page) -> Article:
    lines = [line.strip() for line in text.split("\n")]
    ticker: list[str] = []
    for line in lines:
        if len(_RUN.findall(line)) >= 2:
            ticker.extend(part.strip() for part in _RUN.split(line) if part.strip())
    long_idx = [i for i, line in enumerate(lines) if len(line) >= 120 and not _RUN.search(line)]
    if not long_idx:
        raise ExtractionError("no body paragraph in the text dump")
    start = long_idx[0]
    end = start
    while end + 1 < len(lines) and lines[end + 1] and not _RUN.search(lines[end + 1]):
        end += 1
    title = next((lines[i] for i in range(start - 1, -1, -1) if lines[i]), "")
    return Article(
        url=page.url, title=title, body=lines[start : end + 1], ticker=ticker, fetched_at=page.fetched_at
    )
