"""Thin command-line commands over domain functions: db, users, demo, reminders, refreshers, retention, jobs
(`content` is in cli_content.py)."""

import functools
import smtplib
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import jobs, mail, scheduling
from .cli_content import content_cli
from .db import db, utcnow
from .demo import seed as demo
from .domain.cohorts import reminders
from .domain.cohorts.schedule import days_left_text, today_in_uk
from .domain.errors import DomainError
from .domain.evidence import refreshers
from .domain.learning.progress import load_progress
from .domain.notifications import Email
from .domain.people import accounts, data_rights
from .formatting import plural, uk_date
from .jobs.tasks import send_emails
from .migrate import make_revision, upgrade_to_head
from .models import Enrolment, Role
from .web.content_store import get_course

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
users_cli = AppGroup("users", help="User accounts.")
demo_cli = AppGroup("demo", help="Demonstration data.")
reminders_cli = AppGroup("reminders", help="Reminder emails before the pre-learning deadline.")
refreshers_cli = AppGroup("refreshers", help="Emails before training expires and a refresher is due.")
retention_cli = AppGroup("retention", help="Anonymise people whose training records are past the retention period.")
jobs_cli = AppGroup("jobs", help="Background jobs (emails) on the Redis queue.")


def init_app(app) -> None:
    for group in (db_cli, content_cli, users_cli, demo_cli, reminders_cli, refreshers_cli, retention_cli, jobs_cli):
        app.cli.add_command(group)


@db_cli.command("upgrade")
def db_upgrade():
    """Apply every migration up to the latest."""
    upgrade_to_head(current_app.config["DATABASE_URL"])
    click.echo("Database is up to date.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does, e.g. 'add reflections'.")
def db_revision(message):
    """Write a new migration from the difference between the models and an up-to-date database (then read it)."""
    url = current_app.config["DATABASE_URL"]
    upgrade_to_head(url)
    make_revision(url, message)
    click.echo("Written to elearn/migrations/versions/: check it, then add CHECK constraints and data steps by hand.")


@db_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(path):
    """SQLite: copy the database to PATH while the app runs, and check the copy (PostgreSQL: pg_dump)."""
    from .backup import BackupError, backup_sqlite

    try:
        backup_sqlite(current_app.config["DATABASE_URL"], path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up to {path} (integrity check: ok).")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def jobs_worker(burst):
    """Do queued jobs (JOBS=rq): run one or more of these beside the web processes."""
    from .jobs import worker

    if current_app.config["JOBS"] != "rq":
        raise click.ClickException("JOBS is not 'rq': jobs run inline, so there is nothing to work.")
    worker.run(current_app._get_current_object(), burst=burst)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.TRAINEE.value)
@click.password_option()
def users_create(email, full_name, role, password):
    """Create a user (admin, trainer or trainee)."""
    try:
        user = accounts.create_user(db.session, email=email, full_name=full_name, role=Role(role), password=password)
        db.session.commit()
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.role} {user.email}")


@demo_cli.command("seed")
def demo_seed():
    """Add demo data (safe to run again): an organisation, a cohort and three users."""
    accounts_ = demo.seed(db.session, Path(current_app.instance_path) / "demo-passwords.txt", get_course())
    db.session.commit()
    click.echo("Demo accounts (sign in at http://127.0.0.1:5000):")
    for role, email, password in accounts_:
        click.echo(f"  {role:8} {email:22} password: {password}")


def one_run_at_a_time(name: str):
    """For cron on several hosts: a second run while one is going does nothing, and says so."""

    def decorate(command):
        @functools.wraps(command)
        def run(*args, **kwargs):
            with scheduling.only_one(name) as mine:
                if not mine:
                    click.echo(f"Another `{name}` run holds the lock; this one does nothing.")
                    return None
                return command(*args, **kwargs)

        return run

    return decorate


