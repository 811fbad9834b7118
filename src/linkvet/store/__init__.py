"""The case store: reports that people send to their organisation's security team, what the
team does with them, the accounts that may see them, the audit log, and the API tokens.

SQLAlchemy over SQLite (a file under ./var/, the default) or PostgreSQL; the schema is made and
kept up to date by the Alembic migrations shipped in `migrations/`, run whenever a store is
opened.

    store = open_store()                      # or open_store("postgresql+psycopg://...")
    record = store.add_report(assessment, profile, note="Asked about my clearance")
    page = store.list_cases("default", filters=CaseFilter(band=Band.HIGH))
    token, token_record = store.create_token("intranet", ["assess", "report"])
    store.verify_token(token, "report")       # the TokenRecord, or None
"""

from linkvet.store._accounts import MIN_PASSWORD_CHARS, LoginThrottled
from linkvet.store._backup import BackupInfo, backup, restore
from linkvet.store._base import DEFAULT_ORGANISATION
from linkvet.store._cases import CaseConflict, CaseFilter, CasePage, Purged
from linkvet.store._errors import NotFound, StoreError, StoreUnavailable
from linkvet.store._photos import profile_of
from linkvet.store._records import (
    AuditRecord,
    LinkRecord,
    NoteRecord,
    OrganisationRecord,
    PhotoRecord,
    ReportRecord,
    TokenRecord,
    UserRecord,
)
from linkvet.store._store import Store, open_store
from linkvet.store._tables import ReportStatus, Role
from linkvet.store._tokens import TOKEN_SCOPES

__all__ = [
    "DEFAULT_ORGANISATION",
    "MIN_PASSWORD_CHARS",
    "TOKEN_SCOPES",
    "AuditRecord",
    "BackupInfo",
    "CaseConflict",
    "CaseFilter",
    "CasePage",
    "LinkRecord",
    "LoginThrottled",
    "NotFound",
    "NoteRecord",
    "OrganisationRecord",
    "PhotoRecord",
    "Purged",
    "ReportRecord",
    "ReportStatus",
    "Role",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "TokenRecord",
    "UserRecord",
    "backup",
    "open_store",
    "profile_of",
    "restore",
]
