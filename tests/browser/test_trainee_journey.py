"""A trainee in a real browser: sign in, read a module, fail its quiz, retake, pass, next module open.

axe-core and the 320 px reflow check run on every page visited.
"""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from elearn.content import load_course
from elearn.db import Database
from elearn.models import Attempt, AttemptState

from ..conftest import PROJECT_ROOT
from ..factories import PASSWORD, trainee_with_enrolment
from .helpers import audit, tab_to

COURSE = load_course(PROJECT_ROOT)
FIRST, SECOND = COURSE.published_modules[0], COURSE.published_modules[1]


def _setup_trainee(app):
    with Database.sessionmaker_for(app)() as session:
        user, enrolment = trainee_with_enrolment(session)
        return user.email, enrolment.id


def _open_attempt_draw(app, enrolment_id):
    with Database.sessionmaker_for(app)() as session:
        return session.scalar(
            sa.select(Attempt.draw).where(Attempt.enrolment_id == enrolment_id, Attempt.state == AttemptState.OPEN)
        )


def _answer_quiz(page, app, enrolment_id, correct: bool, audit_first: bool):
    draw = _open_attempt_draw(app, enrolment_id)
    for number, item in enumerate(draw, start=1):
        question = FIRST.quiz.question(item["question"])
        expect(page.get_by_role("heading", level=1)).to_have_text(question.prompt.strip())
        chosen = [o for o in question.options if o.is_correct == correct]
        if not correct and question.type != "multiple":
            chosen = chosen[:1]
        for option in chosen:
            page.locator(f"input[name='answer'][value='{option.id}']").check()
        if audit_first and number == 1:
            audit(page)
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()


def test_read_fail_retake_pass_and_unlock(page, live_app):
    email, enrolment_id = _setup_trainee(live_app)

    page.goto("/")
    audit(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Your pre-course learning")).to_be_visible()
    audit(page)
    page.get_by_role("link", name=f"{FIRST.position}. {FIRST.title}").click()
    audit(page)

    page.get_by_role("button", name="Start reading").click()
    for index, module_page in enumerate(FIRST.pages):
        expect(page.get_by_role("heading", level=1)).to_have_text(module_page.title)
        audit(page)
        if index + 1 < len(FIRST.pages):
            page.locator(".govuk-pagination__next a").click()
    page.get_by_role("button", name="Go to the quiz").click()
    page.get_by_role("button", name="Start the quiz").click()

    _answer_quiz(page, live_app, enrolment_id, correct=False, audit_first=True)
    audit(page)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name="You did not pass this time")).to_be_visible()
    audit(page)
    _revisit_and_retake(page)

    _answer_quiz(page, live_app, enrolment_id, correct=True, audit_first=False)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name="You passed")).to_be_visible()
    audit(page)

    page.get_by_role("button", name="Go to the next module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SECOND.title)
    page.get_by_role("link", name="Back to your course").click()
    expect(page.get_by_role("link", name=f"{SECOND.position}. {SECOND.title}")).to_be_visible()
    expect(page.locator(".govuk-task-list__item", has_text=FIRST.title).get_by_text("Passed")).to_be_visible()


def _revisit_and_retake(page):
    """A failed result hides the keys and locks the retake until the linked sections are read again."""
    assert "(correct answer)" not in page.content()
    expect(page.locator("#unlock")).to_contain_text("again to unlock your next try")
    expect(page.get_by_role("button", name="Try the quiz again")).to_have_count(0)
    result_url = page.url
    links = page.locator("#revisit ~ ul a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links
    for href in links:
        page.goto(href)
    page.goto(result_url)
    expect(page.locator("#unlock")).to_have_count(0)
    page.get_by_role("button", name="Try the quiz again").click()


def test_keyboard_only_sign_in_and_answer(page, live_app):
    email, enrolment_id = _setup_trainee(live_app)
    page.goto("/sign-in")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/course/\d+$"))

    tab_to(page, f"a[href$='/{FIRST.id}']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/{FIRST.id}$"))
    tab_to(page, "form[action$='/quiz'] button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/question/1$"))

    tab_to(page, "input[name='answer']")
    page.keyboard.press("Space")
    tab_to(page, "button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/question/2$"))
    assert _open_attempt_draw(live_app, enrolment_id) is not None


def test_skip_link_and_error_summary_take_focus(page, live_app):
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    tab_to(page, "button.govuk-button:not(.govuk-password-input__toggle)")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary").get_by_text("Enter your email address")).to_be_visible()
    audit(page)
    # GOV.UK Frontend moves focus to the error summary so screen reader users hear it first.
    expect(page.locator(".govuk-error-summary")).to_be_focused()


def test_the_audit_itself_can_fail(page, live_app):
    """Guard against a check that cannot fail: a page with known faults must be caught."""
    import pytest

    page.set_content('<html lang="en"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        audit(page)
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><div style="width:900px">wide</div></main></body></html>'
    )
    with pytest.raises(AssertionError, match="horizontal scrolling"):
        audit(page)
