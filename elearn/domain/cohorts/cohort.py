"""Cohorts (one in-person course on a date): create, edit, move through states, enrol people."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...db import insert_if_absent
from ...formatting import uk_date
from ...models import Cohort, CohortState, CourseType, Enrolment, Role, User
from ..errors import CohortError, EmailNotConfirmed, NotFound
from .invitations import places_taken
from .schedule import default_deadline, last_course_day

# Which state may follow which; anything else is refused.
TRANSITIONS = {
    CohortState.DRAFT: {CohortState.OPEN},
    CohortState.OPEN: {CohortState.CLOSED, CohortState.DELIVERED},
    CohortState.CLOSED: {CohortState.OPEN, CohortState.DELIVERED},
    CohortState.DELIVERED: set(),
}
_JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class CohortDetails:
    title: str
    course_type: CourseType
    organisation_id: int | None
    venue: str
    address: str
    starts_on: date
    days: int
    start_time: time
    end_time: time
    capacity: int
    deadline_on: date | None  # None: the default number of days before the start


def create_cohort(session: Session, details: CohortDetails, today: date, days_before: int) -> Cohort:
    if details.starts_on < today:
        raise CohortError("The course date must be today or in the future", "starts_on")
    cohort = Cohort(state=CohortState.DRAFT, join_code=new_join_code())
    _apply(cohort, details, days_before, enrolled=0)
    session.add(cohort)
    session.flush()
    return cohort


def update_cohort(session: Session, cohort: Cohort, details: CohortDetails, days_before: int, now: datetime) -> None:
    if cohort.state is CohortState.DELIVERED:
        raise CohortError("A delivered cohort can no longer be changed")
    _apply(cohort, details, days_before, enrolled=places_taken(session, cohort, now))
    session.flush()


def _apply(cohort: Cohort, details: CohortDetails, days_before: int, enrolled: int) -> None:
    deadline = details.deadline_on or default_deadline(details.starts_on, days_before)
    if deadline >= details.starts_on:
        raise CohortError("The pre-learning deadline must be before the course date", "deadline_on")
    if details.end_time <= details.start_time:
        raise CohortError("The end time must be after the start time", "end_time")
    if details.capacity < enrolled:
        raise CohortError(f"Capacity cannot be less than the {enrolled} places already taken", "capacity")
    for name, value in vars(details).items():
        setattr(cohort, name, value)
    cohort.deadline_on = deadline


def change_state(cohort: Cohort, new_state: CohortState, today: date) -> None:
    if new_state not in TRANSITIONS[cohort.state]:
        raise CohortError(f"A {cohort.state.value} cohort cannot be marked {new_state.value}")
    last_day = last_course_day(cohort.starts_on, cohort.days)
    if new_state is CohortState.DELIVERED and today < last_day:
        raise CohortError(f"A cohort can be marked delivered from its last course day, {uk_date(last_day)}")
    cohort.state = new_state


def new_join_code() -> str:
    return "".join(secrets.choice(_JOIN_ALPHABET) for _ in range(8))


def set_trainers(session: Session, cohort: Cohort, trainer_ids: list[int]) -> None:
    trainers = session.scalars(sa.select(User).where(User.id.in_(trainer_ids), User.role == Role.TRAINER)).all()
    if len(trainers) != len(set(trainer_ids)):
        raise CohortError("Choose trainers from the list", "trainers")
    cohort.trainers = list(trainers)
    session.flush()


def enrol(session: Session, cohort: Cohort, user: User, now: datetime) -> Enrolment:
    """Enrol an existing trainee; the unique key makes a repeat harmless."""
    if user.role is not Role.TRAINEE:
        raise CohortError("Only trainees can be enrolled", "user")
    existing = session.scalar(
        sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.cohort_id == cohort.id)
    )
    if existing is not None:
        raise CohortError(f"{user.full_name} is already enrolled on this cohort", "user")
    if cohort.state not in (CohortState.OPEN, CohortState.DRAFT):
        raise CohortError("This cohort is not taking enrolments")
    if places_taken(session, cohort, now) >= cohort.capacity:
        raise CohortError("This cohort is full", "user")
    enrolment = Enrolment(user_id=user.id, cohort_id=cohort.id, enrolled_at=now)
    if not insert_if_absent(session, enrolment):
        raise CohortError(f"{user.full_name} is already enrolled on this cohort", "user")
    return enrolment


def join_with_code(session: Session, user: User, code: str, now: datetime) -> Enrolment:
    if user.email_confirmed_at is None:  # else anyone with a code could build a record in a colleague's name
        raise EmailNotConfirmed("Confirm your email address before you join a course: open the link we emailed you")
    code = code.strip().upper().replace(" ", "").replace("-", "")
    cohort = session.scalar(sa.select(Cohort).where(Cohort.join_code == code, Cohort.state == CohortState.OPEN))
    if cohort is None:
        raise CohortError("That join code is not right, or the course is not open. Check it with your trainer", "code")
    enrolment = enrol(session, cohort, user, now)
    if user.organisation_id is None and cohort.organisation_id is not None:
        user.organisation_id = cohort.organisation_id  # so briefings and per-organisation exports include them
    return enrolment


def cohort_or_404(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("cohort")
    return cohort
