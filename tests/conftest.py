"""Shared test set-up: where ../shared is, and the `realdata` rule.

Tests that read ../shared/data take the `shared` fixture (or one built on it) and carry the `realdata`
marker. When ../shared is absent they skip with the reason, except under CI=true, where a missing
folder is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared")).resolve()


def require_shared(*parts: str) -> Path:
    """The path under ../shared, or skip (fail under CI=true) when it is missing."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing: the realdata tests read ../shared beside the checkout"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return require_shared("data", "seeds")


@pytest.fixture(scope="session")
def ant_path() -> Path:
    return require_shared("data", "ant_multisource_v2.1.jsonl.gz")


@pytest.fixture(scope="session")
def ant_db(ant_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database holding the whole ANT corpus as marsad's ingest pipeline stores it (built once).

    30,337 articles (the 31,525 lines merged by URL) and 2 failure rows (the two empty-text lines). Linking
    and indexing are not run here: a test that needs them calls marsad.link.relink / marsad.search.reindex
    on its own copy. Treat the file as read-only; copy it before writing.
    """
    from marsad.ingest import ingest
    from marsad.store.db import Store

    path = tmp_path_factory.mktemp("ant") / "ant.db"
    with sqlite_files(), Store(path) as store:  # a file on either pass: the PostgreSQL pass copies it in
        ingest([str(ant_path)], store, progress=False, link=False, index=False)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


# --- both backends -------------------------------------------------------------------------------------
# The store, ingest, link and web suites run once on SQLite and once on PostgreSQL: their conftest takes
# `backend` (autouse). On PostgreSQL every Store opened on a file path in this process is opened on a
# database of the test server named after that path instead (made from a migrated template; a SQLite file
# already at the path, built by a fixture on the SQLite pass, is copied in with marsad.store.transfer), and
# its search index stays beside the path. The server is MARSAD_TEST_PG (scripts/pg-test-server.sh, which
# .ci/run starts); without one the PostgreSQL pass skips, except under CI=true, where that is a failure.

BACKENDS = ["sqlite", "postgresql"]


def pg_server_url() -> str:
    url = os.environ.get("MARSAD_TEST_PG", "")
    if not url:
        message = "MARSAD_TEST_PG is not set: start a server with scripts/pg-test-server.sh start DIR"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


class PgRedirect:
    """Store(path) -> Store(a database of the test server named after path)."""

    TEMPLATE = f"marsad_template_{os.getpid()}"  # one per test session: two sessions may share a server

    def __init__(self, url: str):
        import psycopg

        from marsad.store.db import Store

        self.url = url
        self.admin = psycopg.connect(url, autocommit=True)
        self.created: dict[str, str] = {}  # path -> database
        self.admin.execute(f"DROP DATABASE IF EXISTS {self.TEMPLATE} WITH (FORCE)")
        self.admin.execute(f"CREATE DATABASE {self.TEMPLATE}")
        Store(self.database_url(self.TEMPLATE)).close()

    def database_url(self, name: str) -> str:
        from urllib.parse import urlsplit, urlunsplit

        return urlunsplit(urlsplit(self.url)._replace(path=f"/{name}"))

    def database_for(self, path: Path) -> str:
        import hashlib

        key = str(Path(path).resolve())
        if key not in self.created:
            name = f"m_{os.getpid()}_" + hashlib.sha1(key.encode()).hexdigest()[:20]
            self.admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            self.admin.execute(f"CREATE DATABASE {name} TEMPLATE {self.TEMPLATE} STRATEGY FILE_COPY")
            self.created[key] = name
            if Path(path).is_file() and Path(path).stat().st_size:
                self._copy_in(Path(path), self.database_url(name))
            elif Path(path).parent.is_dir():
                Path(path).touch()  # an empty file: the commands' "is there a database" checks see one
        return self.database_url(self.created[key])

    def _copy_in(self, path: Path, url: str) -> None:
        from marsad.store.db import Store
        from marsad.store.transfer import copy_archive

        with sqlite_files(), Store(path, readonly=True) as source, Store(url) as target:
            copy_archive(source, target)

    def drop_all(self) -> None:
        from marsad.store.pgpool import close_pools

        close_pools()  # the readers' pooled connections to these databases
        for name in self.created.values():
            self.admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.created.clear()

    def close(self) -> None:
        self.drop_all()
        self.admin.execute(f"DROP DATABASE IF EXISTS {self.TEMPLATE} WITH (FORCE)")
        self.admin.close()


_redirect: PgRedirect | None = None
# The redirect applies only within a module of a suite that runs on both backends (`_pg_module_databases`):
# the session's `backend` stays set while pytest runs other suites' modules, which stay on SQLite files.
_active = False


@contextmanager
def sqlite_files() -> Iterator[None]:
    """Stores opened within are SQLite files on the PostgreSQL pass too (a fixture's shared input)."""
    global _redirect
    saved, _redirect = _redirect, None
    try:
        yield
    finally:
        _redirect = saved


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest):
    """'sqlite' or 'postgresql': on the second, every Store opened on a path goes to the test server."""
    global _redirect
    if request.param == "sqlite":
        yield "sqlite"
        return
    url = pg_server_url()
    from marsad.store import db as store_db
    from marsad.store.postgres import is_url

    redirect = PgRedirect(url)
    original = store_db.Store.__init__

    def redirected(self, path=None, *, readonly: bool = False, pooled: bool = False):
        if path is None or is_url(path) or _redirect is None or not _active:
            original(self, path, readonly=readonly, pooled=pooled)
            return
        original(self, _redirect.database_for(Path(path)), readonly=readonly, pooled=pooled)
        self.path = Path(path)

    _redirect = redirect
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_db.Store, "__init__", redirected)
        yield "postgresql"
    _redirect = None
    redirect.close()


@pytest.fixture(scope="module")
def _pg_module_databases(backend: str):
    """The module runs on `backend` (the redirect is on for it alone); the test server's databases made for
    it are dropped when it ends (a template copy each)."""
    global _active
    _active = True
    try:
        yield
    finally:
        _active = False
        if _redirect is not None:
            _redirect.drop_all()


@pytest.fixture
def both_backends(backend: str, request: pytest.FixtureRequest, _pg_module_databases) -> str:
    """What the suites' conftests take (autouse): the backend, and the `sqlite_only` marker's skip."""
    marker = request.node.get_closest_marker("sqlite_only")
    if backend == "postgresql" and marker is not None:
        pytest.skip(f"SQLite only: {marker.args[0] if marker.args else 'reads the SQLite file itself'}")
    return backend


@pytest.fixture
def pg_server() -> str:
    """The test server's URL (MARSAD_TEST_PG), or skip (fail under CI=true)."""
    return pg_server_url()


@pytest.fixture
def as_sqlite():
    """`with as_sqlite():` Stores opened within are SQLite files on the PostgreSQL pass too."""
    return sqlite_files
