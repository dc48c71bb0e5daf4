"""Email delivery: real SMTP from config, or (development) an outbox folder. Text and HTML parts.

Logs name the template and recipient only: never a link, because links carry tokens.
"""

import re
import smtplib
import ssl
from concurrent.futures import Future, ThreadPoolExecutor
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template, url_for

from .domain.notifications import Email


def init_app(app) -> None:
    if app.config["MAIL_BACKEND"] is None:
        app.config["MAIL_BACKEND"] = "outbox" if app.config["ENV"] in ("development", "testing") else "smtp"
    if app.config["MAIL_BACKEND"] not in ("smtp", "outbox"):
        raise ValueError(f"MAIL_BACKEND must be 'smtp' or 'outbox', not {app.config['MAIL_BACKEND']!r}")


def absolute_url(endpoint: str, **values) -> str:
    """A full link for an email, from PUBLIC_URL: emails are also sent outside any request (cron)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)


def preview_text(email: Email) -> str:
    """The plain-text body of an email, to show before it is sent."""
    return render_template(
        f"email/{email.template}.txt", provider_name=current_app.config["PROVIDER_NAME"], **email.context
    )


def build_message(email: Email) -> EmailMessage:
    config = current_app.config
    context = {"provider_name": config["PROVIDER_NAME"], **email.context}
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = _one_line(email.to)
    if email.cc:
        message["Cc"] = _one_line(", ".join(email.cc))
    message["Subject"] = _one_line(email.subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2].strip(">") or None)
    message.set_content(render_template(f"email/{email.template}.txt", **context))
    message.add_alternative(render_template(f"email/{email.template}.html", **context), subtype="html")
    return message


def _one_line(value: str) -> str:
    """A header value never carries a line break (it would be refused, or inject a header)."""
    return " ".join(value.split())


def send(email: Email) -> None:
    message = build_message(email)
    if current_app.config["MAIL_BACKEND"] == "outbox":
        path = _write_to_outbox(message)
        current_app.logger.info("Email %r to %s written to %s", email.template, email.to, path)
        return
    _send_smtp(message)
    current_app.logger.info("Email %r sent to %s", email.template, email.to)


def send_many(emails: list[Email]) -> int:
    """Send a batch over one SMTP connection; returns how many were accepted (failures are logged)."""
    if not emails:
        return 0
    if current_app.config["MAIL_BACKEND"] == "outbox":
        return sum(send_or_log(email) for email in emails)
    sent = 0
    try:
        with _smtp_connection() as server:
            for email in emails:
                try:
                    server.send_message(build_message(email))
                    sent += 1
                except smtplib.SMTPRecipientsRefused:
                    current_app.logger.warning("Email %r to %s refused by the server", email.template, email.to)
    except (smtplib.SMTPException, OSError) as exc:
        current_app.logger.warning("Email batch stopped after %d of %d: %s", sent, len(emails), exc.__class__.__name__)
    return sent


def send_or_log(email: Email) -> bool:
    """For emails that must not undo what the user just did (it is already saved): log a failure."""
    try:
        send(email)
        return True
    except (smtplib.SMTPException, OSError) as exc:
        current_app.logger.warning("Email %r to %s not sent: %s", email.template, email.to, exc.__class__.__name__)
        return False


def _send_smtp(message: EmailMessage) -> None:
    with _smtp_connection() as server:
        server.send_message(message)


def _smtp_connection() -> smtplib.SMTP:
    config = current_app.config
    host, port, timeout = config["MAIL_HOST"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    context = ssl.create_default_context()
    if config["MAIL_USE_TLS"]:
        return _logged_in(smtplib.SMTP_SSL(host, port, timeout=timeout, context=context))
    server = smtplib.SMTP(host, port, timeout=timeout)
    if config["MAIL_USE_STARTTLS"]:
        server.starttls(context=context)
    return _logged_in(server)


def _logged_in(server: smtplib.SMTP) -> smtplib.SMTP:
    if current_app.config["MAIL_USERNAME"]:
        server.login(current_app.config["MAIL_USERNAME"], current_app.config["MAIL_PASSWORD"])
    return server


def _write_to_outbox(message: EmailMessage) -> Path:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"] or Path(current_app.instance_path) / "outbox")
    outbox.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z0-9]+", "-", f"{message['Subject']}".lower()).strip("-")[:50]
    path = outbox / f"{formatdate(usegmt=True).replace(' ', '_').replace(',', '').replace(':', '')}-{stem}.eml"
    n = 1
    while path.exists():
        n += 1
        path = path.with_name(f"{path.stem.rsplit('~', 1)[0]}~{n}.eml")
    path.write_bytes(bytes(message))
    return path


def send_after_commit(*emails: Email) -> None:
    """Once the request's writes are committed: queue for the worker (JOBS=rq), or send now (inline),
    a failure logged, never undoing what was saved."""
    from .jobs.tasks import send_emails
    from .web.unit_of_work import after_commit

    after_commit(lambda: send_emails(emails))


_background: ThreadPoolExecutor | None = None
_in_flight: set[Future] = set()


def deliver_later(*emails: Email) -> None:
    """Send after the request's commit from a background thread, so the response takes the same time
    whether or not an email goes (a reply must not reveal who has an account). With the job queue
    (JOBS=rq) the emails are queued instead, which takes the same short time either way."""
    from .jobs import queued
    from .web.unit_of_work import after_commit

    if queued():
        send_after_commit(*emails)
        return
    app = current_app._get_current_object()
    after_commit(lambda: [_submit(app, email) for email in emails])


def wait_for_background_mail(timeout: float = 10) -> None:
    """Block until every background email so far is sent (tests, and a clean shutdown)."""
    for future in list(_in_flight):
        future.result(timeout)


def _submit(app, email: Email) -> None:
    global _background
    if _background is None:
        _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="elearn-mail")
    future = _background.submit(_send_with_app, app, email)
    _in_flight.add(future)
    future.add_done_callback(_in_flight.discard)


def _send_with_app(app, email: Email) -> None:
    with app.app_context():
        try:
            send_or_log(email)
        except Exception:  # a background thread has no one to raise to: log it
            app.logger.exception("Email %r to %s not sent", email.template, email.to)
