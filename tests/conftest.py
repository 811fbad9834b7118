"""Shared fixtures. Tests build real objects: the real engine, real files, the real CLI."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linkvet.config import load_config
from linkvet.engine import Engine
from tests.postgres import Cluster, PostgresUnavailable, running_cluster

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="session", autouse=True)
def _private_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    """`linkvet check` keeps texts in a local store; tests keep theirs out of the checkout."""
    store = tmp_path_factory.mktemp("store") / "linkvet.sqlite"
    os.environ["LINKVET_STORE"] = str(store)


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(config=load_config())


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    """The shared labelled datasets; tests that need them skip, saying why, when unset."""
    value = os.environ.get("LINKVET_DATASETS")
    if not value:
        pytest.skip("LINKVET_DATASETS is not set: dataset-backed tests need ../shared/datasets")
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"LINKVET_DATASETS={value} is not a folder")
    return path


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """One throw-away PostgreSQL cluster for the session, started when a test first needs it.

    Without PostgreSQL's binaries the tests that need it fail, never skip: `make test`
    installs them."""
    with contextlib.ExitStack() as stack:
        try:
            cluster = stack.enter_context(running_cluster())
        except PostgresUnavailable as error:
            unavailable = str(error)
        else:
            yield cluster
            return
    # Failed outside the `except`, so that the report is the reason alone, without tracebacks.
    pytest.fail(unavailable, pytrace=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The SQLAlchemy URL of a fresh, empty database, once for each database the store runs
    on: a SQLite file under tmp_path, or a new database in the session's PostgreSQL cluster,
    dropped afterwards. `@only_on("sqlite")` keeps a test to one of them."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cases.sqlite'}"
        return
    cluster: Cluster = request.getfixturevalue("postgres_cluster")
    url = cluster.new_database()
    yield url
    cluster.drop_database(url)


def only_on(database: str) -> pytest.MarkDecorator:
    """Run a test that takes `database_url` on one database only ("sqlite" or "postgresql")."""
    return pytest.mark.parametrize("database_url", [database], indirect=True)


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every URL WeasyPrint asks for while a PDF is made; and any socket connection fails the
    test (the certificate and the case report fetch nothing)."""
    from linkvet.learn import _pdf

    asked: list[str] = []
    connections: list[object] = []
    original = _pdf.OfflineFetcher.fetch

    def recording_fetch(self: Any, url: str, headers: Any = None) -> Any:
        asked.append(url)
        return original(self, url, headers)

    def no_connection(self: socket.socket, address: object) -> None:
        connections.append(address)
        raise OSError("tests make no connections")

    monkeypatch.setattr(_pdf.OfflineFetcher, "fetch", recording_fetch)
    monkeypatch.setattr(socket.socket, "connect", no_connection)
    yield asked
    assert connections == []
