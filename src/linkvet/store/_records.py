"""What the store hands out: plain frozen records, never live ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from linkvet.model import Assessment, Band
from linkvet.store._tables import ApiToken, Report, ReportPhoto, ReportStatus


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
    assessment_json: str = field(repr=False)
    profile_json: str = field(repr=False)

    @property
    def assessment(self) -> Assessment:
        return Assessment.model_validate_json(self.assessment_json)

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
