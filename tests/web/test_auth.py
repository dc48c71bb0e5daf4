"""Sign-in, sign-out and sessions: one generic failure message, rotation, safe redirects."""

import sqlalchemy as sa

from elearn.models import AuditEvent, Role, User

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, make_user

GENERIC = "Enter a correct email address and password"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, session):
    user = make_user(session)
    wrong = client.post("/sign-in", {"email": user.email, "password": "wrong password here"})
    unknown = client.post("/sign-in", {"email": "nobody@example.org", "password": "wrong password here"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert GENERIC in response.get_data(as_text=True)
    fresh(session)
    actions = session.scalars(sa.select(AuditEvent.action)).all()
    assert actions == ["sign_in_failed", "sign_in_failed"]


def test_empty_form_names_each_missing_field(client):
    html = client.post("/sign-in", {"email": "", "password": ""}).get_data(as_text=True)
    assert "Enter your email address" in html and "Enter your password" in html
    assert 'href="#email"' in html  # the error summary links to the field


def test_sign_in_is_case_insensitive_and_rotates_the_session(client, session):
    user = make_user(session)
    client.get("/sign-in")
    before = client.client.get_cookie("session").value
    response = client.post("/sign-in", {"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.client.get_cookie("session").value != before


def test_sign_out_makes_a_copied_cookie_useless(app, client, session):
    user = make_user(session)
    client.sign_in(user.email, PASSWORD)
    stolen = client.client.get_cookie("session").value
    assert client.get("/course/").status_code in (200, 302)
    client.post("/sign-out", token_from="/course/")
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/course/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_deactivated_user_cannot_sign_in_or_keep_a_session(client, session):
    user = make_user(session)
    client.sign_in(user.email, PASSWORD)
    session.get(User, user.id).is_active = False
    session.commit()
    assert "/sign-in" in client.get("/course/").headers["Location"]
    response = client.post("/sign-in", {"email": user.email, "password": PASSWORD})
    assert GENERIC in response.get_data(as_text=True)


def test_next_redirect_is_kept_on_site(app, session):
    user = make_user(session)
    for target, expected in (
        ("/course/", "/course/"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ):
        browser = FormClient(app.test_client())
        response = browser.post(f"/sign-in?next={target}", {"email": user.email, "password": PASSWORD})
        assert response.headers["Location"] == expected, target


def test_anonymous_user_is_sent_to_sign_in_with_next(client):
    response = client.get("/course/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/course/")


def test_security_headers_and_no_store_when_signed_in(client, session):
    response = client.get("/sign-in")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    user = make_user(session)
    client.sign_in(user.email, PASSWORD)
    assert client.get("/course/").headers["Cache-Control"] == "no-store"


def test_rehash_on_sign_in_when_parameters_rise(client, session, monkeypatch):
    from argon2 import PasswordHasher

    user = make_user(session)
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    session.get(User, user.id).password_hash = weak
    session.commit()
    client.sign_in(user.email, PASSWORD)
    fresh(session)
    assert session.get(User, user.id).password_hash != weak


def test_staff_home_lists_only_assigned_cohorts_for_trainers(client, session):
    from ..factories import make_cohort

    trainer = make_user(session, Role.TRAINER)
    mine, _theirs = make_cohort(session, title="Mine"), make_cohort(session, title="Theirs")
    mine.trainers.append(session.get(User, trainer.id))
    session.commit()
    client.sign_in(trainer.email, PASSWORD)
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Mine" in html and "Theirs" not in html


def test_sign_in_is_rate_limited(client, session):
    user = make_user(session)
    statuses = [
        client.post("/sign-in", {"email": user.email, "password": "wrong password"}).status_code for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    assert "Too many attempts" in client.post("/sign-in", {"email": user.email, "password": PASSWORD}).get_data(
        as_text=True
    )
    colleague = make_user(session)  # same training-room address, different account: not locked out
    assert client.post("/sign-in", {"email": colleague.email, "password": PASSWORD}).status_code == 302
