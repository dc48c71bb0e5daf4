"""Issue 14: a failed quiz explains without giving the key, the retake waits for a re-read, support after 3."""

import sqlalchemy as sa

from elearn.db import Database
from elearn.models import Attempt, Role

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, make_user, trainee_with_enrolment
from .quiz_helpers import COURSE, answer_all, fail_module, read_module_again, start_quiz, submit


def test_failed_result_explains_without_the_keyed_answers(client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    attempt_id = fail_module(client, session, enrolment.id, "alpha", revisit=False)
    html = client.get(f"/course/attempt/{attempt_id}/result").get_data(as_text=True)
    fresh(session)
    attempt = session.get(Attempt, attempt_id)
    assert "You did not pass this time" in html
    assert "(correct answer)" not in html and "(your answer)" in html
    assert "What to read again" in html and "Read again:" in html
    module = COURSE.module("alpha")
    for item in attempt.draw:
        question = module.quiz.question(item["question"])
        assert question.explanation_html not in html  # explanations give the answer away
    assert "Read these 2 sections again to unlock your next try" in html
    assert "Try the quiz again" not in html
    # The outcome, the summary and the next action lead; each question's feedback folds away below.
    assert html.index("What to read again") < html.index('id="unlock"') < html.index("Your answers")
    assert html.count('<details class="govuk-details') == len(attempt.draw)


def test_retake_is_locked_until_the_missed_sections_are_read_again(client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    first = fail_module(client, session, enrolment.id, "alpha", revisit=False)
    module_url = f"/course/{enrolment.id}/alpha"
    response = client.post(f"{module_url}/quiz", token_from=module_url)
    assert response.status_code == 302 and response.headers["Location"].endswith(module_url)
    fresh(session)
    assert session.scalar(sa.select(sa.func.count(Attempt.id))) == 1
    client.get(f"{module_url}/01-first")
    html = client.get(f"/course/attempt/{first}/result").get_data(as_text=True)
    assert "Read this section again to unlock your next try" in html and "(read again)" in html
    read_module_again(client, enrolment.id, "alpha")
    html = client.get(f"/course/attempt/{first}/result").get_data(as_text=True)
    assert "Try the quiz again" in html
    second = start_quiz(client, enrolment.id, "alpha")
    assert second != first


def test_passed_result_shows_the_right_answers_and_explanations(client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    answer_all(client, session, attempt_id, [True, True, True, False])
    check = client.get(f"/course/attempt/{attempt_id}/check").get_data(as_text=True)
    assert "app-summary-list--stacked" in check  # long questions are not squeezed into a narrow column
    submit(client, attempt_id)
    html = client.get(f"/course/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "You passed" in html and "(correct answer)" in html and "Because of <strong>" in html


def test_third_failure_shows_support_and_emails_each_trainer_once(mail_app, smtp):
    with Database.sessionmaker_for(mail_app)() as session:
        user, enrolment = trainee_with_enrolment(session)
        trainer = make_user(session, Role.TRAINER)
        enrolment.cohort.trainers.append(trainer)
        session.commit()
        client = FormClient(mail_app.test_client())
        client.sign_in(user.email, PASSWORD)
        for _ in range(2):
            last = fail_module(client, session, enrolment.id, "alpha")
        assert "Talk to your trainer" not in client.get(f"/course/attempt/{last}/result").get_data(as_text=True)
        assert smtp.messages == []
        third = fail_module(client, session, enrolment.id, "alpha")
        client.post(f"/course/attempt/{third}/check", token_from=f"/course/{enrolment.id}")  # a replay
        html = client.get(f"/course/attempt/{third}/result").get_data(as_text=True)
        assert "Talk to your trainer" in html and trainer.email in html
        fail_module(client, session, enrolment.id, "alpha")  # a fourth failure tells no one again
        [message] = smtp.messages
        assert message["To"] == trainer.email and "may need your support" in message["Subject"]
        assert user.full_name in message.get_body(("plain",)).get_content()


def test_reopening_the_page_last_read_counts_as_a_revisit_after_a_failure_and_then_writes_nothing(client, session):
    """The page view is skipped only when it would change nothing: the same page, read since the last try."""
    from elearn.models import PageView

    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    read_module_again(client, enrolment.id, "alpha")
    last_page = COURSE.module("alpha").pages[-1].id
    page_url = f"/course/{enrolment.id}/alpha/{last_page}"

    def last_viewed():
        fresh(session)
        at = session.scalar(
            sa.select(PageView.last_viewed_at).where(
                PageView.enrolment_id == enrolment.id, PageView.page_id == last_page
            )
        )
        session.rollback()
        return at

    before = last_viewed()
    assert client.get(page_url).status_code == 200
    assert last_viewed() == before  # re-read of the page already last read: no write
    attempt_id = fail_module(client, session, enrolment.id, "alpha", revisit=False)
    submitted_at = fresh(session) or session.get(Attempt, attempt_id).submitted_at
    session.rollback()
    assert client.get(page_url).status_code == 200
    assert last_viewed() >= submitted_at  # the same page, but after the failure: a revisit, recorded
