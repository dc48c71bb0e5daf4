"""Load a row only if the signed-in user may see it; otherwise 404 (never 403: no leak)."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from ..db import db
from ..domain.learning import quiz
from ..models import Attempt, Cohort, Enrolment, Role, cohort_trainers


def own_enrolment_or_404(enrolment_id: int) -> Enrolment:
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.id == enrolment_id, Enrolment.user_id == current_user.id)
    )
    if enrolment is None:
        abort(404)
    return enrolment


def own_attempt_or_404(attempt_id: int, claim: bool = False) -> tuple[Attempt, Enrolment]:
    """The signed-in trainee's attempt; with claim, locked for saving or submitting in this request."""
    if claim:
        claimed = quiz.claim_own_attempt(db.session, attempt_id, current_user.id)
        if claimed is None:
            abort(404)
        return claimed
    row = db.session.execute(
        sa.select(Attempt, Enrolment)
        .join(Enrolment, Attempt.enrolment_id == Enrolment.id)
        .where(Attempt.id == attempt_id, Enrolment.user_id == current_user.id)
    ).first()
    if row is None:
        abort(404)
    return row.Attempt, row.Enrolment


def visible_cohorts(query: sa.Select) -> sa.Select:
    """The one rule for who sees a cohort: admins see all; a trainer sees the cohorts assigned to them."""
    if current_user.role is Role.ADMIN:
        return query
    return query.join(cohort_trainers, cohort_trainers.c.cohort_id == Cohort.id).where(
        cohort_trainers.c.user_id == current_user.id
    )


def staff_cohort_or_404(cohort_id: int) -> Cohort:
    """A cohort the signed-in trainer is assigned to (admins: any cohort)."""
    cohort = db.session.scalar(visible_cohorts(sa.select(Cohort).where(Cohort.id == cohort_id)))
    if cohort is None:
        abort(404)
    return cohort


def staff_cohorts():
    """Every cohort the signed-in trainer may see (admins: all), soonest course day first."""
    return db.session.scalars(visible_cohorts(sa.select(Cohort).order_by(Cohort.starts_on))).all()


def enrolment_in_cohort_or_404(cohort: Cohort, enrolment_id: int) -> Enrolment:
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.id == enrolment_id, Enrolment.cohort_id == cohort.id)
    )
    if enrolment is None:
        abort(404)
    return enrolment


def get_or_404(model, row_id: int):
    """A row by primary key, for pages whose route already limits who may call them (admins)."""
    row = db.session.get(model, row_id)
    if row is None:
        abort(404)
    return row
