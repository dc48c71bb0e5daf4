"""LTI 1.3: the learning platforms (LMSs) allowed to launch elearn, who each launch is, and nonces used."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow
from .cohorts import Cohort, Organisation


class LtiPlatform(Base):
    """One registration of elearn as a tool in a platform: its keys, where to send the browser, and where a
    launch lands (the organisation new accounts belong to and the cohort they are enrolled on)."""

    __tablename__ = "lti_platforms"
    __table_args__ = (sa.UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    issuer: Mapped[str] = mapped_column(sa.String(255))
    client_id: Mapped[str] = mapped_column(sa.String(255))
    # The platform's deployments of the tool that may launch it (a JSON list of strings).
    deployment_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    auth_login_url: Mapped[str] = mapped_column(sa.String(1000))
    auth_token_url: Mapped[str] = mapped_column(sa.String(1000))
    keyset_url: Mapped[str] = mapped_column(sa.String(1000))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    cohort: Mapped[Cohort | None] = relationship()


class LtiLink(Base):
    """A platform's person (issuer, sub) is this elearn account. One account per person per issuer, and one
    person per account per issuer, so a second identity cannot take an account over."""

    __tablename__ = "lti_links"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject"), sa.UniqueConstraint("issuer", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(sa.String(255))
    subject: Mapped[str] = mapped_column(sa.String(255))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_launch_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LtiNonce(Base):
    """A nonce elearn sent a platform at login. A launch may use it once, before it expires: the claim is one
    conditional UPDATE, and the unique key means one row per nonce, so a replay fails on every worker and host."""

    __tablename__ = "lti_nonces"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(sa.String(128), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LtiScoreTarget(Base):
    """Where a launched enrolment's completion is reported (LTI Assignment and Grade Services): the line item
    the platform named at the latest launch, and who the score is for on the platform (sub)."""

    __tablename__ = "lti_score_targets"
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "platform_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"))
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    lineitem_url: Mapped[str] = mapped_column(sa.String(1000))
    subject: Mapped[str] = mapped_column(sa.String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    score_posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the platform accepted the completion
