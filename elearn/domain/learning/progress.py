"""A trainee's progress through the course for one enrolment, loaded in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course
from ...db import insert_if_absent, utcnow
from ...models import Attempt, AttemptState, Completion, Enrolment, PageView
from .gating import ModuleState, ModuleStatus, is_course_complete, module_states


@dataclass(frozen=True)
class CourseProgress:
    enrolment: Enrolment
    statuses: list[ModuleStatus]
    pages_read: dict[str, set[str]] = field(default_factory=dict)
    open_attempt_ids: dict[str, int] = field(default_factory=dict)
    completion: Completion | None = None
    last_page_read: dict[str, str] = field(default_factory=dict)  # module id -> the page opened most recently

    def status(self, module_id: str) -> ModuleStatus | None:
        return next((s for s in self.statuses if s.module.id == module_id), None)

    @property
    def is_complete(self) -> bool:
        return is_course_complete(self.statuses)

    @property
    def passed_count(self) -> int:
        return sum(s.state is ModuleState.PASSED for s in self.statuses)


def load_progress(session: Session, course: Course, enrolment: Enrolment) -> CourseProgress:
    pages_read: dict[str, set[str]] = {}
    last_page_read: dict[str, str] = {}
    for module_id, page_id in session.execute(
        sa.select(PageView.module_id, PageView.page_id)
        .where(PageView.enrolment_id == enrolment.id)
        .order_by(sa.func.coalesce(PageView.last_viewed_at, PageView.first_viewed_at), PageView.id)
    ):
        pages_read.setdefault(module_id, set()).add(page_id)
        last_page_read[module_id] = page_id  # rows come oldest first, so the latest visit wins
    passed, tried, open_ids = set(), set(), {}
    for attempt_id, module_id, state, is_passed in session.execute(
        sa.select(Attempt.id, Attempt.module_id, Attempt.state, Attempt.is_passed).where(
            Attempt.enrolment_id == enrolment.id
        )
    ):
        tried.add(module_id)
        if is_passed:
            passed.add(module_id)
        if state is AttemptState.OPEN:
            open_ids[module_id] = attempt_id
    completion = session.scalar(
        sa.select(Completion).where(Completion.enrolment_id == enrolment.id, Completion.withdrawn_at.is_(None))
    )
    statuses = module_states(course.published_modules, passed, tried | set(pages_read))
    return CourseProgress(enrolment, statuses, pages_read, open_ids, completion, last_page_read)


def record_page_view(
    session: Session, enrolment: Enrolment, module_id: str, page_id: str, now: datetime | None = None
) -> None:
    """Remember that a page was read: the first visit's time is kept, the latest one moves on."""
    now = now or utcnow()
    view = session.scalar(
        sa.select(PageView).where(
            PageView.enrolment_id == enrolment.id, PageView.module_id == module_id, PageView.page_id == page_id
        )
    )
    if view is not None:
        view.last_viewed_at = now
        return
    new_view = PageView(
        enrolment_id=enrolment.id, module_id=module_id, page_id=page_id, first_viewed_at=now, last_viewed_at=now
    )
    if not insert_if_absent(session, new_view):
        session.execute(
            sa.update(PageView)
            .where(PageView.enrolment_id == enrolment.id, PageView.module_id == module_id, PageView.page_id == page_id)
            .values(last_viewed_at=now)
        )
