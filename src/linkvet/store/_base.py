"""What every part of the store shares: the engine, sessions that commit on leaving, and the
look-ups that scope everything to one organisation."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Final, Self

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from linkvet.store._checks import is_slug
from linkvet.store._database import WRITES, reason
from linkvet.store._errors import StoreError, StoreUnavailable
from linkvet.store._tables import (
    AUDIT_DETAIL_CHARS,
    EMAIL_CHARS,
    NAME_CHARS,
    AuditEntry,
    Organisation,
)

DEFAULT_ORGANISATION: Final = "default"


class StoreBase:
    """One engine and one session factory per store; every call has a session of its own, so
    that a store can be shared by the threads of a web server. Every write is committed before
    the call returns."""

    def __init__(self, engine: Engine, *, described: str) -> None:
        self._engine = engine
        self._described = described
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(
            engine.execution_options(**{WRITES: True}), expire_on_commit=False
        )

    def __repr__(self) -> str:
        return f"Store({self._described!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._engine.dispose()

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    @contextmanager
    def _session(self, *, writes: bool = False) -> Iterator[Session]:
        """A session in one transaction, committed on leaving; database failures become
        `StoreError`."""
        sessions = self._writes if writes else self._reads
        try:
            with sessions.begin() as session:
                yield session
        except (OperationalError, InterfaceError) as error:
            # Locked, out of connections, the server gone: the same request may work later.
            raise StoreUnavailable(
                f"the case store at {self._described} is unavailable: {reason(error)}"
            ) from error
        except SQLAlchemyError as error:
            raise StoreError(
                f"the case store at {self._described} failed: {reason(error)}"
            ) from error

    def _lock_organisation(self, session: Session, organisation_id: int) -> None:
        """Writers that read before they write (linking a new case to the others) take turns
        per organisation. SQLite's writers take turns anyway (BEGIN IMMEDIATE)."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(1, :key)"), {"key": organisation_id})


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def organisation_id(session: Session, organisation: str) -> int:
    found = None
    if is_slug(organisation):
        found = session.scalar(select(Organisation.id).where(Organisation.slug == organisation))
    if found is None:
        raise StoreError(f"unknown organisation {organisation!r:.80}")
    return found


def report_key(report_id: str) -> str:
    """The canonical form of a report id; an id that is no UUID matches nothing."""
    try:
        return str(uuid.UUID(str(report_id)))
    except ValueError:
        return ""


def write_audit(
    session: Session, owner: int, actor: str, action: str, target: str, detail: str = ""
) -> None:
    """Add an entry to the audit log, in the transaction of the change it records."""
    session.add(
        AuditEntry(
            organisation_id=owner, at=now(), actor=actor[: NAME_CHARS + EMAIL_CHARS],
            action=action[:64], target=target[:100], detail=detail[:AUDIT_DETAIL_CHARS],
        )
    )  # fmt: skip
