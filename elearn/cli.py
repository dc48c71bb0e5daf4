"""Thin command-line commands over domain functions: db, content, users, demo."""

import functools
import smtplib
from collections import Counter
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import AppGroup

from . import jobs, mail, scheduling
from .content import ContentError, load_course
from .content.aiken import parse_aiken
from .content.gift import parse_gift, write_gift
from .content.interchange import InterchangeError, bank_yaml
from .content.lint import MAX_MODULE_WORDS, lint_course
from .content.qti import write_qti_package
from .content.stats import course_stats, share
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
content_cli = AppGroup("content", help="Course content in modules/ and quizzes/.")
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


@content_cli.command("check")
@click.option(
    "--lint/--no-lint",
    default=True,
    help="Also apply the quiz-quality rules (default). "
    "--no-lint checks only what the app needs to run, e.g. for the small test course.",
)
def content_check(lint):
    """Validate every content file and the quiz-quality rules; list every problem with its file, line and field."""
    try:
        course = load_course(current_app.config["CONTENT_DIR"])
    except ContentError as exc:
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        raise click.ClickException(f"{plural(len(exc.issues), 'problem')} found in the course content") from None
    issues = lint_course(course) if lint else []
    for issue in issues:
        click.echo(str(issue), err=True)
    if issues:
        per_bank = ", ".join(f"{file} {n}" for file, n in sorted(Counter(i.file for i in issues).items()))
        raise click.ClickException(
            f"{plural(len(issues), 'quiz-quality problem')} ({per_bank}); the rules are in docs/content-format.md"
        )
    drafts = sum(m.is_draft for m in course.modules)
    click.echo(f"Content OK: {len(course.modules)} modules ({drafts} draft), version {course.version}")


@content_cli.command("import")
@click.option("--format", "fmt", type=click.Choice(["gift", "aiken"]), required=True)
@click.option("--module", "module_id", required=True, help="The module id the bank is for, e.g. prevention.")
@click.option("--outcome", help="Outcome id for every question (GIFT $CATEGORY lines override it).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the YAML bank; an existing file is never overwritten.",
)
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def content_import(fmt, module_id, outcome, output, source):
    """Read a GIFT or Aiken file into a YAML quiz bank; what it cannot know is marked TO-DO for content check."""
    if output.exists():
        raise click.ClickException(f"{output} already exists: choose another --output")
    parse = {"gift": parse_gift, "aiken": parse_aiken}[fmt]
    try:
        questions = parse(source.read_text(encoding="utf-8"), filename=str(source))
    except InterchangeError as exc:
        raise click.ClickException(f"{plural(len(exc.problems), 'problem')}:\n{exc}") from None
    output.write_text(bank_yaml(questions, module_id, outcome, source=source.name), encoding="utf-8")
    click.echo(f"Wrote {plural(len(questions), 'question')} to {output}. Fill in each TO-DO, then run `content check`.")


@content_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["gift", "qti"]), required=True)
@click.option("--module", "module_id", required=True, help="The module id, e.g. prevention.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def content_export(fmt, module_id, output):
    """Write a module's quiz bank as GIFT (Moodle) or a QTI 2.1 package (.zip) for other tools."""
    course = get_course()
    if course.module(module_id) is None:
        raise click.ClickException(f"no module '{module_id}'")
    bank = yaml.safe_load(
        (Path(current_app.config["CONTENT_DIR"]) / "quizzes" / f"{module_id}.yaml").read_text("utf-8")
    )
    if fmt == "gift":
        output.write_text(write_gift(bank), encoding="utf-8")
    else:
        output.write_bytes(write_qti_package(bank))
    click.echo(f"Wrote {plural(len(bank['questions']), 'question')} to {output}.")


@content_cli.command("stats")
def content_stats():
    """Per module: size, outcomes, readability, and the quiz-quality measures the lint checks."""
    try:
        course = load_course(current_app.config["CONTENT_DIR"])
    except ContentError as exc:
        raise click.ClickException(f"content has errors; run `content check`:\n{exc}") from None
    for stats in course_stats(course):
        module = course.module(stats.module_id)
        too_long = f" (over {MAX_MODULE_WORDS:,}: cut repetition)" if stats.too_long else ""
        click.echo(
            f"{module.slug}{' (draft)' if module.is_draft else ''}: {stats.words} words{too_long}, "
            f"{len(stats.pages)} pages, {stats.minutes} minutes, {stats.outcomes} outcomes"
        )
        click.echo("  questions per outcome: " + ", ".join(f"{k} {v}" for k, v in stats.questions_per_outcome.items()))
        click.echo("  question types: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.question_types.items())))
        click.echo(f"  key is the longest option: {share(*stats.longest_key)} single-answer questions (at most 30%)")
        trues, falses = stats.true_false
        click.echo(f"  true/false keys: {trues} True, {falses} False; True {share(trues, trues + falses)}")
        click.echo(f"  scenario items: {share(*stats.scenario)} questions (at least 40%)")
        click.echo("  near-duplicate prompts: " + ("; ".join(stats.near_duplicates) or "none"))
        for page in stats.pages:
            click.echo(f"  {page.page_id}: {page.words} words, reading ease {page.reading_ease}")
    click.echo(f"Content version {course.version}")


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
