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
    assessment_json: Mapped[str] = mapped_column(Text)
    # The profile as JSON, with each inline picture's bytes replaced by their SHA-256: the bytes
    # live in report_photos, so that they go when the case goes.
    profile_json: Mapped[str] = mapped_column(Text)
    # Bumped on every update: two analysts editing one case cannot overwrite each other.
    version: Mapped[int] = mapped_column(Integer)

    photos: Mapped[list[ReportPhoto]] = relationship(
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
