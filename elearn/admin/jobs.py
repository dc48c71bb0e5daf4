"""Admin: background jobs waiting, the dead letters (jobs that failed every retry), and the xAPI outbox."""

from flask import current_app, render_template
from redis.exceptions import RedisError

from .. import jobs
from ..db import db
from ..interop import xapi
from ..interop.xapi import outbox
from .blueprint import admin_only, bp


@bp.route("/jobs")
@admin_only
def job_list():
    statements = outbox.counts(db.session) if xapi.enabled(current_app) else None
    if not jobs.queued():
        return render_template("admin/jobs.html", inline=True, statements=statements)
    try:
        depths, failed = jobs.queue_depths(), jobs.failed_jobs()
    except RedisError as exc:
        current_app.logger.error("Job queue unreachable: %s", exc.__class__.__name__)
        return render_template("admin/jobs.html", unreachable=True, statements=statements), 503
    return render_template("admin/jobs.html", depths=depths, failed=failed, statements=statements)
