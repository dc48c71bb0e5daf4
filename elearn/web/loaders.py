"""Load a row only if the signed-in user may see it; otherwise 404 (never 403: no leak)."""
import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from ..db import db
from ..models import Attempt, Enrolment


def own_enrolment_or_404(enrolment_id: int) -> Enrolment:
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.id == enrolment_id, Enrolment.user_id == current_user.id)
    )
    if enrolment is None:
        abort(404)
    return enrolment


def own_attempt_or_404(attempt_id: int) -> tuple[Attempt, Enrolment]:
    row = db.session.execute(
        sa.select(Attempt, Enrolment).join(Enrolment, Attempt.enrolment_id == Enrolment.id)
        .where(Attempt.id == attempt_id, Enrolment.user_id == current_user.id)
    ).first()
    if row is None:
        abort(404)
    return row.Attempt, row.Enrolment
