"""Load a row only if the signed-in user may see it; otherwise 404 (never 403: no leak)."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import aliased

from ..db import db
from ..domain.learning import quiz
from ..models import Attempt, Cohort, Enrolment, Role, User, cohort_trainers, organisation_managers

# The trainee's hot pages run these on every request: built once, with the ids bound at execution.
_OWN_ENROLMENT = sa.select(Enrolment).where(
    Enrolment.id == sa.bindparam("enrolment_id"), Enrolment.user_id == sa.bindparam("user_id")
)
_OWN_ATTEMPT = (
    sa.select(Attempt, Enrolment)
    .join(Enrolment, Attempt.enrolment_id == Enrolment.id)
    .where(Attempt.id == sa.bindparam("attempt_id"), Enrolment.user_id == sa.bindparam("user_id"))
)


def own_enrolment_or_404(enrolment_id: int) -> Enrolment:
    enrolment = db.session.scalar(_OWN_ENROLMENT, {"enrolment_id": enrolment_id, "user_id": current_user.id})
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
    row = db.session.execute(_OWN_ATTEMPT, {"attempt_id": attempt_id, "user_id": current_user.id}).first()
    if row is None:
        abort(404)
    return row.Attempt, row.Enrolment


def managed_organisations(user_id=None) -> sa.Select:
    """The ids of the organisations a manager (by default the signed-in one) manages, as a subquery."""
    user_id = current_user.id if user_id is None else user_id
    return sa.select(organisation_managers.c.organisation_id).where(organisation_managers.c.user_id == user_id)


def managed_organisation_ids() -> tuple[int, ...] | None:
    """A manager's organisations (their scope on every page and download); None for everyone else."""
    if current_user.role is not Role.MANAGER:
        return None
    return tuple(db.session.scalars(managed_organisations().order_by(organisation_managers.c.organisation_id)))


def visible_staff(query: sa.Select) -> sa.Select:
    """Limit a query that joins User to the people the signed-in user may see: a manager sees their staff."""
    if current_user.role is not Role.MANAGER:
        return query
    return query.where(User.organisation_id.in_(managed_organisations()))


def visible_cohorts(query: sa.Select) -> sa.Select:
    """The one rule for who sees a cohort: admins see all; a trainer sees the cohorts assigned to them;
    a manager sees their organisations' cohorts and any cohort their staff are enrolled on."""
    return _cohorts_visible_to(query, current_user.role, current_user.id)


def _cohorts_visible_to(query: sa.Select, role: Role, user_id) -> sa.Select:
    if role is Role.ADMIN:
        return query
    if role is Role.MANAGER:
        enrolment, person = aliased(Enrolment), aliased(User)
        staff_enrolled = (
            sa.select(enrolment.id)
            .join(person, enrolment.user_id == person.id)
            .where(enrolment.cohort_id == Cohort.id, person.organisation_id.in_(managed_organisations(user_id)))
            .exists()
        )
        return query.where(sa.or_(Cohort.organisation_id.in_(managed_organisations(user_id)), staff_enrolled))
    return query.join(cohort_trainers, cohort_trainers.c.cohort_id == Cohort.id).where(
        cohort_trainers.c.user_id == user_id
    )


# Every staff page about one cohort runs this first: built once per role, the ids bound at execution.
_STAFF_COHORT = {
    role: _cohorts_visible_to(
        sa.select(Cohort).where(Cohort.id == sa.bindparam("cohort_id")), role, sa.bindparam("user_id")
    )
    for role in (Role.ADMIN, Role.TRAINER, Role.MANAGER)
}


def staff_cohort_or_404(cohort_id: int) -> Cohort:
    """A cohort the signed-in trainer is assigned to (admins: any cohort)."""
    statement = _STAFF_COHORT.get(current_user.role)
    if statement is None:
        abort(404)
    parameters = {"cohort_id": cohort_id}
    if current_user.role is not Role.ADMIN:
        parameters["user_id"] = current_user.id
    cohort = db.session.scalar(statement, parameters)
    if cohort is None:
        abort(404)
    return cohort


def staff_cohorts():
    """Every cohort the signed-in trainer may see (admins: all), soonest course day first."""
    return db.session.scalars(visible_cohorts(sa.select(Cohort).order_by(Cohort.starts_on))).all()


def hidden_enrolment_ids(cohort_ids: list[int]) -> set[int]:
    """Enrolments on these cohorts the signed-in user may not see (a manager: other organisations' staff)."""
    if current_user.role is not Role.MANAGER:
        return set()
    query = (
        sa.select(Enrolment.id)
        .join(User, Enrolment.user_id == User.id)
        .where(
            Enrolment.cohort_id.in_(cohort_ids),
            sa.or_(User.organisation_id.is_(None), User.organisation_id.not_in(managed_organisations())),
        )
    )
    return set(db.session.scalars(query))


def enrolment_in_cohort_or_404(cohort: Cohort, enrolment_id: int) -> Enrolment:
    """An enrolment on a cohort already loaded by access, of a person the signed-in user may see."""
    enrolment = db.session.scalar(
        visible_staff(
            sa.select(Enrolment)
            .join(User, Enrolment.user_id == User.id)
            .where(Enrolment.id == enrolment_id, Enrolment.cohort_id == cohort.id)
        )
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
