"""Answers racing the final submit of the same attempt, from threads with their own connections:
no answer changes once an attempt is graded, and every stored score matches its stored answers."""

import threading

import sqlalchemy as sa

from elearn.domain.learning.grading import grade
from elearn.domain.learning.quiz import attempt_draw, saved_answers
from elearn.models import Attempt, AttemptState

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .quiz_helpers import COURSE, answer_all, right_answer, start_quiz, wrong_answer

ROUNDS = 8
SAVERS = 3
SAVES_EACH = 4


def _client_like(app, signed_in: FormClient) -> FormClient:
    """Another browser tab: its own test client (so its own requests and connections), same sign-in."""
    other = FormClient(app.test_client())
    other.client.set_cookie("session", signed_in.client.get_cookie("session").value)
    return other


def _race(app, main: FormClient, attempt_id: int, draw: list, token: str) -> list[int]:
    """One submit and several answer changes to question 1, all released at once."""
    start = threading.Barrier(SAVERS + 1)
    statuses: list[int] = []
    question_id = draw[0]["question"]

    def submitter():
        tab = _client_like(app, main)
        start.wait()
        statuses.append(tab.post(f"/course/attempt/{attempt_id}/check", {"csrf_token": token}).status_code)

    def saver(n: int):
        tab = _client_like(app, main)
        start.wait()
        for i in range(SAVES_EACH):
            choice = right_answer(question_id) if (n + i) % 2 == 0 else wrong_answer(question_id)
            url = f"/course/attempt/{attempt_id}/question/1"
            data = [("answer", c) for c in choice] + [("csrf_token", token)]
            statuses.append(tab.post(url, data).status_code)

    threads = [threading.Thread(target=submitter)] + [threading.Thread(target=saver, args=(n,)) for n in range(SAVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_answers_racing_the_submit_never_change_a_graded_attempt(app, session):
    user = make_user(session)
    enrolments = [enrol(session, user, make_cohort(session)) for _ in range(ROUNDS)]
    main = FormClient(app.test_client())
    main.sign_in(user.email, PASSWORD)
    token = main.csrf_token(f"/course/{enrolments[0].id}")
    for enrolment in enrolments:
        attempt_id = start_quiz(main, enrolment.id, "alpha")
        answer_all(main, session, attempt_id, correct=False)
        draw = session.get(Attempt, attempt_id).draw
        session.rollback()  # hold no snapshot (or SQLite read lock) while the app writes
        statuses = _race(app, main, attempt_id, draw, token)
        assert len(statuses) == 1 + SAVERS * SAVES_EACH and max(statuses) < 500, statuses

    fresh(session)
    attempts = session.scalars(sa.select(Attempt).where(Attempt.state == AttemptState.SUBMITTED)).all()
    assert len(attempts) == ROUNDS
    module = COURSE.module("alpha")
    for attempt in attempts:
        recomputed = grade(module.quiz, attempt_draw(attempt), saved_answers(attempt), attempt.pass_mark)
        assert attempt.correct_count == recomputed.correct_count, attempt.id
        assert [a.is_correct for a in attempt.answers] == [m.is_correct for m in recomputed.marked], attempt.id
        late = [a.position for a in attempt.answers if a.answered_at > attempt.submitted_at]
        assert late == [], (attempt.id, late)
