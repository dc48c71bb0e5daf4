"""One answer everywhere: the export, the refreshers dashboard, the readiness board, the certificate and
the verify page agree on the same people (competent, late, withdrawn), with REFRESHER_MONTHS not 12."""

import io
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from elearn.db import utcnow
from elearn.domain.cohorts.readiness import Readiness
from elearn.domain.cohorts.schedule import UK, today_in_uk
from elearn.domain.evidence import exports as completion_export
from elearn.domain.evidence.board import board_rows
from elearn.domain.evidence.certificates import find_certificate
from elearn.domain.evidence.export_filters import ExportFilters
from elearn.domain.evidence.refreshers import add_months, refreshers
from elearn.formatting import uk_date
from elearn.models import Competence, Completion, Enrolment

from ..conftest import FormClient
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .quiz_helpers import COURSE
from .test_invitations import _admin_client

MONTHS = 6


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), UK).astimezone(UTC)


def _world(session):
    """A two-day course about five months ago: Ann competent (form saved weeks later), Bob completed after
    the deadline (late, no outcome), Cy's completion withdrawn."""
    cohort = make_cohort(session, title="Autumn course", starts_in_days=-150, days=2)
    people = {}
    for key, name, completed, code in (
        ("ann", "Ann Competent", cohort.deadline_on - timedelta(days=5), "AAAA-AAAA-AAAA-AAAA"),
        ("bob", "Bob Late", cohort.starts_on - timedelta(days=1), "BBBB-BBBB-BBBB-BBBB"),
        ("cy", "Cy Withdrawn", cohort.deadline_on - timedelta(days=3), "CCCC-CCCC-CCCC-CCCC"),
    ):
        user = make_user(session, full_name=name)
        enrolment = enrol(session, user, cohort)
        session.add(
            Completion(
                enrolment_id=enrolment.id, content_version="v1", certificate_code=code, completed_at=_at(completed)
            )
        )
        people[key] = (user, session.get(Enrolment, enrolment.id))
    people["ann"][1].competence = Competence.COMPETENT
    people["ann"][1].outcome_recorded_at = utcnow()  # saved today: the due date still counts from the course day
    withdrawn = session.scalar(sa.select(Completion).where(Completion.certificate_code == "CCCC-CCCC-CCCC-CCCC"))
    withdrawn.withdrawn_at, withdrawn.withdrawn_reason = utcnow(), "Answers shared"
    session.commit()
    return cohort, people


def test_export_dashboard_board_and_certificate_agree(app, session):
    app.config["REFRESHER_MONTHS"] = MONTHS
    cohort, _people = _world(session)
    today = today_in_uk()
    header = completion_export.header(COURSE)
    export = {
        row[0]: dict(zip(header, row, strict=True))
        for row in completion_export.rows(session, COURSE, ExportFilters(), today, lambda c: c, MONTHS)
    }
    dashboard = {r.name: r.due_on for r in refreshers(session, today, MONTHS, within_days=400)}
    board = {r.name: r for r in board_rows(session, COURSE, cohort, today)}

    ann_due = add_months(cohort.starts_on + timedelta(days=1), MONTHS)  # the course's last day, not the form's save
    bob_due = add_months(cohort.starts_on - timedelta(days=1), MONTHS)  # no outcome: the completion day
    assert export["Ann Competent"]["Refresher due"] == dashboard["Ann Competent"] == ann_due
    assert export["Bob Late"]["Refresher due"] == dashboard["Bob Late"] == bob_due
    assert find_certificate(session, "AAAA-AAAA-AAAA-AAAA", MONTHS).valid_until == ann_due
    assert find_certificate(session, "BBBB-BBBB-BBBB-BBBB", MONTHS).valid_until == bob_due

    assert export["Bob Late"]["Readiness"] == board["Bob Late"].state.label == Readiness.LATE.label
    assert export["Bob Late"]["Completed late"] == "Yes"
    # Withdrawn: not completed on the export or the board, no refresher, no certificate to verify.
    assert export["Cy Withdrawn"]["Pre-learning completed"] is None and export["Cy Withdrawn"]["Certificate code"] == ""
    assert export["Cy Withdrawn"]["Refresher due"] is None and "Cy Withdrawn" not in dashboard
    assert board["Cy Withdrawn"].completed_at is None and board["Cy Withdrawn"].state not in (
        Readiness.READY,
        Readiness.LATE,
    )
    assert find_certificate(session, "CCCC-CCCC-CCCC-CCCC", MONTHS).is_revoked

    admin = _admin_client(app, session)
    page = admin.get("/admin/refreshers").get_data(as_text=True)
    assert f"valid for {MONTHS} months" in page and uk_date(ann_due) in page and "Cy Withdrawn" not in page
    verify = FormClient(app.test_client()).get("/verify/AAAA-AAAA-AAAA-AAAA").get_data(as_text=True)
    assert uk_date(ann_due) in verify
    certificate = admin.get("/admin/certificates/AAAA-AAAA-AAAA-AAAA.pdf")
    text = PdfReader(io.BytesIO(certificate.data)).pages[0].extract_text()
    assert f"Valid until {uk_date(ann_due)}" in text and "Ann Competent" in text
    assert admin.get("/admin/certificates/CCCC-CCCC-CCCC-CCCC.pdf").status_code == 404
    assert "certificate-Ann-Competent-AAAA-AAAA-AAAA-AAAA.pdf" in certificate.headers["Content-Disposition"]


def test_trainee_certificate_matches_the_admin_copy(app, session):
    app.config["REFRESHER_MONTHS"] = MONTHS
    _cohort, people = _world(session)
    user, enrolment = people["bob"]
    client = FormClient(app.test_client())
    client.sign_in(user.email, PASSWORD)
    own = client.get(f"/course/{enrolment.id}/certificate.pdf").data
    admin = _admin_client(app, session).get("/admin/certificates/BBBB-BBBB-BBBB-BBBB.pdf").data
    assert PdfReader(io.BytesIO(own)).pages[0].extract_text() == PdfReader(io.BytesIO(admin)).pages[0].extract_text()
