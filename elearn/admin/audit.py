"""Admin: the audit log, newest first, filterable by action."""

import sqlalchemy as sa
from flask import render_template, request

from ..db import db
from ..models import AuditEvent, User
from ..web.request_input import page_number
from . import presenters
from .blueprint import admin_only, bp


@bp.route("/audit")
@admin_only
def audit_log():
    action = request.args.get("action", "")
    query = (
        sa.select(AuditEvent, User.email).outerjoin(User, AuditEvent.actor_id == User.id).order_by(AuditEvent.id.desc())
    )
    if action:
        query = query.where(AuditEvent.action == action)
    page = page_number()
    events = db.session.execute(query.limit(100).offset((page - 1) * 100)).all()
    actions = db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return render_template(
        "admin/audit.html", events=presenters.audit_rows(events), actions=actions, action=action, page=page
    )
