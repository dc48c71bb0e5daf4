"""Admin evidence: exports with every filter, formula-safe cells, streaming, certificates, verification,
refreshers, audit entries, user management and data rights."""

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from elearn.db import sqlite_immediate, utcnow
from elearn.domain.cohorts.readiness import Readiness
from elearn.domain.cohorts.schedule import today_in_uk
from elearn.domain.evidence import exports as completion_export
from elearn.domain.evidence.export_filters import ExportFilters
from elearn.models import (
    AuditEvent,
    Competence,
    Completion,
    CourseType,
    Enrolment,
    Organisation,
    PageView,
    Role,
    User,
)

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .export_helpers import prepared_download
from .quiz_helpers import COURSE, pass_module
from .test_invitations import _admin_client


def _complete(session, enrolment, code: str, when=None):
    session.add(
        Completion(
            enrolment_id=enrolment.id,
            content_version="v1",
            certificate_code=code,
            completed_at=when or datetime(2026, 11, 20, 12, tzinfo=UTC),
        )
    )
    session.commit()


def _world(session):
    oak = Organisation(name="Oak Trust")
    elm = Organisation(name="Elm Care")
    session.add_all([oak, elm])
    session.commit()
    initial = make_cohort(session, title="Initial A", starts_in_days=20, organisation_id=oak.id)
    refresher = make_cohort(session, title="Refresher B", starts_in_days=40, course_type=CourseType.REFRESHER)
    people = {
        "ann": enrol(session, make_user(session, full_name="=Ann Formula", organisation_id=oak.id), initial),
        "bob": enrol(
            session, make_user(session, full_name="Bob Done", organisation_id=elm.id, job_title="@risk"), refresher
        ),
        "cat": enrol(session, make_user(session, full_name="Cat New", organisation_id=elm.id), initial),
    }
    _complete(session, people["bob"], "BBBB-BBBB-BBBB-BBBB")
    return oak, elm, initial, refresher, people


def _names(filters, session, today=date(2026, 11, 28)):
    return sorted(
        row[0] for row in completion_export.rows(session, COURSE, filters, today, lambda c: f"https://x/verify/{c}", 12)
    )


def test_every_export_filter(session):
    oak, elm, initial, refresher, people = _world(session)
    assert _names(ExportFilters(), session) == ["=Ann Formula", "Bob Done", "Cat New"]
    assert _names(ExportFilters(organisation_id=elm.id), session) == ["Bob Done", "Cat New"]
    assert _names(ExportFilters(cohort_id=refresher.id), session) == ["Bob Done"]
    assert _names(ExportFilters(course_type=CourseType.INITIAL), session) == ["=Ann Formula", "Cat New"]
    assert _names(ExportFilters(course_from=refresher.starts_on), session) == ["Bob Done"]
    assert _names(ExportFilters(course_to=initial.starts_on), session) == ["=Ann Formula", "Cat New"]
    assert _names(ExportFilters(state=Readiness.READY), session) == ["Bob Done"]
    assert _names(ExportFilters(state=Readiness.NOT_STARTED), session) == ["=Ann Formula", "Cat New"]


def test_time_on_course_runs_from_the_first_page_opened_to_the_completion(session):
    _oak, _elm, _initial, _refresher, people = _world(session)
    opened = datetime(2026, 11, 19, 9, 30, tzinfo=UTC)  # 26.5 hours before Bob's completion
    session.add_all(
        [
            PageView(enrolment_id=people["bob"].id, module_id="alpha", page_id="02-second", first_viewed_at=opened + timedelta(hours=3)),
            PageView(enrolment_id=people["bob"].id, module_id="alpha", page_id="01-first", first_viewed_at=opened),
            PageView(enrolment_id=people["cat"].id, module_id="alpha", page_id="01-first", first_viewed_at=opened),
        ]
    )  # fmt: skip
    session.commit()
    header = completion_export.header(COURSE)
    rows = completion_export.rows(session, COURSE, ExportFilters(), date(2026, 11, 28), lambda c: c, 12)
    hours = {row[0]: row[header.index(completion_export.TIME_ON_COURSE)] for row in rows}
    # Bob: completed; Cat: reading but not complete; Ann: nothing opened yet.
    assert hours == {"Bob Done": 26.5, "Cat New": None, "=Ann Formula": None}


