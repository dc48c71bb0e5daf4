"""Factories for test data: users, cohorts, enrolments (written straight to the database)."""

from datetime import date, timedelta
from itertools import count

from elearn.domain.people import accounts
from elearn.models import Cohort, CohortState, Enrolment, Role

PASSWORD = "correct horse battery staple"
_serial = count(1)


def make_user(session, role: Role = Role.TRAINEE, email: str | None = None, **fields):
    n = next(_serial)
    user = accounts.create_user(
        session,
        email=email or f"{role.value}{n}@example.org",
        full_name=fields.pop("full_name", f"Person {n}"),
        role=role,
        password=fields.pop("password", PASSWORD),
        **fields,
    )
    session.commit()
    return user


def make_cohort(session, starts_in_days: int = 10, **fields):
    starts_on = date.today() + timedelta(days=starts_in_days)
    defaults = {
        "title": f"Cohort {next(_serial)}",
        "venue": "Training room",
        "starts_on": starts_on,
        "deadline_on": starts_on - timedelta(days=2),
        "state": CohortState.OPEN,
        "join_code": None,
    }
    cohort = Cohort(**{**defaults, **fields})
    session.add(cohort)
    session.commit()
    return cohort


def enrol(session, user, cohort):
    enrolment = Enrolment(user_id=user.id, cohort_id=cohort.id)
    session.add(enrolment)
    session.commit()
    return enrolment


def trainee_with_enrolment(session, **user_fields):
    user = make_user(session, Role.TRAINEE, **user_fields)
    cohort = make_cohort(session)
    return user, enrol(session, user, cohort)
