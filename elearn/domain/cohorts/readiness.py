"""Readiness of each enrolment for its course day, for whole cohorts at once (set-based queries)."""

import enum
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course
from ...db import as_utc
from ...models import Attempt, AttemptAnswer, AttemptState, Cohort, Completion, Enrolment, PageView
from ..learning.completion import counted_completion
from ..learning.mastery import needs_support
from .schedule import UK


class Readiness(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    NEEDS_SUPPORT = "needs_support"
    READY = "ready"
    LATE = "late"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# Named tuples rather than frozen dataclasses: a board of 1,000 trainees makes thousands, at a quarter of the cost.
class ModuleResult(NamedTuple):
    module_id: str
    best_score: int | None
    attempts: int  # submitted attempts
    passed_at: datetime | None
    failed_attempts: int


class EnrolmentReadiness(NamedTuple):
    enrolment_id: int
    cohort_id: int
    user_id: int
    state: Readiness
    modules: dict[str, ModuleResult]  # published modules only
    last_activity_at: datetime | None  # latest page view, answer or submission
    completed_at: datetime | None


def readiness_for_cohorts(
    session: Session, course: Course, cohort_ids: list[int], today: date
) -> dict[int, EnrolmentReadiness]:
    """Every enrolment of these cohorts, keyed by enrolment id, in two queries whatever their size."""
    if not cohort_ids:
        return {}
    connection = session.connection()  # Core rows: no ORM result machinery for a few thousand tuples
    judged = with_readiness(connection, course, _FACTS_OF_COHORTS, {"cohort_ids": list(cohort_ids)}, cohort_ids, today)
    return {r.enrolment_id: r for _own, r in judged}


def enrolment_facts(*columns: sa.ColumnElement) -> sa.Select:
    """One row per enrolment: first the facts its readiness is judged on (with_readiness reads them), then
    the caller's own columns; the caller says which enrolments and joins what its columns need.
    Completion is unique per enrolment and the rest are scalar subqueries, so no row repeats.
    A large statement: build it once, at import, and bind the ids at execution."""
    return (
        sa.select(
            Enrolment.id.label("enrolment_id"),
            Enrolment.cohort_id,
            Enrolment.user_id,
            Cohort.deadline_on,
            _as_stored(Completion.completed_at).label("completed_at"),
            _as_stored(_last_activity()).label("last_activity_at"),
            # An open attempt with no answer yet still means the trainee has begun. SELECT id, not the
            # SELECT * of sa.exists(): SQLite then answers from an index, without reading the attempts' rows.
            sa.select(Attempt.id)
            .where(Attempt.enrolment_id == Enrolment.id, Attempt.state == AttemptState.OPEN)
            .exists()
            .label("has_open_attempt"),
            *columns,
        )
        .select_from(Enrolment)
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .outerjoin(Completion, counted_completion())
    )


def with_readiness(
    connection: sa.Connection,
    course: Course,
    query: sa.Select,
    params: dict,
    cohort_ids: Sequence[int],
    today: date,
) -> Iterator[tuple[tuple, EnrolmentReadiness]]:
    """Each row of `query` (an enrolment_facts() select of enrolments of these cohorts): the caller's own
    columns, with the enrolment's readiness. Two statements: the module results of the cohorts, then the query.
    Rows are read in batches: a board of 1,000 then keeps few alive at once, so fewer objects outlive the
    garbage collector's young generation and its full collections (of the whole app) come less often."""
    published = course.published_modules
    support_after = {m.id: m.quiz.support_after for m in published}
    untried = {m.id: ModuleResult(m.id, None, 0, None, 0) for m in published}
    tried = _module_results(connection, cohort_ids, untried)
    for batch in connection.execute(query, params).partitions(_BATCH):
        for row in batch:
            enrolment_id, cohort_id, user_id, deadline_on, completed_at, last_activity_at, has_open = row[:_FACTS]
            completed_at, last_activity_at = as_utc(completed_at), as_utc(last_activity_at)
            modules = tried.get(enrolment_id, untried)
            # A submission is activity, so only an open attempt can be activity without a time.
            has_activity = last_activity_at is not None or bool(has_open)
            state = readiness_state(completed_at, deadline_on, today, modules, support_after, has_activity)
            yield (
                row[_FACTS:],
                EnrolmentReadiness(enrolment_id, cohort_id, user_id, state, modules, last_activity_at, completed_at),
            )


def readiness_state(
    completed_at: datetime | None,
    deadline_on: date,
    today: date,
    modules: dict[str, ModuleResult],
    support_after: dict[str, int],
    has_activity: bool,
) -> Readiness:
    """The one rule from facts already loaded; the completion export shares it so the two never disagree."""
    if completed_at is not None:
        # The deadline is a UK calendar day: 23:30 UTC on a summer deadline day is already the next day.
        return Readiness.READY if completed_at.astimezone(UK).date() <= deadline_on else Readiness.LATE
    if today > deadline_on:
        return Readiness.OVERDUE
    for module_id, r in modules.items():  # a loop, not any() over a generator: a board asks this 1,000 times
        if needs_support(r.failed_attempts, r.passed_at is not None, support_after[module_id]):
            return Readiness.NEEDS_SUPPORT
    return Readiness.IN_PROGRESS if has_activity else Readiness.NOT_STARTED


def count_by_state(readiness: Iterable[EnrolmentReadiness]) -> dict[Readiness, int]:
    """Every state, zeros included, in the enum's order, so a summary always shows the same rows."""
    counts = dict.fromkeys(Readiness, 0)
    for item in readiness:
        counts[item.state] += 1
    return counts


def module_aggregates(where: sa.ColumnElement[bool] | None = None, suffix: str = "") -> list[sa.Label]:
    """Best score, tries, first pass and failures over attempts matching `where`: the one definition
    that readiness, the board and the completion export share. Only submitted attempts count."""
    submitted = (
        Attempt.state == AttemptState.SUBMITTED
        if where is None
        else sa.and_(where, Attempt.state == AttemptState.SUBMITTED)
    )
    passed, failed = sa.and_(submitted, Attempt.is_passed.is_(True)), sa.and_(submitted, Attempt.is_passed.is_(False))
    return [
        sa.func.max(sa.case((submitted, Attempt.score_percent))).label(f"best{suffix}"),
        sa.func.count(sa.case((submitted, 1))).label(f"attempts{suffix}"),
        sa.func.min(sa.case((passed, Attempt.submitted_at))).label(f"passed_at{suffix}"),
        sa.func.count(sa.case((failed, 1))).label(f"failed{suffix}"),
    ]


def module_result(module_id: str, values, suffix: str = "") -> ModuleResult:
    """A ModuleResult from a row holding module_aggregates() columns."""
    return ModuleResult(
        module_id,
        values[f"best{suffix}"],
        values[f"attempts{suffix}"] or 0,
        as_utc(values[f"passed_at{suffix}"]),
        values[f"failed{suffix}"] or 0,
    )


def _module_results(
    connection: sa.Connection, cohort_ids: Sequence[int], untried: dict[str, ModuleResult]
) -> dict[int, dict[str, ModuleResult]]:
    """Each published module's result, in the course's order, for the enrolments with a submitted attempt:
    one GROUP BY over those attempts, read in batches (not a fetchone() per row through the result machinery)."""
    results: dict[int, dict[str, ModuleResult]] = {}
    for batch in connection.execute(_MODULE_RESULTS, {"cohort_ids": list(cohort_ids)}).partitions(_BATCH):
        for enrolment_id, module_id, best, attempts, passed_at, failed in batch:  # module_aggregates() order
            if module_id in untried:
                mine = results.get(enrolment_id)
                if mine is None:
                    mine = results[enrolment_id] = dict(untried)
                mine[module_id] = ModuleResult(module_id, best, attempts, as_utc(passed_at), failed)
    return results


def _as_stored(column: sa.ColumnElement) -> sa.ColumnElement:
    """A time read as the driver hands it over (SQLite: text), for as_utc: UTCDateTime's own conversion
    costs five times as much, and a board reads thousands of times."""
    return sa.type_coerce(column, sa.types.NullType())


def _last_activity() -> sa.ScalarSelect:
    """Latest page view, answer or submission of the enrolment in the enclosing query: the latest of three
    maxima, each one index lookup per enrolment. Answers are read from open attempts only: a submitted
    attempt's answers all came before its submission (saving is refused once it is submitted), so its
    submitted_at already is the latest of them; a void attempt's answers do not count."""
    of_enrolment = Enrolment.id
    latest = sa.union_all(
        sa.select(sa.func.max(PageView.first_viewed_at).label("at"))
        .where(PageView.enrolment_id == of_enrolment)
        .correlate(Enrolment),
        sa.select(sa.func.max(AttemptAnswer.answered_at))
        .join(Attempt, AttemptAnswer.attempt_id == Attempt.id)
        .where(Attempt.enrolment_id == of_enrolment, Attempt.state == AttemptState.OPEN)
        .correlate(Enrolment),
        sa.select(sa.func.max(Attempt.submitted_at))
        .where(Attempt.enrolment_id == of_enrolment, Attempt.state == AttemptState.SUBMITTED)
        .correlate(Enrolment),
    ).subquery()
    return sa.select(sa.func.max(latest.c.at)).scalar_subquery()


# Built once: the board and the cohort pages run these on every request, with the cohort ids bound.
_BATCH = 250
_IN_COHORTS = sa.bindparam("cohort_ids", expanding=True)
_FACTS_OF_COHORTS = enrolment_facts().where(Enrolment.cohort_id.in_(_IN_COHORTS)).order_by(Enrolment.id)
_FACTS = len(_FACTS_OF_COHORTS.selected_columns)  # enrolment_facts()'s own columns, before the caller's
_BEST, _TRIES, _PASSED_AT, _FAILED = module_aggregates()
_MODULE_RESULTS = (
    sa.select(
        Attempt.enrolment_id,
        Attempt.module_id,
        _BEST,
        _TRIES,
        _as_stored(_PASSED_AT.element).label(_PASSED_AT.name),
        _FAILED,
    )
    .where(
        Attempt.enrolment_id.in_(sa.select(Enrolment.id).where(Enrolment.cohort_id.in_(_IN_COHORTS))),
        # Only submitted attempts are tries. A void one was cut short by a content change, not by the
        # trainee: neither a try nor a failure; an open one is not a try yet (enrolment_facts() sees it).
        Attempt.state == AttemptState.SUBMITTED,
    )
    .group_by(Attempt.enrolment_id, Attempt.module_id)
)