def test_csv_and_xlsx_downloads_are_safe_and_audited(app, session):
    _world(session)
    admin = _admin_client(app, session)
    csv_text = admin.get("/admin/exports/completions.csv").get_data(as_text=True)
    assert "'=Ann Formula" in csv_text and "'@risk" in csv_text and "BBBB-BBBB-BBBB-BBBB" in csv_text
    assert "/verify/BBBB-BBBB-BBBB-BBBB" in csv_text
    assert "20/11/2026 12:00" in csv_text  # UK dates in CSV
    response = admin.get("/admin/exports/completions.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Learner name" and any(r[0] == "'=Ann Formula" for r in values)
    completed_col = values[0].index("Pre-learning completed")
    bob = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Bob Done")
    assert isinstance(bob[completed_col].value, datetime) and bob[completed_col].number_format == "DD/MM/YYYY HH:MM"
    assert bob[values[0].index("Course date")].number_format == "DD/MM/YYYY"
    fresh(session)
    exports = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.subject, e.details["rows"]) for e in exports] == [("csv", 3), ("xlsx", 3)]


def test_formula_cells_in_every_position():
    from elearn.renderers.spreadsheets import safe_cell

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(f"{start}x").startswith("'")


def test_export_streams_rows_before_the_query_is_exhausted(session, count_queries):
    """Rows are yielded while the database cursor is still open: nothing waits for the full result."""
    cohort = make_cohort(session)
    session.add_all([User(email=f"s{i}@example.org", full_name=f"S {i}", role=Role.TRAINEE) for i in range(300)])
    session.flush()
    users = session.scalars(sa.select(User.id).where(User.email.like("s%@example.org"))).all()
    session.add_all([Enrolment(user_id=u, cohort_id=cohort.id) for u in users])
    session.commit()
    with count_queries() as counter:
        stream = completion_export.rows(session, COURSE, ExportFilters(), date.today(), lambda c: c, 12, batch=50)
        first = next(stream)
        assert first[0].startswith("S ")
        rest = list(stream)
    assert len(rest) == 299 and counter.count == 2  # the managers once, then one query fetched in batches


