"""The completion list for commissioners and inspectors: one row per enrolment, streamed from one query."""

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course
from ...db import UTCDateTime, as_utc
from ...models import (
    Attempt,
    AttemptState,
    Attendance,
    Cohort,
    Competence,
    Completion,
    CourseType,
    Enrolment,
    Organisation,
    PageView,
    User,
    organisation_managers,
)
from ..cohorts.readiness import ModuleResult, Readiness, module_aggregates, module_result, readiness_state
from ..cohorts.schedule import UK
from ..learning.completion import counted_completion
from .certificates import Certificate, as_certificate, certificate_query
from .export_filters import ExportFilters, apply_filters
from .refreshers import competent_on, refresher_due

# Elapsed time, not time spent reading: pages record when they were first and last opened, not for how long.
TIME_ON_COURSE = "Time on course (hours from first page opened to pre-learning completed)"


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
    query = _as_read(export_query(modules, filters))
    result = session.connection().execute(query, execution_options={"yield_per": batch})
    build = _row_builder(list(result.keys()), modules, today, verify_url, refresher_months, managers)
    wanted = filters.state
    for values in result:
        cells, state = build(values)
        if wanted is None or state is wanted:
            yield cells


def _as_read(query: sa.Select) -> sa.Select:
    """The same statement, with its times and enums handed over as the driver reads them (times: naive UTC
    on SQLite, aware on PostgreSQL; enums: their values): the column types' work on each of some 1.1
    million cells cost more than the rest of a row. _uk_clock reads either kind of time."""
    raw = {UTCDateTime: sa.DateTime(), sa.Enum: sa.String()}

    def as_read(column):
        kind = next((t for t in raw if isinstance(column.type, t)), None)
        return column if kind is None else sa.type_coerce(column, raw[kind]).label(column.name)

    return query.with_only_columns(*map(as_read, query.selected_columns), maintain_column_froms=True)


def _uk_clock() -> Callable[[datetime], datetime]:
    """UK wall-clock time of a UTC time, for a whole export. A naive time is UTC (SQLite's): the UK's offset
    from UTC changes only on the hour (at 01:00 UTC), so it is worked out once per UTC hour, not per
    value, and the result is naive. An aware time (PostgreSQL's) is converted as it is, and stays aware."""
    offsets: dict[int, timedelta] = {}

    def uk(value: datetime) -> datetime:
        if value.tzinfo is not None:
            return value.astimezone(UK)
        hour = value.toordinal() * 24 + value.hour
        offset = offsets.get(hour)
        if offset is None:
            offset = offsets[hour] = value.replace(tzinfo=UTC).astimezone(UK).utcoffset()
        return value + offset

    return uk


# export_query's columns before the per-module ones, in order: _row_builder unpacks them by position.
_ROW_COLUMNS = (
    "enrolment_id",
    "cohort_id",
    "user_id",
    "full_name",
    "email",
    "job_title",
    "organisation_id",
    "enrolled_at",
    "organisation",
    "cohort_title",
    "course_type",
    "starts_on",
    "deadline_on",
    "completed_at",
    "content_version",
    "certificate_code",
    "attendance",
    "competence",
    "days",
    "first_read_at",
    "active",
)
# A completion decides readiness by itself (readiness_state's first rule): its module results go unread.
_UNREAD: dict = {}


def _row_builder(keys, modules, today, verify_url, refresher_months, managers):
    """One export row (and its readiness) from one tuple of export_query, with everything that is the
    same for every row (labels, positions, settings) worked out once."""
    assert tuple(keys[: len(_ROW_COLUMNS)]) == _ROW_COLUMNS, keys
    module_ids = [m.id for m in modules]
    support_after = {m.id: m.quiz.support_after for m in modules}
    course_types = {t.value: t.value.capitalize() for t in CourseType}
    attendances = {a.value: a.value.replace("_", " ") for a in Attendance}
    competences = {c.value: c for c in Competence}
    outcomes = {c: c.value.replace("_", " ") for c in Competence}
    labels = {s: s.label for s in Readiness}
    uk = _uk_clock()

    def build(values) -> tuple[list, Readiness]:
        # Times and enums arrive as the driver reads them (_as_read); dates as dates.
        (_, _, _, name, email, job, organisation_id, enrolled_at, organisation, cohort, course_type, starts_on,
         deadline_on, completed_at, version, code, attendance, competence, days, first_read_at, active,
         *aggregates) = values  # fmt: skip
        completed_at, competence = as_utc(completed_at), competences[competence]
        if completed_at is None:
            results = {
                m: ModuleResult(m, best, attempts or 0, passed_at, failed or 0)
                for m, best, attempts, passed_at, failed in zip(
                    module_ids, *(aggregates[i::4] for i in range(4)), strict=True
                )
            }
        else:
            results = _UNREAD
        state = readiness_state(completed_at, deadline_on, today, results, support_after, has_activity=bool(active))
        cells = [name, email, job or "", organisation or "", cohort, course_types[course_type], starts_on, deadline_on]
        for i in range(0, len(aggregates), 4):  # module_aggregates() order: best, attempts, passed_at, failed
            passed_at = aggregates[i + 2]
            cells += [uk(passed_at).date() if passed_at else None, aggregates[i], aggregates[i + 1] or 0]
        cells += [
            uk(completed_at).replace(tzinfo=None) if completed_at else None,
            "Yes" if state is Readiness.LATE else ("No" if completed_at else ""),
            labels[state],
            version or "",
            code or "",
            verify_url(code) if code else "",
            attendances[attendance],
            outcomes[competence],
            refresher_due(competent_on(competence, starts_on, days), completed_at, refresher_months),
            uk(enrolled_at).date(),
            managers.get(organisation_id, ""),
            time_on_course(as_utc(first_read_at), completed_at),
        ]
        return cells, state

    return build


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


def time_on_course(first_read_at: datetime | None, completed_at: datetime | None) -> float | None:
    """Hours (to one decimal place) from the first page opened to the pre-learning's completion; None
    until both have happened (a completion with no page opened, e.g. recorded by hand, has none)."""
    if first_read_at is None or completed_at is None:
        return None
    return round(max((completed_at - first_read_at).total_seconds(), 0) / 3600, 1)


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
