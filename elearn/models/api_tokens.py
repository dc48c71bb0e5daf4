"""Bearer tokens for the read-only completions API. Only a hash of each token is stored."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class ApiToken(Base):
    """A named token an admin made for one integration; scoped to one organisation's staff, or to everyone."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the token, never the token
    # The token's first characters, so an admin can tell which one a log line or a caller means.
    prefix: Mapped[str] = mapped_column(sa.String(20))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)  # None: all
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # to the minute, not every request
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
