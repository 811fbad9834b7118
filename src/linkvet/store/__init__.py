"""The case store: reports that people send to their organisation's security team, and the API
tokens of /api/v1.

SQLAlchemy over SQLite (a file under ./var/, the default) or PostgreSQL; the schema is made and
kept up to date by the Alembic migrations shipped in `migrations/`, run whenever a store is
opened.

    store = open_store()                      # or open_store("postgresql+psycopg://...")
    record = store.add_report(assessment, profile, note="Asked about my clearance")
    token, token_record = store.create_token("intranet", ["assess", "report"])
    store.verify_token(token, "report")       # the TokenRecord, or None
"""

from linkvet.store._errors import StoreError
from linkvet.store._records import PhotoRecord, ReportRecord, TokenRecord
from linkvet.store._store import TOKEN_SCOPES, Store, open_store
from linkvet.store._tables import ReportStatus

__all__ = [
    "TOKEN_SCOPES",
    "PhotoRecord",
    "ReportRecord",
    "ReportStatus",
    "Store",
    "StoreError",
    "TokenRecord",
    "open_store",
]
