"""Admin: the audit log, newest first, filterable by person, action and date, with details in words."""

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import render_template, request
from sqlalchemy.orm import aliased

from ..db import db
from ..domain.cohorts.schedule import UK
from ..models import AuditEvent, User
from ..web.forms import choices
from ..web.request_input import page_number
from . import presenters
from .blueprint import admin_only, bp
from .forms import AuditFilterForm

PAGE_SIZE = 100


@bp.route("/audit")
@admin_only
def audit_log():
    form = AuditFilterForm(request.args)
    actions = db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    form.action.choices = choices([("", "All actions"), *((a, a.replace("_", " ")) for a in actions)])
    is_valid = form.validate() if request.args else True
    query = (
        _filtered(form)
        if is_valid
        else sa.select(AuditEvent, User.email).outerjoin(User, AuditEvent.actor_id == User.id)
    )
    page = page_number()
    events = db.session.execute(
        query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    older = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    return render_template(
        "admin/audit.html",
        form=form,
        events=presenters.audit_rows(events),
        page=page,
        older_args={**older, "page": page + 1} if len(events) == PAGE_SIZE else None,
    )


def _filtered(form: AuditFilterForm) -> sa.Select:
    query = sa.select(AuditEvent, User.email).outerjoin(User, AuditEvent.actor_id == User.id)
    if form.person.data:
        pattern = f"%{form.person.data.strip().lower()}%"
        actor = aliased(User)
        acted = sa.select(actor.id).where(
            sa.or_(sa.func.lower(actor.email).like(pattern), sa.func.lower(actor.full_name).like(pattern))
        )
        query = query.where(sa.or_(AuditEvent.actor_id.in_(acted), sa.func.lower(AuditEvent.subject).like(pattern)))
    if form.action.data:
        query = query.where(AuditEvent.action == form.action.data)
    if form.since.data:
        query = query.where(AuditEvent.at >= _start_of_uk_day(form.since.data))
    if form.until.data:
        query = query.where(AuditEvent.at < _start_of_uk_day(form.until.data + timedelta(days=1)))
    return query


def _start_of_uk_day(day) -> datetime:
    return datetime.combine(day, time(), tzinfo=UK)
