"""Organisations, cohorts (one in-person course on a date) and enrolments on them."""

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, str_enum, utcnow


class CourseType(enum.StrEnum):
    INITIAL = "initial"
    REFRESHER = "refresher"


class CohortState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DELIVERED = "delivered"


class Attendance(enum.StrEnum):
    NOT_RECORDED = "not_recorded"
    ATTENDED = "attended"  # every day of the course
    DAY_1_ONLY = "day_1_only"
    DAY_2_ONLY = "day_2_only"
    ABSENT = "absent"


class Competence(enum.StrEnum):
    NOT_ASSESSED = "not_assessed"
    COMPETENT = "competent"
    NOT_YET_COMPETENT = "not_yet_competent"


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    training_contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


cohort_trainers = sa.Table(
    "cohort_trainers",
    Base.metadata,
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_cohort_trainers_user_id", "user_id"),  # "my cohorts" looks up by trainer
)


class Cohort(Base):
    __tablename__ = "cohorts"
    # The database guards what every form checks too, so no other path (CLI, a bug) can store nonsense.
    __table_args__ = (
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("days IN (1, 2)", name="days_one_or_two"),
        sa.CheckConstraint("deadline_on < starts_on", name="deadline_before_start"),
        sa.CheckConstraint("end_time > start_time", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    course_type: Mapped[CourseType] = mapped_column(str_enum(CourseType), default=CourseType.INITIAL)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    venue: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(500), default="")
    starts_on: Mapped[date]
    days: Mapped[int] = mapped_column(default=1)
    start_time: Mapped[time] = mapped_column(default=time(9, 30))
    end_time: Mapped[time] = mapped_column(default=time(16, 30))
    capacity: Mapped[int] = mapped_column(default=12)
    # Pre-learning is due by the end of this day (UK time).
    deadline_on: Mapped[date]
    state: Mapped[CohortState] = mapped_column(str_enum(CohortState), default=CohortState.DRAFT)
    join_code: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation | None] = relationship()
    trainers: Mapped[list["User"]] = relationship(secondary=cohort_trainers)  # noqa: F821


class Enrolment(Base):
    """One person on one cohort; all pre-learning progress belongs to the enrolment."""

    __tablename__ = "enrolments"
    __table_args__ = (sa.UniqueConstraint("user_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The in-person day, recorded by the trainer.
    attendance: Mapped[Attendance] = mapped_column(
        str_enum(Attendance), default=Attendance.NOT_RECORDED, server_default=Attendance.NOT_RECORDED.value
    )
    competence: Mapped[Competence] = mapped_column(
        str_enum(Competence), default=Competence.NOT_ASSESSED, server_default=Competence.NOT_ASSESSED.value
    )
    competence_note: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    outcome_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    cohort: Mapped[Cohort] = relationship()


class ReminderSent(Base):
    """A reminder email sent for an enrolment; the unique key stops the same one going twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "days_before"),
        sa.CheckConstraint("days_before >= 0", name="days_before_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id"))
    days_before: Mapped[int]  # days before the pre-learning deadline
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaffReminder(Base):
    """A reminder a trainer emailed from the board; one per person per UK day, whoever sends it."""

    __tablename__ = "staff_reminders"
    __table_args__ = (sa.UniqueConstraint("user_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"))
    sent_on: Mapped[date]  # the UK calendar day
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RefresherNotice(Base):
    """A refresher email (90, 30 or 0 days before expiry) for one person's training; recorded before sending."""

    __tablename__ = "refresher_notices"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "due_on", "days_before"),
        sa.CheckConstraint("days_before >= 0", name="days_before_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    due_on: Mapped[date]  # the expiry this notice is about: a later course gives a new one
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
