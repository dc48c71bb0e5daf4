"""Demo data for trying the app: one organisation, one cohort in 10 days, three users and colleagues."""

import secrets
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.cohorts.cohort import new_join_code
from ..domain.people import accounts
from ..models import Cohort, CohortState, CourseType, Enrolment, Organisation, Role
from .colleagues import add_colleagues

DEMO_USERS = (
    (Role.ADMIN, "admin@example.org", "Alex Admin", "Training administrator"),
    (Role.TRAINER, "trainer@example.org", "Tamsin Trainer", "Restraint reduction trainer"),
    (Role.TRAINEE, "trainee@example.org", "Sam Okafor", "Support worker"),
)
DEMO_COHORT_TITLE = "Restraint reduction: initial course (demo)"


def seed(session: Session, passwords_file: Path, course=None, today: date | None = None) -> list[tuple[str, str, str]]:
    """Create what is missing; return (role, email, password) for every demo user.

    Passwords are random, kept in passwords_file (in the instance folder, never committed) so a
    second run prints the same ones.
    """
    today = today or date.today()
    saved = _read_passwords(passwords_file)
    org = session.scalar(sa.select(Organisation).where(Organisation.name == "Riverside Care Group"))
    if org is None:
        org = Organisation(name="Riverside Care Group", training_contact_email="training@example.org")
        session.add(org)
        session.flush()
    cohort = session.scalar(sa.select(Cohort).where(Cohort.title == DEMO_COHORT_TITLE))
    if cohort is None:
        starts_on = today + timedelta(days=10)
        cohort = Cohort(
            title=DEMO_COHORT_TITLE,
            course_type=CourseType.INITIAL,
            organisation_id=org.id,
            venue="Riverside Training Centre",
            address="1 Mill Lane, Leeds LS1 1AA",
            starts_on=starts_on,
            days=1,
            capacity=12,
            deadline_on=starts_on - timedelta(days=2),
            state=CohortState.OPEN,
            join_code=new_join_code(),
        )
        session.add(cohort)
        session.flush()
    result = []
    for role, email, name, job in DEMO_USERS:
        user = accounts.find_user_by_email(session, email)
        if user is None or email not in saved:
            password = f"{role.value}-{secrets.token_hex(6)}"
            if user is None:
                user = accounts.create_user(
                    session,
                    email=email,
                    full_name=name,
                    role=role,
                    job_title=job,
                    organisation_id=org.id,
                    password=password,
                )
            else:
                accounts.set_password(user, password)
            saved[email] = password
        if (
            role is Role.TRAINEE
            and session.scalar(
                sa.select(Enrolment.id).where(Enrolment.user_id == user.id, Enrolment.cohort_id == cohort.id)
            )
            is None
        ):
            session.add(Enrolment(user_id=user.id, cohort_id=cohort.id))
        if role is Role.TRAINER and user not in cohort.trainers:
            cohort.trainers.append(user)
        result.append((role.value, email, saved[email]))
    session.flush()
    if course is not None:
        add_colleagues(session, course, cohort, org.id)
    _write_passwords(passwords_file, saved)
    return result


def _read_passwords(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {email: password for email, password in pairs}


def _write_passwords(path: Path, saved: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{email} {password}\n" for email, password in saved.items()))
    path.chmod(0o600)
