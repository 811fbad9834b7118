"""Alembic's entry point for the case store's migrations.

linkvet runs them itself when it opens a store (`linkvet.store.open_store`), handing over a
connection already inside a transaction. To write the next migration, point Alembic at a scratch
database with an ini file holding `script_location = linkvet.store:migrations` and
`sqlalchemy.url`, then run `alembic revision --autogenerate -m "..."` and review the result.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from linkvet.store._tables import Base


def _migrate(connection: Connection) -> None:
    # Batch mode: SQLite cannot ALTER most things, so Alembic copies the table instead.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    given = context.config.attributes.get("connection")
    if isinstance(given, Connection):
        _migrate(given)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url in the Alembic ini file")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


run()
