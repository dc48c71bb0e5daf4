"""Finishing the course sends one confirmation email (text and HTML) with the certificate code."""

import sqlalchemy as sa

from elearn.db import Database
from elearn.models import Completion

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, trainee_with_enrolment
from .quiz_helpers import pass_module


def test_completion_confirmation_is_emailed_once(mail_app, smtp):
    with Database.sessionmaker_for(mail_app)() as session:
        user, enrolment = trainee_with_enrolment(session)
        client = FormClient(mail_app.test_client())
        client.sign_in(user.email, PASSWORD)
        pass_module(client, session, enrolment.id, "alpha")
        assert smtp.messages == []  # not complete yet
        attempt_id = pass_module(client, session, enrolment.id, "beta")
        client.post(f"/course/attempt/{attempt_id}/check", token_from=f"/course/{enrolment.id}")  # a replay
        fresh(session)
        code = session.scalar(sa.select(Completion.certificate_code))
        [message] = smtp.messages
        assert message["To"] == user.email and message["Subject"] == "You have finished your pre-course learning"
        assert code in message.get_body(("plain",)).get_content() and code in message.get_body(("html",)).get_content()


def test_mail_failure_does_not_lose_the_completion(mail_app, smtp):
    mail_app.config["MAIL_PORT"] = 1  # nothing listens: the email fails, the result must stand
    with Database.sessionmaker_for(mail_app)() as session:
        user, enrolment = trainee_with_enrolment(session)
        client = FormClient(mail_app.test_client())
        client.sign_in(user.email, PASSWORD)
        pass_module(client, session, enrolment.id, "alpha")
        pass_module(client, session, enrolment.id, "beta")
        fresh(session)
        assert session.scalar(sa.select(sa.func.count(Completion.id))) == 1
