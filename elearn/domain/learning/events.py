"""What happened in a trainee's learning, told to whoever listens on the session (the xAPI outbox, when
it is configured), inside the transaction that records it: a listener's writes commit or roll back with
the event itself. With no listener, telling costs nothing (no query)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from ...models import Attempt, Completion

LISTENERS = "learning_event_listeners"


@dataclass(frozen=True)
class PageFirstRead:
    enrolment_id: int
    module_id: str
    page_id: str
    at: datetime


@dataclass(frozen=True)
class QuizStarted:
    attempt: Attempt  # a new attempt (resuming an open one is not an event)


@dataclass(frozen=True)
class QuizGraded:
    attempt: Attempt  # submitted: its score, pass or fail and times are set


@dataclass(frozen=True)
class CourseCompleted:
    completion: Completion


LearningEvent = PageFirstRead | QuizStarted | QuizGraded | CourseCompleted
Listener = Callable[[Session, LearningEvent], None]


def listen(sessions: sessionmaker, listener: Listener) -> None:
    """Tell listener about every event recorded through sessions from this factory."""
    info = dict(sessions.kw.get("info") or {})
    info[LISTENERS] = [*info.get(LISTENERS, ()), listener]
    sessions.configure(info=info)


def tell(session: Session, event: LearningEvent) -> None:
    for listener in session.info.get(LISTENERS, ()):
        listener(session, event)
