"""Readiness of each enrolment for its course day, for whole cohorts at once (set-based queries)."""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

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


@dataclass(frozen=True)
class ModuleResult:
    module_id: str
    best_score: int | None
    attempts: int  # submitted attempts
    passed_at: datetime | None
    failed_attempts: int


@dataclass(frozen=True)
class EnrolmentReadiness:
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
    published = course.published_modules
    support_after = {m.id: m.quiz.support_after for m in published}
    in_cohorts = sa.select(Enrolment.id).where(Enrolment.cohort_id.in_(cohort_ids))
    last_seen = _last_activity(in_cohorts)
    # Completion is unique per enrolment and last_seen has one row per enrolment: no row repeats.
    connection = session.connection()  # Core rows: no ORM result machinery for a few thousand tuples
    enrolments = connection.execute(
        sa.select(
            Enrolment.id,
            Enrolment.cohort_id,
            Enrolment.user_id,
            Cohort.deadline_on,
            Completion.completed_at,
            last_seen.c.at.label("last_seen_at"),
        )
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .outerjoin(Completion, counted_completion())
        .outerjoin(last_seen, last_seen.c.enrolment_id == Enrolment.id)
        .where(Enrolment.cohort_id.in_(cohort_ids))
        .order_by(Enrolment.id)
    ).all()
    per_module = _module_results(connection, in_cohorts)
    untried = {m.id: ModuleResult(m.id, None, 0, None, 0) for m in published}

    result = {}
    for enrolment_id, cohort_id, user_id, deadline_on, completed_at, last_seen_at in enrolments:
        mine = per_module.get(enrolment_id)
        modules = {m: mine.get(m) or empty for m, empty in untried.items()} if mine else untried
        # SQLite hands back MAX over a union as naive text; as_utc makes both databases agree.
        seen_at = as_utc(last_seen_at)
        # An open attempt with no answer yet still means the trainee has begun.
        has_activity = seen_at is not None or mine is not None
        completed_at = as_utc(completed_at)
        state = readiness_state(completed_at, deadline_on, today, modules, support_after, has_activity=has_activity)
        result[enrolment_id] = EnrolmentReadiness(
            enrolment_id, cohort_id, user_id, state, modules, seen_at, completed_at
        )
    return result


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
    if any(needs_support(r.failed_attempts, r.passed_at is not None, support_after[m]) for m, r in modules.items()):
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


def _module_results(connection: sa.Connection, in_cohorts: sa.Select) -> dict[int, dict[str, ModuleResult]]:
    """Per enrolment and module: one GROUP BY over the non-void attempts."""
    rows = connection.execute(
        sa.select(Attempt.enrolment_id, Attempt.module_id, *module_aggregates())
        # A void attempt was cut short by a content change, not by the trainee: it is neither a try nor a failure.
        .where(Attempt.enrolment_id.in_(in_cohorts), Attempt.state != AttemptState.VOID)
        .group_by(Attempt.enrolment_id, Attempt.module_id)
    )
    results: dict[int, dict[str, ModuleResult]] = {}
    for enrolment_id, module_id, best, attempts, passed_at, failed in rows:  # module_aggregates() order
        results.setdefault(enrolment_id, {})[module_id] = ModuleResult(
            module_id, best, attempts or 0, as_utc(passed_at), failed or 0
        )
    return results


def _last_activity(in_cohorts: sa.Select) -> sa.Subquery:
    """Latest page view, answer or submission per enrolment: a GROUP BY over a UNION ALL, joined by the caller.
    Answers are read from open attempts only: a submitted attempt's answers all came before its submission
    (saving is refused once it is submitted), so its submitted_at already is the latest of them."""
    events = sa.union_all(
        sa.select(PageView.enrolment_id.label("enrolment_id"), PageView.first_viewed_at.label("at")).where(
            PageView.enrolment_id.in_(in_cohorts)
        ),
        sa.select(Attempt.enrolment_id, AttemptAnswer.answered_at)
        .join(Attempt, AttemptAnswer.attempt_id == Attempt.id)
        .where(Attempt.enrolment_id.in_(in_cohorts), Attempt.state == AttemptState.OPEN),
        sa.select(Attempt.enrolment_id, Attempt.submitted_at).where(
            Attempt.enrolment_id.in_(in_cohorts), Attempt.state == AttemptState.SUBMITTED
        ),
    ).subquery()
    return (
        sa.select(events.c.enrolment_id, sa.func.max(events.c.at).label("at"))
        .group_by(events.c.enrolment_id)
        .subquery("last_seen")
    )
