"""The trainee's whole journey through the web client: sign in, read, quiz, pass, complete."""

import re

import sqlalchemy as sa

from elearn.models import Attempt, AttemptState, Completion, PageView

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, trainee_with_enrolment
from .quiz_helpers import answer_all, pass_module, read_module_again, right_answer, start_quiz, submit


def test_trainee_sees_course_with_module_states(client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    response = client.get("/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.request.path == f"/course/{enrolment.id}"
    assert "Alpha basics" in html and "Beta practice" in html
    assert "Gamma draft" not in html  # drafts are hidden from trainees
    assert "Not yet started" in html and "Cannot start yet" in html
    assert "8 days left" in html
    assert f'href="/course/{enrolment.id}/beta"' not in html  # locked: no link


def test_reading_pages_records_them_and_sanitises_content(client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    response = client.get(f"/course/{enrolment.id}/alpha/01-first")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert 'id="absolute-rights"' in html
    assert f"/course/{enrolment.id}/alpha/02-second" in html  # next page link
    client.get(f"/course/{enrolment.id}/alpha/01-first")  # a second visit adds no row
    views = session.scalars(sa.select(PageView.page_id).where(PageView.enrolment_id == enrolment.id)).all()
    assert views == ["01-first"]
    course_html = client.get(f"/course/{enrolment.id}").get_data(as_text=True)
    assert "In progress" in course_html


def test_fail_retake_pass_unlocks_next_module_then_completion(client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)

    first = start_quiz(client, enrolment.id, "alpha")
    answer_all(client, session, first, correct=False)
    result = client.get(submit(client, first).headers["Location"]).get_data(as_text=True)
    assert "You did not pass this time" in result
    assert "0 out of 4 correct (0%)" in result
    assert "(correct answer)" not in result and "Because of <strong>" not in result  # no keys after a failure
    assert "Read again:" in result and f"/course/{enrolment.id}/alpha/" in result

    read_module_again(client, enrolment.id, "alpha")
    second = start_quiz(client, enrolment.id, "alpha")
    assert second != first
    fresh(session)
    drawn = [session.get(Attempt, a).draw for a in (first, second)]
    # The bank has exactly 2 x draw_per_outcome per outcome, so a retake sees none of the same questions.
    assert not {d["question"] for d in drawn[0]} & {d["question"] for d in drawn[1]}

    answer_all(client, session, second, correct=[True, True, True, False])
    response = submit(client, second)
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You passed" in result and "3 out of 4 correct (75%)" in result
    assert "Go to the next module" in result
    old_failure = client.get(f"/course/attempt/{first}/result").get_data(as_text=True)
    assert "Try the quiz again" not in old_failure and "to unlock your next try" not in old_failure  # passed now

    course_html = client.get(f"/course/{enrolment.id}").get_data(as_text=True)
    assert f'href="/course/{enrolment.id}/beta"' in course_html
    assert "Passed" in course_html

    pass_module(client, session, enrolment.id, "beta")
    fresh(session)
    completion = session.scalar(sa.select(Completion).where(Completion.enrolment_id == enrolment.id))
    assert completion is not None and len(completion.certificate_code) == 19
    course_html = client.get(f"/course/{enrolment.id}").get_data(as_text=True)
    assert "Pre-course learning complete" in course_html and completion.certificate_code in course_html


def test_resuming_keeps_the_same_attempt_questions_and_saved_answers(app, session):
    user, enrolment = trainee_with_enrolment(session)
    first_browser = FormClient(app.test_client())
    first_browser.sign_in(user.email, PASSWORD)
    attempt_id = start_quiz(first_browser, enrolment.id, "alpha")
    draw = session.get(Attempt, attempt_id).draw
    first_browser.post(
        f"/course/attempt/{attempt_id}/question/1", [("answer", c) for c in right_answer(draw[0]["question"])]
    )

    # A new browser (the old tab closed), signing in again, resumes exactly where they were.
    second_browser = FormClient(app.test_client())
    second_browser.sign_in(user.email, PASSWORD)
    assert start_quiz(second_browser, enrolment.id, "alpha") == attempt_id
    response = second_browser.post(f"/course/{enrolment.id}/alpha/quiz", token_from=f"/course/{enrolment.id}/alpha")
    assert response.headers["Location"].endswith(f"/course/attempt/{attempt_id}/question/2")
    html = second_browser.get(f"/course/attempt/{attempt_id}/question/1").get_data(as_text=True)
    for option_id in right_answer(draw[0]["question"]):
        assert _is_checked(html, option_id)
    fresh(session)
    assert session.get(Attempt, attempt_id).draw == draw
    assert session.scalar(sa.select(sa.func.count(Attempt.id)).where(Attempt.state == AttemptState.OPEN)) == 1


def _is_checked(html: str, option_id: str) -> bool:
    return any("checked" in tag for tag in re.findall(rf'<input[^>]*value="{option_id}"[^>]*>', html))
