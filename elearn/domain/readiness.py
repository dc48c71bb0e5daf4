"""Readiness of each enrolment for its course day, for whole cohorts at once (set-based queries)."""
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..content import Course
from ..db import as_utc
from ..models import Attempt, AttemptState, Cohort, Completion, Enrolment, PageView
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
    last_activity_at: datetime | None
    completed_at: datetime | None


def readiness_for_cohorts(session: Session, course: Course, cohort_ids: list[int], today: date) -> dict[int, EnrolmentReadiness]:
    """Every enrolment of these cohorts, keyed by enrolment id, in four queries whatever their size."""
    if not cohort_ids:
        return {}
    published = course.published_modules
    enrolments = session.execute(
        sa.select(Enrolment.id, Enrolment.cohort_id, Enrolment.user_id, Cohort.deadline_on, Completion.completed_at)
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .outerjoin(Completion, sa.and_(Completion.enrolment_id == Enrolment.id, Completion.withdrawn_at.is_(None)))
        .where(Enrolment.cohort_id.in_(cohort_ids))
    ).all()
    in_cohorts = sa.select(Enrolment.id).where(Enrolment.cohort_id.in_(cohort_ids)).scalar_subquery()
    submitted = Attempt.state == AttemptState.SUBMITTED
    per_module: dict[int, dict[str, ModuleResult]] = {}
    last_seen: dict[int, datetime] = {}
    for row in session.execute(
        sa.select(
            Attempt.enrolment_id, Attempt.module_id,
            sa.func.max(sa.case((submitted, Attempt.score_percent))).label("best"),
            sa.func.count(sa.case((submitted, 1))).label("attempts"),
            sa.func.min(sa.case((Attempt.is_passed.is_(True), Attempt.submitted_at))).label("passed_at"),
            sa.func.count(sa.case((Attempt.is_passed.is_(False), 1))).label("failed"),
            sa.func.max(sa.func.coalesce(Attempt.submitted_at, Attempt.started_at)).label("last"),
        )
        .where(Attempt.enrolment_id.in_(in_cohorts), Attempt.state != AttemptState.VOID)
        .group_by(Attempt.enrolment_id, Attempt.module_id)
    ):
        per_module.setdefault(row.enrolment_id, {})[row.module_id] = ModuleResult(
            row.module_id, row.best, row.attempts, as_utc(row.passed_at), row.failed)
        _later(last_seen, row.enrolment_id, as_utc(row.last))
    for enrolment_id, last in session.execute(
        sa.select(PageView.enrolment_id, sa.func.max(PageView.first_viewed_at))
        .where(PageView.enrolment_id.in_(in_cohorts)).group_by(PageView.enrolment_id)
    ):
        _later(last_seen, enrolment_id, as_utc(last))

    result = {}
    for e in enrolments:
        modules = {m.id: per_module.get(e.id, {}).get(m.id, ModuleResult(m.id, None, 0, None, 0)) for m in published}
        state = readiness_state(e.completed_at, e.deadline_on, today, modules, {m.id: m.quiz.support_after for m in published},
                       has_activity=e.id in last_seen)
        result[e.id] = EnrolmentReadiness(e.id, e.cohort_id, e.user_id, state, modules, last_seen.get(e.id), e.completed_at)
    return result


def readiness_state(completed_at, deadline_on: date, today: date, modules: dict[str, ModuleResult],
           support_after: dict[str, int], has_activity: bool) -> Readiness:
    if completed_at is not None:
        return Readiness.READY if completed_at.astimezone(UK).date() <= deadline_on else Readiness.LATE
    if today > deadline_on:
        return Readiness.OVERDUE
    if any(r.passed_at is None and r.failed_attempts >= support_after[m] for m, r in modules.items()):
        return Readiness.NEEDS_SUPPORT
    return Readiness.IN_PROGRESS if has_activity else Readiness.NOT_STARTED


def count_by_state(readiness: Iterable[EnrolmentReadiness]) -> dict[Readiness, int]:
    counts = dict.fromkeys(Readiness, 0)
    for item in readiness:
        counts[item.state] += 1
    return counts


def _later(latest: dict[int, datetime], key: int, value: datetime | None) -> None:
    if value is not None and (key not in latest or value > latest[key]):
        latest[key] = value
