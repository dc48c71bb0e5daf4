"""axe-core and 320 px reflow on the admin, trainer and account pages (the trainee journey has its own test)."""

from datetime import date, timedelta

from playwright.sync_api import expect

from elearn.db import Database, utcnow
from elearn.domain.cohorts import invitations
from elearn.models import Role

from ..factories import PASSWORD, enrol, make_cohort, make_user
from .helpers import audit

ADMIN_PASSWORD = "a long admin pass phrase"


def _sign_in(page, email, password):
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_admin_pages(page, live_app):
    with Database.sessionmaker_for(live_app)() as session:
        admin = make_user(session, Role.ADMIN, password=ADMIN_PASSWORD)
        make_user(session, Role.TRAINER, full_name="Tamsin Trainer")
    _sign_in(page, admin.email, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="Cohorts")).to_be_visible()
    audit(page)

    page.get_by_role("button", name="Create a cohort").click()
    audit(page)
    page.get_by_role("button", name="Save cohort").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit(page)

    starts = date.today() + timedelta(days=30)
    page.get_by_label("Course title").fill("Spring initial course")
    page.get_by_label("Venue").fill("Oak Room")
    page.get_by_label("Day").first.fill(str(starts.day))
    page.get_by_label("Month").first.fill(str(starts.month))
    page.get_by_label("Year").first.fill(str(starts.year))
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("End time").fill("16:30")
    page.get_by_label("Places").fill("12")
    page.get_by_role("button", name="Save cohort").click()
    expect(page.get_by_role("heading", name="Spring initial course")).to_be_visible()
    audit(page)

    page.get_by_label("People to invite").fill("No Email Here\nSam Okafor, sam@example.org")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("Nothing was imported")).to_be_visible()
    audit(page)

    page.get_by_role("link", name="Organisations").click()
    audit(page)
    for name in ("Users", "Exports", "Refreshers", "Audit log", "Jobs", "Quiz analysis", "Readiness"):
        page.get_by_role("navigation", name="Account").get_by_role("link", name=name).click()
        audit(page)
    page.goto(f"/admin/users/{admin.id}")
    audit(page)
    page.goto("/admin/users/new")
    audit(page)


def test_account_and_trainer_pages(page, live_app):
    with Database.sessionmaker_for(live_app)() as session:
        cohort = make_cohort(session, join_code="K7MQ2XHD")
        [(_invitation, token)] = invitations.invite(
            session, cohort, invitations.parse_typed("Ann Lee, ann@example.org"), None, utcnow(), 14
        )
        session.commit()
        trainer = make_user(session, Role.TRAINER)
        cohort.trainers.append(trainer)
        trainee = make_user(session)
        enrol(session, trainee, cohort)
        session.commit()

    for path in (
        f"/invitation/{token}",
        "/reset-password",
        "/create-account",
        "/invitation/not-a-token",
        "/no-such-page",
        "/verify",
        "/verify/NOPE-NOPE-NOPE-NOPE",
    ):
        page.goto(path)
        audit(page)
    page.goto(f"/invitation/{token}")
    page.get_by_role("button", name="Create account and start").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit(page)

    _sign_in(page, trainee.email, PASSWORD)
    page.goto("/course/join")
    audit(page)
    page.goto("/course/my-data")
    audit(page)
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, trainer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Your cohorts")).to_be_visible()
    audit(page)
    page.get_by_role("link", name=cohort.title).click()
    expect(page.get_by_role("heading", name=cohort.title)).to_be_visible()
    audit(page)
    page.get_by_role("link", name=trainee.full_name, exact=True).click()
    audit(page)
    page.get_by_role("link", name="Record attendance and competence outcome").click()
    audit(page)
    page.get_by_role("button", name="Save").click()
    audit(page)
    for link in ("Quiz analysis", "Briefing for the day"):
        page.goto(f"/trainer/cohorts/{cohort.id}")
        page.get_by_role("link", name=link).click()
        audit(page)
