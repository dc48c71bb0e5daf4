"""axe-core and 320 px reflow on the staff pages issue 15 added or changed: reminders from the board, bulk
confirmations, the audit log's filters, the manager's pages and the verify page's expiry."""

from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from elearn.db import Database, utcnow
from elearn.domain.cohorts import invitations
from elearn.models import (
    Attempt,
    AttemptState,
    Competence,
    Completion,
    CourseType,
    Enrolment,
    Organisation,
    Role,
    organisation_managers,
)

from ..factories import PASSWORD, enrol, make_cohort, make_user
from .helpers import audit
from .test_other_pages import ADMIN_PASSWORD, _sign_in


def _world(session):
    oak = Organisation(name="Oak House")
    session.add(oak)
    session.commit()
    cohort = make_cohort(session, title="Winter course", starts_in_days=-360)
    person = make_user(session, full_name="Kit Due", organisation_id=oak.id)
    enrolment = enrol(session, person, cohort)
    session.get(Enrolment, enrolment.id).competence = Competence.COMPETENT
    session.add(
        Completion(
            enrolment_id=enrolment.id,
            content_version="v",
            certificate_code="KKKK-DDDD-KKKK-DDDD",
            completed_at=utcnow() - timedelta(days=365),
        )
    )
    waiting = make_cohort(session, title="Next course")
    ned = enrol(session, make_user(session, full_name="Ned Notyet", organisation_id=oak.id), waiting)
    session.add(
        Attempt(
            enrolment_id=ned.id,
            module_id="human-rights",
            number=1,
            state=AttemptState.SUBMITTED,
            content_version="v",
            pass_mark=80,
            draw=[],
            started_at=utcnow(),
            submitted_at=utcnow(),
            score_percent=60,
            is_passed=False,
        )
    )
    invitations.invite(session, waiting, invitations.parse_typed("Ann Lee, ann@example.org"), None, utcnow(), 14)
    make_cohort(session, title="Refresher June", course_type=CourseType.REFRESHER, starts_in_days=40)
    trainer = make_user(session, Role.TRAINER)
    waiting.trainers.append(trainer)
    manager = make_user(session, Role.MANAGER)
    session.execute(sa.insert(organisation_managers).values(user_id=manager.id, organisation_id=oak.id))
    session.commit()
    return waiting, trainer, manager


def test_staff_pages_pass_axe(page, live_app):
    with Database.sessionmaker_for(live_app)() as session:
        waiting, trainer, manager = _world(session)
        admin = make_user(session, Role.ADMIN, password=ADMIN_PASSWORD)

    _sign_in(page, trainer.email, PASSWORD)
    page.goto(f"/trainer/cohorts/{waiting.id}?state=not_started")
    audit(page)
    page.get_by_role("link", name="Email a reminder to trainees who are not ready").click()
    expect(page.get_by_text("Dear Ned Notyet")).to_be_visible()
    audit(page)
    page.get_by_label("Ned Notyet", exact=False).uncheck()
    page.get_by_role("button", name="Send reminders").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, manager.email, PASSWORD)
    for path in ("/trainer/", f"/trainer/cohorts/{waiting.id}", "/admin/exports", "/admin/refreshers"):
        page.goto(path)
        audit(page)
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, admin.email, ADMIN_PASSWORD)
    for path in ("/trainer/", f"/trainer/cohorts/{waiting.id}/analysis"):
        page.goto(path)
        expect(page.locator("svg[role=img]").first).to_be_visible()
        audit(page)
    page.get_by_text("Outcomes and questions in detail").first.click()
    audit(page)
    page.goto("/admin/refreshers")
    audit(page)
    page.get_by_role("button", name="Choose who to invite").click()
    expect(page.get_by_text("Kit Due")).to_be_visible()
    audit(page)
    page.goto(f"/admin/cohorts/{waiting.id}/invitations/resend")
    audit(page)
    page.goto("/admin/audit?since=40&since=13&since=2026")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit(page)
    page.goto(f"/admin/users/{manager.id}")
    audit(page)
    page.goto("/verify/KKKK-DDDD-KKKK-DDDD")
    audit(page)
