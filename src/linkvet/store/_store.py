"""The store as one object: cases, accounts and the audit log, and API tokens."""

from __future__ import annotations

from linkvet.store._accounts import AccountsPart
from linkvet.store._cases import CasesPart
from linkvet.store._database import database_url, open_engine
from linkvet.store._tokens import TokensPart


def open_store(url: str | None = None) -> Store:
    """Open (and create or migrate) the store at `url`, else $LINKVET_DATABASE_URL, else the
    SQLite file var/cases.sqlite under the working directory."""
    parsed, described = database_url(url)
    return Store(open_engine(parsed, described), described=described)


class Store(CasesPart, AccountsPart, TokensPart):
    """Cases, accounts, the audit log and API tokens, each belonging to an organisation."""
