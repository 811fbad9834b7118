"""What only PostgreSQL does to the case store: a server that ends connections, a server in
another time zone. Everything both databases share runs on both in test_store.py; these take a
new database in the session's throw-away cluster, like the PostgreSQL half of those."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import create_engine, make_url, text

from linkvet.engine import Engine
from linkvet.model import Assessment, Profile
from linkvet.store import open_store
from tests.conftest import AS_OF, only_on
from tests.test_store import _profile

pytestmark = only_on("postgresql")


@pytest.fixture(scope="module")
def assessed() -> tuple[Assessment, Profile]:
    profile = _profile()
    return Engine().assess(profile, as_of=AS_OF), profile


def test_the_store_reconnects_when_the_server_ends_its_connections(
    database_url: str, assessed: tuple[Assessment, Profile]
) -> None:
    # A restarted or failed-over server leaves the pool holding dead connections.
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with open_store(database_url) as store, admin.connect() as connection:
        first = store.add_report(*assessed)
        ended = connection.execute(text(f"SELECT count(pg_terminate_backend(pid)) {others}"))
        assert ended.scalar_one() >= 1
        deadline = time.monotonic() + 10
        while connection.execute(text(f"SELECT count(*) {others}")).scalar_one():
            assert time.monotonic() < deadline, "the server did not end the store's connections"
            time.sleep(0.01)
        second = store.add_report(*assessed)
        assert {record.id for record in store.list_reports()} == {first.id, second.id}
    admin.dispose()


def test_times_come_back_in_utc_whatever_the_servers_time_zone(
    database_url: str, assessed: tuple[Assessment, Profile]
) -> None:
    name = make_url(database_url).database
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"ALTER DATABASE \"{name}\" SET timezone TO 'Pacific/Chatham'"))
    admin.dispose()
    with open_store(database_url) as store:
        with store._engine.connect() as connection:
            assert connection.execute(text("SHOW timezone")).scalar() == "Pacific/Chatham"
        before = dt.datetime.now(dt.UTC)
        record = store.add_report(*assessed)
        token, _ = store.create_token("zone", ["assess"])
        used = store.verify_token(token, "assess")
        after = dt.datetime.now(dt.UTC)
        again = store.get_report(record.id)
    assert again is not None
    assert again.created_at.tzinfo == dt.UTC
    assert before <= again.created_at == record.created_at <= after
    assert used is not None
    assert used.last_used_at is not None
    assert used.last_used_at.tzinfo == dt.UTC
    assert before <= used.last_used_at <= after
