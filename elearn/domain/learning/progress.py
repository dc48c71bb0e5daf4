"""A trainee's progress through the course for one enrolment, loaded in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course
from ...db import as_utc, insert_if_absent, utcnow
from ...models import Attempt, AttemptState, Completion, Enrolment, PageView
from . import events
from .gating import ModuleState, ModuleStatus, is_course_complete, module_states


@dataclass(frozen=True)
class CourseProgress:
    enrolment: Enrolment
    statuses: list[ModuleStatus]
    pages_read: dict[str, set[str]] = field(default_factory=dict)
    open_attempt_ids: dict[str, int] = field(default_factory=dict)
    completion: Completion | None = None
    last_page_read: dict[str, str] = field(default_factory=dict)  # module id -> the page opened most recently
    last_read_at: dict[str, datetime] = field(default_factory=dict)  # module id -> when that page was opened
    last_submitted_at: dict[str, datetime] = field(default_factory=dict)  # module id -> its latest submission

    def status(self, module_id: str) -> ModuleStatus | None:
        return next((s for s in self.statuses if s.module.id == module_id), None)

    def view_changes_anything(self, module_id: str, page_id: str) -> bool:
        """Whether opening this page now must be recorded: a first read; or, before the module is passed,
        a read that moves the reading position or counts as a revisit after the latest submission.
        Re-reading the page the trainee is already on, since their last try, changes nothing."""
        if page_id not in self.pages_read.get(module_id, ()):
            return True
        status = self.status(module_id)
        if status is None or status.state is ModuleState.PASSED:
            return False
        if self.last_page_read.get(module_id) != page_id:
            return True
        submitted = self.last_submitted_at.get(module_id)
        return submitted is not None and self.last_read_at[module_id] < submitted

    @property
    def is_complete(self) -> bool:
        return is_course_complete(self.statuses)

    @property
    def passed_count(self) -> int:
        return sum(s.state is ModuleState.PASSED for s in self.statuses)


def load_progress(session: Session, course: Course, enrolment: Enrolment) -> CourseProgress:
    """One query for the pages read, the attempts and the completion (a second only to load a completion)."""
    pages_read: dict[str, set[str]] = {}
    passed, tried, open_ids, completion_id = set(), set(), {}, None
    last_page_read: dict[str, str] = {}
    latest: dict[str, datetime] = {}
    submitted: dict[str, datetime] = {}
    rows = session.execute(_PROGRESS, {"enrolment": enrolment.id})
    for kind, row_id, module_id, page_id, state, is_passed, at in rows:
        if kind == "page":
            pages_read.setdefault(module_id, set()).add(page_id)
            viewed_at = as_utc(at)
            if module_id not in latest or (viewed_at, row_id) > latest[module_id]:
                latest[module_id], last_page_read[module_id] = (viewed_at, row_id), page_id
        elif kind == "attempt":
            tried.add(module_id)
            if is_passed:
                passed.add(module_id)
            if state == AttemptState.OPEN.value:
                open_ids[module_id] = row_id
            elif at is not None:
                submitted[module_id] = max(as_utc(at), submitted.get(module_id, as_utc(at)))
        else:
            completion_id = row_id
    completion = session.get(Completion, completion_id) if completion_id is not None else None
    statuses = module_states(course.published_modules, passed, tried | set(pages_read))
    last_read_at = {module_id: at for module_id, (at, _row_id) in latest.items()}
    return CourseProgress(
        enrolment, statuses, pages_read, open_ids, completion, last_page_read, last_read_at, submitted
    )


def _progress_query() -> sa.CompoundSelect:
    """Built once: page views, attempts and the counted completion of one enrolment, as one UNION ALL."""
    enrolment = sa.bindparam("enrolment")
    null = sa.null()
    return sa.union_all(
        sa.select(
            sa.literal("page"),
            PageView.id,
            PageView.module_id,
            PageView.page_id,
            null,
            null,
            sa.func.coalesce(PageView.last_viewed_at, PageView.first_viewed_at),
        ).where(PageView.enrolment_id == enrolment),
        sa.select(
            sa.literal("attempt"),
            Attempt.id,
            Attempt.module_id,
            null,
            sa.type_coerce(Attempt.state, sa.String),
            Attempt.is_passed,
            Attempt.submitted_at,
        ).where(Attempt.enrolment_id == enrolment),
        sa.select(sa.literal("completion"), Completion.id, null, null, null, null, null).where(
            Completion.enrolment_id == enrolment, Completion.withdrawn_at.is_(None)
        ),
    )


_PROGRESS = _progress_query()


def record_page_view(
    session: Session, enrolment: Enrolment, module_id: str, page_id: str, now: datetime | None = None
) -> None:
    """Remember that a page was read: the first visit's time is kept, the latest one moves on
    (one statement for a page read before: reading position and revisits after a failed quiz)."""
    now = now or utcnow()
    moved = session.execute(
        sa.update(PageView)
        .where(PageView.enrolment_id == enrolment.id, PageView.module_id == module_id, PageView.page_id == page_id)
        .values(last_viewed_at=now)
    )
    if moved.rowcount == 0:
        view = PageView(
            enrolment_id=enrolment.id, module_id=module_id, page_id=page_id, first_viewed_at=now, last_viewed_at=now
        )
        if insert_if_absent(session, view):
            events.tell(session, events.PageFirstRead(enrolment.id, module_id, page_id, now))
        else:  # a racing first view got there first: just move its time on
            record_page_view(session, enrolment, module_id, page_id, now)
