"""UK GDPR: a person's own data as JSON, anonymising a person, and the retention rule."""

import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ...models import (
    Attempt,
    AuditEvent,
    Cohort,
    Completion,
    Enrolment,
    Invitation,
    PageView,
    PasswordReset,
    Reflection,
    User,
    XapiActor,
)
from ..evidence import audit


def export_personal_data(session: Session, user: User) -> dict:
    """Everything we hold about one person, in plain JSON-ready values."""
    enrolments = session.scalars(sa.select(Enrolment).where(Enrolment.user_id == user.id)).all()
    ids = [e.id for e in enrolments]
    attempts = session.scalars(
        sa.select(Attempt)
        .where(Attempt.enrolment_id.in_(ids))
        .order_by(Attempt.started_at)
        .options(selectinload(Attempt.answers))
    ).all()
    views = session.scalars(sa.select(PageView).where(PageView.enrolment_id.in_(ids))).all()
    reflections = session.scalars(
        sa.select(Reflection).where(Reflection.enrolment_id.in_(ids)).order_by(Reflection.id)
    ).all()
    completions = {
        c.enrolment_id: c for c in session.scalars(sa.select(Completion).where(Completion.enrolment_id.in_(ids)))
    }
    return {
        "account": {
            "name": user.full_name,
            "email": user.email,
            "job_title": user.job_title,
            "role": user.role.value,
            "created_at": _iso(user.created_at),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "last_sign_in_at": _iso(user.last_sign_in_at),
            # The name a learning-record store knows you by, if your learning was sent to one (xAPI).
            "learning_record_store_pseudonym": session.scalar(
                sa.select(XapiActor.name).where(XapiActor.user_id == user.id)
            ),
        },
        "enrolments": [
            {
                "cohort": e.cohort.title,
                "course_date": e.cohort.starts_on.isoformat(),
                "enrolled_at": _iso(e.enrolled_at),
                "attendance": e.attendance.value,
                "competence": e.competence.value,
                "competence_note": e.competence_note,
                "completion": _completion(completions.get(e.id)),
                "pages_read": [
                    {
                        "module": v.module_id,
                        "page": v.page_id,
                        "first_viewed_at": _iso(v.first_viewed_at),
                        "last_viewed_at": _iso(v.last_viewed_at),
                    }
                    for v in views
                    if v.enrolment_id == e.id
                ],
                "quiz_attempts": [
                    {
                        "module": a.module_id,
                        "number": a.number,
                        "state": a.state.value,
                        "started_at": _iso(a.started_at),
                        "submitted_at": _iso(a.submitted_at),
                        "score_percent": a.score_percent,
                        "passed": a.is_passed,
                        "content_version": a.content_version,
                        "answers": [
                            {
                                "question": ans.question_id,
                                "selected": ans.selected,
                                "correct": ans.is_correct,
                                "sure": ans.confident,
                            }
                            for ans in a.answers
                        ],
                    }
                    for a in attempts
                    if a.enrolment_id == e.id
                ],
                "reflections": [
                    {
                        "module": r.module_id,
                        "page": r.page_id,
                        "prompt": r.reflection_id,
                        "text": r.text,
                        "updated_at": _iso(r.updated_at),
                    }
                    for r in reflections
                    if r.enrolment_id == e.id
                ],
            }
            for e in enrolments
        ],
    }


def anonymise(session: Session, user: User, actor: User | None, now: datetime, reason: str) -> None:
    """Replace personal fields; keep attempts (no longer linked to a person) for course statistics."""
    if user.anonymised_at is not None:
        return
    old_email = user.email
    token = secrets.token_hex(6)
    user.full_name = "Anonymised person"
    user.email = f"anonymised-{token}@invalid"
    user.job_title = None
    user.password_hash = None
    user.email_confirmation_hash = None
    user.is_active = False
    user.anonymised_at = now
    user.rotate_session_token()
    session.execute(sa.update(Enrolment).where(Enrolment.user_id == user.id).values(competence_note=""))
    # Reflections are the person's own words: nothing of them is kept for statistics.
    own_enrolments = sa.select(Enrolment.id).where(Enrolment.user_id == user.id)
    session.execute(sa.delete(Reflection).where(Reflection.enrolment_id.in_(own_enrolments)))
    session.execute(sa.delete(PasswordReset).where(PasswordReset.user_id == user.id))
    # Forgetting the pseudonym cuts the only link between the person and what a learning-record store holds.
    session.execute(sa.delete(XapiActor).where(XapiActor.user_id == user.id))
    session.execute(
        sa.update(Invitation)
        .where(Invitation.user_id == user.id)
        .values(email=user.email, full_name=user.full_name, job_title=None)
    )
    # Sign-in records named the person by email: keep the events, drop the name.
    session.execute(sa.update(AuditEvent).where(AuditEvent.subject == old_email).values(subject=f"user {user.id}"))
    audit.record(session, actor, "user_anonymised", f"user {user.id}", reason=reason)
    session.flush()


def people_past_retention(session: Session, today: date, years: int) -> list[User]:
    """Trainees whose latest course day is more than `years` ago (and not yet anonymised)."""
    cutoff = today - timedelta(days=round(365.25 * years))
    latest = (
        sa.select(Enrolment.user_id, sa.func.max(Cohort.starts_on).label("last_course"))
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .group_by(Enrolment.user_id)
        .subquery()
    )
    return list(
        session.scalars(
            sa.select(User)
            .join(latest, latest.c.user_id == User.id)
            .where(latest.c.last_course < cutoff, User.anonymised_at.is_(None))
            .order_by(User.id)
        )
    )


def _completion(completion: Completion | None) -> dict | None:
    if completion is None:
        return None
    return {
        "completed_at": _iso(completion.completed_at),
        "certificate_code": completion.certificate_code,
        "content_version": completion.content_version,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None
