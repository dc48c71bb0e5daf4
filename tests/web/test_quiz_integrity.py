"""Grading happens once; bad or replayed input changes nothing; answers never leak early."""

import re

import sqlalchemy as sa

from elearn.models import Attempt, AttemptAnswer, AttemptState, Completion

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, trainee_with_enrolment
from .quiz_helpers import COURSE, answer_all, right_answer, start_quiz, submit


def _signed_in_trainee(client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    return user, enrolment


def _attempt(session, attempt_id):
    fresh(session)
    return session.get(Attempt, attempt_id)


def test_double_submit_and_replay_grade_once(client, session):
    _user, enrolment = _signed_in_trainee(client, session)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    answer_all(client, session, attempt_id, correct=False)
    url = f"/course/attempt/{attempt_id}/check"
    token = client.csrf_token(url)
    first = client.post(url, {"csrf_token": token})
    graded = _attempt(session, attempt_id)
    submitted_at, score = graded.submitted_at, graded.score_percent
    # The same POST again (double click, or a replay of the captured request) and a back-button GET.
    second = client.post(url, {"csrf_token": token})
    back = client.get(f"/course/attempt/{attempt_id}/question/1")
    assert first.status_code == second.status_code == back.status_code == 303
    assert first.headers["Location"] == second.headers["Location"] == back.headers["Location"]
    again = _attempt(session, attempt_id)
    assert (again.state, again.submitted_at, again.score_percent) == (AttemptState.SUBMITTED, submitted_at, score)
    assert session.scalar(sa.select(sa.func.count(Attempt.id))) == 1


def test_answer_after_submission_changes_nothing(client, session):
    _user, enrolment = _signed_in_trainee(client, session)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    answer_all(client, session, attempt_id, correct=False)
    submit(client, attempt_id)
    draw = _attempt(session, attempt_id).draw
    response = client.post(
        f"/course/attempt/{attempt_id}/question/1",
        [("answer", c) for c in right_answer(draw[0]["question"])],
        token_from=f"/course/{enrolment.id}/alpha",
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/result")
    fresh(session)
    answer = session.scalar(
        sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id, AttemptAnswer.position == 0)
    )
    assert answer.is_correct is False and _attempt(session, attempt_id).score_percent == 0


def test_question_pages_carry_no_marker_of_the_correct_answer(client, session):
    _user, enrolment = _signed_in_trainee(client, session)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    draw = _attempt(session, attempt_id).draw
    for number, item in enumerate(draw, start=1):
        html = client.get(f"/course/attempt/{attempt_id}/question/{number}").get_data(as_text=True)
        question = next(m for m in COURSE.modules if m.quiz.question(item["question"])).quiz.question(item["question"])
        for option in question.options:
            assert option.feedback not in html  # feedback would reveal which is right
        assert "correct" not in html.lower()
        assert question.explanation_html not in html
    check_html = client.get(f"/course/attempt/{attempt_id}/check").get_data(as_text=True)
    assert "correct" not in check_html.lower()


def test_submitting_with_unanswered_questions_is_refused(client, session):
    _user, enrolment = _signed_in_trainee(client, session)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    response = submit(client, attempt_id)
    assert response.status_code == 200
    assert "Answer every question before you submit. Not answered: 1, 2, 3, 4" in response.get_data(as_text=True)
    assert _attempt(session, attempt_id).state is AttemptState.OPEN


def test_bad_answers_give_a_clear_error_and_save_nothing(client, session):
    _user, enrolment = _signed_in_trainee(client, session)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    draw = _attempt(session, attempt_id).draw
    single_position = next(
        i for i, d in enumerate(draw) if COURSE.module("alpha").quiz.question(d["question"]).type != "multiple"
    )
    url = f"/course/attempt/{attempt_id}/question/{single_position + 1}"
    options = draw[single_position]["options"]
    cases = [
        ([], "Select one answer"),
        ([("answer", "zz")], "Select from the answers shown"),
        ([("answer", options[0]), ("answer", options[1])], "Select one answer"),
        ([("answer", options[0]), ("answer", options[0])], "Each answer can be selected only once"),
        ([("answer", "x" * 5000)], "Select from the answers shown"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, data
        html = response.get_data(as_text=True)
        assert message in html and "There is a problem" in html and "<title>Error:" in html
    fresh(session)
    assert session.scalar(sa.select(sa.func.count(AttemptAnswer.id))) == 0


def test_another_trainees_attempt_and_enrolment_are_not_found(app, client, session):
    _user, enrolment = _signed_in_trainee(client, session)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    other_user, other_enrolment = trainee_with_enrolment(session)
    other = FormClient(app.test_client())
    other.sign_in(other_user.email, PASSWORD)
    for url in (
        f"/course/attempt/{attempt_id}/question/1",
        f"/course/attempt/{attempt_id}/check",
        f"/course/attempt/{attempt_id}/result",
        f"/course/{enrolment.id}",
        f"/course/{enrolment.id}/alpha",
        f"/course/{enrolment.id}/alpha/01-first",
    ):
        assert other.get(url).status_code == 404, url
    response = other.post(f"/course/attempt/{attempt_id}/check", token_from=f"/course/{other_enrolment.id}")
    assert response.status_code == 404
    assert _attempt(session, attempt_id).state is AttemptState.OPEN


def test_unknown_and_locked_things_are_not_found(client, session):
    _user, enrolment = _signed_in_trainee(client, session)
    for url in (
        f"/course/{enrolment.id}/nope",
        f"/course/{enrolment.id}/alpha/99-nope",
        f"/course/{enrolment.id}/beta",
        f"/course/{enrolment.id}/gamma",
        "/course/attempt/999999/result",
        f"/course/{enrolment.id + 1000}",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/course/{enrolment.id}/beta/quiz", token_from=f"/course/{enrolment.id}")
    assert response.status_code == 404
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    assert client.get(f"/course/attempt/{attempt_id}/question/99").status_code == 404


def test_passed_module_cannot_be_retaken_and_completion_is_written_once(client, session):
    _user, enrolment = _signed_in_trainee(client, session)
    for module_id in ("alpha", "beta"):
        attempt_id = start_quiz(client, enrolment.id, module_id)
        answer_all(client, session, attempt_id, True)
        submit(client, attempt_id)
    response = client.post(f"/course/{enrolment.id}/alpha/quiz", token_from=f"/course/{enrolment.id}/alpha")
    assert response.status_code == 302
    assert "already passed" in client.get(response.headers["Location"]).get_data(as_text=True)
    fresh(session)
    assert session.scalar(sa.select(sa.func.count(Completion.id))) == 1
    assert session.scalar(sa.select(sa.func.count(Attempt.id))) == 2


def test_post_without_csrf_token_is_refused(client, session):
    _user, enrolment = _signed_in_trainee(client, session)
    response = client.client.post(f"/course/{enrolment.id}/alpha/quiz", data={})
    assert response.status_code == 400
    assert "Your form had expired" in response.get_data(as_text=True)
    fresh(session)
    assert session.scalar(sa.select(sa.func.count(Attempt.id))) == 0


def test_change_link_returns_to_check_answers(client, session):
    _user, enrolment = _signed_in_trainee(client, session)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    answer_all(client, session, attempt_id, False)
    html = client.get(f"/course/attempt/{attempt_id}/check").get_data(as_text=True)
    change = re.search(r'href="([^"]*question/2\?change=1)"', html).group(1)
    draw = _attempt(session, attempt_id).draw
    response = client.post(change.replace("&amp;", "&"), [("answer", c) for c in right_answer(draw[1]["question"])])
    assert response.headers["Location"].endswith(f"/course/attempt/{attempt_id}/check")
