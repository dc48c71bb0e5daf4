"""A trainee's pre-learning progress: pages read, quiz attempts and answers, and completion.

Module state is derived from these facts (see domain/gating.py), never stored twice.
"""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, str_enum, utcnow


class PageView(Base):
    __tablename__ = "page_views"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "module_id", "page_id"),
        # Covering: the readiness board reads each trainee's latest page view from the index alone.
        sa.Index("ix_page_views_enrolment_id_first_viewed_at", "enrolment_id", "first_viewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id"))
    module_id: Mapped[str] = mapped_column(sa.String(80))
    page_id: Mapped[str] = mapped_column(sa.String(100))
    first_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The latest visit: where the trainee left off, and whether a page was read again after a failed quiz.
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AttemptState(enum.StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    VOID = "void"  # the content changed under an open attempt; a fresh one replaces it


class Attempt(Base):
    """One sitting of a module's quiz, with everything needed to re-read its result later."""

    __tablename__ = "attempts"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "module_id", "number"),
        sa.CheckConstraint("pass_mark BETWEEN 1 AND 100", name="pass_mark_percent"),
        sa.CheckConstraint("score_percent IS NULL OR score_percent BETWEEN 0 AND 100", name="score_percent"),
        sa.CheckConstraint("correct_count IS NULL OR correct_count >= 0", name="correct_count_not_negative"),
        # A graded attempt always has its time and score: grading writes them in the same statement.
        sa.CheckConstraint(
            "state != 'submitted' OR (submitted_at IS NOT NULL AND score_percent IS NOT NULL)",
            name="submitted_is_graded",
        ),
        # At most one open attempt per enrolment and module: a racing "start" cannot make two.
        sa.Index(
            "uq_attempts_one_open",
            "enrolment_id",
            "module_id",
            unique=True,
            sqlite_where=sa.text("state = 'open'"),
            postgresql_where=sa.text("state = 'open'"),
        ),
        # Covering: the readiness board's results per trainee and module come from the index alone.
        sa.Index(
            "ix_attempts_enrolment_id_results",
            "enrolment_id",
            "module_id",
            "state",
            "is_passed",
            "score_percent",
            "submitted_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id"), index=True)
    module_id: Mapped[str] = mapped_column(sa.String(80))
    number: Mapped[int]
    state: Mapped[AttemptState] = mapped_column(str_enum(AttemptState), default=AttemptState.OPEN)
    content_version: Mapped[str] = mapped_column(sa.String(64))
    pass_mark: Mapped[int]
    # [{"question": id, "options": [option ids in the order shown]}, ...] in the order shown.
    draw: Mapped[list] = mapped_column(sa.JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correct_count: Mapped[int | None]
    score_percent: Mapped[int | None]
    is_passed: Mapped[bool | None]

    # Loaded when used (a question page, an answer save and the board need none of them); lists of attempts
    # that show their answers load them with selectinload.
    answers: Mapped[list["AttemptAnswer"]] = relationship(order_by="AttemptAnswer.position")


class AttemptAnswer(Base):
    __tablename__ = "attempt_answers"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id"))
    position: Mapped[int]  # 0-based index into Attempt.draw
    question_id: Mapped[str] = mapped_column(sa.String(100))
    selected: Mapped[list] = mapped_column(sa.JSON)  # option ids chosen
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set once, at grading, with the key as it stood then, so later edits never change a result.
    is_correct: Mapped[bool | None]
    correct_options: Mapped[list | None] = mapped_column(sa.JSON)
    # How sure the trainee said they were (True: "I'm sure"); never part of the score.
    confident: Mapped[bool | None]


class Reflection(Base):
    """A trainee's private answer to a reflection prompt; seen only by them and their cohort's trainers."""

    __tablename__ = "reflections"
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "reflection_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id"), index=True)
    module_id: Mapped[str] = mapped_column(sa.String(80))
    page_id: Mapped[str] = mapped_column(sa.String(100))
    reflection_id: Mapped[str] = mapped_column(sa.String(100))
    text: Mapped[str] = mapped_column(sa.String(1000))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Completion(Base):
    """The enrolment's pre-learning is complete. Written once; only an admin can withdraw it, with a reason."""

    __tablename__ = "completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id"), unique=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content_version: Mapped[str] = mapped_column(sa.String(64))
    certificate_code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.String(500))
