"""`flask xapi send`: deliver due statements; safe to run from cron every minute, on several hosts."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from ...db import Database, utcnow
from ...formatting import plural
from . import client_for, enabled, outbox, policy_for
from .sender import drain

xapi_cli = AppGroup("xapi", help="xAPI statements for the learning-record store.")


@xapi_cli.command("send")
def xapi_send():
    """Send the statements that are due (new ones, and failures whose wait is over); forget old sent ones."""
    from ...cli import one_run_at_a_time  # here: elearn.cli imports much of the app

    app = current_app._get_current_object()
    if not enabled(app):
        click.echo("xAPI is not configured (ELEARN_XAPI_LRS_URL): nothing to send.")
        return

    @one_run_at_a_time("xapi send")
    def run():
        client = client_for(app)
        try:
            report = drain(Database.sessionmaker_for(app), client, policy_for(app))
        finally:
            client.close()
        with Database.sessionmaker_for(app)() as session:
            forgotten = outbox.forget_sent(session, utcnow() - timedelta(days=app.config["XAPI_KEEP_SENT_DAYS"]))
            waiting = outbox.counts(session)
            session.commit()
        click.echo(f"{plural(len(report.delivered), 'statement')} sent to the LRS.")
        if report.refused:
            click.echo(f"{plural(report.refused, 'statement')} refused by the LRS: {report.last_error}", err=True)
        if report.failed:
            click.echo(f"NOT SENT: {report.last_error}", err=True)
        click.echo(f"{plural(waiting.waiting, 'statement')} waiting, {waiting.refused} refused.")
        if forgotten:
            click.echo(
                f"Forgot {plural(forgotten, 'statement')} delivered over {app.config['XAPI_KEEP_SENT_DAYS']} days ago."
            )

    run()
