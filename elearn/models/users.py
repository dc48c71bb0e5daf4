"""People who sign in: trainees, trainers, managers (of organisations) and admins."""

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, str_enum, utcnow


class Role(enum.StrEnum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    ADMIN = "admin"
    MANAGER = "manager"  # sees only the staff of the organisations they manage; changes no results


# Which organisations a manager manages: their scope on every page and download.
organisation_managers = sa.Table(
    "organisation_managers",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_organisation_managers_organisation_id", "organisation_id"),
)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(Base):
    __tablename__ = "users"
    # Emails are stored lower-cased; this makes the database refuse Sam@x.org beside sam@x.org anyway.
    __table_args__ = (sa.Index("uq_users_email_lower", sa.func.lower(sa.text("email")), unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-cased
    full_name: Mapped[str] = mapped_column(sa.String(200))
    job_title: Mapped[str | None] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    # Flask-Login's id: rotated on sign-out and password change, so an old cookie stops working.
    session_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_session_token)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # UK GDPR erasure: personal fields replaced
    # Self-registered accounts prove their address by an emailed link before joining a cohort;
    # invited and admin-created accounts are confirmed when created.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_confirmation_hash: Mapped[str | None] = mapped_column(
        sa.String(64), unique=True
    )  # sha256 of the link's token

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.session_token

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()
