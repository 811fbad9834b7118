"""Backing up the case store to one file, and restoring it: every report, picture and API token.

SQLite: SQLite's online backup copies the whole database in one read transaction, so the copy
is consistent while the server keeps writing (write-ahead logging lets readers and the writer
run side by side). PostgreSQL: pg_dump's custom format, whose snapshot is consistent too, put
back with pg_restore in a single transaction.

A backup is written beside its target under a temporary name, checked as a restore would check
it, and only then renamed into place: a backup file is whole or absent. A restore checks the
file before it touches the store, and replaces a store that holds reports only when forced.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, Literal

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import URL, create_engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from linkvet.store._database import MIGRATIONS, database_url, reason
from linkvet.store._errors import StoreError

Kind = Literal["sqlite", "postgresql"]

KIND_NAMES: Final[dict[Kind, str]] = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
SQLITE_MAGIC: Final = b"SQLite format 3\x00"
DUMP_MAGIC: Final = b"PGDMP"  # pg_dump's custom format
# Debian keeps each PostgreSQL version's programs here; the newest can dump any older server.
POSTGRES_BIN_GLOB: Final = "usr/lib/postgresql/*/bin"
# SQLite's files beside a database: left from the store being replaced, they would be replayed
# into the restored one.
SQLITE_SIDE_FILES: Final = ("-wal", "-shm", "-journal")
# The start of a table's rows in pg_restore's SQL output; each row is then one line, until "\.".
COPY_START: Final = re.compile(rb'COPY (?:\S+\.)?"?(alembic_version|reports)"? \(')
COPY_END: Final = b"\\.\n"


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """A checked backup file and what it holds."""

    path: Path
    bytes: int
    kind: Kind
    revision: str  # the Alembic schema revision of the store in it
    reports: int


class _Refused(Exception):
    """Why a backup or a restore cannot go ahead, in a few words; the caller says which."""


def backup(url: str | None, target: Path) -> BackupInfo:
    """Copy the case store at `url` (else $LINKVET_DATABASE_URL, else var/cases.sqlite) into the
    file `target`, replacing it, while the store stays in use. The copy is checked first."""
    parsed, described = database_url(url)
    kind = _kind(parsed)
    target = Path(target).expanduser().resolve()
    try:
        if kind == "sqlite":
            revision, reports = _backup_sqlite(Path(str(parsed.database)), target)
        else:
            revision, reports = _backup_postgresql(parsed, described, target)
    except _Refused as problem:
        raise StoreError(f"cannot back up {described}: {problem}") from None
    except OSError as error:
        raise StoreError(f"cannot back up {described} to {target}: {_os_reason(error)}") from error
    return BackupInfo(target, target.stat().st_size, kind, revision, reports)


def restore(source: Path, url: str | None, *, force: bool = False) -> BackupInfo:
    """Put the backup `source` in place of the case store at `url` (else $LINKVET_DATABASE_URL,
    else var/cases.sqlite). Stop the server first. A store that holds reports is replaced only
    with `force`; a file that is no linkvet backup, is damaged, or comes from a newer linkvet is
    refused before anything changes."""
    parsed, described = database_url(url)
    source = Path(source).expanduser().resolve()
    kind = _kind(parsed)
    try:
        found = _file_kind(source)
        if found != kind:
            raise _Refused(
                f"it is a backup of a {KIND_NAMES[found]} store: restore it into a "
                f"{KIND_NAMES[found]} database, not {described}"
            )
        if kind == "sqlite":
            revision, reports = _restore_sqlite(source, Path(str(parsed.database)), force)
        else:
            revision, reports = _restore_postgresql(source, parsed, described, force)
    except _Refused as problem:
        raise StoreError(f"cannot restore {source}: {problem}") from None
    except OSError as error:
        raise StoreError(f"cannot restore {source}: {_os_reason(error)}") from error
    return BackupInfo(source, source.stat().st_size, kind, revision, reports)


def _kind(url: URL) -> Kind:
    backend = url.get_backend_name()
    if backend not in KIND_NAMES:
        raise StoreError(f"backup and restore know SQLite and PostgreSQL stores, not {backend}")
    return "sqlite" if backend == "sqlite" else "postgresql"


def _file_kind(path: Path) -> Kind:
    with path.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(DUMP_MAGIC):
        return "postgresql"
    raise _Refused("it is not a linkvet backup (neither a SQLite database nor a pg_dump file)")


def _known_revision(found: list[str]) -> str:
    """The store's one schema revision, if this linkvet's migrations know it."""
    if len(found) != 1:
        raise _Refused(f"it is not a linkvet backup ({len(found)} schema revisions in it)")
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    script = ScriptDirectory.from_config(config)
    if found[0] not in {revision.revision for revision in script.walk_revisions()}:
        raise _Refused(
            f"it comes from a newer linkvet (schema revision {found[0]!r}; this linkvet knows up "
            f"to {script.get_current_head()!r}): use that version of linkvet or a later one"
        )
    return found[0]


# --- SQLite ----------------------------------------------------------------------------------


def _backup_sqlite(database: Path, target: Path) -> tuple[str, int]:
    if not database.is_file():
        raise _Refused("there is no database there")
    if target == database:
        raise _Refused("the backup would overwrite the store itself")
    with _written_beside(target) as temporary:
        # One step (pages=-1): the whole copy comes from one snapshot of the database.
        with (
            closing(sqlite3.connect(database, timeout=10)) as live,
            closing(sqlite3.connect(temporary)) as copy,
        ):
            live.backup(copy)
        return _seal_sqlite(temporary)


def _seal_sqlite(path: Path) -> tuple[str, int]:
    """Make the SQLite copy at `path` one self-contained file (a rollback journal, not a write-
    ahead log beside it) and check it: its schema revision and number of reports."""
    try:
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA journal_mode = DELETE")
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check(3)")]
            if problems != ["ok"]:
                raise _Refused(f"it is damaged ({'; '.join(problems)})")
            # SQLite reads a missing end of the file as zeros, which may well pass the check.
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            page_bytes = connection.execute("PRAGMA page_size").fetchone()[0]
            if pages * page_bytes != path.stat().st_size:
                raise _Refused("it is damaged (cut short)")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if not {"alembic_version", "reports"} <= tables:
                raise _Refused("it holds no linkvet case store")
            revisions = [
                row[0] for row in connection.execute("SELECT version_num FROM alembic_version")
            ]
            reports: int = connection.execute("SELECT count(*) FROM reports").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise _Refused(f"it is damaged ({error})") from None
    return _known_revision(revisions), reports


def _restore_sqlite(source: Path, database: Path, force: bool) -> tuple[str, int]:
    if source == database:
        raise _Refused("it is the store itself")
    # Checked as a copy beside the store, which is then renamed over it: what was checked is
    # what goes in, and a crash leaves the old store or the new one, never a mix.
    with _written_beside(database) as temporary:
        shutil.copyfile(source, temporary)
        revision, reports = _seal_sqlite(temporary)
        if database.exists():
            _check_replaceable_sqlite(database, force)
        for suffix in SQLITE_SIDE_FILES:
            database.with_name(database.name + suffix).unlink(missing_ok=True)
    return revision, reports


def _check_replaceable_sqlite(database: Path, force: bool) -> None:
    """Refuse to replace a store that holds reports (unless forced) or that is open."""
    try:
        with closing(sqlite3.connect(database, timeout=0)) as connection:
            if not force:
                _refuse_reports(_sqlite_reports(connection), str(database))
            # Leaving write-ahead logging needs the only connection to the database: this fails
            # while a server has it open, and otherwise folds the log into the file.
            connection.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as error:
        if "locked" in str(error):
            raise _Refused(
                f"the store at {database} is in use: stop the server (linkvet serve), then "
                "restore again"
            ) from None
        if not force:
            raise _Refused(
                f"the store at {database} cannot be read ({error}); restore with force "
                "(--force) to replace it"
            ) from None


def _sqlite_reports(connection: sqlite3.Connection) -> int:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if "reports" not in tables:
        return 0
    reports: int = connection.execute("SELECT count(*) FROM reports").fetchone()[0]
    return reports


def _refuse_reports(reports: int, described: str) -> None:
    if reports:
        raise _Refused(
            f"the store at {described} holds {reports:,} report(s), which a restore replaces: "
            "restore with force (--force) if that is what you want"
        )


# --- PostgreSQL ------------------------------------------------------------------------------


def _backup_postgresql(url: URL, described: str, target: Path) -> tuple[str, int]:
    with _written_beside(target) as temporary:
        _run_postgres(
            "pg_dump",
            ["--format=custom", "--no-password", f"--file={temporary}",
             f"--dbname={_conninfo(url)}"],
            url, doing=f"backing up {described}",
        )  # fmt: skip
        return _read_dump(temporary)


def _restore_postgresql(source: Path, url: URL, described: str, force: bool) -> tuple[str, int]:
    revision, reports = _read_dump(source)
    if not force:
        _refuse_reports(_postgresql_reports(url, described), described)
    # One transaction: a restore that fails half-way leaves the database as it was.
    _run_postgres(
        "pg_restore",
        ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--no-password",
         f"--dbname={_conninfo(url)}", str(source)],
        url, doing=f"restoring into {described}",
    )  # fmt: skip
    return revision, reports


def _read_dump(path: Path) -> tuple[str, int]:
    """Read a whole dump as pg_restore does (so that damage shows), taking its schema revision
    and counting its reports on the way."""
    command = [_postgres_program("pg_restore"), "--data-only", "--file=-", str(path)]
    revisions: list[str] = []
    reports = 0
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors) as process:  # noqa: S603 (our own arguments)
            assert process.stdout is not None
            table = None
            for line in process.stdout:
                if table is None:
                    started = COPY_START.match(line)
                    table = started[1] if started else None
                elif line == COPY_END:
                    table = None
                elif table == b"alembic_version":
                    revisions.append(line.decode().rstrip("\n"))
                else:
                    reports += 1
        if process.returncode != 0:
            raise _Refused(f"it is damaged or cut short ({_words_of(errors)})")
    if not revisions:
        raise _Refused("it holds no linkvet case store")
    return _known_revision(revisions), reports


def _postgresql_reports(url: URL, described: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("reports"):
                return 0
            reports: int = connection.execute(text("SELECT count(*) FROM reports")).scalar_one()
            return reports
    except SQLAlchemyError as error:
        raise _Refused(f"cannot read the store at {described} ({reason(error)})") from error
    finally:
        engine.dispose()


def _run_postgres(program: str, arguments: list[str], url: URL, *, doing: str) -> None:
    environment = dict(os.environ)
    environment.setdefault("PGCONNECT_TIMEOUT", "10")
    if url.password is not None:
        # In the environment, never on the command line, where any local user could read it.
        environment["PGPASSWORD"] = str(url.password)
    with tempfile.TemporaryFile() as errors:
        done = subprocess.run(  # noqa: S603 (our own arguments)
            [_postgres_program(program), *arguments],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
            env=environment, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise StoreError(f"{doing} failed: {_words_of(errors)}")


def _postgres_program(name: str) -> str:
    folders = [
        folder
        for folder in Path("/").glob(POSTGRES_BIN_GLOB)
        if folder.parent.name.isdigit() and (folder / name).is_file()
    ]
    if folders:
        return str(max(folders, key=lambda folder: int(folder.parent.name)) / name)
    found = shutil.which(name)
    if found is None:
        raise StoreError(
            f"{name} is not installed: a PostgreSQL store is backed up and restored with "
            "PostgreSQL's client programs (Debian: apt-get install postgresql-client)"
        )
    return found


def _conninfo(url: URL) -> str:
    """libpq's connection string for `url`, without the password."""
    fields: dict[str, object] = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "dbname": url.database,
        **url.query,
    }
    return " ".join(
        f"{key}='{_libpq_quoted(value)}'" for key, value in fields.items() if value is not None
    )


def _libpq_quoted(value: object) -> str:
    value = value[-1] if isinstance(value, tuple) else value
    return str(value).replace("\\", "\\\\").replace("'", "\\'")


def _words_of(errors: IO[bytes]) -> str:
    """What a PostgreSQL program said on failing, on one line, without the SQL it ran."""
    errors.seek(0)
    lines = errors.read().decode(errors="replace").splitlines()
    said = " ".join(line.strip() for line in lines if not line.startswith("Command was:"))
    return said.strip()[:2_000] or "no message"


# --- files -----------------------------------------------------------------------------------


@contextmanager
def _written_beside(path: Path) -> Iterator[Path]:
    """An empty file, readable by its owner only (backups hold reporters' names), beside
    `path` under a unique temporary name; flushed to disk and renamed to `path` when the block
    succeeds, deleted when it fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield temporary
        with temporary.open("rb+") as file:
            os.fsync(file.fileno())
        temporary.replace(path)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # the rename itself survives a crash
        finally:
            os.close(folder)
    finally:
        temporary.unlink(missing_ok=True)


def _os_reason(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    return f"{error.strerror or error}{where}"
