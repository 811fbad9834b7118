"""The report store: cases that people send to their security team, and the API tokens.

One engine and one session factory per store; every call has a session of its own, so that a
store can be shared by the threads of a web server. Every write is committed before the call
returns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Final, Self

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from linkvet.model import SHORT_TEXT, Assessment, Profile
from linkvet.store._checks import (
    checked_line,
    checked_note,
    checked_optional_line,
    display_copy,
    is_sha256,
    is_slug,
)
from linkvet.store._database import WRITES, database_url, open_engine, reason
from linkvet.store._errors import StoreError
from linkvet.store._photos import split_pictures
from linkvet.store._records import PhotoRecord, ReportRecord, TokenRecord
from linkvet.store._tables import (
    NAME_CHARS,
    NOTE_CHARS,
    TOKEN_PREFIX_CHARS,
    URL_CHARS,
    ApiToken,
    Organisation,
    Report,
    ReportPhoto,
    ReportStatus,
)

DEFAULT_ORGANISATION: Final = "default"
TOKEN_SCOPES: Final = ("assess", "report", "learn")
TOKEN_START: Final = "lv_"  # noqa: S105 (a marker that every token starts with, not a secret)
# Longer than any token we make ("lv_" and 43 characters); anything longer is not looked up.
TOKEN_CHARS: Final = 100
# A token's last use is written at most this often, so that busy clients do not turn every
# request into a write.
LAST_USED_EVERY: Final = dt.timedelta(minutes=1)
MAX_LIST: Final = 1_000


def open_store(url: str | None = None) -> Store:
    """Open (and create or migrate) the store at `url`, else $LINKVET_DATABASE_URL, else the
    SQLite file var/cases.sqlite under the working directory."""
    parsed, described = database_url(url)
    return Store(open_engine(parsed, described), described=described)


class Store:
    """Reports (cases) and API tokens, each belonging to an organisation."""

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

    # --- reports ---------------------------------------------------------------------------

    def add_report(
        self,
        assessment: Assessment,
        profile: Profile,
        *,
        note: str = "",
        reporter_name: str | None = None,
        reporter_contact: str | None = None,
        organisation: str = DEFAULT_ORGANISATION,
    ) -> ReportRecord:
        """Store a case; it is committed to disk when this returns."""
        report = Report(
            id=str(uuid.uuid4()),
            created_at=_now(),
            status=ReportStatus.NEW,
            band=assessment.band,
            probability=assessment.probability,
            subject_name=display_copy(assessment.subject.name, limit=SHORT_TEXT),
            subject_url=display_copy(assessment.subject.url, limit=URL_CHARS),
            note=checked_note(note, limit=NOTE_CHARS),
            reporter_name=checked_optional_line(
                reporter_name, "the reporter's name", limit=NAME_CHARS
            ),
            reporter_contact=checked_optional_line(
                reporter_contact, "the reporter's contact", limit=NAME_CHARS
            ),
            assessment_json=assessment.model_dump_json(),
        )
        report.profile_json, pictures = split_pictures(profile)
        report.photos = [
            ReportPhoto(sha256=picture.sha256, media_type=picture.media_type, data=picture.data)
            for picture in pictures
        ]
        with self._session(writes=True) as session:
            report.organisation_id = _organisation_id(session, organisation)
            session.add(report)
        return ReportRecord.from_row(report, organisation)

    def get_report(
        self, report_id: str, *, organisation: str = DEFAULT_ORGANISATION
    ) -> ReportRecord | None:
        """The case with this id in this organisation; `None` for another's or an unknown id."""
        key = _report_key(report_id)
        with self._session() as session:
            organisation_id = _organisation_id(session, organisation)
            row = session.scalar(
                select(Report).where(Report.id == key, Report.organisation_id == organisation_id)
            )
            return None if row is None else ReportRecord.from_row(row, organisation)

    def list_reports(
        self, organisation: str = DEFAULT_ORGANISATION, limit: int = 50
    ) -> list[ReportRecord]:
        """The organisation's newest cases first."""
        if not 1 <= limit <= MAX_LIST:
            raise StoreError(f"limit must be between 1 and {MAX_LIST:,}, not {limit}")
        with self._session() as session:
            organisation_id = _organisation_id(session, organisation)
            rows = session.scalars(
                select(Report)
                .where(Report.organisation_id == organisation_id)
                .order_by(Report.created_at.desc(), Report.id)
                .limit(limit)
            )
            return [ReportRecord.from_row(row, organisation) for row in rows]

    def get_photo(
        self, report_id: str, sha256: str, *, organisation: str = DEFAULT_ORGANISATION
    ) -> PhotoRecord | None:
        """A picture of a case, named by the `sha256` its `profile_json` gives."""
        key = _report_key(report_id)
        with self._session() as session:
            organisation_id = _organisation_id(session, organisation)
            if not is_sha256(sha256):
                return None
            row = session.scalar(
                select(ReportPhoto)
                .join(Report)
                .where(
                    Report.id == key,
                    Report.organisation_id == organisation_id,
                    ReportPhoto.sha256 == sha256,
                )
            )
            return None if row is None else PhotoRecord.from_row(row)

    # --- API tokens ------------------------------------------------------------------------

    def create_token(
        self, name: str, scopes: Iterable[str], *, organisation: str = DEFAULT_ORGANISATION
    ) -> tuple[str, TokenRecord]:
        """A new token and its record. Show the token once: only its hash is kept."""
        name = checked_line(name, "the token's name", limit=NAME_CHARS)
        wanted = _checked_scopes(scopes)
        token = TOKEN_START + secrets.token_urlsafe(32)
        row = ApiToken(
            name=name,
            token_hash=_token_hash(token),
            prefix=token[:TOKEN_PREFIX_CHARS],
            scopes=" ".join(wanted),
            created_at=_now(),
        )
        with self._session(writes=True) as session:
            row.organisation_id = _organisation_id(session, organisation)
            session.add(row)
        return token, TokenRecord.from_row(row, organisation)

    def verify_token(self, token: str, scope: str) -> TokenRecord | None:
        """The token's record if it is known, not revoked and carries `scope`; else `None`."""
        if scope not in TOKEN_SCOPES:
            raise StoreError(f"unknown scope {scope!r}: expected one of {', '.join(TOKEN_SCOPES)}")
        if not (
            isinstance(token, str)
            and token.isascii()
            and token.startswith(TOKEN_START)
            and len(token) <= TOKEN_CHARS
        ):
            return None
        # Looked up by its hash, never compared as text: timing can tell an attacker at most how
        # much of a SHA-256 matched, which says nothing about any token.
        digest = _token_hash(token)
        with self._session() as session:
            found = session.execute(
                select(ApiToken, Organisation.slug)
                .join(Organisation)
                .where(ApiToken.token_hash == digest)
            ).one_or_none()
        if found is None:
            return None
        row, organisation = found
        if row.revoked_at is not None or scope not in row.scopes.split():
            return None
        now = _now()
        stale = now - LAST_USED_EVERY
        if row.last_used_at is None or row.last_used_at <= stale:
            with self._session(writes=True) as session:
                session.execute(
                    update(ApiToken)
                    .where(
                        ApiToken.id == row.id,
                        or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= stale),
                    )
                    .values(last_used_at=now)
                )
            row.last_used_at = now
        return TokenRecord.from_row(row, organisation)

    def revoke_token(
        self, token_id: int, *, organisation: str = DEFAULT_ORGANISATION
    ) -> TokenRecord:
        """Revoke a token for good (revoking it again changes nothing)."""
        with self._session(writes=True) as session:
            organisation_id = _organisation_id(session, organisation)
            row = None
            if isinstance(token_id, int):
                row = session.scalar(
                    select(ApiToken).where(
                        ApiToken.id == token_id, ApiToken.organisation_id == organisation_id
                    )
                )
            if row is None:
                raise StoreError(f"no API token {token_id!r} in organisation {organisation!r}")
            if row.revoked_at is None:
                row.revoked_at = _now()
        return TokenRecord.from_row(row, organisation)

    # ---------------------------------------------------------------------------------------

    @contextmanager
    def _session(self, *, writes: bool = False) -> Iterator[Session]:
        """A session in one transaction, committed on leaving; database failures become
        `StoreError`."""
        sessions = self._writes if writes else self._reads
        try:
            with sessions.begin() as session:
                yield session
        except SQLAlchemyError as error:
            raise StoreError(
                f"the case store at {self._described} failed: {reason(error)}"
            ) from error


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _organisation_id(session: Session, organisation: str) -> int:
    found = None
    if is_slug(organisation):
        found = session.scalar(select(Organisation.id).where(Organisation.slug == organisation))
    if found is None:
        raise StoreError(f"unknown organisation {organisation!r:.80}")
    return found


def _report_key(report_id: str) -> str:
    """The canonical form of a report id; an id that is no UUID matches nothing."""
    try:
        return str(uuid.UUID(str(report_id)))
    except ValueError:
        return ""


def _checked_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    if isinstance(scopes, str):
        raise StoreError("scopes must be a list of names, not one string")
    wanted = set(scopes)
    unknown = sorted(map(repr, wanted - set(TOKEN_SCOPES)))
    if unknown:
        raise StoreError(
            f"unknown scope(s) {', '.join(unknown)}: expected {', '.join(TOKEN_SCOPES)}"
        )
    if not wanted:
        raise StoreError("a token needs at least one scope")
    return tuple(scope for scope in TOKEN_SCOPES if scope in wanted)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()
