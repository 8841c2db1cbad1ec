"""The demo's ingest never sits silent: once its last page is read, the progress callback is told that
the run is linking, then indexing, with the whole count, and that it is done."""

from __future__ import annotations

from pathlib import Path

import marsad.demo
from marsad.ingest import ingest
from marsad.ingest.report import IngestReport
from marsad.store.db import Store


def test_linking_and_indexing_are_told_after_the_last_page(tmp_path: Path) -> None:
    pages = len(marsad.demo.expected())
    seen: list[tuple[int, str]] = []

    def note(done: int, expected: int | None, report: IngestReport) -> None:
        if not seen or seen[-1] != (done, report.stage):
            seen.append((done, report.stage))

    with Store(tmp_path / "demo.db") as store:
        report = ingest(marsad.demo.ingest_targets(), store, progress=note)
    assert report.new == pages == 43
    first = [done for done, _ in seen].index(pages)
    # the pages' own count is shown at most every 0.2 s, so 43 may first appear with the linking
    told = [stage for _, stage in seen[first:]]
    assert (told[1:] if told[0] == "" else told) == [
        "linking 43 articles into stories",
        "",
        "indexing 43 articles for search",
        "",
    ]
    assert {stage for done, stage in seen[:first]} == {""}
