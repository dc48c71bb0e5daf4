"""What the worker runs. Each task runs inside an app context (the worker pushes one per job)."""

from types import SimpleNamespace

import sqlalchemy as sa

from .. import mail
from ..domain.notifications import Email
from . import enqueue


def send_email(email: Email) -> None:
    """Deliver one email; an SMTP failure raises, so the worker retries and then keeps it as failed."""
    mail.send(email)


def send_emails(emails) -> None:
    """After a commit: one job per email, so each is retried on its own; inline, send now (one SMTP
    connection for the batch, a failure logged, never undoing what the request saved)."""
    emails = list(emails)
    from . import queued

    if not queued():
        mail.send_many(emails)
        return
    for email in emails:
        enqueue(send_email, portable(email), description=f"email {email.template!r} to {email.to}")


def portable(email: Email) -> Email:
    """The email with database rows in its context replaced by plain copies of their columns: the
    worker renders it later, in another process, with no session to load them from."""
    return Email(
        to=email.to,
        subject=email.subject,
        template=email.template,
        cc=email.cc,
        context={key: _plain(value) for key, value in email.context.items()},
    )


def _plain(value):
    mapper = sa.inspect(value, raiseerr=False)
    if mapper is None or not hasattr(mapper, "mapper"):
        return value
    return SimpleNamespace(**{column.key: getattr(value, column.key) for column in mapper.mapper.column_attrs})


def build_prepared_file(file_id: int) -> None:
    """Build a prepared file and store its bytes. A failure is recorded on the file and raised, so RQ
    retries it and, after the last try, keeps the job as a dead letter; inline (no retries) it is
    recorded as failed at once and not raised: the request that asked has already been answered."""
    from flask import current_app
    from rq import get_current_job

    from ..admin.export_files import build
    from ..db import Database, read_only, sqlite_immediate, utcnow
    from ..domain.cohorts.schedule import today_in_uk
    from ..domain.evidence import prepared_files
    from ..domain.evidence.export_filters import ExportFilters
    from ..models import PreparedFile

    make_session = Database.sessionmaker_for(current_app)
    token = sqlite_immediate.set(True)  # the claim and the result are writes: SQLite locks at BEGIN
    try:
        with make_session() as session:
            if not prepared_files.start_building(session, file_id, utcnow()):
                return  # gone (expired), already built, or failed for good: nothing to do
            session.commit()
            prepared = session.get(PreparedFile, file_id)
            kind, filters = prepared.kind, ExportFilters.from_json(prepared.filters)
        try:
            with read_only(), make_session() as session:
                name, content_type, content, rows = build(session, kind, filters, today_in_uk())
        except Exception as exc:
            job = get_current_job()
            is_last_try = job is None or not job.retries_left
            with make_session() as session:
                prepared_files.record_failure(session, file_id, _reason(exc), is_last_try, utcnow())
                session.commit()
            if job is None:
                current_app.logger.exception("Building prepared file %s failed", file_id)
                return
            raise
        with make_session() as session:
            prepared_files.finish(session, file_id, name, content_type, content, rows, utcnow())
            session.commit()
    finally:
        sqlite_immediate.reset(token)


def _reason(exc: Exception) -> str:
    """The error in one line for the person who asked: its kind and message, never a traceback."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
