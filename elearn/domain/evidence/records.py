"""The completions API's records, a page at a time: the export's query and rules, read by key.

Pages are keyset pages (after the last key seen, in key order), so a page costs the same however deep it
is and rows added meanwhile are neither skipped nor repeated. The export's own order (course date, name)
is for people; an integration wants a stable key.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course
from ...db import as_utc
from ...models import Attendance, Cohort, Competence, Completion, CourseType, Enrolment, User
from ..cohorts.readiness import Readiness
from ..cohorts.schedule import UK
from ..learning.completion import counted_completion
from .export_filters import ExportFilters, apply_filters
from .exports import export_query, row_readiness
from .refreshers import RefresherRow, competent_on, refresher_due, refreshers

T = TypeVar("T")


@dataclass(frozen=True)
class ModuleRecord:
    module_id: str
    passed_on: date | None
    best_score: int | None
    attempts: int


@dataclass(frozen=True)
class EnrolmentRecord:
    enrolment_id: int
    user_id: int
    full_name: str
    email: str
    job_title: str | None
    organisation_id: int | None
    organisation: str | None
    cohort_id: int
    cohort_title: str
    course_type: CourseType
    course_starts_on: date
    deadline_on: date
    enrolled_at: datetime
    readiness: Readiness
    modules: list[ModuleRecord]
    completed_at: datetime | None
    completed_late: bool | None
    content_version: str | None
    certificate_code: str | None
    verification_url: str | None
    attendance: Attendance
    competence: Competence
    refresher_due_on: date | None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    last_key: object | None  # the key to continue after; None: this was the last page


def enrolment_page(
    session: Session,
    course: Course,
    filters: ExportFilters,
    today: date,
    verify_url: Callable[[str], str],
    refresher_months: int,
    after: int,
    limit: int,
    completed_only: bool = False,
) -> Page[EnrolmentRecord]:
    """Up to `limit` enrolments with an id above `after`, from one statement. A readiness filter is
    applied to the rows read (readiness is worked out per row, as in the export), so such a page can hold
    fewer than `limit` records: follow the key until there is none."""
    modules = course.published_modules
    # The page's enrolments first (by key, with the filters), so attempts are aggregated for them alone.
    page_ids = (
        sa.select(Enrolment.id)
        .join(User, Enrolment.user_id == User.id)
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.id > after)
    )
    if completed_only:  # the counted completion (a withdrawn one is not)
        page_ids = page_ids.join(Completion, counted_completion())
    page_ids = apply_filters(page_ids, filters).order_by(Enrolment.id).limit(limit + 1)
    query = export_query(modules, filters, only=page_ids).order_by(None).order_by(Enrolment.id)
    rows = session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    records = []
    for row in rows:
        results, completed_at, state = row_readiness(row, modules, today)
        if filters.state is not None and state is not filters.state:
            continue
        records.append(_record(row, modules, results, completed_at, state, verify_url, refresher_months))
    return Page(records, rows[-1].enrolment_id if more else None)


def _record(row, modules, results, completed_at, state, verify_url, months) -> EnrolmentRecord:
    return EnrolmentRecord(
        enrolment_id=row.enrolment_id,
        user_id=row.user_id,
        full_name=row.full_name,
        email=row.email,
        job_title=row.job_title,
        organisation_id=row.organisation_id,
        organisation=row.organisation,
        cohort_id=row.cohort_id,
        cohort_title=row.cohort_title,
        course_type=row.course_type,
        course_starts_on=row.starts_on,
        deadline_on=row.deadline_on,
        enrolled_at=as_utc(row.enrolled_at),
        readiness=state,
        modules=[
            ModuleRecord(
                m.id,
                results[m.id].passed_at.astimezone(UK).date() if results[m.id].passed_at else None,
                results[m.id].best_score,
                results[m.id].attempts or 0,
            )
            for m in modules
        ],
        completed_at=completed_at,
        completed_late=(state is Readiness.LATE) if completed_at else None,
        content_version=row.content_version,
        certificate_code=row.certificate_code,
        verification_url=verify_url(row.certificate_code) if row.certificate_code else None,
        attendance=row.attendance,
        competence=row.competence,
        refresher_due_on=refresher_due(competent_on(row.competence, row.starts_on, row.days), completed_at, months),
    )


def refresher_page(
    session: Session,
    filters: ExportFilters,
    today: date,
    months: int,
    within_days: int,
    after: tuple[date, int] | None,
    limit: int,
) -> Page[RefresherRow]:
    """People whose refresher is overdue or due within `within_days`, soonest first, keyed by (due date,
    person). Who is due depends on each person's latest course, so the list is worked out whole (one
    statement, as on the refreshers page) and the page cut from it."""
    due = refreshers(
        session,
        today,
        months,
        within_days=within_days,
        narrow=lambda query: apply_filters(query, filters),
        organisation_ids=filters.organisation_ids,
    )
    ordered = sorted(due, key=_refresher_key)
    if after is not None:
        ordered = [r for r in ordered if _refresher_key(r) > after]
    page = ordered[:limit]
    return Page(page, _refresher_key(page[-1]) if len(ordered) > limit else None)


def _refresher_key(row: RefresherRow) -> tuple[date, int]:
    return row.due_on, row.user_id or 0
