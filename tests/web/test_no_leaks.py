"""Secrets stay out of logs, and no answer reveals whether an email address has an account."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from elearn import mail
from elearn.db import make_engine, utcnow
from elearn.domain.cohorts import invitations
from elearn.domain.people import password_resets
from elearn.mail import wait_for_background_mail
from elearn.models import AuditEvent, User

from ..conftest import FormClient, fresh, link_in
from ..factories import PASSWORD, make_cohort, make_user

NEW_PERSON = {"full_name": "Ruth Ellis", "job_title": "", "password": PASSWORD, "confirm": PASSWORD}


def test_emailed_link_tokens_leave_the_address_on_first_use(app, session):
    user = make_user(session)
    _user, reset_token = password_resets.request_reset(session, user.email, utcnow(), 60)
    [(_inv, invite_token)] = invitations.invite(
        session, make_cohort(session), invitations.parse_typed("Al Ex, al@example.org"), None, utcnow(), 14
    )
    session.commit()
    browser = FormClient(app.test_client())
    for link, form_page in (
        (f"/reset-password/{reset_token}", "/new-password"),
        (f"/invitation/{invite_token}", "/invitation"),
    ):
        opened = browser.get(link)
        assert opened.status_code == 303 and opened.headers["Location"] == form_page
        page = browser.get(form_page)
        assert page.status_code == 200 and link.rsplit("/", 1)[1] not in page.get_data(as_text=True)


def test_database_errors_do_not_print_bound_values(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(sa.exc.OperationalError) as error, engine.connect() as conn:
        conn.execute(sa.text("SELECT :secret FROM no_such_table"), {"secret": "argon2-hash-or-session-token"})
    assert "argon2-hash-or-session-token" not in str(error.value)


def test_failed_sign_in_audit_keeps_no_typed_text_that_matches_no_account(client, session):
    user = make_user(session)
    client.post("/sign-in", {"email": "my secret pass phrase", "password": "x"})
    client.post("/sign-in", {"email": "my secret pass phrase", "password": "y"})
    client.post("/sign-in", {"email": user.email.upper(), "password": "wrong password"})
    fresh(session)
    subjects = session.scalars(sa.select(AuditEvent.subject).order_by(AuditEvent.id)).all()
    assert subjects[0] == subjects[1] and subjects[0].startswith("unknown email #")  # grouped, not readable
    assert all("secret" not in s for s in subjects) and subjects[2] == user.email


def test_create_account_answers_the_same_for_a_taken_address_and_emails_its_owner(mail_app, smtp, session):
    owner = make_user(session, email="taken@example.org")
    answers = [
        FormClient(mail_app.test_client()).post(
            "/create-account", {**NEW_PERSON, "email": email}, follow_redirects=True
        )
        for email in ("Taken@example.org", "new@example.org")
    ]
    assert answers[0].get_data(as_text=True).replace("taken@", "new@") == answers[1].get_data(as_text=True)
    assert "already" not in answers[0].get_data(as_text=True).replace("If you already have an account", "")
    wait_for_background_mail()
    [to_owner] = smtp.to(owner.email)
    assert "Someone tried to create" in to_owner["Subject"] and "/reset-password" in str(to_owner)
    fresh(session)
    assert session.scalar(sa.select(User.password_hash).where(User.id == owner.id)) == owner.password_hash


@pytest.mark.parametrize(
    ("url", "form", "known"),
    [
        ("/reset-password", {}, {"email": "known@example.org"}),
        ("/create-account", NEW_PERSON, {"email": "known@example.org"}),
    ],
)
def test_answer_time_does_not_depend_on_sending_an_email(app, session, monkeypatch, url, form, known):
    make_user(session, email="known@example.org")
    release, sent = threading.Event(), []

    def slow_mail_server(email):
        release.wait(timeout=5)
        sent.append(email.to)

    monkeypatch.setattr(mail, "send", slow_mail_server)
    response = FormClient(app.test_client()).post(url, {**form, **known})
    answered_before_sending = not sent  # sending in the request would have waited for the server
    release.set()
    wait_for_background_mail()
    assert response.status_code in (302, 303) and answered_before_sending and sent == ["known@example.org"]


def test_self_registered_account_joins_only_after_confirming_its_address(mail_app, smtp, session):
    make_cohort(session, join_code="K7MQ2XHD")
    browser = FormClient(mail_app.test_client())
    created = browser.post("/create-account", {**NEW_PERSON, "email": "ruth@example.org"})
    assert created.status_code == 303 and created.headers["Location"] == "/create-account/check-your-email"
    browser.sign_in("ruth@example.org", PASSWORD)  # the password works, but the address is unproven
    refused = browser.post("/course/join", {"code": "K7MQ2XHD"})
    assert "Confirm your email address before you join" in refused.get_data(as_text=True)

    wait_for_background_mail()
    link = link_in(smtp.to("ruth@example.org")[0], "/confirm-email/")
    opened = browser.get(link)
    assert opened.status_code == 303 and opened.headers["Location"] == "/confirm-email"
    confirmed = browser.post("/confirm-email", {})
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/course/join"
    assert browser.post("/course/join", {"code": "K7MQ2XHD"}).status_code == 302
    assert FormClient(mail_app.test_client()).get(link).status_code == 404  # used once


def test_a_new_confirmation_link_can_be_sent_and_replaces_the_old(mail_app, smtp, session):
    browser = FormClient(mail_app.test_client())
    browser.post("/create-account", {**NEW_PERSON, "email": "ruth@example.org"})
    browser.sign_in("ruth@example.org", PASSWORD)
    assert "Send the link again" in browser.get("/course/join").get_data(as_text=True)
    browser.post("/confirm-email/send-again", {}, token_from="/course/join")
    wait_for_background_mail()
    first, second = (link_in(m, "/confirm-email/") for m in smtp.to("ruth@example.org"))
    assert browser.get(first).status_code == 404 and browser.get(second).status_code == 303


def test_a_completed_password_reset_proves_the_address(app, session):
    user = make_user(session, email="kim@example.org")
    session.get(User, user.id).email_confirmed_at = None
    session.commit()
    _user, token = password_resets.request_reset(session, user.email, utcnow() - timedelta(minutes=1), 60)
    session.commit()
    browser = FormClient(app.test_client())
    browser.get(f"/reset-password/{token}")
    browser.post("/new-password", {"password": "a new pass phrase", "confirm": "a new pass phrase"})
    fresh(session)
    assert session.get(User, user.id).email_confirmed_at is not None
