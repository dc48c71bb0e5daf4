"""Prepared files: large spreadsheets and evidence packs built by the job worker, kept (bytes and all)
in the database so any web host can serve them to the person who asked, until they expire.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "prepared_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("filekind", "completions_xlsx", "evidence_pack"), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("covers", sa.String(length=1000), nullable=False),
        sa.Column("status", _enum("filestatus", "queued", "building", "ready", "failed"), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "status != 'ready' OR (content IS NOT NULL AND filename IS NOT NULL AND finished_at IS NOT NULL)",
            name=op.f("ck_prepared_files_ready_has_content"),
        ),
        sa.CheckConstraint("size IS NULL OR size >= 0", name=op.f("ck_prepared_files_size_not_negative")),
        sa.CheckConstraint("tries >= 0", name=op.f("ck_prepared_files_tries_not_negative")),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["users.id"], name=op.f("fk_prepared_files_requester_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prepared_files")),
    )
    op.create_index("ix_prepared_files_expires_at", "prepared_files", ["expires_at"])
    op.create_index("ix_prepared_files_requester_id_created_at", "prepared_files", ["requester_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_prepared_files_requester_id_created_at", "prepared_files")
    op.drop_index("ix_prepared_files_expires_at", "prepared_files")
    op.drop_table("prepared_files")