@reminders_cli.command("send")
@one_run_at_a_time("reminders send")
def reminders_send():
    """Email trainees not yet complete, at the configured days before the deadline. Safe to run hourly."""
    config = current_app.config
    course = get_course()
    today = today_in_uk()
    due = reminders.due_reminders(db.session, today, config["REMINDER_DAYS_BEFORE"])
    sent = 0
    for reminder in due:
        if not reminders.claim(db.session, reminder):
            continue  # another run got there first
        progress = load_progress(db.session, course, db.session.get(Enrolment, reminder.enrolment_id))
        email = reminder_email(reminder, progress, today, config["REMINDER_COPY_TRAINING_CONTACT"])
        if jobs.queued():  # recorded now; the worker sends, retries, and lists a failure for admins
            db.session.commit()
            send_emails([email])
            sent += 1
            click.echo(f"Queued {reminder.days_before}-day reminder to {reminder.user.email} ({reminder.cohort.title})")
            continue
        try:
            mail.send(email)
        except (smtplib.SMTPException, OSError) as exc:
            db.session.rollback()  # not recorded, so the next run tries again
            click.echo(f"NOT SENT {reminder.user.email}: {exc.__class__.__name__}", err=True)
            continue
        db.session.commit()
        sent += 1
        click.echo(f"Sent {reminder.days_before}-day reminder to {reminder.user.email} ({reminder.cohort.title})")
    click.echo(f"{plural(sent, 'reminder')} sent.")


def reminder_email(reminder, progress, today, copy_contact: bool) -> Email:
    cohort = reminder.cohort
    return Email(
        to=reminder.user.email,
        subject=f"Reminder: finish your pre-course learning by {uk_date(cohort.deadline_on)}",
        template="reminder",
        cc=(reminder.training_contact,) if copy_contact and reminder.training_contact else (),
        context={
            "name": reminder.user.full_name,
            "cohort": cohort,
            "days_left": days_left_text(cohort.deadline_on, today),
            "passed": progress.passed_count,
            "total": len(progress.statuses),
            "link": mail.absolute_url("learn.course", enrolment_id=reminder.enrolment_id),
        },
    )


@refreshers_cli.command("notify")
def refreshers_notify():
    """Email people (copying their managers) 90, 30 and 0 days before their training expires. Safe to run daily."""
    today = today_in_uk()
    sent = 0
    for notice in refreshers.due_refresher_notices(db.session, today, current_app.config["REFRESHER_MONTHS"]):
        if not refreshers.claim_notice(db.session, notice):
            continue  # another run got there first
        try:
            mail.send(refresher_email(notice, today))
        except (smtplib.SMTPException, OSError) as exc:
            db.session.rollback()  # not recorded, so the next run tries again
            click.echo(f"NOT SENT {notice.row.email}: {exc.__class__.__name__}", err=True)
            continue
        db.session.commit()
        sent += 1
        click.echo(f"Sent {notice.days_before}-day refresher notice to {notice.row.email} (due {notice.row.due_on})")
    click.echo(f"{plural(sent, 'refresher notice')} sent.")


def refresher_email(notice, today) -> Email:
    row = notice.row
    expired = row.due_on <= today
    return Email(
        to=row.email,
        subject=f"Your restraint reduction training {'expired' if expired else 'expires'} on {uk_date(row.due_on)}",
        template="refresher",
        cc=notice.manager_emails,
        context={
            "name": row.name,
            "due_on": row.due_on,
            "expired": expired,
            "days_left": row.days_left,
            "course": row.cohort,
        },
    )


@retention_cli.command("apply")
@click.option("--commit", "do_it", is_flag=True, help="Make the changes. Without it, only list them (a dry run).")
@one_run_at_a_time("retention apply")
def retention_apply(do_it):
    """Anonymise people whose latest course day is older than RETENTION_YEARS."""
    years = current_app.config["RETENTION_YEARS"]
    people = data_rights.people_past_retention(db.session, today_in_uk(), years)
    verb = "Anonymising" if do_it else "Would anonymise"
    for person in people:
        click.echo(f"{verb} user {person.id} ({person.full_name}, {person.email})")
        if do_it:
            data_rights.anonymise(db.session, person, None, utcnow(), reason=f"retention period of {years} years")
    if do_it:
        db.session.commit()
        click.echo(f"{plural(len(people), 'person', 'people')} anonymised.")
    else:
        click.echo(f"Dry run: {len(people)} people would be anonymised. Run with --commit to do it.")
