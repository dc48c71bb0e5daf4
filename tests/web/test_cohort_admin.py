"""Admin cohort screens: validation, guarded state changes, trainers; the trainee's calendar file."""

from datetime import date, timedelta

import sqlalchemy as sa

from elearn.models import Cohort, CohortState, Role

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .test_invitations import _admin_client


def _form(day: date, **overrides):
    data = {
        "title": "Initial course",
        "course_type": "initial",
        "organisation_id": "",
        "venue": "Room 1",
        "address": "1 High St",
        "starts_on": [str(day.day), str(day.month), str(day.year)],
        "days": "1",
        "start_time": "09:30",
        "end_time": "16:30",
        "capacity": "12",
        "deadline_on": ["", "", ""],
    }
    data.update(overrides)
    return [(k, v) for k, values in data.items() for v in (values if isinstance(values, list) else [values])]


def test_create_cohort_with_default_deadline(app, session):
    admin = _admin_client(app, session)
    starts = date.today() + timedelta(days=30)
    response = admin.post("/admin/cohorts/new", _form(starts))
    assert response.status_code == 303
    fresh(session)
    cohort = session.scalar(sa.select(Cohort))
    assert cohort.deadline_on == starts - timedelta(days=2) and cohort.state is CohortState.DRAFT
    assert len(cohort.join_code) == 8


def test_cohort_validation_messages(app, session):
    admin = _admin_client(app, session)
    past = date.today() - timedelta(days=1)
    soon = date.today() + timedelta(days=10)
    cases = [
        (_form(past), "The course date must be today or in the future"),
        (
            _form(soon, deadline_on=[str(soon.day), str(soon.month), str(soon.year)]),
            "deadline must be before the course date",
        ),
        (_form(soon, end_time="09:00"), "end time must be after the start time"),
        (_form(soon, capacity="0"), "Places must be between 1 and 500"),
        (_form(soon, title=""), "Enter a course title"),
        (_form(soon, starts_on=["31", "2", "2030"]), "Enter the course date"),
    ]
    for data, message in cases:
        response = admin.post("/admin/cohorts/new", data)
        assert response.status_code == 200 and message in response.get_data(as_text=True), message
    fresh(session)
    assert session.scalar(sa.select(sa.func.count(Cohort.id))) == 0


def test_capacity_cannot_drop_below_places_taken(app, session):
    cohort = make_cohort(session, capacity=3)
    for _ in range(2):
        enrol(session, make_user(session), cohort)
    admin = _admin_client(app, session)
    response = admin.post(f"/admin/cohorts/{cohort.id}/edit", _form(cohort.starts_on, capacity="1"))
    assert "less than the 2 places already taken" in response.get_data(as_text=True)


def test_state_changes_are_guarded(app, session):
    cohort = make_cohort(session, state=CohortState.DRAFT, starts_in_days=-1, days=2)  # its last day is today
    admin = _admin_client(app, session)
    url = f"/admin/cohorts/{cohort.id}"
    admin.post(f"{url}/state", {"state": "delivered"}, token_from=url, follow_redirects=True)
    fresh(session)
    assert session.get(Cohort, cohort.id).state is CohortState.DRAFT
    for state in ("open", "closed", "delivered"):
        admin.post(f"{url}/state", {"state": state}, token_from=url)
    fresh(session)
    assert session.get(Cohort, cohort.id).state is CohortState.DELIVERED
    assert "cannot be marked open" in admin.post(
        f"{url}/state", {"state": "open"}, token_from=url, follow_redirects=True
    ).get_data(as_text=True)
    assert admin.post(f"{url}/state", {"state": "bogus"}, token_from=url).status_code == 400


def test_assign_trainers_and_trainer_sees_the_cohort(app, session):
    cohort = make_cohort(session, title="Spring course")
    trainer = make_user(session, Role.TRAINER)
    admin = _admin_client(app, session)
    url = f"/admin/cohorts/{cohort.id}"
    assert admin.post(f"{url}/trainers", [("trainers", str(trainer.id))], token_from=url).status_code == 303
    not_a_trainer = make_user(session)
    admin.post(f"{url}/trainers", [("trainers", str(not_a_trainer.id))], token_from=url)
    fresh(session)
    assert [t.id for t in session.get(Cohort, cohort.id).trainers] == [trainer.id]
    client = FormClient(app.test_client())
    client.sign_in(trainer.email, PASSWORD)
    assert "Spring course" in client.get("/", follow_redirects=True).get_data(as_text=True)
    assert client.get(url).status_code == 404  # trainers cannot edit cohorts


def test_trainee_downloads_the_course_day_as_ics(client, session):
    from icalendar import Calendar

    user = make_user(session)
    cohort = make_cohort(session, days=2, venue="Oak Room")
    enrolment = enrol(session, user, cohort)
    client.sign_in(user.email, PASSWORD)
    response = client.get(f"/course/{enrolment.id}/calendar.ics")
    assert response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert len(events) == 2 and "Oak Room" in str(events[0]["LOCATION"])
    assert events[0].decoded("DTSTART").date() == cohort.starts_on
    assert str(events[0].decoded("DTSTART").tzinfo) == "Europe/London"


def test_a_cohort_cannot_be_marked_delivered_before_its_last_day(app, session):
    cohort = make_cohort(session, starts_in_days=0, days=2)  # started today, ends tomorrow
    admin = _admin_client(app, session)
    url = f"/admin/cohorts/{cohort.id}"
    page = admin.post(f"{url}/state", {"state": "delivered"}, token_from=url, follow_redirects=True)
    assert "can be marked delivered from its last course day" in page.get_data(as_text=True)
    fresh(session)
    assert session.get(Cohort, cohort.id).state is CohortState.OPEN


def test_unreadable_values_get_the_forms_own_messages(app, session):
    """Never WTForms' defaults ('Not a valid integer value.'): each field says what to enter."""
    admin = _admin_client(app, session)
    response = admin.post(
        "/admin/cohorts/new",
        _form(date.today(), capacity="lots", start_time="9am", starts_on=["31", "2", "2027"], days="3"),
    )
    page = response.get_data(as_text=True)
    for message in (
        "Enter the number of places",
        "Enter a start time, for example 09:30",
        "Enter the course date, for example 27 3 2027",
        "Choose the length of the course",
    ):
        assert message in page, message
    assert "Not a valid" not in page and "<title>Error: " in page
