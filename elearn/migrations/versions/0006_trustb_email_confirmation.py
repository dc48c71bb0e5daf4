"""email confirmation for self-registered accounts

Revision ID: 0006
Revises: 0005

"""

import sqlalchemy as sa
from alembic import op

import elearn.db

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_confirmed_at", elearn.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("email_confirmation_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_email_confirmation_hash"), ["email_confirmation_hash"])
    # Accounts from before this rule were created by admins or by invitation: they count as confirmed.
    op.execute("UPDATE users SET email_confirmed_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_email_confirmation_hash"), type_="unique")
        batch_op.drop_column("email_confirmation_hash")
        batch_op.drop_column("email_confirmed_at")
