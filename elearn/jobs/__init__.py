"""Background jobs on Redis with RQ: a web request enqueues and returns at once; `flask jobs worker`
does the work, retrying a failure (JOB_RETRY_INTERVALS) and then keeping it in RQ's failed-job
registry, which admins see at /admin/jobs. With JOBS=inline (the default in development and tests)
a job runs at once in the caller, so nothing there needs Redis."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context

QUEUE_NAME = "elearn"


def init_app(app) -> None:
    if app.config["JOBS"] is None:
        app.config["JOBS"] = "inline" if app.config["ENV"] in ("development", "testing") else "rq"
    if app.config["JOBS"] not in ("rq", "inline"):
        raise ValueError(f"JOBS must be 'rq' or 'inline', not {app.config['JOBS']!r}")


def queued() -> bool:
    return current_app.config["JOBS"] == "rq"


def redis_connection(app=None):
    """One Redis client per app (it pools its own connections)."""
    from redis import Redis

    app = app or current_app
    if "elearn.redis" not in app.extensions:
        app.extensions["elearn.redis"] = Redis.from_url(app.config["REDIS_URL"], socket_timeout=5)
    return app.extensions["elearn.redis"]


def job_queue(app=None):
    from rq import Queue

    app = app or current_app
    return Queue(QUEUE_NAME, connection=redis_connection(app))


def enqueue(task, *args, description: str, timeout_seconds: int | None = None) -> str | None:
    """Queue task(*args) for the worker; inline, run it now. description names the job on the admin
    page and in logs, so it must hold no secret (email links carry tokens: never put args in it).
    timeout_seconds: how long one try may run before the worker stops it (RQ's default: 180)."""
    if not queued():
        task(*args)
        return None
    from rq import Retry

    config = current_app.config
    job = job_queue().enqueue(
        task,
        *args,
        description=description,
        job_timeout=timeout_seconds,
        retry=Retry(max=len(config["JOB_RETRY_INTERVALS"]), interval=config["JOB_RETRY_INTERVALS"]),
        result_ttl=0,  # a finished job (and the link it carried) is deleted at once
        failure_ttl=int(timedelta(days=config["JOB_FAILURE_DAYS"]).total_seconds()),
        meta={"request_id": g.get("request_id") if has_request_context() else None},
    )
    return job.id


@dataclass(frozen=True)
class FailedJob:
    id: str
    description: str
    failed_at: datetime | None
    tries: int
    error: str  # the exception's last line: the class and message, never the arguments


def failed_jobs(limit: int = 100) -> list[FailedJob]:
    """The dead letters: jobs that failed every try, newest first."""
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    registry = FailedJobRegistry(queue=job_queue())
    ids = registry.get_job_ids(0, limit - 1, desc=True)
    jobs = [job for job in Job.fetch_many(ids, connection=redis_connection()) if job is not None]
    return [_failed(job) for job in jobs]


def _failed(job) -> FailedJob:
    result = job.latest_result()
    trace = (result.exc_string if result else None) or ""
    return FailedJob(
        id=job.id,
        description=job.description or job.func_name,
        failed_at=job.ended_at,
        tries=1 + len(job.retry_intervals or ()) - (job.retries_left or 0),  # one interval per retry
        error=trace.strip().splitlines()[-1] if trace.strip() else "unknown",
    )


def queue_depths() -> dict[str, int]:
    """Waiting and failed job counts (readiness, metrics, admin page)."""
    from rq.registry import FailedJobRegistry

    queue = job_queue()
    return {"waiting": queue.count, "failed": FailedJobRegistry(queue=queue).count}
