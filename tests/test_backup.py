"""Backing up and restoring the case store, on SQLite and on PostgreSQL: what comes back is
exactly what was backed up, a backup taken under load is consistent, and every file that is not
a good backup of this linkvet's store is refused before anything changes."""

from __future__ import annotations

import base64
import random
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import create_engine, make_url, text

from linkvet.cli import ExitCode, cli
from linkvet.engine import Engine
from linkvet.model import Assessment, Profile
from linkvet.store import ReportRecord, StoreError, TokenRecord, _backup, open_store
from linkvet.store._backup import backup, restore
from linkvet.store._database import MIGRATIONS
from tests.conftest import AS_OF, only_on
from tests.postgres import server_binaries
from tests.test_cli import run
from tests.test_store import JPEG, PNG, _profile


def _head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


HEAD = _head_revision()


@dataclass(frozen=True)
class Contents:
    """Everything a test puts in a store, as the store gives it back."""

    reports: list[ReportRecord]
    photos: dict[str, dict[str, bytes]]
    tokens: list[TokenRecord]


@pytest.fixture(scope="module")
def assessed() -> tuple[Assessment, Profile]:
    profile = _profile(
        photo={"data": base64.b64encode(PNG).decode()},
        banner={"data": base64.b64encode(JPEG).decode(), "url": "https://example.com/b.jpg"},
    )
    return Engine().assess(profile, as_of=AS_OF), profile


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    """A folder for backup files, apart from the SQLite store under tmp_path."""
    return tmp_path / "backups"


def _contents(url: str) -> Contents:
    with open_store(url) as store:
        reports = store.list_reports(limit=1_000)
        photos = {r.id: store.photos(r.id, organisation=r.organisation) for r in reports}
        return Contents(reports, photos, store.list_tokens())


def _add_reports(url: str, assessed: tuple[Assessment, Profile], count: int) -> list[str]:
    assessment, profile = assessed
    with open_store(url) as store:
        return [
            store.add_report(assessment, profile, note=f"report {n}", reporter_name="Ann").id
            for n in range(count)
        ]


