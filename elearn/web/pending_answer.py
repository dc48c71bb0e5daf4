"""A quiz answer posted just as the session runs out is not lost: it is kept in the signed session
cookie across sign-in, then saved if the attempt is still the person's own and still open."""

from flask import request, session

from ..db import db
from ..domain.errors import DomainError
from ..domain.learning import quiz
from ..models import Attempt, AttemptState, Enrolment
from .content_store import get_course

KEY = "pending_answer"


def keep_posted_answer() -> bool:
    """Call after the expired session is cleared (CSRF was checked against it before)."""
    if request.method != "POST" or request.endpoint != "learn.question":
        return False
    session[KEY] = {**request.view_args, "answer": request.form.getlist("answer")}
    return True


def take() -> dict | None:
    """The kept answer, removed from the session (read it before a sign-in clears the session)."""
    return session.pop(KEY, None)


def save(user, pending: dict | None) -> int | None:
    """Save the kept answer for this user; the question number if it was saved."""
    if not pending:
        return None
    attempt = db.session.get(Attempt, pending["attempt_id"])
    if attempt is None or attempt.state is not AttemptState.OPEN:
        return None
    if db.session.get(Enrolment, attempt.enrolment_id).user_id != user.id:
        return None  # someone else signed in on this browser: the answer is not theirs
    module = get_course().module(attempt.module_id)
    savepoint = db.session.begin_nested()
    try:
        quiz.save_answer(db.session, module, attempt, pending["number"] - 1, pending["answer"])
    except DomainError:
        savepoint.rollback()
        return None
    savepoint.commit()
    return pending["number"]
