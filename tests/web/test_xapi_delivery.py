"""Delivering the xAPI outbox to a real LRS (Ralph): two senders at once send each statement once; a
statement the LRS refuses is kept and holds back no other; the RQ worker, woken after the commit, sends."""

import socket
import threading
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from elearn.db import Database
from elearn.interop.xapi import WAKE_KEY, client_for, outbox, policy_for
from elearn.interop.xapi import statements as build
from elearn.interop.xapi.sender import drain
from elearn.jobs import job_queue, redis_connection, worker
from elearn.models import Role, XapiStatement

from ..conftest import FormClient, _empty_tables, make_test_app, xapi_settings
from ..factories import PASSWORD, make_user, trainee_with_enrolment
from .quiz_helpers import COURSE
from .test_xapi import outbox as outbox_rows

SITE = build.Site("https://learn.example.org", "Test provider")


def _write_statements(app, count: int) -> list[str]:
    """count valid page statements, straight into the outbox (as the event recorder would)."""
    module = COURSE.published_modules[0]
    learner = build.Learner(str(uuid.uuid4()), 1)
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    made = [build.page_experienced(SITE, COURSE, learner, module, module.pages[0].id, at) for _ in range(count)]
    with Database.sessionmaker_for(app)() as session:
        for statement in made:
            outbox.add(session, statement)
        session.commit()
    return [s["id"] for s in made]


def test_two_senders_at_once_send_each_statement_exactly_once(xapi_app, lrs):
    written = _write_statements(xapi_app, 40)
    xapi_app.config["XAPI_BATCH_SIZE"] = 3  # many small claims, so the two senders interleave
    start = threading.Barrier(2)
    reports, errors = [], []

    def sender():
        try:
            start.wait()
            with xapi_app.app_context():
                reports.append(drain(Database.sessionmaker_for(xapi_app), client_for(xapi_app), policy_for(xapi_app)))
        except Exception as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    first, second = (set(report.delivered) for report in reports)
    assert first.isdisjoint(second) and first | second == set(written)
    assert sum(len(report.delivered) for report in reports) == 40  # no sender sent one twice either
    assert sorted(s["id"] for s in lrs.statements()) == sorted(written)


def test_a_statement_the_lrs_refuses_is_kept_and_holds_back_no_other(xapi_app, session, lrs):
    good = _write_statements(xapi_app, 3)
    with Database.sessionmaker_for(xapi_app)() as writer:  # no verb: not a statement at all
        broken = {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:x@example.org"}, "object": {"id": "urn:x"}}
        outbox.add(writer, broken)
        writer.commit()
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "send"])
    assert "3 statements sent to the LRS." in result.output
    assert "1 statement refused by the LRS: LRS answered 422" in result.output
    assert sorted(s["id"] for s in lrs.statements()) == sorted(good)
    [refused] = [row for row in outbox_rows(session) if row.sent_at is None]
    assert refused.statement_id == broken["id"] and refused.next_try_at is None and "422" in refused.last_error
    again = xapi_app.test_cli_runner().invoke(args=["xapi", "send"])
    assert "0 statements sent" in again.output and "0 statements waiting, 1 refused." in again.output

    admin = make_user(session, Role.ADMIN, password=PASSWORD)
    client = FormClient(xapi_app.test_client())
    client.sign_in(admin.email, PASSWORD)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert 'data-testid="xapi-refused">1<' in page and "LRS answered 422" in page


def test_the_worker_woken_after_the_commit_sends_what_the_trainee_did(database_url, tmp_path, lrs, redis_url):
    app = make_test_app(database_url, tmp_path, JOBS="rq", REDIS_URL=redis_url, **xapi_settings(lrs))
    try:
        with Database.sessionmaker_for(app)() as session:
            user, enrolment = trainee_with_enrolment(session)
        client = FormClient(app.test_client())
        client.sign_in(user.email, PASSWORD)
        module = COURSE.published_modules[0]
        for page in module.pages:  # two first reads, two commits: one send job is enough
            assert client.get(f"/course/{enrolment.id}/{module.id}/{page.id}").status_code == 200
        with app.app_context():
            assert job_queue(app).count == 1 and redis_connection(app).exists(WAKE_KEY)
            assert lrs.statements() == []
            worker.run(app, burst=True, worker_class=worker.InProcessAppWorker)
            assert job_queue(app).count == 0 and not redis_connection(app).exists(WAKE_KEY)
        stored = lrs.statements()
        assert [s["object"]["id"].rsplit("/", 1)[1] for s in stored] == [p.id for p in module.pages]
        with Database.sessionmaker_for(app)() as session:
            assert session.scalar(sa.select(sa.func.count()).where(XapiStatement.sent_at.is_(None))) == 0
    finally:
        if "elearn.redis" in app.extensions:
            app.extensions["elearn.redis"].close()
        _empty_tables(app)


def test_with_redis_down_the_trainee_carries_on_and_the_statement_waits_for_cron(database_url, tmp_path, lrs):
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        dead_redis = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    app = make_test_app(database_url, tmp_path, JOBS="rq", REDIS_URL=dead_redis, **xapi_settings(lrs))
    try:
        with Database.sessionmaker_for(app)() as session:
            user, enrolment = trainee_with_enrolment(session)
        client = FormClient(app.test_client())
        client.sign_in(user.email, PASSWORD)
        module = COURSE.published_modules[0]
        assert client.get(f"/course/{enrolment.id}/{module.id}/{module.pages[0].id}").status_code == 200
        assert "1 statement sent to the LRS." in app.test_cli_runner().invoke(args=["xapi", "send"]).output
        assert [s["object"]["id"].rsplit("/", 1)[1] for s in lrs.statements()] == [module.pages[0].id]
    finally:
        _empty_tables(app)
