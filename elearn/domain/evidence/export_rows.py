"""The completion list's rows from export_query's tuples: the same rules as the API's records, with what is
the same for every row worked out once, and values read as the driver hands them over (100k rows a file)."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from ...db import UTCDateTime, as_utc
from ...models import Attendance, Competence, CourseType
from ..cohorts.readiness import ModuleResult, Readiness, readiness_state
from ..cohorts.schedule import UK
from .refreshers import competent_on, refresher_due

# Elapsed time, not time spent reading: pages record when they were first and last opened, not for how long.
TIME_ON_COURSE = "Time on course (hours from first page opened to pre-learning completed)"


def as_read(query: sa.Select) -> sa.Select:
    """The same statement, with its times and enums handed over as the driver reads them (times: naive UTC
    on SQLite, aware on PostgreSQL; enums: their values): the column types' work on each of some 1.1
    million cells cost more than the rest of a row. uk_clock reads either kind of time."""
    raw = {UTCDateTime: sa.DateTime(), sa.Enum: sa.String()}

    def read(column):
        kind = next((t for t in raw if isinstance(column.type, t)), None)
        return column if kind is None else sa.type_coerce(column, raw[kind]).label(column.name)

    return query.with_only_columns(*map(read, query.selected_columns), maintain_column_froms=True)


def uk_clock() -> Callable[[datetime], datetime]:
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


# export_query's columns before the per-module ones, in order: row_builder unpacks them by position.
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


def row_builder(
    keys: list[str],
    modules: list,
    today: date,
    verify_url: Callable[[str], str],
    refresher_months: int,
    managers: dict[int, str],
) -> Callable[[tuple], tuple[list, Readiness]]:
    """One export row (and its readiness) from one tuple of export_query, with everything that is the
    same for every row (labels, positions, settings) worked out once."""
    if tuple(keys[: len(_ROW_COLUMNS)]) != _ROW_COLUMNS:  # export_query and this unpacking must agree
        raise RuntimeError(f"export_query's columns changed: {keys[: len(_ROW_COLUMNS)]}")
    module_ids = [m.id for m in modules]
    support_after = {m.id: m.quiz.support_after for m in modules}
    course_types = {t.value: t.value.capitalize() for t in CourseType}
    attendances = {a.value: a.value.replace("_", " ") for a in Attendance}
    competences = {c.value: c for c in Competence}
    outcomes = {c: c.value.replace("_", " ") for c in Competence}
    labels = {s: s.label for s in Readiness}
    uk = uk_clock()

    def build(values) -> tuple[list, Readiness]:
        # Times and enums arrive as the driver reads them (as_read); dates as dates.
        (_, _, _, name, email, job, organisation_id, enrolled_at, organisation, cohort, course_type, starts_on,
         deadline_on, completed_at, version, code, attendance, competence, days, first_read_at, active,
         *aggregates) = values  # fmt: skip
        completed_at, competence = as_utc(completed_at), competences[competence]
        if completed_at is None:
            results = {
                m: ModuleResult(m, best, attempts or 0, as_utc(passed_at), failed or 0)
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


def time_on_course(first_read_at: datetime | None, completed_at: datetime | None) -> float | None:
    """Hours (to one decimal place) from the first page opened to the pre-learning's completion; None
    until both have happened (a completion with no page opened, e.g. recorded by hand, has none)."""
    if first_read_at is None or completed_at is None:
        return None
    return round(max((completed_at - first_read_at).total_seconds(), 0) / 3600, 1)
