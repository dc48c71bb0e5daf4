"""axe-core and 320 px reflow on the exports page (GOV.UK date inputs and their errors) and on a prepared
file's page while it waits, once the real worker has built it (the page updates itself), and when it failed."""

import sqlalchemy as sa
from playwright.sync_api import expect

from elearn.db import Database
from elearn.jobs import worker
from elearn.models import FileStatus, Organisation, PreparedFile, Role

from ..factories import enrol, make_cohort, make_user
from .helpers import audit
from .test_other_pages import ADMIN_PASSWORD, _sign_in


def test_exports_page_and_a_prepared_file_from_waiting_to_ready(page, live_app, redis_url):
    with Database.sessionmaker_for(live_app)() as session:
        oak = Organisation(name="Oak House")
        session.add(oak)
        session.commit()
        enrol(session, make_user(session, full_name="Kit Ready", organisation_id=oak.id), make_cohort(session))
        admin = make_user(session, Role.ADMIN, password=ADMIN_PASSWORD)
    live_app.config.update(JOBS="rq", REDIS_URL=redis_url, JOB_RETRY_INTERVALS=[0, 0])
    _sign_in(page, admin.email, ADMIN_PASSWORD)

    page.goto("/admin/exports")
    expect(page.get_by_role("group", name="Course date from")).to_be_visible()
    audit(page)
    page.locator("#from-day").fill("31")
    page.locator("#from-month").fill("2")
    page.locator("#from-year").fill("2027")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Course date from must be a real date")
    audit(page)

    page.locator("#from-day").fill("1")
    page.get_by_label("Organisation").select_option(label="Oak House")
    page.get_by_role("button", name="Evidence pack").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Your file is being prepared")
    expect(page.get_by_role("button", name="Check again")).to_be_visible()
    audit(page)

    worker.run(live_app, burst=True, worker_class=worker.InProcessAppWorker)
    expect(status).to_contain_text("Your file is ready", timeout=15_000)  # no reload: the page asked again
    audit(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.startswith("evidence-pack-Oak-House-from-2027-02-01-")

    with Database.sessionmaker_for(live_app)() as session:  # the same page when every try failed
        prepared = session.scalars(sa.select(PreparedFile)).one()
        prepared.status, prepared.error = FileStatus.FAILED, "OperationalError: server closed the connection"
        session.commit()
    page.reload()
    expect(page.get_by_role("heading", name="Your file could not be prepared")).to_be_visible()
    audit(page)
    page.goto("/admin/exports")
    expect(page.get_by_role("region", name="Your recent files")).to_contain_text("Failed")
    audit(page)
