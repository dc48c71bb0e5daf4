"""`flask reminders send`: the right people, once each, over real SMTP; safe to run twice."""

from datetime import date, timedelta

import sqlalchemy as sa

from elearn.db import Database, utcnow
from elearn.models import CohortState, Completion, Organisation, ReminderSent

from ..factories import enrol, make_cohort, make_user


def _cohort_with_deadline_in(session, days: int, **fields):
    starts_on = date.today() + timedelta(days=days + 2)
    return make_cohort(session, starts_in_days=days + 2, deadline_on=starts_on - timedelta(days=2), **fields)


def test_reminders_go_once_to_the_incomplete_only(mail_app, smtp):
    runner = mail_app.test_cli_runner()
    with Database.sessionmaker_for(mail_app)() as session:
        org = Organisation(name="Oak Trust", training_contact_email="contact@example.org")
        session.add(org)
        session.commit()
        in_seven = _cohort_with_deadline_in(session, 7, organisation_id=org.id)
        in_two = _cohort_with_deadline_in(session, 1)  # missed the 7-day run: gets only the 2-day one
        far = _cohort_with_deadline_in(session, 20)
        closed = _cohort_with_deadline_in(session, 2, state=CohortState.CLOSED)
        due, done, later, shut, also_due = (make_user(session) for _ in range(5))
        enrol(session, due, in_seven)
        finished = enrol(session, done, in_seven)
        enrol(session, later, far)
        enrol(session, shut, closed)
        enrol(session, also_due, in_two)
        session.add(
            Completion(
                enrolment_id=finished.id,
                content_version="x",
                certificate_code="AAAA-BBBB-CCCC-DDDD",
                completed_at=utcnow(),
            )
        )
        session.commit()

        first = runner.invoke(args=["reminders", "send"])
        assert first.exit_code == 0, first.output
        assert "2 reminders sent." in first.output
        assert sorted(m["To"] for m in smtp.messages) == sorted([due.email, also_due.email])
        assert "7 days left" in smtp.to(due.email)[0].get_body(("plain",)).get_content()
        second = runner.invoke(args=["reminders", "send"])
        assert "0 reminders sent." in second.output and len(smtp.messages) == 2
        assert sorted(session.scalars(sa.select(ReminderSent.days_before)).all()) == [2, 7]


def test_training_contact_is_copied_when_configured(mail_app, smtp):
    mail_app.config["REMINDER_COPY_TRAINING_CONTACT"] = True
    with Database.sessionmaker_for(mail_app)() as session:
        org = Organisation(name="Elm Trust", training_contact_email="contact@example.org")
        session.add(org)
        session.commit()
        enrol(session, make_user(session), _cohort_with_deadline_in(session, 2, organisation_id=org.id))
    mail_app.test_cli_runner().invoke(args=["reminders", "send"])
    assert smtp.messages[0]["Cc"] == "contact@example.org"
    assert "contact@example.org" in smtp.messages[0].envelope_recipients


def test_a_failed_send_is_retried_next_run(mail_app, smtp):
    with Database.sessionmaker_for(mail_app)() as session:
        enrol(session, make_user(session), _cohort_with_deadline_in(session, 2))
        mail_app.config["MAIL_PORT"] = 1  # nothing listens there
        failed = mail_app.test_cli_runner().invoke(args=["reminders", "send"])
        assert "NOT SENT" in failed.output and "0 reminders sent." in failed.output
        mail_app.config["MAIL_PORT"] = smtp.port
        retried = mail_app.test_cli_runner().invoke(args=["reminders", "send"])
        assert "1 reminder sent." in retried.output
