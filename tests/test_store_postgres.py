"""The case store on PostgreSQL: a throw-away cluster on loopback (tests/postgres.py), the same
migrations and the same behaviour as on SQLite. SQLite's own settings are in test_store.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect, text

from linkvet.engine import Engine
from linkvet.model import Assessment, Profile
from linkvet.store import Store, StoreError, open_store
from tests.conftest import AS_OF, ROOT
from tests.postgres import throwaway_cluster
from tests.test_store import BURST, _profile


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with throwaway_cluster() as url:
        yield url


@pytest.fixture
def database(cluster: str) -> Iterator[str]:
    """A fresh, empty database in the cluster for each test."""
    name = f"t{time.monotonic_ns()}"
    admin = create_engine(cluster.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield cluster.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def store(database: str) -> Iterator[Store]:
    with open_store(database) as opened:
        yield opened


@pytest.fixture(scope="module")
def assessed() -> tuple[Assessment, Profile]:
    profile = _profile()
    return Engine().assess(profile, as_of=AS_OF), profile


def test_migrations_make_the_tables_and_run_again_harmlessly(database: str) -> None:
    open_store(database).close()
    open_store(database).close()
    engine = create_engine(database)
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert {"organisations", "reports", "report_photos", "api_tokens"} <= tables
    assert version == "0001"


def test_a_report_round_trips(store: Store, assessed: tuple[Assessment, Profile]) -> None:
    assessment, profile = assessed
    record = store.add_report(assessment, profile, note="Asked about my project\nand my team")
    again = store.get_report(record.id)
    assert again == record
    assert again is not None
    assert again.assessment == assessment
    assert again.note == "Asked about my project\nand my team"
    assert [r.id for r in store.list_reports()] == [record.id]


def test_organisations_stay_apart(
    store: Store, database: str, assessed: tuple[Assessment, Profile]
) -> None:
    engine = create_engine(database)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organisations (slug, name, created_at) VALUES ('acme', 'Acme', now())"
            )
        )
    engine.dispose()
    assessment, profile = assessed
    ours = store.add_report(assessment, profile)
    theirs = store.add_report(assessment, profile, organisation="acme")
    assert store.get_report(ours.id, organisation="acme") is None
    assert store.get_report(theirs.id) is None
    assert [r.id for r in store.list_reports("acme")] == [theirs.id]
    with pytest.raises(StoreError, match="unknown organisation"):
        store.list_reports("nobody")


def test_tokens_scopes_and_revocation(store: Store) -> None:
    plain, record = store.create_token("intranet", ["assess", "report"])
    assert store.verify_token(plain, "report") is not None
    assert store.verify_token(plain, "learn") is None
    store.revoke_token(record.id)
    assert store.verify_token(plain, "assess") is None


def test_processes_opening_a_new_database_at_once_all_succeed(database: str) -> None:
    code = "import sys; from linkvet.store import open_store; open_store(sys.argv[1]).close()"
    children = [
        subprocess.Popen([sys.executable, "-c", code, database], cwd=ROOT, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    errors = [child.communicate(timeout=120)[1] for child in children]
    assert [child.returncode for child in children] == [0, 0, 0, 0], errors


def test_threads_add_reports_together(store: Store, assessed: tuple[Assessment, Profile]) -> None:
    assessment, profile = assessed
    failures: list[BaseException] = []

    def add() -> None:
        try:
            for _ in range(10):
                store.add_report(assessment, profile)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=add) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(store.list_reports(limit=1000)) == 60


def test_every_acknowledged_report_survives_kill_9(database: str) -> None:
    acknowledged: list[str] = []
    for delay in (0.0, 0.0013, 0.0047):
        child = subprocess.Popen(
            [sys.executable, "-c", BURST, database, "1000000"],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        acknowledged += [child.stdout.readline().strip() for _ in range(100)]
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        acknowledged += [line.strip() for line in child.stdout if line.endswith("\n")]
        assert child.wait(timeout=30) == -signal.SIGKILL
    with open_store(database) as store:
        missing = [key for key in acknowledged if store.get_report(key) is None]
        stored = len(store.list_reports(limit=1000))
    print(
        f"PostgreSQL kill -9: {len(acknowledged)} acknowledged, {stored} stored, missing {missing}"
    )
    assert missing == []
    assert len(acknowledged) <= stored <= len(acknowledged) + 3
