"""The case store's tables, as typed SQLAlchemy ORM classes.

The schema itself is made by the Alembic migrations in `migrations/versions/`, never by
`create_all`: a change here needs a new migration there (a test compares the two).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Dialect,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from linkvet.model import SHORT_TEXT, Band

# Caps that the store enforces itself, with a clear message, before the database would.
NOTE_CHARS: Final = 5_000
NAME_CHARS: Final = 200
URL_CHARS: Final = 4_096
SLUG_CHARS: Final = 64
SHA256_HEX: Final = 64
TOKEN_PREFIX_CHARS: Final = 8
EMAIL_CHARS: Final = 254
TEAM_CHARS: Final = 200
AUDIT_DETAIL_CHARS: Final = 500
FINGERPRINT_CHARS: Final = 600
LINK_REASON_CHARS: Final = 300

# Named constraints, so that later migrations can alter them (SQLite's batch mode needs names).
NAMING_CONVENTION: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ReportStatus(StrEnum):
    """Where a case stands in the security team's triage."""

    NEW = "new"
    TRIAGING = "triaging"
    CONFIRMED_FAKE = "confirmed_fake"
    BENIGN = "benign"
    REPORTED_TO_PLATFORM = "reported_to_platform"


class Role(StrEnum):
    """What an account may do: a reporter sees their own reports; an analyst all the cases of
    the organisation; an admin also manages accounts, tokens and retention."""

    REPORTER = "reporter"
    ANALYST = "analyst"
    ADMIN = "admin"


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A point in time, always timezone-aware UTC in Python, whatever the database keeps.

    SQLite keeps no offset: values go in converted to UTC and come back marked as UTC, so that
    they also compare correctly as text.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the store keeps timezone-aware times only")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _enum_values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Organisation(Base):
    """An organisation whose staff send reports to its security team; "default" to begin with."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_CHARS), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_CHARS))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Cases older than this many days are deleted with their photos; None keeps them.
    retention_days: Mapped[int | None] = mapped_column(Integer)


class User(Base):
    """An account: a person who reports, triages or administers, in one organisation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    # Unique across the deployment: a person signs in with it and nothing else.
    email: Mapped[str] = mapped_column(String(EMAIL_CHARS), unique=True)
    display_name: Mapped[str] = mapped_column(String(NAME_CHARS))
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            name="role",
            native_enum=False,
            create_constraint=True,
            length=16,
            values_callable=_enum_values,
        )
    )
    password_hash: Mapped[str] = mapped_column(String(200), doc="argon2id, with its parameters")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class UserSession(Base):
    """A signed-in browser. Only the SHA-256 of the cookie's value is kept."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(SHA256_HEX), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class LoginFailure(Base):
    """A failed sign-in, counted to slow down password guessing (by account and by address)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_key_at", "email_key", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email_key: Mapped[str] = mapped_column(String(SHA256_HEX))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """Who viewed or changed what, and when. Kept when the case or the account goes."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_organisation_id_at", "organisation_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(NAME_CHARS + EMAIL_CHARS))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(String(AUDIT_DETAIL_CHARS))


class Report(Base):
    """A case: an assessment that a person sent to their security team, with a note."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("probability >= 0 AND probability <= 1", name="probability_range"),
        Index("ix_reports_organisation_id_created_at", "organisation_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    status: Mapped[ReportStatus] = mapped_column(
        Enum(
            ReportStatus,
            name="report_status",
            native_enum=False,
            create_constraint=True,
            length=32,
            values_callable=_enum_values,
        )
    )
    band: Mapped[Band] = mapped_column(
        Enum(
            Band,
            name="band",
            native_enum=False,
            create_constraint=True,
            length=16,
            values_callable=_enum_values,
        )
    )
    probability: Mapped[float] = mapped_column(Float)
    subject_name: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    subject_url: Mapped[str | None] = mapped_column(String(URL_CHARS))
    note: Mapped[str] = mapped_column(String(NOTE_CHARS))
    reporter_name: Mapped[str | None] = mapped_column(String(NAME_CHARS))
    reporter_contact: Mapped[str | None] = mapped_column(String(NAME_CHARS))
    # The account that filed it, if signed in: a reporter sees only these.
    reporter_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The team or sector that was approached, set by the reporter or the analyst.
    team: Mapped[str | None] = mapped_column(String(TEAM_CHARS))
    # A duplicate merged into another case points at it and leaves the case list.
    merged_into: Mapped[str | None] = mapped_column(
        ForeignKey("reports.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The web check it was made from: erasing the case erases the check and its pictures.
    source_check: Mapped[str | None] = mapped_column(String(22))
    assessment_json: Mapped[str] = mapped_column(Text)
    # The profile as JSON, with each inline picture's bytes replaced by their SHA-256: the bytes
    # live in report_photos, so that they go when the case goes.
    profile_json: Mapped[str] = mapped_column(Text)
    # Bumped on every update: two analysts editing one case cannot overwrite each other.
    version: Mapped[int] = mapped_column(Integer)

    photos: Mapped[list[ReportPhoto]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    notes: Mapped[list[CaseNote]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CaseNote.id"
    )
    fingerprints: Mapped[list[CaseFingerprint]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's own attribute)


class ReportPhoto(Base):
    """A picture from a reported profile (its photo or banner), deleted with the case."""

    __tablename__ = "report_photos"

    report_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(String(SHA256_HEX), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CaseNote(Base):
    """An analyst's note on a case."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(NAME_CHARS))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(String(NOTE_CHARS))


class CaseFingerprint(Base):
    """Something a case can share with another (a photo hash, a sender URL, a text template's
    LSH band), derived from its profile and deleted with it."""

    __tablename__ = "case_fingerprints"
    __table_args__ = (Index("ix_case_fingerprints_lookup", "organisation_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(FINGERPRINT_CHARS))


class CaseLink(Base):
    """Two related cases and why, kept both ways round so that either finds the other."""

    __tablename__ = "case_links"

    report_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    other_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    reasons: Mapped[str] = mapped_column(String(LINK_REASON_CHARS * 4), doc="one per line")


class ApiToken(Base):
    """A token for /api/v1. Only its SHA-256 is kept: the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(NAME_CHARS))
    token_hash: Mapped[str] = mapped_column(String(SHA256_HEX), unique=True)
    prefix: Mapped[str] = mapped_column(String(TOKEN_PREFIX_CHARS))
    scopes: Mapped[str] = mapped_column(String(NAME_CHARS), doc="space-separated")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
