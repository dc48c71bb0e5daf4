"""What the RQ worker runs for xAPI (inside an app context, like every job)."""

from flask import current_app

from ...db import Database
from . import WAKE_KEY, client_for, policy_for
from .sender import Report, drain


def send_due_statements() -> Report:
    """Deliver what is due. The wake flag goes first, so a statement committed from now on queues a new job."""
    from ...jobs import redis_connection

    app = current_app._get_current_object()
    redis_connection(app).delete(WAKE_KEY)
    client = client_for(app)
    try:
        report = drain(Database.sessionmaker_for(app), client, policy_for(app))
    finally:
        client.close()
    if report.failed:
        app.logger.warning("xAPI: %d statements wait for the LRS: %s", report.failed, report.last_error)
    return report
