"""Issue 14 in a real browser: support after three failures (one trainer email), confidence in the briefing,
a reflection saved and shown, and Continue landing in the right place after signing out and in. axe on each page."""

import re

from playwright.sync_api import expect

from elearn.db import Database
from elearn.models import Role

from ..factories import PASSWORD, make_user, trainee_with_enrolment
from .helpers import audit
from .test_trainee_journey import FIRST, _answer_quiz, _revisit_and_retake

REFLECTION_PAGE = next(p for p in FIRST.pages if p.reflections)


def _trainee_and_trainer(app):
    with Database.sessionmaker_for(app)() as session:
        user, enrolment = trainee_with_enrolment(session)
        trainer = make_user(session, Role.TRAINER)
        enrolment.cohort.trainers.append(trainer)
        session.commit()
        return user.email, enrolment.id, enrolment.cohort_id, trainer.email


def _sign_in(page, email):
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")  # leave no script in flight: a dropped static request fails the test


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")


def _start_quiz(page, enrolment_id):
    page.goto(f"/course/{enrolment_id}/{FIRST.id}")
    page.get_by_role("button", name=re.compile("Start the quiz|Continue the quiz")).click()


def test_third_failure_offers_support_and_emails_the_trainer_once(page, live_app, smtp):
    live_app.config.update(MAIL_BACKEND="smtp", MAIL_HOST="127.0.0.1", MAIL_PORT=smtp.port, MAIL_USE_STARTTLS=False)
    email, enrolment_id, _cohort_id, trainer_email = _trainee_and_trainer(live_app)
    _sign_in(page, email)
    _start_quiz(page, enrolment_id)
    for attempt in range(3):
        _answer_quiz(page, live_app, enrolment_id, correct=False, audit_first=False)
        page.get_by_role("button", name="Submit answers").click()
        expect(page.get_by_role("heading", name="You did not pass this time")).to_be_visible()
        if attempt < 2:
            expect(page.get_by_text("Talk to your trainer")).to_have_count(0)
            _revisit_and_retake(page)
    expect(page.get_by_role("heading", name="Talk to your trainer")).to_be_visible()
    expect(page.locator("#support")).to_contain_text(trainer_email)
    audit(page)
    page.goto(f"/course/{enrolment_id}/{FIRST.id}")
    expect(page.locator("#support")).to_be_visible()
    audit(page)
    assert [m["To"] for m in smtp.messages] == [trainer_email]


def test_confidence_reflection_and_continue_after_signing_in_again(page, live_app):
    email, enrolment_id, cohort_id, trainer_email = _trainee_and_trainer(live_app)
    _sign_in(page, email)
    expect(page.get_by_role("heading", name="Your pre-course learning")).to_be_visible()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST.pages[0].title)

    page.goto(f"/course/{enrolment_id}/{FIRST.id}/{REFLECTION_PAGE.id}")
    field = page.get_by_label("Your reflection (optional)")
    field.fill("I would ask the person first.\nThen the team.")
    audit(page)
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_text("Your reflection has been saved.")).to_be_visible()
    page.goto(f"/course/{enrolment_id}/reflections")
    expect(page.get_by_text("I would ask the person first.")).to_be_visible()
    audit(page)

    _sign_out(page)
    _sign_in(page, email)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(REFLECTION_PAGE.title)
    landed = page.url

    _start_quiz(page, enrolment_id)
    page.get_by_label("I'm sure", exact=True).check()
    audit(page)
    page.locator("input[name='answer']").first.check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_url(re.compile(r"/question/2$"))
    page.wait_for_load_state("load")
    _sign_out(page)
    _sign_in(page, email)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page).to_have_url(re.compile(r"/question/2$"))
    assert landed != page.url

    _sign_out(page)
    _sign_in(page, trainer_email)
    page.goto(f"/trainer/cohorts/{cohort_id}/trainees/{enrolment_id}")
    expect(page.get_by_text("I would ask the person first.")).to_be_visible()
    audit(page)
    page.goto(f"/trainer/cohorts/{cohort_id}/briefing")
    expect(page.get_by_role("heading", name="Confident but wrong")).to_be_visible()
    expect(page.get_by_role("heading", name="Trainees' reflections")).to_be_visible()
    audit(page)
    page.goto(f"/trainer/cohorts/{cohort_id}/analysis")
    page.get_by_text("Outcomes and questions in detail").first.click()  # the tables fold under the charts
    expect(page.get_by_role("columnheader", name="Sure but wrong").first).to_be_visible()
    audit(page)
