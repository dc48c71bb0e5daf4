"""Hostile input found by fuzzing: each case answers 400 or 404 with a clear message and writes nothing."""

from datetime import date, timedelta

import sqlalchemy as sa

from elearn.db import Database
from elearn.models import AuditEvent, Cohort, Invitation, PreparedFile, Role, User

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, make_cohort, make_user, trainee_with_enrolment
from .test_cohort_admin import _form
from .test_invitations import _admin_client

CONTROL_MESSAGE = "characters that cannot be typed into a form"


def _count(session, model) -> int:
    fresh(session)
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_ids_beyond_the_database_integer_are_not_found(app, session):
    admin = _admin_client(app, session)
    cohort = make_cohort(session)
    for too_big in ("2147483648", "99999999999999999999", "9" * 5000):
        for url in (f"/admin/cohorts/{too_big}", f"/admin/users/{too_big}", f"/trainer/cohorts/{too_big}/analysis"):
            assert admin.get(url).status_code == 404, url
        assert admin.post(f"/admin/cohorts/{too_big}/state", {"state": "open"}).status_code == 404
    assert admin.get(f"/admin/cohorts/{cohort.id}").status_code == 200
    assert admin.get("/admin/cohorts/2147483647").status_code == 404  # the largest id: looked up, not there


def test_page_numbers_are_bounded(app, session):
    admin = _admin_client(app, session)
    for url in ("/admin/users", "/admin/audit"):
        assert admin.get(f"{url}?page=2").status_code == 200
        for page in ("99999999999999999999", "2147483648", "²", "-1", "0", "x"):
            assert admin.get(f"{url}?page={page}").status_code == 404, (url, page)


def test_control_characters_are_refused_with_a_clear_message_and_nothing_written(app, session):
    before = (_count(session, User), _count(session, AuditEvent), _count(session, Cohort))
    anonymous = FormClient(app.test_client())
    cases = [
        anonymous.post("/sign-in", {"email": "a\x00@example.org", "password": "x"}),
        anonymous.post("/reset-password", {"email": "a\x00@example.org"}),
        anonymous.post(
            "/create-account",
            {"full_name": "A\x00B", "email": "ab@example.org", "password": PASSWORD, "confirm": PASSWORD},
        ),
        anonymous.get("/verify/AB%00CD"),
        anonymous.get("/verify?code=AB%00CD"),
    ]
    assert (_count(session, User), _count(session, AuditEvent), _count(session, Cohort)) == before
    user, enrolment = trainee_with_enrolment(session)
    trainee = FormClient(app.test_client())
    trainee.sign_in(user.email, PASSWORD)
    cases.append(trainee.post("/course/join", {"code": "AB\x00CD"}, token_from=f"/course/{enrolment.id}"))
    admin = _admin_client(app, session)
    before = (_count(session, User), _count(session, AuditEvent), _count(session, Cohort))
    cases += [
        admin.get("/admin/users?q=%00"),
        admin.post("/admin/organisations", {"name": "Care\x00 Ltd", "training_contact_email": ""}),
        admin.post("/admin/cohorts/new", _form(date.today() + timedelta(days=30), title="Bad\x1b title")),
    ]
    for response in cases:
        assert response.status_code == 400 and CONTROL_MESSAGE in response.get_data(as_text=True)
    assert (_count(session, User), _count(session, AuditEvent), _count(session, Cohort)) == before


def test_years_outside_the_calendar_we_can_count_in_are_refused(app, session):
    admin = _admin_client(app, session)
    for year in ("0001", "1999", "9999"):
        response = admin.post("/admin/cohorts/new", _form(date.today(), starts_on=["1", "1", year]))
        assert response.status_code == 200, year
        assert "Enter a year from 2000 to 2099" in response.get_data(as_text=True)
    assert _count(session, Cohort) == 0


def test_a_line_break_in_a_cohort_title_is_refused(app, session):
    admin = _admin_client(app, session)
    soon = date.today() + timedelta(days=30)
    response = admin.post("/admin/cohorts/new", _form(soon, title="Course\r\nBcc: everyone@example.org"))
    assert response.status_code == 200 and "Course title must be on one line" in response.get_data(as_text=True)
    assert _count(session, Cohort) == 0


def test_invitation_emails_go_even_if_a_title_holds_a_line_break(mail_app, smtp):
    """A title stored before the form refused line breaks: the email still goes, with a one-line subject."""
    with Database.sessionmaker_for(mail_app)() as session:
        cohort = make_cohort(session, title="Spring\r\nBcc: everyone@example.org")
        admin = _admin_client(mail_app, session)
        url = f"/admin/cohorts/{cohort.id}"
        response = admin.post(f"{url}/invite", {"people": "Sam Okafor, sam@example.org"}, token_from=url)
        assert response.status_code == 303
        assert [m["Subject"] for m in smtp.messages] == [
            "Your pre-course learning for Spring Bcc: everyone@example.org"
        ]
        assert smtp.messages[0].envelope_recipients == ["sam@example.org"]
        assert _count(session, Invitation) == 1


def test_export_filters_are_checked_before_anything_is_streamed_or_audited(app, session):
    admin = _admin_client(app, session)
    make_cohort(session)
    for kind in ("completions.csv", "completions.xlsx"):
        for query, message in (
            ("organisation=%C2%B2", "Choose the organisation from the list"),
            ("cohort=99999999999999999999", "Choose the cohort from the list"),
            ("state=nonsense", "Choose the readiness from the list"),
            ("course_type=x", "Choose the course type from the list"),
            ("from=1+1+0001", "is not a date"),
        ):
            response = admin.get(f"/admin/exports/{kind}?{query}")
            assert response.status_code == 400, (kind, query)
            assert message in response.get_data(as_text=True) and response.mimetype == "text/html"
    # The form posts every button's filters: refused with the GOV.UK error summary, nothing queued.
    for action in ("csv", "xlsx", "evidence_pack", "apply"):
        for pairs, message in (
            ([("organisation", "²")], "Choose the organisation from the list"),
            ([("cohort", "99999999999999999999")], "Choose the cohort from the list"),
            ([("state", "nonsense")], "Choose the readiness from the list"),
            ([("course_type", "x")], "Choose the course type from the list"),
            ([("from", "1"), ("from", "1"), ("from", "0001")], "Enter a year from 2000 to 2099"),
            ([("from", "31"), ("from", "2"), ("from", "2027")], "Course date from must be a real date"),
            ([("from", ""), ("from", "2"), ("from", "2027")], "Course date from must be a real date"),
            ([("from", "1"), ("from", "2")], "Enter the date as a day, month and year"),
            ([("from", "")], "Enter the date as a day, month and year"),
            (
                [("from", "2"), ("from", "2"), ("from", "2027"), ("to", "1"), ("to", "2"), ("to", "2027")],
                "Course date to must be the same as or after course date from",
            ),
        ):
            response = admin.post("/admin/exports", [("action", action), *pairs], token_from="/admin/exports")
            page = response.get_data(as_text=True)
            assert response.status_code == 400, (action, pairs)
            assert message in page and "There is a problem" in page, (action, pairs)
    fresh(session)
    assert session.scalar(sa.select(sa.func.count()).where(AuditEvent.action.like("export%"))) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(PreparedFile)) == 0


def test_csv_export_ends_with_its_row_count(app, session):
    admin = _admin_client(app, session)
    make_user(session, Role.TRAINEE)
    trainee_with_enrolment(session)
    lines = admin.get("/admin/exports/completions.csv").get_data(as_text=True).splitlines()
    assert lines[-1].startswith("End of export: 1 row. Covers ") and len(lines) == 3
