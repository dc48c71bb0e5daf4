"""Managers of organisations (a new role and who manages what), reminders sent from the board (one per
person per day) and refresher notices (each sent once).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Written out: a migration never imports app code.
ROLES_BEFORE = ("trainee", "trainer", "admin")
ROLES_AFTER = (*ROLES_BEFORE, "manager")


def _role_check(values) -> sa.TextClause:
    return sa.text(f"role IN ({', '.join(repr(v) for v in values)})")


def _replace_role_check(values) -> None:
    # SQLite's batch mode rebuilds the table from reflection, which cannot see the expression index on
    # lower(email): take it off first and put it back after, so it is not lost.
    op.drop_index("uq_users_email_lower", "users")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_users_role"), _role_check(values))
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)


def upgrade() -> None:
    _replace_role_check(ROLES_AFTER)
    op.create_table(
        "organisation_managers",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_managers_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_organisation_managers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "organisation_id", name=op.f("pk_organisation_managers")),
    )
    op.create_index("ix_organisation_managers_organisation_id", "organisation_managers", ["organisation_id"])
    op.create_table(
        "staff_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolments.id"],
            name=op.f("fk_staff_reminders_enrolment_id_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["sent_by_id"], ["users.id"], name=op.f("fk_staff_reminders_sent_by_id_users")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_staff_reminders_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_reminders")),
        sa.UniqueConstraint("user_id", "sent_on", name=op.f("uq_staff_reminders_user_id_sent_on")),
    )
    op.create_table(
        "refresher_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("days_before >= 0", name=op.f("ck_refresher_notices_days_before_not_negative")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_refresher_notices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresher_notices")),
        sa.UniqueConstraint(
            "user_id", "due_on", "days_before", name=op.f("uq_refresher_notices_user_id_due_on_days_before")
        ),
    )


def downgrade() -> None:
    op.drop_table("refresher_notices")
    op.drop_table("staff_reminders")
    op.drop_index("ix_organisation_managers_organisation_id", "organisation_managers")
    op.drop_table("organisation_managers")
    op.execute("UPDATE users SET role = 'trainee' WHERE role = 'manager'")  # the older schema has no managers
    _replace_role_check(ROLES_BEFORE)
