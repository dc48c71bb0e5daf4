"""`flask files purge`: delete prepared files past their time (their bytes hold personal data). New
requests delete expired files too; run this daily from cron so nothing waits for the next request."""

import click
from flask.cli import AppGroup

from .db import db, utcnow
from .domain.evidence.prepared_files import delete_expired
from .formatting import plural

files_cli = AppGroup("files", help="Files prepared by the job worker (large exports, evidence packs).")


def init_app(app) -> None:
    app.cli.add_command(files_cli)


@files_cli.command("purge")
def files_purge():
    """Delete prepared files whose time (PREPARED_FILE_HOURS) is up."""
    count = delete_expired(db.session, utcnow())
    db.session.commit()
    click.echo(f"{plural(count, 'expired file')} deleted.")
