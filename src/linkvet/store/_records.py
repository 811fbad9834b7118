"""What the store hands out: plain frozen records, never live ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from linkvet.model import Assessment, Band
from linkvet.store._tables import (
    ApiToken,
    AuditEntry,
    Organisation,
    Report,
    ReportPhoto,
    ReportStatus,
    Role,
    User,
)

# The analyst's verdict as a label for `linkvet evaluate`: 1 = fake, 0 = genuine.
FAKE_STATUSES: Final = frozenset({ReportStatus.CONFIRMED_FAKE, ReportStatus.REPORTED_TO_PLATFORM})
GENUINE_STATUSES: Final = frozenset({ReportStatus.BENIGN})


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """A case as stored. `profile_json` has each inline picture's bytes replaced by `sha256`;
    `Store.get_photo` gives the bytes."""

    id: str
    organisation: str
    created_at: dt.datetime
    status: ReportStatus
    version: int
    band: Band
    probability: float
    subject_name: str | None
    subject_url: str | None
    note: str
    reporter_name: str | None
    reporter_contact: str | None
    reporter_user_id: int | None
    team: str | None
    merged_into: str | None
    updated_at: dt.datetime | None
    source_check: str | None
    assessment_json: str = field(repr=False)
    profile_json: str = field(repr=False)

    @property
    def assessment(self) -> Assessment:
        return Assessment.model_validate_json(self.assessment_json)

    @property
    def label(self) -> int | None:
        """The analyst's verdict: 1 (confirmed fake), 0 (benign), or None (not decided)."""
        if self.status in FAKE_STATUSES:
            return 1
        if self.status in GENUINE_STATUSES:
            return 0
        return None

    @classmethod
    def from_row(cls, row: Report, organisation: str) -> ReportRecord:
        return cls(
            id=row.id,
            organisation=organisation,
            created_at=row.created_at,
            status=row.status,
            version=row.version,
            band=row.band,
            probability=row.probability,
            subject_name=row.subject_name,
            subject_url=row.subject_url,
            note=row.note,
            reporter_name=row.reporter_name,
            reporter_contact=row.reporter_contact,
            reporter_user_id=row.reporter_user_id,
            team=row.team,
            merged_into=row.merged_into,
            updated_at=row.updated_at,
            source_check=row.source_check,
            assessment_json=row.assessment_json,
            profile_json=row.profile_json,
        )


@dataclass(frozen=True, slots=True)
class PhotoRecord:
    """A picture from a reported profile, named in its `profile_json` by `sha256`."""

    report_id: str
    sha256: str
    media_type: str
    data: bytes = field(repr=False)

    @classmethod
    def from_row(cls, row: ReportPhoto) -> PhotoRecord:
        return cls(row.report_id, row.sha256, row.media_type, row.data)


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """An API token as stored: its name and first characters for display, never the token."""

    id: int
    organisation: str
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: ApiToken, organisation: str) -> TokenRecord:
        return cls(
            id=row.id,
            organisation=organisation,
            name=row.name,
            prefix=row.prefix,
            scopes=tuple(row.scopes.split()),
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """An analyst's note on a case."""

    id: int
    report_id: str
    author: str
    created_at: dt.datetime
    text: str


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """Another case of the organisation that shares something with this one, and what."""

    other_id: str
    other_subject_name: str | None
    other_band: Band
    other_status: ReportStatus
    other_created_at: dt.datetime
    reasons: tuple[str, ...]  # plain words: "same photo (2 bits apart)", "same employer: ..."


@dataclass(frozen=True, slots=True)
class OrganisationRecord:
    slug: str
    name: str
    retention_days: int | None

    @classmethod
    def from_row(cls, row: Organisation) -> OrganisationRecord:
        return cls(row.slug, row.name, row.retention_days)


@dataclass(frozen=True, slots=True)
class UserRecord:
    """An account as stored; never its password hash."""

    id: int
    organisation: str
    email: str
    display_name: str
    role: Role
    created_at: dt.datetime
    disabled_at: dt.datetime | None

    @property
    def actor(self) -> str:
        """How the audit log names this person."""
        return f"{self.display_name} <{self.email}> ({self.role.value})"

    @classmethod
    def from_row(cls, row: User, organisation: str) -> UserRecord:
        return cls(
            id=row.id,
            organisation=organisation,
            email=row.email,
            display_name=row.display_name,
            role=row.role,
            created_at=row.created_at,
            disabled_at=row.disabled_at,
        )


@dataclass(frozen=True, slots=True)
class AuditRecord:
    at: dt.datetime
    actor: str
    action: str
    target: str
    detail: str

    @classmethod
    def from_row(cls, row: AuditEntry) -> AuditRecord:
        return cls(row.at, row.actor, row.action, row.target, row.detail)