def _execute(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_path(url: str) -> Path:
    return Path(str(make_url(url).database))


def _delete_database(url: str) -> None:
    if _is_sqlite(url):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{_sqlite_path(url)}{suffix}").unlink(missing_ok=True)
    else:
        _execute(url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")


def _copy_unchecked(url: str, path: Path) -> None:
    """A backup file of the database as it is, made without linkvet's checks."""
    if _is_sqlite(url):
        with (
            closing(sqlite3.connect(_sqlite_path(url))) as live,
            closing(sqlite3.connect(path)) as copy,
        ):
            live.backup(copy)
        return
    libpq_url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(
        [str(server_binaries() / "pg_dump"), "--format=custom", f"--file={path}",
         f"--dbname={libpq_url}"],
        check=True, capture_output=True,
    )  # fmt: skip


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


# --- round trips ---------------------------------------------------------------------------


def test_a_restore_brings_back_exactly_what_was_backed_up(
    database_url: str, backups: Path, assessed: tuple[Assessment, Profile]
) -> None:
    _, gone = _add_reports(database_url, assessed, 2)
    with open_store(database_url) as store:
        plain, _ = store.create_token("intranet", ["assess", "report"])
        revoked, revoked_record = store.create_token("old", ["learn"])
        store.revoke_token(revoked_record.id)
    backed_up = _contents(database_url)
    assert len(backed_up.reports) == 2
    assert all(photos for photos in backed_up.photos.values())

    target = backups / "cases.backup"
    info = backup(database_url, target)
    assert (info.path, info.bytes) == (target, target.stat().st_size)
    assert (info.kind, info.revision, info.reports) == (
        "sqlite" if _is_sqlite(database_url) else "postgresql",
        HEAD,
        2,
    )

    # Life goes on: a new report and token, a case deleted.
    (added,) = _add_reports(database_url, assessed, 1)
    with open_store(database_url) as store:
        later, _ = store.create_token("later", ["assess"])
        store.delete_case(gone, organisation="default", actor="analyst@example.com")
    changed = _contents(database_url)

    with pytest.raises(StoreError, match=r"holds 2 report\(s\), which a restore replaces.*--force"):
        restore(target, database_url)
    assert _contents(database_url) == changed

    assert restore(target, database_url, force=True) == info
    assert _contents(database_url) == backed_up
    with open_store(database_url) as store:
        assert store.get_report(added) is None
        assert store.get_report(gone) is not None
        assert store.verify_token(plain, "report") is not None
        assert store.verify_token(revoked, "learn") is None
        assert store.verify_token(later, "assess") is None


def test_a_deleted_store_comes_back_from_its_backup_and_works_on(
    database_url: str, backups: Path, assessed: tuple[Assessment, Profile]
) -> None:
    _add_reports(database_url, assessed, 3)
    backed_up = _contents(database_url)
    backup(database_url, backups / "cases.backup")
    _delete_database(database_url)

    info = restore(backups / "cases.backup", database_url)  # nothing there: no force needed
    assert info.reports == 3
    assert _contents(database_url) == backed_up
    (added,) = _add_reports(database_url, assessed, 1)
    assert len(_contents(database_url).reports) == 4
    if _is_sqlite(database_url):
        with closing(sqlite3.connect(_sqlite_path(database_url))) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert added


def test_a_backup_taken_while_reports_are_added_is_consistent(
    database_url: str, backups: Path, assessed: tuple[Assessment, Profile]
) -> None:
    assessment, profile = assessed
    acknowledged: list[str] = []
    adding = threading.Lock()  # held from adding a report until its id is listed
    stop = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        with open_store(database_url) as store:
            while not stop.is_set():
                try:
                    with adding:
                        acknowledged.append(store.add_report(assessment, profile).id)
                except BaseException as error:
                    failures.append(error)
                    return

    writer = threading.Thread(target=write)
    writer.start()
    try:
        _wait_until(lambda: len(acknowledged) >= 5 or bool(failures))
        committed_before = set(acknowledged)
        info = backup(database_url, backups / "cases.backup")
        with adding:
            acknowledged_after = set(acknowledged)
        _wait_until(lambda: len(acknowledged) > len(acknowledged_after) or bool(failures))
    finally:
        stop.set()
        writer.join()
    assert not failures

    restore(backups / "cases.backup", database_url, force=True)
    restored = _contents(database_url)
    ids = {report.id for report in restored.reports}
    assert committed_before <= ids <= acknowledged_after
    assert len(ids) == info.reports
    assert all(sorted(p.values()) == sorted([PNG, JPEG]) for p in restored.photos.values())


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content", [b"", b'{"reports": []}\n', bytes(range(256)) * 64], ids=["empty", "json", "binary"]
)
def test_a_file_that_is_no_backup_is_refused(
    database_url: str, tmp_path: Path, content: bytes, assessed: tuple[Assessment, Profile]
) -> None:
    _add_reports(database_url, assessed, 1)
    before = _contents(database_url)
    path = tmp_path / "cases.backup"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=r"cannot restore .*: it is not a linkvet backup"):
        restore(path, database_url, force=True)
    assert _contents(database_url) == before


def test_a_database_without_a_case_store_is_neither_backed_up_nor_restored(
    database_url: str, backups: Path
) -> None:
    _execute(database_url, "CREATE TABLE other_app (x integer)")
    with pytest.raises(StoreError, match=r"cannot back up .*: it holds no linkvet case store"):
        backup(database_url, backups / "cases.backup")
    assert not backups.exists() or not list(backups.iterdir())

    backups.mkdir(exist_ok=True)
    _copy_unchecked(database_url, backups / "other.backup")
    with pytest.raises(StoreError, match=r"cannot restore .*: it holds no linkvet case store"):
        restore(backups / "other.backup", database_url, force=True)


