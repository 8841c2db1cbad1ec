"""What an ingest run did: counts of new / updated / unchanged / failed, failures with reasons, page kinds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_LISTED_FAILURES = 1000  # failures kept in memory for the summary; all are in the `failure` table


@dataclass
class FailureNote:
    origin: str
    url: str | None
    stage: str
    reason: str


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    kinds: Counter = field(default_factory=Counter)  # pages read, by kind: html / text / record
    failures: list[FailureNote] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files in folders that are not a supported kind
    new_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    batches: int = 0
    seconds: float = 0.0
    seconds_linking: float = 0.0
    seconds_indexing: float = 0.0
    seconds_watching: float = 0.0  # matching new articles against watchlists
    # articles stored by an earlier run (killed, or whose linking or indexing failed) linked and indexed first
    pending_linked: int = 0
    pending_indexed: int = 0
    # what the run is doing when it is not reading pages ("linking 43 articles into stories"), for progress
    # displays; "" while pages are read and once the run has ended
    stage: str = ""

    @property
    def articles(self) -> int:
        """Pages that became (or already were) an article."""
        return self.new + self.updated + self.unchanged

    @property
    def total(self) -> int:
        return self.articles + self.failed

    def count(self, outcome: str, article_id: int) -> None:
        if outcome == "new":
            self.new += 1
            self.new_ids.append(article_id)
        elif outcome == "updated":
            self.updated += 1
            self.updated_ids.append(article_id)
        else:
            self.unchanged += 1

    def add_failure(self, note: FailureNote) -> None:
        self.failed += 1
        if len(self.failures) < MAX_LISTED_FAILURES:
            self.failures.append(note)

    def as_dict(self) -> dict:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "kinds": dict(self.kinds),
            "skipped": self.skipped,
            "failures": [note.__dict__ for note in self.failures],
            "seconds": round(self.seconds, 3),
            "seconds_linking": round(self.seconds_linking, 3),
            "seconds_indexing": round(self.seconds_indexing, 3),
            "seconds_watching": round(self.seconds_watching, 3),
            "pending_linked": self.pending_linked,
            "pending_indexed": self.pending_indexed,
        }
