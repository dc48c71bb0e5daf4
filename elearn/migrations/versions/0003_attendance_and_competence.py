"""attendance and competence

Revision ID: 0003
Revises: 0002

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "attendance",
                sa.Enum(
                    "not_recorded",
                    "attended",
                    "day_1_only",
                    "day_2_only",
                    "absent",
                    name="attendance",
                    native_enum=False,
                    length=20,
                ),
                nullable=False,
                server_default="not_recorded",
            )
        )
        batch_op.add_column(
            sa.Column(
                "competence",
                sa.Enum(
                    "not_assessed", "competent", "not_yet_competent", name="competence", native_enum=False, length=20
                ),
                nullable=False,
                server_default="not_assessed",
            )
        )
        batch_op.add_column(sa.Column("competence_note", sa.String(length=2000), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("outcome_recorded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("outcome_recorded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_enrolments_outcome_recorded_by_id_users"), "users", ["outcome_recorded_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_enrolments_outcome_recorded_by_id_users"), type_="foreignkey")
        batch_op.drop_column("outcome_recorded_by_id")
        batch_op.drop_column("outcome_recorded_at")
        batch_op.drop_column("competence_note")
        batch_op.drop_column("competence")
        batch_op.drop_column("attendance")