@pytest.mark.parametrize("damage", ["garbage", "cut short", "last byte missing"])
def test_a_damaged_backup_is_refused_and_the_store_left_alone(
    database_url: str, backups: Path, assessed: tuple[Assessment, Profile], damage: str
) -> None:
    _add_reports(database_url, assessed, 2)
    path = backups / "cases.backup"
    backup(database_url, path)
    data = path.read_bytes()
    if damage == "garbage":  # the file's header kept, the rest replaced
        damaged = data[:100] + random.Random(0).randbytes(len(data) - 100)
    elif damage == "cut short":
        damaged = data[: len(data) * 2 // 3]
    else:
        damaged = data[:-1]
    path.write_bytes(damaged)
    _add_reports(database_url, assessed, 1)
    before = _contents(database_url)
    with pytest.raises(
        StoreError, match=r"cannot restore .*: it (is damaged|holds no linkvet case store)"
    ):
        restore(path, database_url, force=True)
    assert _contents(database_url) == before


def test_a_store_or_backup_from_a_newer_linkvet_is_refused(
    database_url: str, backups: Path, assessed: tuple[Assessment, Profile]
) -> None:
    _add_reports(database_url, assessed, 1)
    backups.mkdir()
    target = backups / "cases.backup"
    target.write_bytes(b"the last good backup")
    _execute(database_url, "UPDATE alembic_version SET version_num = '9999'")
    newer = rf"it comes from a newer linkvet \(schema revision '9999'; this linkvet knows up to '{HEAD}'\)"

    with pytest.raises(StoreError, match="cannot back up .*: " + newer):
        backup(database_url, target)
    assert target.read_bytes() == b"the last good backup"
    assert [p.name for p in backups.iterdir()] == ["cases.backup"]  # no temporary file left

    _copy_unchecked(database_url, backups / "newer.backup")
    _execute(database_url, f"UPDATE alembic_version SET version_num = '{HEAD}'")
    before = _contents(database_url)
    with pytest.raises(StoreError, match="cannot restore .*: " + newer):
        restore(backups / "newer.backup", database_url, force=True)
    assert _contents(database_url) == before


def test_a_backup_of_the_other_kind_of_database_is_refused(
    database_url: str, tmp_path: Path, backups: Path
) -> None:
    if _is_sqlite(database_url):
        other, name = tmp_path / "cases.dump", "PostgreSQL"
        other.write_bytes(b"PGDMP" + bytes(100))  # refused before it is read
    else:
        sqlite_url = f"sqlite:///{tmp_path / 'other.sqlite'}"
        open_store(sqlite_url).close()
        other, name = backup(sqlite_url, backups / "cases.sqlite").path, "SQLite"
    with pytest.raises(
        StoreError, match=f"it is a backup of a {name} store: restore it into a {name} database"
    ):
        restore(other, database_url)


# --- SQLite --------------------------------------------------------------------------------


@only_on("sqlite")
def test_a_sqlite_backup_is_one_self_contained_file_for_its_owner_only(
    database_url: str, backups: Path, assessed: tuple[Assessment, Profile]
) -> None:
    _add_reports(database_url, assessed, 1)
    with open_store(database_url):  # open, as under a running server
        info = backup(database_url, backups / "cases.sqlite")
    assert [p.name for p in backups.iterdir()] == ["cases.sqlite"]
    assert info.path.stat().st_mode & 0o777 == 0o600
    with closing(sqlite3.connect(info.path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("SELECT count(*) FROM reports").fetchone() == (1,)


@only_on("sqlite")
def test_a_missing_sqlite_store_is_not_backed_up_and_not_made(
    database_url: str, backups: Path
) -> None:
    with pytest.raises(StoreError, match=r"cannot back up .*: there is no database there"):
        backup(database_url, backups / "cases.sqlite")
    assert not _sqlite_path(database_url).exists()
    assert not (backups / "cases.sqlite").exists()


@only_on("sqlite")
def test_a_sqlite_store_in_use_is_not_replaced(
    database_url: str, backups: Path, assessed: tuple[Assessment, Profile]
) -> None:
    _add_reports(database_url, assessed, 1)
    backup(database_url, backups / "cases.sqlite")
    with open_store(database_url) as running:
        running.list_reports()
        with pytest.raises(StoreError, match=r"is in use: stop the server \(linkvet serve\)"):
            restore(backups / "cases.sqlite", database_url, force=True)
        assert len(running.list_reports()) == 1


@only_on("sqlite")
def test_force_replaces_a_damaged_sqlite_store_and_its_leftover_files(
    database_url: str, backups: Path, assessed: tuple[Assessment, Profile]
) -> None:
    _add_reports(database_url, assessed, 1)
    backed_up = _contents(database_url)
    backup(database_url, backups / "cases.sqlite")
    database = _sqlite_path(database_url)
    database.write_bytes(b"SQLite format 3\x00" + bytes(4000))
    leftovers = [
        database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")
    ]
    for leftover in leftovers:
        leftover.write_bytes(b"from the store that was")

    with pytest.raises(StoreError, match=r"cannot be read .*--force"):
        restore(backups / "cases.sqlite", database_url)
    restore(backups / "cases.sqlite", database_url, force=True)
    assert not any(leftover.exists() for leftover in leftovers)
    assert _contents(database_url) == backed_up


@only_on("sqlite")
def test_a_backup_never_overwrites_the_store_itself(database_url: str) -> None:
    open_store(database_url).close()
    with pytest.raises(StoreError, match="the backup would overwrite the store itself"):
        backup(database_url, _sqlite_path(database_url))
    with pytest.raises(StoreError, match="it is the store itself"):
        restore(_sqlite_path(database_url), database_url, force=True)


# --- PostgreSQL ----------------------------------------------------------------------------


@only_on("postgresql")
def test_the_password_goes_in_the_environment_never_on_the_command_line(
    database_url: str, backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(database_url).close()
    url = database_url.replace("postgres@", "postgres:pa55-w0rd@")  # the cluster trusts anyone
    seen: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def spy(command: list[str], **options: Any) -> subprocess.CompletedProcess[Any]:
        seen.append((command, options.get("env") or {}))
        return real_run(command, **options)

    monkeypatch.setattr(subprocess, "run", spy)
    backup(url, backups / "cases.dump")
    restore(backups / "cases.dump", url)
    assert [Path(command[0]).name for command, _ in seen] == ["pg_dump", "pg_restore"]
    assert not any("pa55-w0rd" in " ".join(command) for command, _ in seen)
    assert all(environment.get("PGPASSWORD") == "pa55-w0rd" for _, environment in seen)


@only_on("postgresql")
def test_pg_dump_failing_is_said_clearly(database_url: str, backups: Path) -> None:
    missing = database_url.rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(
        StoreError, match=r"backing up .*/no_such_database failed: pg_dump: error: .*does not exist"
    ):
        backup(missing, backups / "cases.dump")
    assert not backups.exists() or not list(backups.iterdir())


@only_on("postgresql")
def test_a_restore_that_fails_half_way_changes_nothing(
    database_url: str, backups: Path, assessed: tuple[Assessment, Profile]
) -> None:
    _add_reports(database_url, assessed, 1)
    backup(database_url, backups / "cases.dump")
    _add_reports(database_url, assessed, 1)
    # Something of the database's own that depends on a table the restore must drop.
    _execute(database_url, "CREATE VIEW report_ids AS SELECT id FROM reports")
    before = _contents(database_url)
    with pytest.raises(
        StoreError, match=r"restoring into .* failed: pg_restore: error: .*depend on"
    ):
        restore(backups / "cases.dump", database_url, force=True)
    assert _contents(database_url) == before


def test_only_sqlite_and_postgresql_stores_are_backed_up(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="know SQLite and PostgreSQL stores, not mysql"):
        backup("mysql://linkvet@127.0.0.1/linkvet", tmp_path / "cases.backup")
    assert list(tmp_path.iterdir()) == []


def test_without_postgresql_client_programs_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_backup, "POSTGRES_BIN_GLOB", "nowhere/*/bin")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        StoreError, match=r"pg_dump is not installed.*apt-get install postgresql-client"
    ):
        backup("postgresql+psycopg://linkvet@127.0.0.1:9/linkvet", tmp_path / "cases.dump")
    assert list(tmp_path.iterdir()) == []


# --- the command ---------------------------------------------------------------------------


def test_the_store_commands_end_to_end(
    database_url: str, backups: Path, assessed: tuple[Assessment, Profile]
) -> None:
    _add_reports(database_url, assessed, 1)
    target = backups / "cases.backup"
    kind = "sqlite" if _is_sqlite(database_url) else "postgresql"
    runner = CliRunner()

    made = runner.invoke(
        cli, ["store", "backup", str(target)], env={"LINKVET_DATABASE_URL": database_url}
    )
    assert made.exit_code == 0, made.output
    assert made.stdout.splitlines() == [
        f"Backed up to {target}",
        f"  database: {kind}, schema revision {HEAD}",
        "  reports:  1",
        f"  size:     {target.stat().st_size:,} bytes",
    ]

    restoring = ["store", "restore", str(target), "--database-url", database_url]
    refused = runner.invoke(cli, restoring)
    assert refused.exit_code == ExitCode.BAD_CONFIG
    assert "error: cannot restore" in refused.stderr
    assert "holds 1 report(s), which a restore replaces: restore with force (--force)" in (
        refused.stderr
    )

    done = runner.invoke(cli, [*restoring, "--force"])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[0] == f"Restored from {target}"
    assert "  reports:  1" in done.stdout
    assert len(_contents(database_url).reports) == 1


@only_on("sqlite")
def test_a_refused_restore_exits_with_the_reason_and_no_traceback(
    database_url: str, tmp_path: Path
) -> None:
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a backup\n")
    failed = run("store", "restore", str(garbage), "--database-url", database_url)
    assert failed.returncode == ExitCode.BAD_CONFIG
    assert failed.stderr.startswith(f"error: cannot restore {garbage}: it is not a linkvet backup")
    assert "Traceback" not in failed.stderr
    assert not _sqlite_path(database_url).exists()