def test_certificate_pdf_and_public_verification(app, session):
    user, enrolment = make_user(session), None
    cohort = make_cohort(session, title="Winter course")
    enrolment = enrol(session, user, cohort)
    _complete(session, enrolment, "CCCC-CCCC-CCCC-CCCC")
    client = FormClient(app.test_client())
    valid = client.get("/verify/cccc-cccc-cccc-cccc").get_data(as_text=True)
    assert "Valid certificate" in valid and user.full_name in valid and "Winter course" in valid
    assert user.email not in valid  # only name, course, date and validity
    unknown = client.get("/verify/NOPE-NOPE-NOPE-NOPE")
    assert unknown.status_code == 404 and "could not find this certificate" in unknown.get_data(as_text=True)
    client.sign_in(user.email, PASSWORD)
    pdf = client.get(f"/course/{enrolment.id}/certificate.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    other = FormClient(app.test_client())
    stranger = make_user(session)
    other.sign_in(stranger.email, PASSWORD)
    assert other.get(f"/course/{enrolment.id}/certificate.pdf").status_code == 404


def test_anonymised_person_certificate_is_withdrawn_and_data_kept(app, session):
    user = make_user(session, full_name="Dee Private")
    enrolment = enrol(session, user, make_cohort(session))
    _complete(session, enrolment, "DDDD-DDDD-DDDD-DDDD")
    admin = _admin_client(app, session)
    url = f"/admin/users/{user.id}"
    assert admin.post(f"{url}/anonymise", {"reason": ""}, token_from=url).status_code == 400
    fresh(session)
    assert session.get(User, user.id).anonymised_at is None  # no reason, no change
    admin.post(f"{url}/anonymise", {"reason": "Erasure request"}, token_from=url)
    fresh(session)
    gone = session.get(User, user.id)
    assert gone.full_name == "Anonymised person" and "Dee" not in gone.email and not gone.is_active
    assert session.scalar(sa.select(sa.func.count(Completion.id))) == 1  # results kept
    page = FormClient(app.test_client()).get("/verify/DDDD-DDDD-DDDD-DDDD").get_data(as_text=True)
    assert "withdrawn" in page and "Dee Private" not in page
    assert (
        session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user_anonymised")).details["reason"]
        == "Erasure request"
    )


def test_trainee_downloads_their_own_data(app, client, session):
    user = make_user(session, full_name="Eve Learner")
    enrolment = enrol(session, user, make_cohort(session))
    client.sign_in(user.email, PASSWORD)
    pass_module(client, session, enrolment.id, "alpha")
    data = json.loads(client.get("/course/my-data?format=json").data)
    assert data["account"]["name"] == "Eve Learner"
    [record] = data["enrolments"]
    assert record["quiz_attempts"][0]["passed"] is True and len(record["quiz_attempts"][0]["answers"]) == 4
    assert "Eve Learner" in client.get("/course/my-data").get_data(as_text=True)


def test_user_management(app, session):
    admin_client = _admin_client(app, session)
    trainee = make_user(session, full_name="Fay Worker")
    assert "Fay Worker" in admin_client.get("/admin/users?q=fay").get_data(as_text=True)
    assert "Fay Worker" not in admin_client.get("/admin/users?role=admin").get_data(as_text=True)
    url = f"/admin/users/{trainee.id}"
    admin_client.post(f"{url}/active", {"active": "0"}, token_from=url)
    fresh(session)
    assert session.get(User, trainee.id).is_active is False
    blocked = FormClient(app.test_client()).post("/sign-in", {"email": trainee.email, "password": PASSWORD})
    assert "Enter a correct email address and password" in blocked.get_data(as_text=True)
    admin_client.post(f"{url}/active", {"active": "1"}, token_from=url)
    form = {
        "full_name": "Fay Trainer",
        "email": trainee.email,
        "job_title": "",
        "role": "trainer",
        "organisation_id": "",
    }
    assert admin_client.post(url, form).status_code == 303
    fresh(session)
    assert session.get(User, trainee.id).role is Role.TRAINER
    actions = session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("user_%"))).all()
    assert actions == ["user_deactivated", "user_reactivated", "user_updated"]
    created = admin_client.post(
        "/admin/users/new",
        {"full_name": "Gil New", "email": "gil@example.org", "job_title": "", "role": "trainee", "organisation_id": ""},
    )
    assert created.status_code == 303
    outbox = list((__import__("pathlib").Path(app.instance_path) / "outbox").glob("*.eml"))
    assert any("Set up your account" in p.read_text() for p in outbox)


def test_refreshers_dashboard_and_retention(app, session):
    due_soon = enrol(session, make_user(session, full_name="Hal Soon"), make_cohort(session, starts_in_days=-340))
    _complete(session, due_soon, "HHHH-HHHH-HHHH-HHHH", when=utcnow() - timedelta(days=340))
    competent = enrol(session, make_user(session, full_name="Ida Overdue"), make_cohort(session, starts_in_days=-400))
    row = session.get(Enrolment, competent.id)
    row.competence, row.outcome_recorded_at = Competence.COMPETENT, utcnow() - timedelta(days=400)
    session.commit()
    admin = _admin_client(app, session)
    page = admin.get("/admin/refreshers").get_data(as_text=True)
    assert (
        page.index("Overdue (1)")
        < page.index("Ida Overdue")
        < page.index("Due within 30 days (1)")
        < page.index("Hal Soon")
    )
    assert "Hal Soon" in admin.get("/admin/refreshers.csv").get_data(as_text=True)

    old = enrol(session, make_user(session, full_name="Old Record"), make_cohort(session, starts_in_days=-3000))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "apply"])
    assert "Would anonymise" in dry.output and "Old Record" in dry.output and "Hal Soon" not in dry.output
    fresh(session)
    assert session.scalar(sa.select(User.anonymised_at).where(User.full_name == "Old Record")) is None
    done = runner.invoke(args=["retention", "apply", "--commit"])
    assert "1 person anonymised." in done.output
    fresh(session)
    assert session.get(User, session.get(Enrolment, old.id).user_id).anonymised_at is not None


