"""The first case store: organisations, reports with their photos, and API tokens.

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A migration is a record of what was done: it spells the schema out rather than importing the
# ORM classes, which will have changed by the time this runs on an old database.
STATUSES = ("new", "triaging", "confirmed_fake", "benign", "reported_to_platform")
BANDS = ("low", "medium", "high")


def upgrade() -> None:
    organisations = op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisations_slug")),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                *STATUSES,
                name="report_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "band",
            sa.Enum(*BANDS, name="band", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("subject_name", sa.String(length=500), nullable=True),
        sa.Column("subject_url", sa.String(length=4096), nullable=True),
        sa.Column("note", sa.String(length=5000), nullable=False),
        sa.Column("reporter_name", sa.String(length=200), nullable=True),
        sa.Column("reporter_contact", sa.String(length=200), nullable=True),
        sa.Column("assessment_json", sa.Text(), nullable=False),
        sa.Column("profile_json", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "probability >= 0 AND probability <= 1", name=op.f("ck_reports_probability_range")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_reports_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    op.create_index(
        "ix_reports_organisation_id_created_at", "reports", ["organisation_id", "created_at"]
    )
    op.create_table(
        "report_photos",
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_photos_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", "sha256", name=op.f("pk_report_photos")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=8), nullable=False),
        sa.Column("scopes", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_api_tokens_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    # Reports and tokens belong to an organisation: until accounts exist, everyone's is this one.
    op.bulk_insert(
        organisations,
        [
            {
                "slug": "default",
                "name": "Default organisation",
                "created_at": dt.datetime.now(dt.UTC),
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("api_tokens")
    op.drop_table("report_photos")
    op.drop_index("ix_reports_organisation_id_created_at", table_name="reports")
    op.drop_table("reports")
    op.drop_table("organisations")
