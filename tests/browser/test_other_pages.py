"""axe-core and 320 px reflow on the admin, trainer and account pages (the trainee journey has its own test)."""

from datetime import date, timedelta

from playwright.sync_api import expect

from elearn.db import Database, utcnow
from elearn.domain.cohorts import invitations
from elearn.domain.people import registration
from elearn.models import Completion, Role

from ..factories import PASSWORD, enrol, make_cohort, make_user
from .helpers import audit, unnamed_controls

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
        learner = make_user(session, full_name="Łucja Wiśniewska-Ștefan")
        done = enrol(session, learner, make_cohort(session))
        session.add(
            Completion(
                enrolment_id=done.id, content_version="v", certificate_code="WWWW-WWWW-WWWW-WWWW", completed_at=utcnow()
            )
        )
        session.commit()
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
    page.goto(f"/admin/users/{learner.id}")
    page.get_by_role("button", name="Withdraw completion").click()  # no reason given
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.get_by_role("textbox", name="Reason to withdraw this completion")).to_be_visible()
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
        unconfirmed = registration.register_trainee(
            session, email="new@example.org", full_name="New Person", password=PASSWORD, job_title=None
        )
        session.commit()

    _sign_in(page, "new@example.org", PASSWORD)  # not yet confirmed: the join page offers a new link
    page.goto("/course/join")
    expect(page.get_by_role("button", name="Send the link again")).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Sign out").click()

    for path in (
        f"/invitation/{token}",
        "/reset-password",
        "/create-account",
        "/create-account/check-your-email",
        f"/confirm-email/{unconfirmed.confirmation_token}",
        "/invitation/not-a-token",
        "/no-such-page",
        "/verify",
        "/verify/NOPE-NOPE-NOPE-NOPE",
        "/privacy",
        "/accessibility",
        "/cookies",
    ):
        page.goto(path)
        audit(page)
    page.goto(f"/invitation/{token}")
    page.get_by_role("button", name="Create account and start").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit(page)

    page.goto(f"/confirm-email/{unconfirmed.confirmation_token}")
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_role("heading", name="Join your course")).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Sign out").click()

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
    for group in ("Attendance", "Practical competence outcome"):  # regression: both groups were nameless
        expect(page.get_by_role("group", name=group)).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    audit(page)
    for link in ("Quiz analysis", "Briefing for the day"):
        page.goto(f"/trainer/cohorts/{cohort.id}")
        page.get_by_role("link", name=link).click()
        audit(page)


def test_the_name_check_sees_what_axe_misses(chromium):
    """The accessible-name check itself: a fieldset with an empty legend and an unlabelled box are caught."""
    page = chromium.new_page()
    try:
        page.set_content(
            "<main><form><fieldset><legend></legend><input type=radio name=a id=a1><label for=a1>Yes</label>"
            "</fieldset><input type=text name=b><button>Save</button></form></main>"
        )
        assert sorted(problem.split()[0] for problem in unnamed_controls(page)) == ["group", "textbox"]
    finally:
        page.close()
