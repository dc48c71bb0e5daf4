"""Cron on several hosts: one run of a scheduled command at a time; reminders go through the queue."""

from datetime import date, timedelta

from elearn import jobs, scheduling
from elearn.db import Database
from elearn.jobs import worker

from ..factories import enrol, make_cohort, make_user


def _due_reminder(session):
    starts_on = date.today() + timedelta(days=9)
    cohort = make_cohort(session, starts_in_days=9, deadline_on=starts_on - timedelta(days=2))
    user = make_user(session)
    enrol(session, user, cohort)
    return user


def test_a_second_run_while_one_holds_the_lock_does_nothing(mail_app, smtp):
    runner = mail_app.test_cli_runner()
    with Database.sessionmaker_for(mail_app)() as session:
        _due_reminder(session)
    with mail_app.app_context(), scheduling.only_one("reminders send") as mine:
        assert mine
        blocked = runner.invoke(args=["reminders", "send"])
        also_blocked = runner.invoke(args=["retention", "apply", "--commit"])
        with scheduling.only_one("retention apply") as other_name:
            assert other_name  # locks are per command
    assert "holds the lock; this one does nothing" in blocked.output and smtp.messages == []
    assert "holds the lock" not in also_blocked.output
    after = runner.invoke(args=["reminders", "send"])
    assert "1 reminder sent." in after.output and len(smtp.messages) == 1


def test_reminders_are_queued_and_the_worker_sends_them(queue_app, smtp):
    with Database.sessionmaker_for(queue_app)() as session:
        user = _due_reminder(session)
    result = queue_app.test_cli_runner().invoke(args=["reminders", "send"])
    assert f"Queued 7-day reminder to {user.email}" in result.output and smtp.messages == []
    with queue_app.app_context():
        assert jobs.queue_depths()["waiting"] == 1
        worker.run(queue_app, burst=True, worker_class=worker.InProcessAppWorker)
    assert len(smtp.to(user.email)) == 1
