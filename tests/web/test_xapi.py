"""xAPI to a real LRS (Ralph): a trainee's journey arrives as valid statements with the right verbs,
activity ids and scores; with the LRS down they wait in the outbox and go later, none lost, none twice."""

from datetime import timedelta

import sqlalchemy as sa

from elearn.db import Database, utcnow
from elearn.interop.xapi import client_for, policy_for
from elearn.interop.xapi.sender import drain
from elearn.models import User, XapiActor, XapiStatement

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, trainee_with_enrolment
from ..lrs_server import assert_valid_xapi
from .quiz_helpers import COURSE, fail_module, pass_module, read_module_again

SITE = "https://learn.example.org/xapi"
VERB = "http://adlnet.gov/expapi/verbs/"


def journey(app, session) -> tuple[int, int]:
    """Read every page (one twice), fail the first quiz, read again, pass it, pass the second: complete."""
    user, enrolment = trainee_with_enrolment(session)
    client = FormClient(app.test_client())
    client.sign_in(user.email, PASSWORD)
    first, second = COURSE.published_modules
    read_module_again(client, enrolment.id, first.id)  # the first reads
    assert client.get(f"/course/{enrolment.id}/{first.id}/{first.pages[0].id}").status_code == 200  # a re-read
    fail_module(client, session, enrolment.id, first.id)  # reads the module again: no new "experienced"
    pass_module(client, session, enrolment.id, first.id)
    read_module_again(client, enrolment.id, second.id)
    pass_module(client, session, enrolment.id, second.id)
    return user.id, enrolment.id


def send(app) -> str:
    result = app.test_cli_runner().invoke(args=["xapi", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def outbox(session) -> list[XapiStatement]:
    fresh(session)
    rows = session.scalars(sa.select(XapiStatement).order_by(XapiStatement.id)).all()
    session.rollback()
    return rows


def test_a_trainee_journey_reaches_the_lrs_as_valid_statements(xapi_app, session, lrs):
    user_id, _enrolment_id = journey(xapi_app, session)
    assert lrs.statements() == []  # nothing was sent during the trainee's requests
    assert "10 statements sent to the LRS." in send(xapi_app)

    stored = lrs.statements()
    for statement in stored:
        assert_valid_xapi(statement)
    verbs = [s["verb"]["id"].removeprefix(VERB) for s in stored]
    assert sorted(verbs) == sorted(
        ["experienced"] * 3 + ["attempted", "failed", "attempted", "passed"] * 1 + ["attempted", "passed", "completed"]
    )
    first, second = COURSE.published_modules
    experienced = {s["object"]["id"] for s in stored if s["verb"]["id"].endswith("experienced")}
    assert experienced == {f"{SITE}/modules/{m.id}/pages/{p.id}" for m in (first, second) for p in m.pages}
    graded = [s for s in stored if s["verb"]["id"].endswith(("passed", "failed"))]
    assert [(s["object"]["id"], s["result"]["success"]) for s in graded] == [
        (f"{SITE}/modules/{first.id}/quiz", False),
        (f"{SITE}/modules/{first.id}/quiz", True),
        (f"{SITE}/modules/{second.id}/quiz", True),
    ]
    failed, passed = graded[0]["result"]["score"], graded[1]["result"]["score"]
    assert failed["raw"] == 0 and failed["scaled"] == 0 and failed["min"] == 0 and failed["max"] > 0
    assert passed["raw"] == passed["max"] and passed["scaled"] == 1
    [completed] = [s for s in stored if s["verb"]["id"].endswith("completed")]
    assert completed["object"]["id"] == f"{SITE}/course"

    # Everyone is the same pseudonymous account, with one registration for the enrolment; never the email.
    fresh(session)
    pseudonym = session.scalar(sa.select(XapiActor.name).where(XapiActor.user_id == user_id))
    email = session.get(User, user_id).email
    session.rollback()
    assert {str(s["actor"]) for s in stored} == {
        str({"account": {"homePage": "https://learn.example.org", "name": pseudonym}, "objectType": "Agent"})
    }
    assert len({s["context"]["registration"] for s in stored}) == 1
    assert email not in str(stored) and f"/{user_id}" not in str([s["actor"] for s in stored])
    assert all(row.sent_at is not None and row.attempts == 1 for row in outbox(session))
    assert "0 statements sent" in send(xapi_app)  # nothing twice


def test_nothing_is_written_when_xapi_is_not_configured(app, session):
    journey(app, session)
    assert outbox(session) == []
    assert "not configured" in send(app)
    assert "learning-record store" not in app.test_client().get("/privacy").get_data(as_text=True)


def test_with_the_lrs_down_statements_wait_and_go_later_none_lost_none_twice(xapi_app, session, lrs):
    lrs.stop()
    journey(xapi_app, session)
    before = utcnow()
    output = send(xapi_app)
    assert "0 statements sent" in output and "NOT SENT: LRS unreachable: ConnectionError" in output
    waiting = outbox(session)
    assert len(waiting) == 10 and all(row.sent_at is None for row in waiting)
    # The first batch was tried once and waits XAPI_RETRY_SECONDS; the rest were not tried yet (due now).
    assert {(row.attempts, row.next_try_at > before + timedelta(seconds=59)) for row in waiting} == {(1, True)}
    assert all("LRS unreachable" in row.last_error for row in waiting)
    metrics = xapi_app.test_client().get("/metrics").get_data(as_text=True)
    assert "elearn_xapi_statements_waiting 10.0" in metrics and "elearn_xapi_statements_refused 0.0" in metrics

    lrs.start()
    assert "0 statements sent" in send(xapi_app)  # up again, but their wait is not over yet
    later = utcnow() + timedelta(minutes=2)
    report = drain(Database.sessionmaker_for(xapi_app), client_for(xapi_app), policy_for(xapi_app), lambda: later)
    assert len(report.delivered) == 10 and report.failed == 0
    stored = lrs.statements()
    assert sorted(s["id"] for s in stored) == sorted(row.statement_id for row in waiting)  # none lost, none twice

    # A sender that died after the LRS stored its batch, before recording it: the resend is harmless.
    with Database.sessionmaker_for(xapi_app)() as writer:
        writer.execute(sa.update(XapiStatement).values(sent_at=None, next_try_at=utcnow()))
        writer.commit()
    assert "10 statements sent to the LRS." in send(xapi_app)
    assert sorted(s["id"] for s in lrs.statements()) == sorted(s["id"] for s in stored)


def test_your_data_names_the_pseudonym_and_anonymising_forgets_it(xapi_app, session, lrs):
    from elearn.domain.people import data_rights

    user, enrolment = trainee_with_enrolment(session)
    client = FormClient(xapi_app.test_client())
    client.sign_in(user.email, PASSWORD)
    module = COURSE.published_modules[0]
    assert client.get(f"/course/{enrolment.id}/{module.id}/{module.pages[0].id}").status_code == 200
    [row] = outbox(session)
    mine = client.get("/course/my-data?format=json").get_json()
    assert mine["account"]["learning_record_store_pseudonym"] == row.statement["actor"]["account"]["name"]
    assert "under a random code" in client.get("/privacy").get_data(as_text=True)

    fresh(session)
    data_rights.anonymise(session, session.get(User, user.id), None, utcnow(), "retention")
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(XapiActor)) == 0  # no link back to the person
