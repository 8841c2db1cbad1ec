"""Reading and extraction on a Dask cluster, for archives of many pages (`marsad ingest --workers N` or
`--scheduler tcp://host:8786`; the `marsad[cluster]` extra).

The main process walks the targets as a plain ingest does, but a WARC archive becomes parts (PARTS_PAGES
response records each, found by reading the records' headers only) and HTML and text files are grouped
into parts; Dask workers read each part and extract its pages without their outlets' profiles. The results
come back in the order of the input, each to the pipeline (marsad.ingest.pipeline) as a `Prepared` page: it
applies the outlet profiles as of the last commit, stores, links and indexes exactly as it does the pages it
reads itself, so that the archive ends as a single-process ingest leaves it. Other inputs (corpora, feeds,
URLs) are read and extracted in the main process.

Memory stays bounded: at most `in_flight` parts are submitted and not yet stored (a window over the input),
and a part's results are released once the pipeline has taken them. Workers must see the files at the
same paths as the main process (a shared or copied folder).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marsad.ingest.pipeline import Prepared, extract_unprofiled_or_fail
from marsad.models import Page, SourceFailure
from marsad.sources import Expected, Skipped, iter_targets, read_kind
from marsad.sources.http.safety import AddressPolicy
from marsad.sources.warc import read_warc, record_id_at, record_starts

if TYPE_CHECKING:
    from distributed import Client

PART_PAGES = 200  # records or files a worker reads and extracts in one task
WORKER_MEMORY = "2GiB"  # a LocalCluster worker's limit: extraction of a part needs far less
MISSING = "Dask is not installed: install Marsad with its cluster extra (pip install 'marsad[cluster]')"


class ClusterUnavailable(RuntimeError):
    """Dask is missing, or the scheduler cannot be reached."""


@dataclass(frozen=True)
class ClusterConfig:
    """`workers` for a LocalCluster of that many processes, or the `scheduler` address of a running one."""

    workers: int | None = None
    scheduler: str | None = None
    part_pages: int = PART_PAGES
    in_flight: int | None = None  # parts submitted and not yet stored; default: 3 per worker
    memory_limit: str = WORKER_MEMORY

    def __post_init__(self) -> None:
        if (self.workers is None) == (self.scheduler is None):
            raise ValueError("a Dask run takes either a number of local workers or a scheduler address")
        if self.workers is not None and self.workers < 1:
            raise ValueError("the number of Dask workers must be at least 1")
        if self.part_pages < 1:
            raise ValueError("a part must hold at least one page")


@dataclass(frozen=True)
class WarcPart:
    """`count` response records (None: to the end) from byte `offset`, `before` records coming first."""

    path: str
    offset: int
    count: int | None
    before: int


@dataclass(frozen=True)
class PageFile:
    path: str
    kind: str  # "html" or "text"


@dataclass(frozen=True)
class FilesPart:
    files: tuple[PageFile, ...]


Part = WarcPart | FilesPart


# --- On a worker ------------------------------------------------------------------------------------------


def read_part(part: Part) -> list[Any]:
    """The part's items, each page extracted (a Prepared); read failures as they are."""
    if isinstance(part, WarcPart):
        items: Iterable[Any] = read_warc(Path(part.path), part.offset, part.count, part.before)
    else:
        items = (item for file in part.files for item in read_kind(Path(file.path), file.kind))
    return [
        Prepared(item, extract_unprofiled_or_fail(item)) if isinstance(item, Page) else item for item in items
    ]


# --- In the main process: parts in order ------------------------------------------------------------------


def warc_parts(path: Path, size: int = PART_PAGES) -> Iterator[WarcPart]:
    """The archive in parts of `size` response records; a part starts only where a reader can enter (a
    gzip member or a record); the last reads to the end, where read_warc meets any break."""
    start, count, before = 0, 0, 0
    try:
        for offset, record_id in record_starts(path):
            if count >= size and record_id is not None and record_id_at(path, offset) == record_id:
                yield WarcPart(str(path), start, count, before)
                start, before, count = offset, before + count, 0
            count += 1
    except OSError:  # unreadable: the worker's read_warc says so
        pass
    yield WarcPart(str(path), start, None, before)


