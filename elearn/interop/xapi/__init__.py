"""xAPI to a learning-record store (LRS): with XAPI_LRS_URL set, every page first read, quiz started,
quiz graded and course completed writes a statement to the outbox in its own transaction; the RQ worker
(woken after the commit) and `flask xapi send` (cron) deliver them, retrying with backoff. Unset, nothing
is written and nothing runs."""

import ipaddress
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from ...config import ConfigError
from ...db import Database
from ...domain.learning import events
from . import outbox
from .client import LRSClient
from .sender import Policy
from .statements import Site

WAKE_KEY = "elearn:xapi:send-queued"  # set while a send job waits in the queue: one is enough


def init_app(app, course) -> None:
    """course: a callable giving the loaded course (titles for activity names)."""
    from .commands import xapi_cli

    app.cli.add_command(xapi_cli)
    if not enabled(app):
        return
    _check(app.config)
    sessions = Database.sessionmaker_for(app)
    site = Site(app.config["PUBLIC_URL"], app.config["PROVIDER_NAME"])
    events.listen(sessions, outbox.Recorder(site, course, use_mbox=app.config["XAPI_ACTOR"] == "mbox"))
    if app.config["JOBS"] == "rq":
        engine = sessions.kw["bind"]
        sa.event.listen(engine, "commit", lambda connection: _wake_sender(app, connection))
        sa.event.listen(engine, "rollback", lambda connection: connection.info.pop(outbox.WRITTEN, None))


def enabled(app) -> bool:
    return bool(app.config.get("XAPI_LRS_URL"))


def client_for(app) -> LRSClient:
    config = app.config
    return LRSClient(
        config["XAPI_LRS_URL"], config["XAPI_LRS_USERNAME"], config["XAPI_LRS_PASSWORD"], config["XAPI_TIMEOUT"]
    )


def policy_for(app) -> Policy:
    config = app.config
    return Policy(
        batch_size=config["XAPI_BATCH_SIZE"],
        hold=timedelta(seconds=config["XAPI_CLAIM_SECONDS"]),
        retry_after=timedelta(seconds=config["XAPI_RETRY_SECONDS"]),
        retry_at_most=timedelta(seconds=config["XAPI_RETRY_MAX_SECONDS"]),
    )


def _wake_sender(app, connection) -> None:
    """After a COMMIT that wrote statements: queue one send job, unless one is already waiting."""
    if not connection.info.pop(outbox.WRITTEN, False):
        return
    from ...jobs import job_queue, redis_connection
    from .tasks import send_due_statements

    try:
        if redis_connection(app).set(WAKE_KEY, 1, nx=True, ex=app.config["XAPI_CLAIM_SECONDS"]):
            job_queue(app).enqueue(send_due_statements, description="xAPI statements to the LRS", result_ttl=0)
    except Exception as exc:  # the statements are committed: cron's `xapi send` delivers them anyway
        app.logger.warning("Could not queue the xAPI sender: %s", exc.__class__.__name__)


def _check(config) -> None:
    missing = [name for name in ("XAPI_LRS_USERNAME", "XAPI_LRS_PASSWORD") if not config.get(name)]
    if missing:
        raise ConfigError(f"XAPI_LRS_URL is set, so set {' and '.join('ELEARN_' + m for m in missing)} too")
    if config["XAPI_ACTOR"] not in ("account", "mbox"):
        raise ConfigError(f"XAPI_ACTOR must be 'account' or 'mbox', not {config['XAPI_ACTOR']!r}")
    url = urlsplit(config["XAPI_LRS_URL"])
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError("XAPI_LRS_URL must be the LRS's xAPI endpoint, e.g. https://lrs.example.org/xAPI/")
    if config["ENV"] == "production" and url.scheme != "https" and not _loopback(url.hostname):
        raise ConfigError("XAPI_LRS_URL must be https:// in production (the LRS password travels with each send)")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
