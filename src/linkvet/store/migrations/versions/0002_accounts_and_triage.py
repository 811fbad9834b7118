"""Accounts, sessions and the audit log; triage (team, merges, notes) and related-case links;
retention per organisation.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("reporter", "analyst", "admin")


def _time(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(*ROLES, name="role", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        _time("created_at"),
        _time("disabled_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_users_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _time("created_at"),
        _time("expires_at"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_user_id"), "sessions", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_key", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        _time("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_email_key_at", "login_failures", ["email_key", "at"])
    op.create_index("ix_login_failures_address_at", "login_failures", ["address", "at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        _time("at"),
        sa.Column("actor", sa.String(length=454), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_audit_log_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_organisation_id_at", "audit_log", ["organisation_id", "at"])
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("reporter_user_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("team", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("merged_into", sa.String(length=36), nullable=True))
        batch.add_column(_time("updated_at", nullable=True))
        batch.create_foreign_key(
            op.f("fk_reports_reporter_user_id_users"),
            "users",
            ["reporter_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            op.f("fk_reports_merged_into_reports"),
            "reports",
            ["merged_into"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_reports_reporter_user_id"), ["reporter_user_id"])
        batch.create_index(op.f("ix_reports_merged_into"), ["merged_into"])
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        _time("created_at"),
        sa.Column("text", sa.String(length=5000), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_case_notes_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    op.create_index(op.f("ix_case_notes_report_id"), "case_notes", ["report_id"])
    op.create_table(
        "case_fingerprints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=600), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_case_fingerprints_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_case_fingerprints_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_fingerprints")),
    )
    op.create_index(op.f("ix_case_fingerprints_report_id"), "case_fingerprints", ["report_id"])
    op.create_index(
        "ix_case_fingerprints_lookup", "case_fingerprints", ["organisation_id", "kind", "value"]
    )
    op.create_table(
        "case_links",
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("other_id", sa.String(length=36), nullable=False),
        sa.Column("reasons", sa.String(length=1200), nullable=False),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["reports.id"],
            name=op.f("fk_case_links_other_id_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_case_links_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", "other_id", name=op.f("pk_case_links")),
    )
    op.create_index(op.f("ix_case_links_other_id"), "case_links", ["other_id"])


def downgrade() -> None:
    op.drop_table("case_links")
    op.drop_table("case_fingerprints")
    op.drop_table("case_notes")
    with op.batch_alter_table("reports") as batch:
        batch.drop_index(op.f("ix_reports_merged_into"))
        batch.drop_index(op.f("ix_reports_reporter_user_id"))
        batch.drop_constraint(op.f("fk_reports_merged_into_reports"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_reports_reporter_user_id_users"), type_="foreignkey")
        batch.drop_column("updated_at")
        batch.drop_column("merged_into")
        batch.drop_column("team")
        batch.drop_column("reporter_user_id")
    op.drop_table("audit_log")
    op.drop_table("login_failures")
    op.drop_table("sessions")
    op.drop_table("users")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("retention_days")
