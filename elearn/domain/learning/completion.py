"""Recording completion of pre-learning: once, immutably, with an unguessable certificate code."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course
from ...db import insert_if_absent, utcnow
from ...models import Completion, Enrolment
from ..errors import CompletionChangeRefused
from ..evidence import audit
from . import events


def counted_completion() -> sa.ColumnElement[bool]:
    """Join condition Enrolment -> Completion for a completion that counts: a withdrawn one does not.
    Readiness, exports, refreshers and certificates all use this, so they never disagree."""
    return sa.and_(Completion.enrolment_id == Enrolment.id, Completion.withdrawn_at.is_(None))


def record_completion_if_complete(
    session: Session, course: Course, progress, now: datetime | None = None
) -> Completion | None:
    """Write the completion if every required module is passed. Returns it only if this call wrote it.

    A completion an admin withdrew stays withdrawn: the unique key refuses a second one.
    """
    if progress.completion is not None or not progress.is_complete:
        return None
    from ..evidence import certificates  # here, not at the top: certificates -> refreshers -> this module

    completion = Completion(
        enrolment_id=progress.enrolment.id,
        completed_at=now or utcnow(),
        content_version=course.version,
        certificate_code=certificates.new_certificate_code(),
    )
    if not insert_if_absent(session, completion):
        return None
    events.tell(session, events.CourseCompleted(completion))
    return completion


def set_withdrawn(session: Session, completion: Completion, withdrawn: bool, reason: str, actor, now: datetime) -> None:
    """Withdraw a completion (its certificate stops verifying) or reinstate it; always with a reason, audited."""
    if not reason.strip():
        raise CompletionChangeRefused("Give a reason for the change")
    before = completion.withdrawn_at is not None
    if before == withdrawn:
        return
    completion.withdrawn_at = now if withdrawn else None
    completion.withdrawn_reason = reason.strip() if withdrawn else None
    audit.record(
        session,
        actor,
        "completion_withdrawn" if withdrawn else "completion_reinstated",
        completion.certificate_code,
        reason=reason.strip(),
        enrolment_id=completion.enrolment_id,
    )
    session.flush()
