"""xAPI statements waiting for (or delivered to) the learning-record store, and the pseudonyms they name
people by. A statement is written in the same transaction as the event it records (a transactional
outbox), so it exists exactly when that event was committed, whatever the LRS or Redis are doing."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class XapiStatement(Base):
    __tablename__ = "xapi_outbox"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        # What the senders look for: unsent rows, by when they are next due.
        sa.Index(
            "ix_xapi_outbox_due",
            "next_try_at",
            sqlite_where=sa.text("sent_at IS NULL"),
            postgresql_where=sa.text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(sa.String(36), unique=True)  # the statement's own id (a UUID)
    statement: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)  # sends tried (a claim counts as one)
    # When a sender may next take it; moved on while one holds it, and after a failure (backoff).
    # NULL with sent_at NULL: the LRS refused it as invalid, so it is kept for people to look at.
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))


class XapiActor(Base):
    """The random, stable name a person has in xAPI statements: the LRS never sees an email address or a
    database id (unless the provider chooses mbox actors)."""

    __tablename__ = "xapi_actors"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(36), unique=True, default=lambda: str(uuid.uuid4()))
