"""email confirmation for self-registered accounts

Revision ID: 0007
Revises: 0006

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


# SQLite rebuilds the table for these changes and cannot reflect an expression index: take the
# case-insensitive email index off first and put it back after, or the rebuild would silently drop it.
EMAIL_INDEX = ("uq_users_email_lower", "users", [sa.text("lower(email)")])


def upgrade() -> None:
    op.drop_index(EMAIL_INDEX[0], EMAIL_INDEX[1])
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("email_confirmation_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_email_confirmation_hash"), ["email_confirmation_hash"])
    # Accounts from before this rule were created by admins or by invitation: they count as confirmed.
    op.execute("UPDATE users SET email_confirmed_at = created_at")
    op.create_index(*EMAIL_INDEX, unique=True)


def downgrade() -> None:
    op.drop_index(EMAIL_INDEX[0], EMAIL_INDEX[1])
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_email_confirmation_hash"), type_="unique")
        batch_op.drop_column("email_confirmation_hash")
        batch_op.drop_column("email_confirmed_at")
    op.create_index(*EMAIL_INDEX, unique=True)
