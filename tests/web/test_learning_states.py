"""Issue 14: confidence, reflections, the Continue button and reading position, completion and withdrawal."""

import io
import json

import sqlalchemy as sa
from pypdf import PdfReader

from elearn.db import utcnow
from elearn.domain.people import data_rights
from elearn.models import Attempt, AttemptAnswer, Completion, Reflection, Role

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, make_user, trainee_with_enrolment
from .quiz_helpers import COURSE, pass_module, start_quiz, submit, wrong_answer

PAGE = "/course/{e}/alpha/02-second"


def _trainer_client(app, session, cohort) -> FormClient:
    trainer = make_user(session, Role.TRAINER)
    cohort.trainers.append(trainer)
    session.commit()
    client = FormClient(app.test_client())
    client.sign_in(trainer.email, PASSWORD)
    return client


def test_confidence_is_stored_per_answer_and_briefed_when_sure_and_wrong(app, client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    page = client.get(f"/course/attempt/{attempt_id}/question/1").get_data(as_text=True)
    assert "How sure are you of your answer?" in page and "I&#39;m sure" in page
    fresh(session)
    items = session.get(Attempt, attempt_id).draw
    session.rollback()
    for number, item in enumerate(items, start=1):
        choice = [("answer", c) for c in wrong_answer(item["question"])]
        sure = "sure" if number == 1 else "unsure"
        client.post(f"/course/attempt/{attempt_id}/question/{number}", [*choice, ("confidence", sure)])
    submit(client, attempt_id)
    fresh(session)
    stored = session.scalars(sa.select(AttemptAnswer.confident).order_by(AttemptAnswer.position)).all()
    assert stored == [True, False, False, False]
    # Confidence never changes the score.
    assert session.get(Attempt, attempt_id).score_percent == 0
    trainer = _trainer_client(app, session, enrolment.cohort)
    briefing = trainer.get(f"/trainer/cohorts/{enrolment.cohort_id}/briefing").get_data(as_text=True)
    prompt = COURSE.module("alpha").quiz.question(items[0]["question"]).prompt
    section = briefing.split('id="confident-but-wrong"')[1]
    assert prompt in section and "1 of 1 answered sure and wrong" in section and "1 confident wrong answer" in section
    pdf = _pdf_text(trainer.get(f"/trainer/cohorts/{enrolment.cohort_id}/briefing.pdf").data)
    section = pdf.split("Confident but wrong")[1]
    assert " ".join(prompt.split()) in section and "1 of 1 answered sure and wrong" in section  # the page's words
    analysis = trainer.get(f"/trainer/cohorts/{enrolment.cohort_id}/analysis").get_data(as_text=True)
    assert "Sure but wrong" in analysis


def test_reflection_saved_shown_to_trainer_exported_and_gone_after_anonymisation(app, client, session):
    user, enrolment = trainee_with_enrolment(session, full_name="Rhi Reflects")
    client.sign_in(user.email, PASSWORD)
    url = PAGE.format(e=enrolment.id)
    page = client.get(url).get_data(as_text=True)
    assert "only you and the trainers on your course can see it" in page
    action = f"{url}/reflections/al-ref-second"
    too_long = client.post(action, {"al-ref-second-reflection": "x" * 1001}, token_from=url)
    assert too_long.status_code == 400 and "1000 characters or fewer" in too_long.get_data(as_text=True)
    saved = client.post(action, {"al-ref-second-reflection": "I would ask <b>why</b> first."}, token_from=url)
    assert saved.status_code == 303
    assert "I would ask &lt;b&gt;why&lt;/b&gt; first." in client.get(url).get_data(as_text=True)
    mine = client.get(f"/course/{enrolment.id}/reflections").get_data(as_text=True)
    assert "My reflections" in mine and "I would ask &lt;b&gt;why&lt;/b&gt; first." in mine

    data = json.loads(client.get("/course/my-data?format=json").data)
    assert data["enrolments"][0]["reflections"][0]["text"] == "I would ask <b>why</b> first."
    assert "I would ask" in client.get("/course/my-data").get_data(as_text=True)

    trainer = _trainer_client(app, session, enrolment.cohort)
    detail = trainer.get(f"/trainer/cohorts/{enrolment.cohort_id}/trainees/{enrolment.id}").get_data(as_text=True)
    assert "I would ask &lt;b&gt;why&lt;/b&gt; first." in detail
    briefing = trainer.get(f"/trainer/cohorts/{enrolment.cohort_id}/briefing").get_data(as_text=True)
    assert "Rhi Reflects" in briefing.split('id="reflections"')[1]
    pdf = _pdf_text(trainer.get(f"/trainer/cohorts/{enrolment.cohort_id}/briefing.pdf").data)
    assert "Rhi Reflects: I would ask <b>why</b> first." in pdf.split("Trainees' reflections")[1]  # as typed

    client.post(action, {"al-ref-second-reflection": "  "}, token_from=url)  # emptied: removed
    fresh(session)
    assert session.scalar(sa.select(sa.func.count(Reflection.id))) == 0
    client.post(action, {"al-ref-second-reflection": "Again"}, token_from=url)
    fresh(session)
    data_rights.anonymise(session, session.merge(user), None, utcnow(), "Erasure request")
    session.commit()
    assert session.scalar(sa.select(sa.func.count(Reflection.id))) == 0


def test_continue_goes_where_the_trainee_left_off(app, client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    course_url = f"/course/{enrolment.id}"
    alpha = f"{course_url}/alpha"
    assert f'href="{alpha}/01-first"' in _continue(client, course_url)
    assert "Start reading" in client.get(alpha).get_data(as_text=True)
    client.get(f"{alpha}/01-first")
    client = FormClient(app.test_client())  # a new session: signed out and in again
    client.sign_in(user.email, PASSWORD)
    assert f'href="{alpha}/02-second"' in _continue(client, course_url)
    module = client.get(alpha).get_data(as_text=True)
    assert "Continue reading" in module and f'href="{alpha}/02-second"' in module
    client.get(f"{alpha}/02-second")
    assert "Read again" in client.get(alpha).get_data(as_text=True)
    assert f'href="{alpha}#quiz"' in _continue(client, course_url)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    assert f'href="/course/attempt/{attempt_id}"' in _continue(client, course_url)
    resume = client.get(f"/course/attempt/{attempt_id}")
    assert resume.headers["Location"].endswith(f"/course/attempt/{attempt_id}/question/1")


def test_after_completion_the_course_page_says_so_without_countdown(client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    pass_module(client, session, enrolment.id, "alpha")
    pass_module(client, session, enrolment.id, "beta")
    html = client.get(f"/course/{enrolment.id}").get_data(as_text=True)
    assert "Pre-course learning complete" in html
    assert "days left" not in html and "Pass it to unlock the next module" not in html
    assert ">Continue<" not in html and "Continue\n" not in html.split("<main")[1].split("Modules")[0]


def test_withdrawn_completion_explains_what_happened_and_who_to_contact(app, client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    pass_module(client, session, enrolment.id, "alpha")
    pass_module(client, session, enrolment.id, "beta")
    trainer = make_user(session, Role.TRAINER, full_name="Tess Trainer")
    fresh(session)
    session.merge(enrolment).cohort.trainers.append(session.merge(trainer))
    completion = session.scalar(sa.select(Completion))
    completion.withdrawn_at, completion.withdrawn_reason = utcnow(), "Quiz taken by someone else"
    session.commit()
    html = client.get(f"/course/{enrolment.id}").get_data(as_text=True)
    assert "Your completion was withdrawn" in html and "Quiz taken by someone else" in html
    assert "Tess Trainer" in html and trainer.email in html


def _continue(client, course_url: str) -> str:
    html = client.get(course_url).get_data(as_text=True)
    assert "Continue" in html
    return html


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())
