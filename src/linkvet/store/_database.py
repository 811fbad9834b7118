"""Opening the database: which URL, SQLite's settings, and bringing the schema up to date.

SQLite (the default, a file under ./var/) gets write-ahead logging, so that readers never wait
for the writer; enforced foreign keys; a busy timeout, so that writers queue instead of failing;
and synchronous commits, so that an acknowledged report survives a crash or a power cut.
The SQL itself is portable: a PostgreSQL URL gets the same schema through the same migrations.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from linkvet.store._errors import StoreError

URL_VARIABLE: Final = "LINKVET_DATABASE_URL"
DEFAULT_URL: Final = "sqlite:///var/cases.sqlite"
MIGRATIONS: Final = "linkvet.store:migrations"
# An execution option that marks a transaction as one that writes (see `_begin`).
WRITES: Final = "linkvet_writes"
# PostgreSQL's lock for migrating, held to the end of the transaction: "linkvet" as a number.
MIGRATION_LOCK: Final = int.from_bytes(b"linkvet", "big")
# Alembic keeps the running migration in module globals: one migration at a time per process.
_migrating = threading.Lock()

SQLITE_SETTINGS: Final = (
    "PRAGMA busy_timeout = 10000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
    # Deleted rows are overwritten with zeros: an erased photo does not linger in free pages.
    "PRAGMA secure_delete = ON",
)


def database_url(url: str | None) -> tuple[URL, str]:
    """The URL to open (argument, else $LINKVET_DATABASE_URL, else ./var/cases.sqlite) and a
    description of it for messages, password hidden."""
    given = url or os.environ.get(URL_VARIABLE) or DEFAULT_URL
    origin = f" (from ${URL_VARIABLE})" if not url and os.environ.get(URL_VARIABLE) else ""
    try:
        parsed = make_url(given)
    except ArgumentError:
        # Not echoed: an unparsable URL may still hold a password.
        raise StoreError(
            f"cannot open database{origin}: not a database URL (expected for example "
            "sqlite:///var/cases.sqlite or postgresql+psycopg://user@host/linkvet)"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        parsed = _sqlite_file(parsed, origin)
    return parsed, parsed.render_as_string(hide_password=True) + origin


def open_engine(url: URL, described: str) -> Engine:
    """An engine for `url` with the schema migrated to the newest revision."""
    try:
        engine = create_engine(url, pool_pre_ping=url.get_backend_name() != "sqlite")
    except (SQLAlchemyError, ImportError) as error:
        raise StoreError(f"cannot open database at {described}: {reason(error)}") from error
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin)
    try:
        _migrate(engine)
    except (SQLAlchemyError, CommandError, OSError) as error:
        engine.dispose()
        raise StoreError(f"cannot open database at {described}: {reason(error)}") from error
    return engine


def reason(error: BaseException) -> str:
    """The database's own words, without SQLAlchemy's SQL echo and link to its docs."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        return str(error.orig) or type(error.orig).__name__
    return str(error).split("\n", 1)[0] or type(error).__name__


def _sqlite_file(url: URL, origin: str) -> URL:
    database = url.database or ""
    if database in {"", ":memory:"} or database.startswith("file:"):
        raise StoreError(
            f"cannot open database{origin}: the case store needs a SQLite file given by its "
            "path (sqlite:///path/to/cases.sqlite), not an in-memory database or a file: URI"
        )
    path = Path(database).expanduser().resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"cannot open database at sqlite:///{path}{origin}: cannot create the folder "
            f"{path.parent}: {error.strerror or error}"
        ) from error
    return url.set(database=str(path))


def _migrate(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    # One transaction, locked from the start (BEGIN IMMEDIATE on SQLite, an advisory lock on
    # PostgreSQL): processes opening the store at the same time, such as web workers, migrate
    # one after the other, and the later ones find nothing left to do.
    with _migrating, engine.execution_options(**{WRITES: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _configure_sqlite(connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # sqlite3 would begin transactions itself, late and not before DDL; `_begin` does it instead.
    connection.isolation_level = None
    cursor = connection.cursor()
    try:
        for setting in SQLITE_SETTINGS:
            cursor.execute(setting)
    finally:
        cursor.close()


def _begin(connection: Connection) -> None:
    # A transaction that will write takes the write lock at BEGIN, while the busy timeout still
    # applies: a read that later turns into a write would fail at once with "database is locked"
    # if another process wrote in between.
    writes = connection.get_execution_options().get(WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
