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