def parts(targets: Iterable[str], size: int, policy: AddressPolicy | None = None) -> Iterator[Part | Any]:
    """The input in order: parts for workers, and the items read here (progress hints, skipped files,
    failures, and the pages of other kinds, extracted by the pipeline itself)."""
    readers = {
        "warc": lambda path: warc_parts(path, size),
        "html": lambda path: iter([PageFile(str(path), "html")]),
        "text": lambda path: iter([PageFile(str(path), "text")]),
    }
    files: list[PageFile] = []
    for item in iter_targets(targets, policy=policy, readers=readers):
        if isinstance(item, PageFile):
            files.append(item)
            if len(files) < size:
                continue
        elif isinstance(item, Expected | Skipped):  # hints, in order among themselves: no need to wait
            yield item
            continue
        if files:
            yield FilesPart(tuple(files))
            files = []
        if not isinstance(item, PageFile):
            yield item
    if files:
        yield FilesPart(tuple(files))


@contextmanager
def prepared_items(
    targets: Iterable[str], config: ClusterConfig, policy: AddressPolicy | None = None
) -> Iterator[Iterator[Any]]:
    """The input's items in order, the parts' pages read and extracted by the cluster (a Prepared each)."""
    with connected(config) as client:
        window = config.in_flight or 3 * max(1, _worker_count(client, config))
        yield _in_order(client, parts(targets, config.part_pages, policy), window)


def _in_order(client: Client, units: Iterator[Any], window: int) -> Iterator[Any]:
    """Submit parts ahead, at most `window` waiting, and give their items back in the input's order."""
    waiting: deque[Any] = deque()  # (part, Future) pairs and items read here, in input order
    for unit in units:
        if isinstance(unit, WarcPart | FilesPart):
            waiting.append((unit, client.submit(read_part, unit, pure=False)))
        elif waiting:
            waiting.append(unit)
        else:
            yield unit
            continue
        while len(waiting) > window:
            yield from _taken(waiting.popleft())
    while waiting:
        yield from _taken(waiting.popleft())


def _taken(unit: Any) -> Iterator[Any]:
    if not isinstance(unit, tuple):
        yield unit
        return
    part, future = unit
    try:
        items = future.result()
    except Exception as error:  # noqa: BLE001 - a lost worker or a crash: the part is a failure, the run goes on
        yield from _part_failures(part, error)
        return
    finally:
        future.release()
    yield from items


def _part_failures(part: Part, error: Exception) -> Iterator[SourceFailure]:
    reason = f"the Dask task reading this part failed: {type(error).__name__}: {error}"
    if isinstance(part, WarcPart):
        size = "to the end" if part.count is None else f"{part.count} records"
        yield SourceFailure(f"{part.path}@{part.offset}", None, "read", f"{reason} ({size})")
        return
    for file in part.files:
        yield SourceFailure(file.path, None, "read", reason)


def _worker_count(client: Client, config: ClusterConfig) -> int:
    if config.workers is not None:
        return config.workers
    return len(client.scheduler_info().get("workers", {}))


@contextmanager
def connected(config: ClusterConfig) -> Iterator[Client]:
    """A client of the configured cluster: a LocalCluster of `workers` processes (closed after), or the
    scheduler at `scheduler`. ClusterUnavailable when Dask is missing or the scheduler does not answer."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise ClusterUnavailable(MISSING) from error
    if config.scheduler is not None:
        try:
            client = Client(config.scheduler, timeout=10)
        except (OSError, TimeoutError) as error:
            raise ClusterUnavailable(
                f"the Dask scheduler at {config.scheduler} cannot be reached: {error}"
            ) from error
        with client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=config.workers,
        threads_per_worker=1,  # extraction holds the GIL: one process per worker is what runs in parallel
        processes=True,
        memory_limit=config.memory_limit,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as client:
        yield client
