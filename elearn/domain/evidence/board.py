"""The trainer's readiness board for a cohort: one row per trainee, built from set-based queries."""

from collections.abc import Collection
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course
from ...models import Attendance, Cohort, Competence, Enrolment, Organisation, User
from ..cohorts.readiness import ModuleResult, Readiness, enrolment_facts, with_readiness

SORT_KEYS = ("name", "organisation", "state", "last_activity", "completed")


class BoardRow(NamedTuple):  # not a frozen dataclass: a board of 1,000 makes 1,000 of these, at a quarter of the cost
    enrolment_id: int
    name: str
    email: str
    organisation: str
    job_title: str
    state: Readiness
    modules: dict[str, ModuleResult]
    last_activity_at: datetime | None
    completed_at: datetime | None
    attendance: Attendance
    competence: Competence
    user_id: int | None = None


def board_rows(
    session: Session, course: Course, cohort: Cohort, today: date, organisation_ids: Collection[int] | None = None
) -> list[BoardRow]:
    """One row per trainee, in two queries; with organisation_ids (a manager's scope), only those
    organisations' staff."""
    connection = session.connection()  # Core rows: no ORM result machinery for a thousand trainees
    if organisation_ids is None:
        query, params = _PEOPLE, {"cohort_id": cohort.id}
    else:
        query, params = _STAFF, {"cohort_id": cohort.id, "organisation_ids": list(organisation_ids)}
    return [
        BoardRow(
            r.enrolment_id,
            name,
            email,
            organisation or "",
            job_title or "",
            r.state,
            r.modules,
            r.last_activity_at,
            r.completed_at,
            attendance,
            competence,
            r.user_id,
        )
        for (attendance, competence, name, email, job_title, organisation), r in with_readiness(
            connection, course, query, params, [cohort.id], today
        )
    ]


# Built once, with the cohort (and a manager's organisations) bound at execution.
_PEOPLE = (
    enrolment_facts(
        Enrolment.attendance,
        Enrolment.competence,
        User.full_name,
        User.email,
        User.job_title,
        Organisation.name.label("organisation"),
    )
    .join(User, Enrolment.user_id == User.id)
    .outerjoin(Organisation, User.organisation_id == Organisation.id)
    .where(Enrolment.cohort_id == sa.bindparam("cohort_id"))
)
_STAFF = _PEOPLE.where(User.organisation_id.in_(sa.bindparam("organisation_ids", expanding=True)))


# Most urgent first when sorting by state: the people a trainer needs to act on.
_STATE_ORDER = [
    Readiness.NEEDS_SUPPORT,
    Readiness.OVERDUE,
    Readiness.NOT_STARTED,
    Readiness.IN_PROGRESS,
    Readiness.LATE,
    Readiness.READY,
]


def sort_and_filter(rows: list[BoardRow], sort: str, descending: bool, state: Readiness | None) -> list[BoardRow]:
    if state is not None:
        rows = [r for r in rows if r.state is state]
    keys = {
        "name": lambda r: r.name.lower(),
        "organisation": lambda r: (r.organisation.lower(), r.name.lower()),
        "state": lambda r: (_STATE_ORDER.index(r.state), r.name.lower()),
        "last_activity": lambda r: (r.last_activity_at is None, r.last_activity_at or datetime.min),
        "completed": lambda r: (r.completed_at is None, r.completed_at or datetime.min),
    }
    return sorted(rows, key=keys.get(sort, keys["name"]), reverse=descending)
