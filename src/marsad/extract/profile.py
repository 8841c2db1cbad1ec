"""An outlet's memory: the lines that recur across many of its pages are its chrome, not its news.

A share bar, a standing "follow us" line or a copyright notice that an outlet prints on every page can
survive the DOM pass of one page (nothing on that page says it is chrome), but across a few dozen of the
outlet's pages it is obvious. The store learns an `OutletProfile` per outlet from the pages it holds and
hands it to `extract(page, profile)`, which stays a pure function of the page and that profile.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from marsad.arabic.normalise import normalise

# A line is the outlet's chrome when it is on at least MIN_PAGES of its pages and on at least MIN_SHARE of
# them: a background paragraph that a week of follow-ups repeat stays news; a share bar, an app promo or a
# standing disclaimer goes, though an outlet prints some of them on only one kind of page (its opinion
# pages, its sport pages). The share is set between the two on real outlets' pages (docs/benchmarks.md).
MIN_PAGES = 8
MIN_SHARE = 0.015
# Pages needed before an outlet has a profile at all: with fewer, a recurring line is a coincidence.
MIN_PROFILE_PAGES = 20

_SPACE = re.compile(r"\s+")


def chrome_key(line: str) -> str:
    """The form under which a line is compared across pages: normalised letters, one space, no ends."""
    return _SPACE.sub(" ", normalise(line)).strip()


@dataclass(frozen=True)
class OutletProfile:
    """What one outlet repeats on its pages, learnt from `pages` of them."""

    outlet: str
    pages: int
    chrome: frozenset[str]  # chrome_key of each recurring line

    def is_chrome(self, line: str) -> bool:
        return chrome_key(line) in self.chrome


def learn_profile(
    outlet: str,
    pages: Iterable[Iterable[str]],
    *,
    min_pages: int = MIN_PAGES,
    min_share: float = MIN_SHARE,
) -> OutletProfile:
    """The profile of an outlet from the lines (paragraphs) of its pages; each page counts a line once."""
    counts: Counter[str] = Counter()
    total = 0
    for lines in pages:
        total += 1
        counts.update({key for key in map(chrome_key, lines) if key})
    return profile_from_counts(outlet, total, counts, min_pages=min_pages, min_share=min_share)


def profile_from_counts(
    outlet: str,
    pages: int,
    counts: Mapping[str, int],
    *,
    min_pages: int = MIN_PAGES,
    min_share: float = MIN_SHARE,
) -> OutletProfile:
    """The profile of an outlet from how many of its `pages` each line (chrome_key) is on: what the store
    keeps, so that a new page does not mean reading every page again."""
    if pages < MIN_PROFILE_PAGES:
        return OutletProfile(outlet, pages, frozenset())
    floor = max(min_pages, min_share * pages)
    return OutletProfile(outlet, pages, frozenset(key for key, n in counts.items() if n >= floor))


def drop_chrome(paragraphs: list[str], profile: OutletProfile | None) -> list[str]:
    """The paragraphs that are not the outlet's chrome (all of them when every one is: never empty)."""
    if profile is None or not profile.chrome:
        return paragraphs
    kept = [p for p in paragraphs if not profile.is_chrome(p)]
    return kept or paragraphs
