"""learning: last page view, answer confidence, reflections

Revision ID: 0008
Revises: 0007

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (SQLite 3.35+): a batch copy would reflect users' expression index.
    op.add_column("page_views", sa.Column("last_viewed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("attempt_answers", sa.Column("confident", sa.Boolean(), nullable=True))
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.String(length=80), nullable=False),
        sa.Column("page_id", sa.String(length=100), nullable=False),
        sa.Column("reflection_id", sa.String(length=100), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolments.id"], name=op.f("fk_reflections_enrolment_id_enrolments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
        sa.UniqueConstraint("enrolment_id", "reflection_id", name=op.f("uq_reflections_enrolment_id_reflection_id")),
    )
    op.create_index(op.f("ix_reflections_enrolment_id"), "reflections", ["enrolment_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reflections_enrolment_id"), table_name="reflections")
    op.drop_table("reflections")
    op.drop_column("attempt_answers", "confident")
    op.drop_column("page_views", "last_viewed_at")
