"""The completion list for commissioners and inspectors: one row per enrolment, streamed from one query."""

from collections.abc import Callable, Iterator
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course
from ...db import as_utc
from ...models import (
    Attempt,
    AttemptState,
    Cohort,
    Completion,
    Enrolment,
    Organisation,
    PageView,
    User,
    organisation_managers,
)
from ..cohorts.readiness import Readiness, module_aggregates, module_result, readiness_state
from ..learning.completion import counted_completion
from .certificates import Certificate, as_certificate, certificate_query
from .export_filters import ExportFilters, apply_filters
from .export_rows import TIME_ON_COURSE, as_read, row_builder


def header(course: Course) -> list[str]:
    columns = [
        "Learner name",
        "Email",
        "Job title",
        "Organisation",
        "Cohort",
        "Course type",
        "Course date",
        "Pre-learning deadline",
    ]
    for m in course.published_modules:
        columns += [
            f"Module {m.position} passed on",
            f"Module {m.position} best score %",
            f"Module {m.position} attempts",
        ]
    return columns + [
        "Pre-learning completed",
        "Completed late",
        "Readiness",
        "Content version",
        "Certificate code",
        "Verification URL",
        "Attendance",
        "Competence outcome",
        "Refresher due",
        "Enrolled on",
        "Managers",
        TIME_ON_COURSE,
    ]


def rows(
    session: Session,
    course: Course,
    filters: ExportFilters,
    today: date,
    verify_url: Callable[[str], str],
    refresher_months: int,
    batch: int = 1000,
) -> Iterator[list]:
    """Rows as Python values (dates are dates), fetched in batches from a single query as plain tuples
    (Core rows: the ORM's result machinery cost more than the rest of a row)."""
    modules = course.published_modules
    managers = managers_by_organisation(session)
    query = as_read(export_query(modules, filters))
    result = session.connection().execute(query, execution_options={"yield_per": batch})
    build = row_builder(list(result.keys()), modules, today, verify_url, refresher_months, managers)
    wanted = filters.state
    for values in result:
        cells, state = build(values)
        if wanted is None or state is wanted:
            yield cells


def row_readiness(row, modules, today: date) -> tuple[dict, datetime | None, Readiness]:
    """One row of export_query: each module's result, the completion time and the readiness state."""
    values = row._mapping
    results = {m.id: module_result(m.id, values, f"_{i}") for i, m in enumerate(modules)}
    completed_at = as_utc(row.completed_at)
    state = readiness_state(
        completed_at,
        row.deadline_on,
        today,
        results,
        {m.id: m.quiz.support_after for m in modules},
        has_activity=bool(row.active),
    )
    return results, completed_at, state


def managers_by_organisation(session: Session) -> dict[int, str]:
    """Each organisation's managers' names ('Ann Lee; Bo Chan'), read once for the whole export."""
    names: dict[int, list[str]] = {}
    query = (
        sa.select(organisation_managers.c.organisation_id, User.full_name)
        .join(User, organisation_managers.c.user_id == User.id)
        .where(User.is_active.is_(True), User.anonymised_at.is_(None))
        .order_by(User.full_name)
    )
    for organisation_id, name in session.execute(query):
        names.setdefault(organisation_id, []).append(name)
    return {organisation_id: "; ".join(people) for organisation_id, people in names.items()}


def export_query(modules, filters: ExportFilters, only: sa.Select | None = None) -> sa.Select:
    """One row per enrolment with everything the export shows. `only` (a select of enrolment ids) limits
    it, attempts included, to those enrolments: the completions API reads one page at that cost."""
    columns = [c for i, m in enumerate(modules) for c in module_aggregates(Attempt.module_id == m.id, f"_{i}")]
    per_module = sa.select(Attempt.enrolment_id, sa.func.count(Attempt.id).label("any_attempt"), *columns).where(
        Attempt.state != AttemptState.VOID
    )
    if only is not None:
        per_module = per_module.where(Attempt.enrolment_id.in_(only))
    per_module = per_module.group_by(Attempt.enrolment_id).subquery()
    first_read = sa.select(PageView.enrolment_id, sa.func.min(PageView.first_viewed_at).label("first_read_at"))
    if only is not None:
        first_read = first_read.where(PageView.enrolment_id.in_(only))
    first_read = first_read.group_by(PageView.enrolment_id).subquery()
    query = (
        sa.select(
            Enrolment.id.label("enrolment_id"),
            Enrolment.cohort_id,
            User.id.label("user_id"),
            User.full_name,
            User.email,
            User.job_title,
            User.organisation_id,
            Enrolment.enrolled_at,
            Organisation.name.label("organisation"),
            Cohort.title.label("cohort_title"),
            Cohort.course_type,
            Cohort.starts_on,
            Cohort.deadline_on,
            Completion.completed_at,
            Completion.content_version,
            Completion.certificate_code,
            Enrolment.attendance,
            Enrolment.competence,
            Cohort.days,
            first_read.c.first_read_at,
            sa.or_(per_module.c.any_attempt > 0, first_read.c.first_read_at.is_not(None)).label("active"),
            *[c for c in per_module.c if c.name not in ("enrolment_id", "any_attempt")],
        )
        .select_from(Enrolment)
        .join(User, Enrolment.user_id == User.id)
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .outerjoin(Organisation, User.organisation_id == Organisation.id)
        .outerjoin(Completion, counted_completion())
        .outerjoin(per_module, per_module.c.enrolment_id == Enrolment.id)
        .outerjoin(first_read, first_read.c.enrolment_id == Enrolment.id)
        .order_by(Cohort.starts_on, User.full_name, Enrolment.id)
    )
    if only is not None:
        query = query.where(Enrolment.id.in_(only))
    return apply_filters(query, filters)


def enrolments_covered(session: Session, filters: ExportFilters) -> int:
    """How many enrolments the filters cover, before the readiness filter (worked out per row): an upper
    bound on an export's rows, to choose between streaming a file and preparing it in the background."""
    query = (
        sa.select(sa.func.count(Enrolment.id))
        .select_from(Enrolment)
        .join(User, Enrolment.user_id == User.id)
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
    )
    return session.scalar(apply_filters(query, filters)) or 0


def certificates_covered(session: Session, filters: ExportFilters, refresher_months: int) -> list[Certificate]:
    """The valid certificates an export with these filters covers, for the evidence pack, from one query."""
    query = certificate_query().where(User.anonymised_at.is_(None), Completion.withdrawn_at.is_(None))
    query = apply_filters(query, filters).order_by(User.full_name, Completion.certificate_code)
    return [as_certificate(row, refresher_months) for row in session.execute(query)]
