"""The outbox: statements written with the events they record, claimed by senders so that two senders
never take the same row, and marked sent, retried later (exponential backoff) or refused."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course
from ...db import as_utc, insert_if_absent
from ...domain.learning import events
from ...models import Enrolment, User, XapiActor, XapiStatement
from . import statements as build

# On the database connection's info: this transaction wrote statements, so its COMMIT should wake a sender.
# (The connection's commit event fires once, for the real COMMIT; a session's fires for savepoints too.)
WRITTEN = "xapi_statements_written"


@dataclass(frozen=True)
class Recorder:
    """The session listener: turns each learning event into its statements, in the event's transaction."""

    site: build.Site
    course: Callable[[], Course]
    use_mbox: bool = False

    def __call__(self, session: Session, event: events.LearningEvent) -> None:
        add(session, self.statement(session, event, self.course()))

    def statement(self, session: Session, event: events.LearningEvent, course: Course) -> dict:
        site = self.site
        match event:
            case events.PageFirstRead(enrolment_id=enrolment_id, module_id=module_id, page_id=page_id, at=at):
                learner = self._learner(session, enrolment_id)
                return build.page_experienced(site, course, learner, course.module(module_id), page_id, at)
            case events.QuizStarted(attempt=attempt):
                learner, module = self._learner(session, attempt.enrolment_id), course.module(attempt.module_id)
                return build.quiz_attempted(site, course, learner, module, attempt.number, attempt.started_at)
            case events.QuizGraded(attempt=attempt):
                learner, module = self._learner(session, attempt.enrolment_id), course.module(attempt.module_id)
                return build.quiz_graded(
                    site,
                    course,
                    learner,
                    module,
                    number=attempt.number,
                    correct=attempt.correct_count,
                    questions=len(attempt.draw),
                    passed=bool(attempt.is_passed),
                    started_at=attempt.started_at,
                    submitted_at=attempt.submitted_at,
                )
            case events.CourseCompleted(completion=completion):
                learner = self._learner(session, completion.enrolment_id)
                return build.course_completed(site, course, learner, completion.completed_at)
        raise TypeError(f"no xAPI statement for {event!r}")

    def _learner(self, session: Session, enrolment_id: int) -> build.Learner:
        """One query for the person and their pseudonym (an insert the first time they act)."""
        row = session.execute(
            sa.select(Enrolment.user_id, User.email, XapiActor.name)
            .join(User, User.id == Enrolment.user_id)
            .outerjoin(XapiActor, XapiActor.user_id == Enrolment.user_id)
            .where(Enrolment.id == enrolment_id)
        ).one()
        name = row.name or _new_pseudonym(session, row.user_id)
        return build.Learner(name, enrolment_id, email=row.email if self.use_mbox else None)


def _new_pseudonym(session: Session, user_id: int) -> str:
    actor = XapiActor(user_id=user_id)
    if insert_if_absent(session, actor):  # a racing first event for the same person may have made it
        return actor.name
    return session.scalar(sa.select(XapiActor.name).where(XapiActor.user_id == user_id))


def add(session: Session, statement: dict) -> None:
    session.add(XapiStatement(statement_id=statement["id"], statement=statement))
    session.connection().info[WRITTEN] = True


def claim_due(session: Session, now: datetime, limit: int, hold: timedelta) -> list[XapiStatement]:
    """Take up to limit due statements and commit: they are this sender's until now + hold (another sender
    skips them). PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent claims take different rows; SQLite:
    the claim's BEGIN IMMEDIATE serialises claims."""
    rows = session.scalars(
        sa.select(XapiStatement)
        .where(XapiStatement.sent_at.is_(None), XapiStatement.next_try_at <= now)
        .order_by(XapiStatement.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.next_try_at = now + hold
        row.attempts += 1
    session.commit()
    return list(rows)


def mark_sent(session: Session, ids: list[int], now: datetime) -> None:
    if ids:
        session.execute(sa.update(XapiStatement).where(XapiStatement.id.in_(ids)).values(sent_at=now, last_error=None))


def mark_failed(session: Session, rows: list[XapiStatement], error: str, now: datetime, backoff) -> None:
    """Try again later: the wait doubles with each attempt (backoff(attempts) gives it)."""
    for row in rows:
        session.execute(
            sa.update(XapiStatement)
            .where(XapiStatement.id == row.id, XapiStatement.sent_at.is_(None))
            .values(next_try_at=now + backoff(row.attempts), last_error=error[:500])
        )


def mark_refused(session: Session, ids: list[int], error: str) -> None:
    """The LRS says the statement itself is wrong: sending it again would not help. Kept, not retried."""
    if ids:
        session.execute(
            sa.update(XapiStatement)
            .where(XapiStatement.id.in_(ids), XapiStatement.sent_at.is_(None))
            .values(next_try_at=None, last_error=error[:500])
        )


def forget_sent(session: Session, before: datetime) -> int:
    """Delete statements delivered before `before` (the LRS holds them now)."""
    return session.execute(
        sa.delete(XapiStatement).where(XapiStatement.sent_at.is_not(None), XapiStatement.sent_at < before)
    ).rowcount


@dataclass(frozen=True)
class OutboxCounts:
    waiting: int  # not yet delivered, will be tried (again)
    retrying: int  # of those, tried and failed at least once
    refused: int  # refused by the LRS as invalid; not retried
    oldest_waiting_at: datetime | None
    last_error: str | None


def counts(session: Session) -> OutboxCounts:
    unsent = XapiStatement.sent_at.is_(None)
    waiting = sa.and_(unsent, XapiStatement.next_try_at.is_not(None))
    row = session.execute(
        sa.select(
            sa.func.count().filter(waiting),
            sa.func.count().filter(waiting, XapiStatement.attempts > 0),
            sa.func.count().filter(unsent, XapiStatement.next_try_at.is_(None)),
            sa.func.min(XapiStatement.created_at).filter(waiting),
        )
    ).one()
    last_error = session.scalar(
        sa.select(XapiStatement.last_error)
        .where(unsent, XapiStatement.last_error.is_not(None))
        .order_by(XapiStatement.id.desc())
        .limit(1)
    )
    return OutboxCounts(row[0], row[1], row[2], as_utc(row[3]), last_error)
