"""Liveness (the process answers) and readiness (it can reach the database and Redis) for load
balancers and orchestrators: JSON, 503 when a dependency is down. Neither reveals more than that."""

import sqlalchemy as sa
from flask import Blueprint, current_app

from .. import jobs
from ..db import Database
from .access import public
from .security import limiter

bp = Blueprint("health", __name__, url_prefix="/health")


@bp.route("/live")
@public
@limiter.exempt
def live():
    return {"status": "ok"}


@bp.route("/ready")
@public
@limiter.exempt
def ready():
    checks = {"database": _check(_database)}
    if jobs.queued():
        checks["redis"] = _check(lambda: jobs.redis_connection().ping())
    if current_app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        checks["rate_limit_storage"] = _check(_limiter_storage)
    healthy = all(result == "ok" for result in checks.values())
    return {"status": "ready" if healthy else "unavailable", "checks": checks}, 200 if healthy else 503


def _check(probe) -> str:
    try:
        probe()
        return "ok"
    except Exception as exc:  # any failure means "not ready"; the class name is enough to act on
        current_app.logger.error("Readiness check failed: %s", exc.__class__.__name__)
        return f"error: {exc.__class__.__name__}"


def _database() -> None:
    engine = Database.sessionmaker_for(current_app).kw["bind"]
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))


def _limiter_storage() -> None:
    if not limiter.storage.check():
        raise ConnectionError("rate-limit storage did not answer")