def test_evidence_pack_zip(app, session):
    oak, _elm, _initial, _refresher, people = _world(session)
    _complete(session, people["cat"], "KKKK-KKKK-KKKK-KKKK")
    admin = _admin_client(app, session)
    response = prepared_download(admin, organisation=oak.id)
    names = sorted(zipfile.ZipFile(io.BytesIO(response.data)).namelist())
    today = today_in_uk().isoformat()
    assert names == [
        "certificates/certificate-Cat-New-KKKK-KKKK-KKKK-KKKK.pdf",
        f"completions-Oak-Trust-{today}.xlsx",
        f"summary-Oak-Trust-{today}.pdf",
    ]


def test_withdrawing_a_completion_needs_a_reason_and_is_audited(app, session):
    user = make_user(session)
    enrolment = enrol(session, user, make_cohort(session))
    _complete(session, enrolment, "WWWW-WWWW-WWWW-WWWW")
    admin = _admin_client(app, session)
    page = f"/admin/users/{user.id}"
    admin.post("/admin/completions/WWWW-WWWW-WWWW-WWWW", {"withdraw": "1", "reason": ""}, token_from=page)
    fresh(session)
    assert session.scalar(sa.select(Completion.withdrawn_at)) is None
    admin.post("/admin/completions/WWWW-WWWW-WWWW-WWWW", {"withdraw": "1", "reason": "Answers shared"}, token_from=page)
    assert "no longer valid" in FormClient(app.test_client()).get("/verify/WWWW-WWWW-WWWW-WWWW").get_data(as_text=True)
    fresh(session)
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "completion_withdrawn"))
    assert event.details["reason"] == "Answers shared"
    admin.post("/admin/completions/WWWW-WWWW-WWWW-WWWW", {"withdraw": "0", "reason": "Checked: fine"}, token_from=page)
    assert "Valid certificate" in FormClient(app.test_client()).get("/verify/WWWW-WWWW-WWWW-WWWW").get_data(
        as_text=True
    )
    trainee = FormClient(app.test_client())
    trainee.sign_in(user.email, PASSWORD)
    assert admin.post("/admin/completions/NOPE", {"withdraw": "1", "reason": "x"}, token_from=page).status_code == 404


def test_streamed_csv_download_is_read_while_streaming_and_audited(app, session):
    """Regression: the export's generator runs after the view returns; its long read must not hold
    SQLite's write lock, or the audit entry written at the end waits for itself."""
    cohort = make_cohort(session)
    session.add_all([User(email=f"z{i}@example.org", full_name=f"Z {i}", role=Role.TRAINEE) for i in range(2500)])
    session.flush()
    ids = session.scalars(sa.select(User.id).where(User.email.like("z%@example.org"))).all()
    session.add_all([Enrolment(user_id=i, cohort_id=cohort.id) for i in ids])
    session.commit()
    admin = _admin_client(app, session)
    fresh(session)
    outside_any_request = sqlite_immediate.set(True)  # as in a server, where the generator runs after the view
    try:
        response = admin.get("/admin/exports/completions.csv", buffered=False)
        body = b"".join(response.response)
        response.close()
    finally:
        sqlite_immediate.reset(outside_any_request)
    lines = body.decode("utf-8-sig").splitlines()
    assert len(lines) == 2502 and lines[-1].startswith(
        "End of export: 2500 rows. Covers Organisation: All organisations;"
    )
    fresh(session)
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.details["rows"] == 2500


def test_every_completion_column_has_a_csv_kind():
    from elearn.admin.export_files import completion_kinds
    from elearn.renderers.spreadsheets import Cell

    header = completion_export.header(COURSE)
    kinds = completion_kinds(header)
    assert len(kinds) == len(header)
    text = {name for name, kind in zip(header, kinds, strict=True) if kind is Cell.TEXT}
    assert {"Learner name", "Email", "Job title", "Organisation", "Cohort", "Managers"} <= text
