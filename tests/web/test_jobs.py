"""The job queue on a real Redis: a request enqueues and returns; the RQ worker sends; a failing job is
retried, then kept as failed and shown to admins."""

import socket

import sqlalchemy as sa

from elearn import jobs
from elearn.db import Database
from elearn.jobs import worker
from elearn.models import Cohort, Role

from ..conftest import FormClient, link_in
from ..factories import make_cohort, make_user

ADMIN_PASSWORD = "a long admin pass phrase"


def _invite(app, session, people: str):
    admin = make_user(session, Role.ADMIN, password=ADMIN_PASSWORD)
    cohort = make_cohort(session, capacity=5, title="Ward 7 January")
    client = FormClient(app.test_client())
    client.sign_in(admin.email, ADMIN_PASSWORD)
    url = f"/admin/cohorts/{cohort.id}"
    response = client.post(f"{url}/invite", {"people": people}, token_from=url)
    assert response.status_code == 303
    return client


def _work(app) -> None:
    worker.run(app, burst=True, worker_class=worker.InProcessAppWorker)


def test_a_request_enqueues_and_the_worker_sends_the_email(queue_app, smtp):
    with Database.sessionmaker_for(queue_app)() as session:
        _invite(queue_app, session, "Sam Okafor, sam@example.org\nJo Bloggs, jo@example.org")
    with queue_app.app_context():
        assert smtp.messages == [] and jobs.queue_depths() == {"waiting": 2, "failed": 0}
        _work(queue_app)
        assert jobs.queue_depths() == {"waiting": 0, "failed": 0}
        [message] = smtp.to("sam@example.org")
        assert "Ward 7 January" in message["Subject"]  # the cohort row travelled as plain columns
        assert link_in(message, "/invitation/")  # from PUBLIC_URL, rendered by the worker
        assert len(smtp.to("jo@example.org")) == 1


def test_a_failing_job_is_retried_then_recorded_for_admins(queue_app, smtp):
    with socket.socket() as probe:  # a port with nothing listening: every SMTP connection is refused
        probe.bind(("127.0.0.1", 0))
        queue_app.config["MAIL_PORT"] = probe.getsockname()[1]
    with Database.sessionmaker_for(queue_app)() as session:
        admin = _invite(queue_app, session, "Sam Okafor, sam@example.org")
    with queue_app.app_context():
        _work(queue_app)
        [failed] = jobs.failed_jobs()
        assert failed.tries == 3  # the first try and two retries (JOB_RETRY_INTERVALS)
        assert failed.description == "email 'invitation' to sam@example.org"
        assert "ConnectionRefusedError" in failed.error
    page = admin.get("/admin/jobs").get_data(as_text=True)
    assert "email &#39;invitation&#39; to sam@example.org" in page and "ConnectionRefusedError" in page
    assert "/invitation/" not in page  # the link's token stays out of sight
    assert smtp.messages == []


def test_inline_jobs_page_says_nothing_is_queued(app, session):
    admin = make_user(session, Role.ADMIN, password=ADMIN_PASSWORD)
    client = FormClient(app.test_client())
    client.sign_in(admin.email, ADMIN_PASSWORD)
    assert "nothing waits in a queue" in client.get("/admin/jobs").get_data(as_text=True)


def test_resending_every_pending_invitation_goes_through_the_queue(queue_app, smtp):
    """The bulk resend emails through the worker like the cohort page's invite (it once sent in the request)."""
    with Database.sessionmaker_for(queue_app)() as session:
        client = _invite(queue_app, session, "Sam Okafor, sam@example.org")
        cohort_id = session.scalar(sa.select(Cohort.id))
    with queue_app.app_context():
        _work(queue_app)  # the first invitation
    url = f"/admin/cohorts/{cohort_id}/invitations/resend"
    assert client.post(url, {}, token_from=url).status_code == 303
    with queue_app.app_context():
        assert jobs.queue_depths() == {"waiting": 1, "failed": 0} and len(smtp.to("sam@example.org")) == 1
        _work(queue_app)
    first, second = smtp.to("sam@example.org")
    assert link_in(first, "/invitation/") != link_in(second, "/invitation/")  # a new link; the old one is dead
