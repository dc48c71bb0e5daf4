"""Covering indexes for the trainer's readiness board: each trainee's latest page view, and their attempts'
results per module, read from the index alone (no visit to the wide attempt rows, whose draw is JSON).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_page_views_enrolment_id_first_viewed_at", "page_views", ["enrolment_id", "first_viewed_at"])
    op.create_index(
        "ix_attempts_enrolment_id_results",
        "attempts",
        ["enrolment_id", "module_id", "state", "is_passed", "score_percent", "submitted_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_attempts_enrolment_id_results", "attempts")
    op.drop_index("ix_page_views_enrolment_id_first_viewed_at", "page_views")
