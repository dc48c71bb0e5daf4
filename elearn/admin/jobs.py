"""Admin: background jobs waiting, and the dead letters (jobs that failed every retry)."""

from flask import current_app, render_template
from redis.exceptions import RedisError

from .. import jobs
from .blueprint import admin_only, bp


@bp.route("/jobs")
@admin_only
def job_list():
    if not jobs.queued():
        return render_template("admin/jobs.html", inline=True)
    try:
        depths, failed = jobs.queue_depths(), jobs.failed_jobs()
    except RedisError as exc:
        current_app.logger.error("Job queue unreachable: %s", exc.__class__.__name__)
        return render_template("admin/jobs.html", unreachable=True), 503
    return render_template("admin/jobs.html", depths=depths, failed=failed)
